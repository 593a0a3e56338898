#include "desktop/xwayland.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/util/log.h>
#include <wlr/xwayland.h>

#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/config.h"
#include "util/x11_dir.h"

struct pwl_xwayland {
	struct pwl_server *server;
	struct wlr_xwayland *wlr;

	struct wl_listener ready;
	struct wl_listener new_surface;
};

/* A managed X11 window. */
struct pwl_xwayland_view {
	struct pwl_view view;
	struct wlr_xwayland_surface *xsurface;

	struct wl_listener destroy;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener commit; // only while mapped
	struct wl_listener request_configure;
	struct wl_listener request_fullscreen;
	struct wl_listener request_maximize;
	struct wl_listener request_activate;
	struct wl_listener set_title;
	struct wl_listener set_class;
};

/* Menus and tooltips (override-redirect): placed where X says, unmanaged. */
struct pwl_xwayland_unmanaged {
	struct pwl_server *server;
	struct wlr_xwayland_surface *xsurface;
	struct wlr_scene_node *node; // may be NULL while unmapped

	struct wl_listener destroy;
	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener set_geometry;
};

static struct pwl_xwayland_view *from_view(struct pwl_view *view) {
	struct pwl_xwayland_view *xv = wl_container_of(view, xv, view);
	return xv;
}

static const char *get_title(struct pwl_view *view) {
	return from_view(view)->xsurface->title;
}

static const char *get_app_id(struct pwl_view *view) {
	return from_view(view)->xsurface->class;
}

static void get_geometry(struct pwl_view *view, struct wlr_box *box) {
	struct wlr_xwayland_surface *xs = from_view(view)->xsurface;
	*box = (struct wlr_box){ 0, 0, 0, 0 };
	if (xs->surface) {
		box->width = xs->surface->current.width;
		box->height = xs->surface->current.height;
	}
}

static void configure(struct pwl_view *view, int width, int height) {
	struct wlr_xwayland_surface *xs = from_view(view)->xsurface;
	if (width <= 0 || height <= 0) {
		width = xs->width;
		height = xs->height;
	}
	wlr_xwayland_surface_configure(xs, view->x, view->y, width, height);
}

static void moved(struct pwl_view *view) {
	struct wlr_xwayland_surface *xs = from_view(view)->xsurface;
	wlr_xwayland_surface_configure(xs, view->x, view->y, xs->width,
		xs->height);
}

static void set_activated(struct pwl_view *view, bool activated) {
	struct wlr_xwayland_surface *xs = from_view(view)->xsurface;
	wlr_xwayland_surface_activate(xs, activated);
	if (activated) {
		wlr_xwayland_surface_restack(xs, NULL, XCB_STACK_MODE_ABOVE);
	}
}

static void set_maximized(struct pwl_view *view, bool maximized) {
	wlr_xwayland_surface_set_maximized(from_view(view)->xsurface, maximized);
}

static void set_fullscreen(struct pwl_view *view, bool fullscreen) {
	wlr_xwayland_surface_set_fullscreen(from_view(view)->xsurface,
		fullscreen);
}

static void close_view(struct pwl_view *view) {
	wlr_xwayland_surface_close(from_view(view)->xsurface);
}

static const struct pwl_view_impl xwayland_view_impl = {
	.get_title = get_title,
	.get_app_id = get_app_id,
	.get_geometry = get_geometry,
	.configure = configure,
	.set_activated = set_activated,
	.set_maximized = set_maximized,
	.set_fullscreen = set_fullscreen,
	.close = close_view,
	.moved = moved, // X11 has no resizing state, but knows its place
};

static void view_handle_commit_event(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, commit);
	view_handle_commit(&xv->view);
}

static void view_handle_map(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, map);
	struct pwl_view *view = &xv->view;
	struct wlr_xwayland_surface *xs = xv->xsurface;
	view->surface = xs->surface;
	view->content = wlr_scene_subsurface_tree_create(&view->tree->node,
		xs->surface);
	if (!view->content) {
		return;
	}
	xv->commit.notify = view_handle_commit_event;
	wl_signal_add(&xs->surface->events.commit, &xv->commit);
	view_map(view);
	if (xs->fullscreen) {
		view_set_fullscreen(view, true, NULL);
	} else if (xs->maximized_horz && xs->maximized_vert) {
		view_set_maximized(view, true);
	}
}

static void view_handle_unmap(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, unmap);
	struct pwl_view *view = &xv->view;
	if (!view->content) {
		return;
	}
	view_unmap(view);
	wl_list_remove(&xv->commit.link);
	wlr_scene_node_destroy(view->content);
	view->content = NULL;
	view->surface = NULL;
}

