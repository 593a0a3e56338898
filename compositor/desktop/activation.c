#include "desktop/activation.h"

#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xdg_activation_v1.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "desktop/xdg_shell.h"
#include "util/clock.h"
#include "util/input_serials.h"

#define ACTIVATION_SERIAL_MAX_AGE_MS 10000

/* True when the token was made from a recent input event of a client of
 * the same app (or of the host), or by the shell itself. */
static bool token_from_user_action(struct wlr_xdg_activation_token_v1 *token,
		struct pwl_view *view) {
	if (token->data == view->server) {
		// Made by the compositor itself for a launch (the shell marks its
		// tokens so; wlroots leaves data NULL on clients' tokens).
		return true;
	}
	if (!token->seat || !token->surface) {
		wlr_log(WLR_DEBUG, "Activation token without %s",
			token->seat ? "surface" : "seat and serial");
		return false;
	}
	struct wl_client *client = wl_resource_get_client(token->surface->resource);
	// The serial of a key or button event the client got in the last
	// seconds (not a keyboard enter's): the seat forgets a client's
	// serials when it loses focus, so the token was also made while the
	// client had focus, and it has not lost it since.
	if (!input_serials_allow(&view->server->seat->input_serials, client,
			token->serial, monotonic_ms(), ACTIVATION_SERIAL_MAX_AGE_MS)) {
		wlr_log(WLR_DEBUG, "Activation token with serial %u, not one of "
			"the client's recent key or button events while it had focus",
			token->serial);
		return false;
	}
	// An app may hand focus to itself, and the host to anyone; an app
	// may not hand it to another app.
	struct pwl_app *from = app_from_client(client);
	return !from || from == view->app;
}

void activation_handle_request(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, request_activate);
	struct wlr_xdg_activation_v1_request_activate_event *event = data;
	if (!wlr_surface_is_xdg_surface(event->surface)) {
		return;
	}
	struct wlr_xdg_surface *xdg_surface =
		wlr_xdg_surface_from_wlr_surface(event->surface);
	struct pwl_view *view = xdg_surface_get_view(xdg_surface);
	if (!view || !view->mapped) {
		return;
	}
	if (!view->app || token_from_user_action(event->token, view)) {
		view_set_urgent(view, false);
		seat_focus_view(server->seat, view);
		return;
	}
	wlr_log(WLR_INFO, "App %s asked for focus without a user action: "
		"marked urgent", view->app->name);
	view_set_urgent(view, true);
}
