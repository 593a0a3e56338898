#include "desktop/xdg_shell.h"

#include <stdlib.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"

/* wlr_xdg_surface.data points to one of these two, told apart by role. */
struct pwl_xdg_view {
	struct pwl_view view;
	struct wlr_xdg_surface *xdg_surface;
	bool initial_commit_seen;

	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener commit;
	struct wl_listener request_move;
	struct wl_listener request_resize;
	struct wl_listener request_maximize;
	struct wl_listener request_fullscreen;
	struct wl_listener set_title;
	struct wl_listener set_app_id;
};

struct pwl_xdg_popup {
	struct wlr_xdg_popup *wlr_popup;
	struct wlr_scene_node *node;
	struct wlr_box constraint; // root-surface coordinates
	/* An app's popup wears its app's colour too: a thin frame around
	 * its window geometry, above its content. */
	struct pwl_app *app; // NULL: a host's popup, no frame
	struct wlr_scene_rect *frame[4];

	struct wl_listener destroy;
	struct wl_listener commit;
};

#define POPUP_FRAME 2

static void popup_place_frame(struct pwl_xdg_popup *popup) {
	struct wlr_xdg_surface *base = popup->wlr_popup->base;
	struct wlr_box g = base->current.geometry;
	if (g.width <= 0 || g.height <= 0) {
		g = (struct wlr_box){ 0, 0, base->surface->current.width,
			base->surface->current.height };
	}
	int b = POPUP_FRAME;
	struct wlr_box boxes[4] = {
		{ g.x - b, g.y - b, g.width + 2 * b, b },
		{ g.x - b, g.y + g.height, g.width + 2 * b, b },
		{ g.x - b, g.y, b, g.height },
		{ g.x + g.width, g.y, b, g.height },
	};
	for (int i = 0; i < 4; i++) {
		wlr_scene_rect_set_size(popup->frame[i], boxes[i].width,
			boxes[i].height);
		wlr_scene_node_set_position(&popup->frame[i]->node, boxes[i].x,
			boxes[i].y);
	}
}

static void popup_handle_commit(struct wl_listener *listener, void *data) {
	struct pwl_xdg_popup *popup = wl_container_of(listener, popup, commit);
	popup_place_frame(popup);
}

static struct pwl_xdg_view *xdg_view_from_view(struct pwl_view *view) {
	struct pwl_xdg_view *xdg_view = wl_container_of(view, xdg_view, view);
	return xdg_view;
}

struct pwl_view *xdg_surface_get_view(struct wlr_xdg_surface *xdg_surface) {
	if (!xdg_surface || xdg_surface->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL ||
			!xdg_surface->data) {
		return NULL;
	}
	struct pwl_xdg_view *xdg_view = xdg_surface->data;
	return &xdg_view->view;
}

static const char *get_title(struct pwl_view *view) {
	return xdg_view_from_view(view)->xdg_surface->toplevel->title;
}

static const char *get_app_id(struct pwl_view *view) {
	return xdg_view_from_view(view)->xdg_surface->toplevel->app_id;
}

static void get_geometry(struct pwl_view *view, struct wlr_box *box) {
	wlr_xdg_surface_get_geometry(xdg_view_from_view(view)->xdg_surface, box);
}

static void configure(struct pwl_view *view, int width, int height) {
	wlr_xdg_toplevel_set_size(xdg_view_from_view(view)->xdg_surface,
		width, height);
}

static void set_activated(struct pwl_view *view, bool activated) {
	wlr_xdg_toplevel_set_activated(xdg_view_from_view(view)->xdg_surface,
		activated);
}

static void set_maximized(struct pwl_view *view, bool maximized) {
	wlr_xdg_toplevel_set_maximized(xdg_view_from_view(view)->xdg_surface,
		maximized);
}

static void set_fullscreen(struct pwl_view *view, bool fullscreen) {
	wlr_xdg_toplevel_set_fullscreen(xdg_view_from_view(view)->xdg_surface,
		fullscreen);
}

static void set_resizing(struct pwl_view *view, bool resizing) {
	wlr_xdg_toplevel_set_resizing(xdg_view_from_view(view)->xdg_surface,
		resizing);
}