static void view_handle_request_configure(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_view *xv =
		wl_container_of(listener, xv, request_configure);
	struct wlr_xwayland_surface_configure_event *event = data;
	struct pwl_view *view = &xv->view;
	if (!view->mapped) {
		// Before mapping, the window may have what it asks for.
		wlr_xwayland_surface_configure(xv->xsurface, event->x, event->y,
			event->width, event->height);
		return;
	}
	if (view->maximized || view->fullscreen) {
		view->impl->configure(view, view->width, view->height);
		return;
	}
	// Floating windows may resize themselves; their place stays ours.
	wlr_xwayland_surface_configure(xv->xsurface, view->x, view->y,
		event->width, event->height);
}

static void view_handle_request_fullscreen(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_view *xv =
		wl_container_of(listener, xv, request_fullscreen);
	if (xv->view.mapped) {
		view_set_fullscreen(&xv->view, xv->xsurface->fullscreen, NULL);
	}
}

static void view_handle_request_maximize(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_view *xv =
		wl_container_of(listener, xv, request_maximize);
	struct wlr_xwayland_surface *xs = xv->xsurface;
	if (xv->view.mapped) {
		view_set_maximized(&xv->view, xs->maximized_horz &&
			xs->maximized_vert);
	}
}

static void view_handle_request_activate(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_view *xv =
		wl_container_of(listener, xv, request_activate);
	if (xv->view.mapped) {
		seat_focus_view(xv->view.server->seat, &xv->view);
	}
}

static void view_handle_set_title(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, set_title);
	if (xv->view.mapped) {
		view_update_title(&xv->view);
	}
}

static void view_handle_set_class(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, set_class);
	if (xv->view.mapped) {
		view_update_app_id(&xv->view);
	}
}

static void view_handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_view *xv = wl_container_of(listener, xv, destroy);
	view_handle_unmap(&xv->unmap, NULL);
	wl_list_remove(&xv->destroy.link);
	wl_list_remove(&xv->map.link);
	wl_list_remove(&xv->unmap.link);
	wl_list_remove(&xv->request_configure.link);
	wl_list_remove(&xv->request_fullscreen.link);
	wl_list_remove(&xv->request_maximize.link);
	wl_list_remove(&xv->request_activate.link);
	wl_list_remove(&xv->set_title.link);
	wl_list_remove(&xv->set_class.link);
	xv->xsurface->data = NULL;
	view_finish(&xv->view);
	free(xv);
}

static void create_view(struct pwl_server *server,
		struct wlr_xwayland_surface *xs) {
	struct pwl_xwayland_view *xv = calloc(1, sizeof(*xv));
	if (!xv) {
		return;
	}
	xv->xsurface = xs;
	struct pwl_view *view = &xv->view;
	view_init(view, server, &xwayland_view_impl, NULL);
	// X11 windows draw their own title bars (or none).
	view->wants_ssd = false;
	view->tree = wlr_scene_tree_create(&server->layers[PWL_LAYER_VIEWS]->node);
	if (!view->tree) {
		free(xv);
		return;
	}
	view->tree->node.data = &view->node_desc;
	wlr_scene_node_set_enabled(&view->tree->node, false);

	xv->destroy.notify = view_handle_destroy;
	wl_signal_add(&xs->events.destroy, &xv->destroy);
	xv->map.notify = view_handle_map;
	wl_signal_add(&xs->events.map, &xv->map);
	xv->unmap.notify = view_handle_unmap;
	wl_signal_add(&xs->events.unmap, &xv->unmap);
	xv->request_configure.notify = view_handle_request_configure;
	wl_signal_add(&xs->events.request_configure, &xv->request_configure);
	xv->request_fullscreen.notify = view_handle_request_fullscreen;
	wl_signal_add(&xs->events.request_fullscreen, &xv->request_fullscreen);
	xv->request_maximize.notify = view_handle_request_maximize;
	wl_signal_add(&xs->events.request_maximize, &xv->request_maximize);
	xv->request_activate.notify = view_handle_request_activate;
	wl_signal_add(&xs->events.request_activate, &xv->request_activate);
	xv->set_title.notify = view_handle_set_title;
	wl_signal_add(&xs->events.set_title, &xv->set_title);
	xv->set_class.notify = view_handle_set_class;
	wl_signal_add(&xs->events.set_class, &xv->set_class);
	xs->data = xv;
}

static void unmanaged_handle_set_geometry(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_unmanaged *u =
		wl_container_of(listener, u, set_geometry);
	if (u->node) {
		wlr_scene_node_set_position(u->node, u->xsurface->x, u->xsurface->y);
	}
}

static void unmanaged_handle_map(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_unmanaged *u = wl_container_of(listener, u, map);
	u->node = wlr_scene_subsurface_tree_create(
		&u->server->layers[PWL_LAYER_UNMANAGED]->node, u->xsurface->surface);
	if (u->node) {
		wlr_scene_node_set_position(u->node, u->xsurface->x, u->xsurface->y);
	}
}

