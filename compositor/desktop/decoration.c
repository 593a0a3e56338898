#include "desktop/decoration.h"

#include <stdlib.h>
#include <wlr/types/wlr_xdg_decoration_v1.h>
#include <wlr/types/wlr_xdg_shell.h>

#include "desktop/server.h"
#include "desktop/view.h"
#include "desktop/xdg_shell.h"
#include "util/config.h"

struct pwl_decoration {
	struct pwl_server *server;
	struct wlr_xdg_toplevel_decoration_v1 *wlr_decoration;

	struct wl_listener request_mode;
	struct wl_listener destroy;
};

/* Server-side unless the client asks for client-side explicitly, or the
 * config turns server-side decorations off. */
static void apply_mode(struct pwl_decoration *deco) {
	struct wlr_xdg_toplevel_decoration_v1 *wlr = deco->wlr_decoration;
	enum wlr_xdg_toplevel_decoration_v1_mode mode =
		WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE;
	if (!deco->server->config->ssd || wlr->requested_mode ==
			WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE) {
		mode = WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_CLIENT_SIDE;
	}
	wlr_xdg_toplevel_decoration_v1_set_mode(wlr, mode);
	struct pwl_view *view = xdg_surface_get_view(wlr->surface);
	if (view) {
		view_set_ssd(view,
			mode == WLR_XDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
	}
}

static void handle_request_mode(struct wl_listener *listener, void *data) {
	struct pwl_decoration *deco =
		wl_container_of(listener, deco, request_mode);
	apply_mode(deco);
}

static void handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_decoration *deco = wl_container_of(listener, deco, destroy);
	// A window whose decoration object goes away draws its own again.
	struct pwl_view *view =
		xdg_surface_get_view(deco->wlr_decoration->surface);
	if (view) {
		view_set_ssd(view, false);
	}
	wl_list_remove(&deco->request_mode.link);
	wl_list_remove(&deco->destroy.link);
	free(deco);
}

void decoration_handle_new(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_decoration);
	struct wlr_xdg_toplevel_decoration_v1 *wlr = data;
	struct pwl_decoration *deco = calloc(1, sizeof(*deco));
	if (!deco) {
		wl_resource_post_no_memory(wlr->resource);
		return;
	}
	deco->server = server;
	deco->wlr_decoration = wlr;
	deco->request_mode.notify = handle_request_mode;
	wl_signal_add(&wlr->events.request_mode, &deco->request_mode);
	deco->destroy.notify = handle_destroy;
	wl_signal_add(&wlr->events.destroy, &deco->destroy);
	apply_mode(deco);
}