static void close_view(struct pwl_view *view) {
	wlr_xdg_toplevel_send_close(xdg_view_from_view(view)->xdg_surface);
}

static const struct pwl_view_impl xdg_view_impl = {
	.get_title = get_title,
	.get_app_id = get_app_id,
	.get_geometry = get_geometry,
	.configure = configure,
	.set_activated = set_activated,
	.set_maximized = set_maximized,
	.set_fullscreen = set_fullscreen,
	.set_resizing = set_resizing,
	.close = close_view,
};

static void handle_map(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view = wl_container_of(listener, xdg_view, map);
	struct pwl_view *view = &xdg_view->view;
	struct wlr_xdg_toplevel *toplevel = xdg_view->xdg_surface->toplevel;

	bool fullscreen_allowed = !toplevel->requested.fullscreen ||
		view->fullscreen || view_fullscreen_request_allowed(view);
	view_map(view);
	// Requests made after the initial commit but before the first buffer.
	if (toplevel->requested.fullscreen && !view->fullscreen &&
			fullscreen_allowed) {
		view_set_fullscreen(view, true,
			output_from_wlr(toplevel->requested.fullscreen_output));
	} else if (toplevel->requested.maximized && !view->maximized &&
			!view->fullscreen) {
		view_set_maximized(view, true);
	}
}

/* State asked for before the first commit goes into the initial configure,
 * so that the first frame already has the right size. */
static void apply_initial_requests(struct pwl_xdg_view *xdg_view) {
	struct pwl_view *view = &xdg_view->view;
	struct wlr_xdg_toplevel *toplevel = xdg_view->xdg_surface->toplevel;
	if (toplevel->requested.fullscreen &&
			view_fullscreen_request_allowed(view)) {
		view_set_fullscreen(view, true,
			output_from_wlr(toplevel->requested.fullscreen_output));
	} else if (toplevel->requested.maximized) {
		view_set_maximized(view, true);
	}
}

static void handle_unmap(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view = wl_container_of(listener, xdg_view, unmap);
	view_unmap(&xdg_view->view);
}

static void handle_commit(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view = wl_container_of(listener, xdg_view, commit);
	if (!xdg_view->initial_commit_seen) {
		xdg_view->initial_commit_seen = true;
		apply_initial_requests(xdg_view);
	}
	view_handle_commit(&xdg_view->view);
}

/* A client may only start a move or resize from a button press on itself. */
static bool grab_allowed(struct pwl_xdg_view *xdg_view, uint32_t serial) {
	struct pwl_seat *seat = xdg_view->view.server->seat;
	return xdg_view->view.mapped && seat->mode == PWL_CURSOR_PASSTHROUGH &&
		wlr_seat_validate_pointer_grab_serial(seat->wlr_seat,
			xdg_view->xdg_surface->surface, serial);
}

static void handle_request_move(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, request_move);
	struct wlr_xdg_toplevel_move_event *event = data;
	if (grab_allowed(xdg_view, event->serial)) {
		cursor_begin_move(xdg_view->view.server->seat, &xdg_view->view);
	}
}

static void handle_request_resize(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, request_resize);
	struct wlr_xdg_toplevel_resize_event *event = data;
	if (grab_allowed(xdg_view, event->serial)) {
		cursor_begin_resize(xdg_view->view.server->seat, &xdg_view->view,
			event->edges);
	}
}

static void handle_request_maximize(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, request_maximize);
	struct wlr_xdg_surface *xdg_surface = xdg_view->xdg_surface;
	if (!xdg_view->view.mapped) {
		// Handled at map time from toplevel->requested.
		return;
	}
	view_set_maximized(&xdg_view->view,
		xdg_surface->toplevel->requested.maximized);
}

static void handle_request_fullscreen(struct wl_listener *listener,
		void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, request_fullscreen);
	struct wlr_xdg_toplevel_set_fullscreen_event *event = data;
	if (!xdg_view->view.mapped) {
		return;
	}
	struct pwl_view *view = &xdg_view->view;
	if (event->fullscreen && !view->fullscreen &&
			!view_fullscreen_request_allowed(view)) {
		// The protocol wants an answer: the state it has.
		view->impl->configure(view, view->width, view->height);
		view_set_urgent(view, true);
		return;
	}
	view_set_fullscreen(view, event->fullscreen,
		output_from_wlr(event->output));
}

