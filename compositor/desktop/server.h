#ifndef PWL_SERVER_H
#define PWL_SERVER_H

#include <stdbool.h>
#include <wayland-server-core.h>

#include "clients/clients.h"

struct pwl_config;
struct pwl_seat;
struct pwl_ipc;
struct pwl_idle;
struct pwl_xwayland;
struct pwl_stores;
struct pwl_containers;
struct pwl_kiosk;
struct pwl_pocket_shell;
struct pwl_panel_proc;
struct pwl_watchdog;
struct pwl_view;

/* Scene layers, bottom to top. Fullscreen views sit above the top layer so
 * that a panel never covers them; overlay surfaces still do (lock screens,
 * notifications). */
enum pwl_scene_layer {
	PWL_LAYER_BACKGROUND,
	PWL_LAYER_BOTTOM,
	PWL_LAYER_VIEWS,
	PWL_LAYER_UNMANAGED, // X11 menus and tooltips
	PWL_LAYER_TOP,
	PWL_LAYER_FULLSCREEN,
	PWL_LAYER_OVERLAY,
	PWL_LAYER_DRAG,
	PWL_LAYER_COUNT,
};

struct pwl_server {
	struct wl_display *display;
	struct wl_event_loop *loop;
	const char *socket;

	struct wlr_backend *backend;
	struct wlr_session *session; // may be NULL (nested, headless)
	struct wlr_renderer *renderer;
	struct wlr_allocator *allocator;
	struct wlr_compositor *compositor;
	struct wlr_output_layout *output_layout;
	struct wlr_scene *scene;
	struct wlr_scene_tree *layers[PWL_LAYER_COUNT];

	struct wlr_xdg_shell *xdg_shell;
	struct wlr_layer_shell_v1 *layer_shell;
	struct wlr_xdg_decoration_manager_v1 *decoration_manager;
	struct wlr_foreign_toplevel_manager_v1 *foreign_toplevel_manager;
	struct wlr_xdg_activation_v1 *xdg_activation;
	struct wlr_presentation *presentation;
	struct wlr_idle *idle;
	struct wlr_idle_inhibit_manager_v1 *idle_inhibit;
	struct wlr_virtual_keyboard_manager_v1 *virtual_keyboard;
	struct wlr_virtual_pointer_manager_v1 *virtual_pointer;
	struct wlr_pointer_constraints_v1 *pointer_constraints;
	struct wlr_relative_pointer_manager_v1 *relative_pointer;

	struct pwl_config *config;
	struct pwl_seat *seat;
	struct pwl_ipc *ipc;
	struct pwl_idle *idle_tracker;
	struct pwl_xwayland *xwayland; // may be NULL (off or no binary)
	struct pwl_stores *stores;
	struct pwl_containers *containers;
	struct pwl_kiosk *kiosk; // NULL unless in kiosk mode
	struct pwl_pocket_shell *pocket_shell;
	struct pwl_panel_proc *panel; // NULL without [panel] command
	struct pwl_watchdog *watchdog; // NULL when off
	char *ipc_path;

	struct wl_list outputs; // pwl_output.link
	struct wl_list views; // pwl_view.link, topmost first
	struct wl_list layer_surfaces; // pwl_layer_surface.link
	struct wl_list launches; // pwl_launch.link, newest first (apps/)
	uint32_t next_view_id;
	/* The clients layer's part: app sockets, filters, limits, guards. */
	struct pwl_clients clients;

	/* What the desktop tells the layers above (they subscribe; it never
	 * calls them). */
	struct {
		struct wl_signal view_mapped; // struct pwl_view *
		struct wl_signal view_unmapped; // struct pwl_view *
		struct wl_signal outputs_changed; // NULL: added, removed, resized
		struct wl_signal menu; // NULL: the user asked for the launcher
		/* Emitted by the layers above, for each other. */
		struct wl_signal launch_changed; // struct pwl_launch * (apps/)
		struct wl_signal store_added; // const char *path (apps/stores.c)
		struct wl_signal store_removed; // const char *path
		struct wl_signal engine_changed; // NULL (apps/containers.c)
	} events;

	struct wl_event_source *sigterm;
	struct wl_event_source *sigint;
	struct wl_event_source *sigchld;
	int exit_status;

	struct wl_listener new_output;
	struct wl_listener new_input;
	struct wl_listener new_xdg_surface;
	struct wl_listener new_layer_surface;
	struct wl_listener new_decoration;
	struct wl_listener new_virtual_keyboard;
	struct wl_listener new_virtual_pointer;
	struct wl_listener new_constraint;
	struct wl_listener request_activate;
	struct wl_listener layout_change;
	/* Listeners the layers above keep on the server's events. */
	struct wl_listener launch_view_mapped, launch_view_unmapped; // apps/
	struct wl_listener launch_store_removed; // apps/
};

/** Creates the display, backend, renderer and every global. On failure
 * everything created so far is torn down and false is returned. */
bool server_init(struct pwl_server *server, struct pwl_config *config);
/** Opens the listening socket and starts the backend. */
bool server_start(struct pwl_server *server);
/** Disconnects every client, then removes listeners and destroys the
 * globals (the layers above are gone by then: session.c). */
void server_finish(struct pwl_server *server);
/** Asks the event loop to stop; the session ends with `status`. */
void server_quit(struct pwl_server *server, int status);

#endif
