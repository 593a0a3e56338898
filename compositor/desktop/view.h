#ifndef PWL_VIEW_H
#define PWL_VIEW_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/util/box.h>

struct pwl_server;
struct pwl_output;
struct pwl_view;
struct pwl_ssd;
struct pwl_app;

/* What a scene node belongs to; stored in wlr_scene_node.data of the nodes
 * the cursor code needs to tell apart. */
enum pwl_node_type {
	PWL_NODE_VIEW,
	PWL_NODE_LAYER_SURFACE,
	PWL_NODE_SSD_TITLE,
	PWL_NODE_SSD_CLOSE,
	PWL_NODE_SSD_BORDER,
};

struct pwl_node_descriptor {
	enum pwl_node_type type;
	void *data;
};

/* The shell-specific half of a view (xdg_shell.c implements it). */
struct pwl_view_impl {
	const char *(*get_title)(struct pwl_view *view); // may return NULL
	const char *(*get_app_id)(struct pwl_view *view); // may return NULL
	/* The window geometry inside the surface (excludes CSD shadows). */
	void (*get_geometry)(struct pwl_view *view, struct wlr_box *box);
	void (*configure)(struct pwl_view *view, int width, int height);
	void (*set_activated)(struct pwl_view *view, bool activated);
	void (*set_maximized)(struct pwl_view *view, bool maximized);
	void (*set_fullscreen)(struct pwl_view *view, bool fullscreen);
	void (*set_resizing)(struct pwl_view *view, bool resizing); // optional
	void (*close)(struct pwl_view *view);
	/* Optional: told when the view moved (X11 windows know their place). */
	void (*moved)(struct pwl_view *view);
};

struct pwl_view {
	struct wl_list link; // pwl_server.views, topmost first
	struct pwl_server *server;
	const struct pwl_view_impl *impl;
	struct wlr_surface *surface;
	uint32_t id;
	/* The app whose socket the client came through; NULL for host
	 * clients. Set once, from the connection, never from the client. */
	struct pwl_app *app;

	/* tree holds the decoration and the content; it sits at the top-left
	 * corner of the window geometry, (x, y) in layout coordinates. */
	struct wlr_scene_tree *tree;
	struct wlr_scene_node *content;
	struct pwl_node_descriptor node_desc;
	struct pwl_ssd *ssd; // may be NULL (client-side or no decorations)
	struct pwl_label *label; // may be NULL; see label.c

	int x, y;
	int width, height; // size of the window geometry last committed
	bool mapped;
	bool maximized, fullscreen;
	bool urgent; // asked for attention; cleared when focused
	bool wants_ssd;
	struct wlr_box saved; // floating geometry, restored after max/fullscreen
	struct pwl_output *fullscreen_output; // may be NULL

	struct wlr_foreign_toplevel_handle_v1 *toplevel_handle; // may be NULL
	struct wl_listener toplevel_request_activate;
	struct wl_listener toplevel_request_close;
	struct wl_listener toplevel_request_maximize;
	struct wl_listener toplevel_request_fullscreen;
};

/** Initializes the shell-independent part; the shell calls it right after
 * allocating its view. `surface` is the view's wl_surface. */
void view_init(struct pwl_view *view, struct pwl_server *server,
	const struct pwl_view_impl *impl, struct wlr_surface *surface);
/** Tears down what view_init and view_map made. */
void view_finish(struct pwl_view *view);

void view_map(struct pwl_view *view);
void view_unmap(struct pwl_view *view);
/** Called by the shell after each commit of the view's surface. */
void view_handle_commit(struct pwl_view *view);
void view_update_title(struct pwl_view *view);
void view_update_app_id(struct pwl_view *view);

void view_move(struct pwl_view *view, int x, int y);
/** Moves and resizes the window geometry (the client draws the new size on
 * its next commit). */
void view_move_resize(struct pwl_view *view, int x, int y, int w, int h);
void view_set_maximized(struct pwl_view *view, bool maximized);
void view_set_fullscreen(struct pwl_view *view, bool fullscreen,
	struct pwl_output *output);
void view_set_activated(struct pwl_view *view, bool activated);
void view_set_ssd(struct pwl_view *view, bool ssd);
void view_close(struct pwl_view *view);
void view_set_urgent(struct pwl_view *view, bool urgent);
/* How far past its window an app's popup may reach (menus of small
 * windows need room); farther, it is not shown. */
#define POPUP_MARGIN 200

/** Hides the subsurfaces of app windows that reach outside the surface
 * they belong to, and popups that reach farther than POPUP_MARGIN past
 * the window (the scene does not clip); called before each frame. */
void views_contain_subsurfaces(struct pwl_server *server);
/** Whether the window's own request for fullscreen is granted: always for
 * the shell's windows and kiosk apps; for an app's window only as the
 * first window of a launch (asked before it maps) or while it has focus
 * within seconds of the user's input to it. The keybinding does not ask. */
bool view_fullscreen_request_allowed(struct pwl_view *view);
/** Raises the view to the top of its layer. */
void view_raise(struct pwl_view *view);

/** The output holding the centre of the view (or the nearest one). */
struct pwl_output *view_output(struct pwl_view *view);
/** The window's outer box in layout coordinates, decorations included. */
void view_get_frame_box(struct pwl_view *view, struct wlr_box *box);
const char *view_title(struct pwl_view *view);
const char *view_app_id(struct pwl_view *view);

/** Re-places every view after the outputs or their usable areas changed:
 * maximized and fullscreen views take their output's new size, views left
 * off-screen by an unplugged output move to a remaining one. */
void views_fit_outputs(struct pwl_server *server);
struct pwl_view *view_from_id(struct pwl_server *server, uint32_t id);

/** Where a pinned app's window must be (its app's pin, clients/app.h);
 * false when it is not pinned or no output is there. */
bool view_pinned_box(struct pwl_view *view, struct wlr_box *box);

#endif