static void handle_set_title(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, set_title);
	view_update_title(&xdg_view->view);
}

static void handle_set_app_id(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, set_app_id);
	view_update_app_id(&xdg_view->view);
}

static void handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_xdg_view *xdg_view =
		wl_container_of(listener, xdg_view, destroy);
	wl_list_remove(&xdg_view->map.link);
	wl_list_remove(&xdg_view->unmap.link);
	wl_list_remove(&xdg_view->destroy.link);
	wl_list_remove(&xdg_view->commit.link);
	wl_list_remove(&xdg_view->request_move.link);
	wl_list_remove(&xdg_view->request_resize.link);
	wl_list_remove(&xdg_view->request_maximize.link);
	wl_list_remove(&xdg_view->request_fullscreen.link);
	wl_list_remove(&xdg_view->set_title.link);
	wl_list_remove(&xdg_view->set_app_id.link);
	xdg_view->xdg_surface->data = NULL;
	view_finish(&xdg_view->view);
	free(xdg_view);
}

static void create_toplevel(struct pwl_server *server,
		struct wlr_xdg_surface *xdg_surface) {
	struct pwl_xdg_view *xdg_view = calloc(1, sizeof(*xdg_view));
	if (!xdg_view) {
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	xdg_view->xdg_surface = xdg_surface;
	struct pwl_view *view = &xdg_view->view;
	view_init(view, server, &xdg_view_impl, xdg_surface->surface);
	view->wants_ssd = false;

	view->tree = wlr_scene_tree_create(&server->layers[PWL_LAYER_VIEWS]->node);
	view->content = view->tree ?
		wlr_scene_xdg_surface_create(&view->tree->node, xdg_surface) : NULL;
	if (!view->content) {
		if (view->tree) {
			wlr_scene_node_destroy(&view->tree->node);
		}
		free(xdg_view);
		wl_resource_post_no_memory(xdg_surface->resource);
		return;
	}
	view->tree->node.data = &view->node_desc;
	wlr_scene_node_set_enabled(&view->tree->node, false);

	struct wlr_xdg_toplevel *toplevel = xdg_surface->toplevel;
	xdg_view->map.notify = handle_map;
	wl_signal_add(&xdg_surface->events.map, &xdg_view->map);
	xdg_view->unmap.notify = handle_unmap;
	wl_signal_add(&xdg_surface->events.unmap, &xdg_view->unmap);
	xdg_view->destroy.notify = handle_destroy;
	wl_signal_add(&xdg_surface->events.destroy, &xdg_view->destroy);
	xdg_view->commit.notify = handle_commit;
	wl_signal_add(&xdg_surface->surface->events.commit, &xdg_view->commit);
	xdg_view->request_move.notify = handle_request_move;
	wl_signal_add(&toplevel->events.request_move, &xdg_view->request_move);
	xdg_view->request_resize.notify = handle_request_resize;
	wl_signal_add(&toplevel->events.request_resize, &xdg_view->request_resize);
	xdg_view->request_maximize.notify = handle_request_maximize;
	wl_signal_add(&toplevel->events.request_maximize,
		&xdg_view->request_maximize);
	xdg_view->request_fullscreen.notify = handle_request_fullscreen;
	wl_signal_add(&toplevel->events.request_fullscreen,
		&xdg_view->request_fullscreen);
	xdg_view->set_title.notify = handle_set_title;
	wl_signal_add(&toplevel->events.set_title, &xdg_view->set_title);
	xdg_view->set_app_id.notify = handle_set_app_id;
	wl_signal_add(&toplevel->events.set_app_id, &xdg_view->set_app_id);

	xdg_surface->data = xdg_view;
}

static void popup_handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_xdg_popup *popup = wl_container_of(listener, popup, destroy);
	wl_list_remove(&popup->destroy.link);
	wl_list_remove(&popup->commit.link);
	popup->wlr_popup->base->data = NULL;
	// The scene node goes away by itself with the xdg_surface.
	free(popup);
}