static void unmanaged_handle_unmap(struct wl_listener *listener, void *data) {
	struct pwl_xwayland_unmanaged *u = wl_container_of(listener, u, unmap);
	if (u->node) {
		wlr_scene_node_destroy(u->node);
		u->node = NULL;
	}
}

static void unmanaged_handle_destroy(struct wl_listener *listener,
		void *data) {
	struct pwl_xwayland_unmanaged *u = wl_container_of(listener, u, destroy);
	unmanaged_handle_unmap(&u->unmap, NULL);
	wl_list_remove(&u->destroy.link);
	wl_list_remove(&u->map.link);
	wl_list_remove(&u->unmap.link);
	wl_list_remove(&u->set_geometry.link);
	free(u);
}

static void create_unmanaged(struct pwl_server *server,
		struct wlr_xwayland_surface *xs) {
	struct pwl_xwayland_unmanaged *u = calloc(1, sizeof(*u));
	if (!u) {
		return;
	}
	u->server = server;
	u->xsurface = xs;
	u->destroy.notify = unmanaged_handle_destroy;
	wl_signal_add(&xs->events.destroy, &u->destroy);
	u->map.notify = unmanaged_handle_map;
	wl_signal_add(&xs->events.map, &u->map);
	u->unmap.notify = unmanaged_handle_unmap;
	wl_signal_add(&xs->events.unmap, &u->unmap);
	u->set_geometry.notify = unmanaged_handle_set_geometry;
	wl_signal_add(&xs->events.set_geometry, &u->set_geometry);
}

static void handle_new_surface(struct wl_listener *listener, void *data) {
	struct pwl_xwayland *xwayland =
		wl_container_of(listener, xwayland, new_surface);
	struct wlr_xwayland_surface *xs = data;
	wlr_xwayland_surface_ping(xs);
	if (xs->override_redirect) {
		create_unmanaged(xwayland->server, xs);
	} else {
		create_view(xwayland->server, xs);
	}
}

static void handle_ready(struct wl_listener *listener, void *data) {
	struct pwl_xwayland *xwayland = wl_container_of(listener, xwayland, ready);
	wlr_xwayland_set_seat(xwayland->wlr, xwayland->server->seat->wlr_seat);
	wlr_log(WLR_INFO, "Xwayland ready on DISPLAY=%s",
		xwayland->wlr->display_name);
}

static bool binary_installed(void) {
	const char *path = getenv("PATH");
	char *copy = strdup(path ? path : "/usr/bin:/bin");
	bool found = false;
	char *save = NULL;
	for (char *dir = strtok_r(copy, ":", &save); dir && !found;
			dir = strtok_r(NULL, ":", &save)) {
		char file[4096];
		snprintf(file, sizeof(file), "%s/Xwayland", dir);
		found = access(file, X_OK) == 0;
	}
	free(copy);
	return found;
}

struct pwl_xwayland *xwayland_create(struct pwl_server *server) {
	if (!server->config->xwayland) {
		return NULL;
	}
	if (!binary_installed()) {
		wlr_log(WLR_INFO, "Xwayland is enabled but not installed; X11 apps "
			"will not run (apt-get install xwayland)");
		return NULL;
	}
	if (!x11_dir_prepare("/tmp/.X11-unix")) {
		return NULL;
	}
	struct pwl_xwayland *xwayland = calloc(1, sizeof(*xwayland));
	if (!xwayland) {
		return NULL;
	}
	xwayland->server = server;
	// Lazy: the X server starts when the first X client connects.
	xwayland->wlr = wlr_xwayland_create(server->display, server->compositor,
		true);
	if (!xwayland->wlr) {
		wlr_log(WLR_ERROR, "Cannot start Xwayland");
		free(xwayland);
		return NULL;
	}
	xwayland->ready.notify = handle_ready;
	wl_signal_add(&xwayland->wlr->events.ready, &xwayland->ready);
	xwayland->new_surface.notify = handle_new_surface;
	wl_signal_add(&xwayland->wlr->events.new_surface, &xwayland->new_surface);
	setenv("DISPLAY", xwayland->wlr->display_name, true);
	wlr_log(WLR_INFO, "Xwayland will start on DISPLAY=%s",
		xwayland->wlr->display_name);
	return xwayland;
}

const char *xwayland_display_name(struct pwl_xwayland *xwayland) {
	return xwayland ? xwayland->wlr->display_name : NULL;
}

void xwayland_destroy(struct pwl_xwayland *xwayland) {
	if (!xwayland) {
		return;
	}
	wl_list_remove(&xwayland->ready.link);
	wl_list_remove(&xwayland->new_surface.link);
	wlr_xwayland_destroy(xwayland->wlr);
	free(xwayland);
}