void xdg_popup_create(struct wlr_xdg_popup *wlr_popup,
		struct wlr_scene_node *parent, struct wlr_box constraint,
		struct pwl_app *app) {
	struct wlr_xdg_surface *base = wlr_popup->base;
	struct pwl_xdg_popup *popup = calloc(1, sizeof(*popup));
	if (!popup) {
		wl_resource_post_no_memory(base->resource);
		return;
	}
	popup->wlr_popup = wlr_popup;
	popup->constraint = constraint;
	popup->node = wlr_scene_xdg_surface_create(parent, base);
	if (!popup->node) {
		free(popup);
		wl_resource_post_no_memory(base->resource);
		return;
	}
	popup->destroy.notify = popup_handle_destroy;
	wl_signal_add(&base->events.destroy, &popup->destroy);
	wl_list_init(&popup->commit.link);
	popup->app = app;
	if (app) {
		for (int i = 0; i < 4; i++) {
			popup->frame[i] = wlr_scene_rect_create(popup->node, 0, 0,
				app->color);
		}
		if (popup->frame[0] && popup->frame[1] && popup->frame[2] &&
				popup->frame[3]) {
			popup->commit.notify = popup_handle_commit;
			wl_signal_add(&base->surface->events.commit, &popup->commit);
			popup_place_frame(popup);
		}
	}
	base->data = popup;
	wlr_xdg_popup_unconstrain_from_box(wlr_popup, &constraint);
}

/* The output box in the coordinates of the view surface's origin; for an
 * app's window, only the part of it within the window's area plus
 * POPUP_MARGIN on each side (view.c hides a popup that still reaches
 * past that). */
static struct wlr_box view_constraint(struct pwl_view *view) {
	struct pwl_output *output = view_output(view);
	struct wlr_box geo;
	view->impl->get_geometry(view, &geo);
	if (!output) {
		return (struct wlr_box){ 0 };
	}
	struct wlr_box box = {
		.x = output->box.x - view->x + geo.x,
		.y = output->box.y - view->y + geo.y,
		.width = output->box.width,
		.height = output->box.height,
	};
	if (view->app) {
		struct wlr_box area = {
			.x = geo.x - POPUP_MARGIN,
			.y = geo.y - POPUP_MARGIN,
			.width = view->width + 2 * POPUP_MARGIN,
			.height = view->height + 2 * POPUP_MARGIN,
		};
		struct wlr_box both;
		if (wlr_box_intersection(&both, &box, &area)) {
			box = both;
		}
	}
	return box;
}

static void create_popup(struct wlr_xdg_surface *xdg_surface) {
	struct wlr_xdg_popup *wlr_popup = xdg_surface->popup;
	if (!wlr_popup->parent ||
			!wlr_surface_is_xdg_surface(wlr_popup->parent)) {
		// Parented later through another shell (layer-shell get_popup).
		return;
	}
	struct wlr_xdg_surface *parent =
		wlr_xdg_surface_from_wlr_surface(wlr_popup->parent);
	if (!parent || !parent->data) {
		return;
	}
	if (parent->role == WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		struct pwl_xdg_view *xdg_view = parent->data;
		xdg_popup_create(wlr_popup, xdg_view->view.content,
			view_constraint(&xdg_view->view), xdg_view->view.app);
	} else if (parent->role == WLR_XDG_SURFACE_ROLE_POPUP) {
		struct pwl_xdg_popup *parent_popup = parent->data;
		xdg_popup_create(wlr_popup, parent_popup->node,
			parent_popup->constraint, parent_popup->app);
	}
}

void xdg_shell_handle_new_surface(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_xdg_surface);
	struct wlr_xdg_surface *xdg_surface = data;
	switch (xdg_surface->role) {
	case WLR_XDG_SURFACE_ROLE_TOPLEVEL:
		create_toplevel(server, xdg_surface);
		break;
	case WLR_XDG_SURFACE_ROLE_POPUP:
		create_popup(xdg_surface);
		break;
	case WLR_XDG_SURFACE_ROLE_NONE:
		break;
	}
}
