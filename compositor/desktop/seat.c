#include "desktop/seat.h"

#include "clients/app.h"
#include "clients/app_clipboard.h"

#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <fcntl.h>
#include <time.h>
#include <wlr/backend/multi.h>
#include <wlr/backend/session.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_primary_selection.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_virtual_keyboard_v1.h>
#include <wlr/types/wlr_virtual_pointer_v1.h>
#include <wlr/types/wlr_xcursor_manager.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/util/log.h>
#include <xkbcommon/xkbcommon.h>

#include "clients/app_clipboard.h"
#include "desktop/output.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/config.h"
#include "util/clock.h"
#include "util/input_serials.h"
#include "util/spawn.h"

static void seat_focus_topmost(struct pwl_seat *seat);

struct pwl_keyboard {
	struct wl_list link; // pwl_seat.keyboards
	struct pwl_seat *seat;
	struct wlr_input_device *device;

	/* Keys whose press ran a binding: their release is not sent either,
	 * so that the client never sees half a key stroke. */
	uint32_t consumed[8];
	size_t consumed_len;
	bool super_alone; // Super is down and nothing else was pressed since

	struct wl_listener key;
	struct wl_listener modifiers;
	struct wl_listener destroy;
};

struct pwl_pointer {
	struct wl_list link; // pwl_seat.pointers
	struct pwl_seat *seat;
	struct wlr_input_device *device;

	struct wl_listener destroy;
};

static void update_capabilities(struct pwl_seat *seat) {
	// The pointer capability is always there: the cursor exists even
	// without a mouse, and dropping it would make clients' wl_pointer (and
	// relative-pointer/constraint objects made from it) inert.
	uint32_t caps = WL_SEAT_CAPABILITY_POINTER;
	if (!wl_list_empty(&seat->keyboards)) {
		caps |= WL_SEAT_CAPABILITY_KEYBOARD;
	}
	wlr_seat_set_capabilities(seat->wlr_seat, caps);
}

static struct pwl_view *next_view(struct pwl_seat *seat) {
	struct wl_list *views = &seat->server->views;
	if (wl_list_length(views) < 2) {
		return NULL;
	}
	// The bottom-most view comes up, so repeating cycles through all.
	struct pwl_view *view = wl_container_of(views->prev, view, link);
	return view;
}

static void run_action(struct pwl_seat *seat, struct pwl_keybinding *binding) {
	struct pwl_server *server = seat->server;
	struct pwl_view *view = seat->focused_view;
	switch (binding->action) {
	case PWL_ACTION_SPAWN:
		spawn_shell(binding->command);
		break;
	case PWL_ACTION_CLOSE:
		if (view) {
			view_close(view);
		}
		break;
	case PWL_ACTION_QUIT:
		server_quit(server, 0);
		break;
	case PWL_ACTION_FULLSCREEN:
		if (view) {
			view_set_fullscreen(view, !view->fullscreen, NULL);
		}
		break;
	case PWL_ACTION_MAXIMIZE:
		if (view) {
			view_set_maximized(view, !view->maximized);
		}
		break;
	case PWL_ACTION_MENU:
		wl_signal_emit(&seat->server->events.menu, NULL);
		break;
	case PWL_ACTION_FOCUS_NEXT:
		view = next_view(seat);
		if (view) {
			seat_focus_view(seat, view);
		}
		break;
	}
}

static bool handle_vt_switch(struct pwl_seat *seat, xkb_keysym_t sym) {
	if (sym < XKB_KEY_XF86Switch_VT_1 || sym > XKB_KEY_XF86Switch_VT_12) {
		return false;
	}
	struct wlr_session *session = seat->server->session;
	if (session) {
		unsigned vt = sym - XKB_KEY_XF86Switch_VT_1 + 1;
		wlr_session_change_vt(session, vt);
	}
	return true;
}

/* Bindings match the key's unshifted symbol, so "Super+Shift+e" works
 * whatever Shift turns e into. */
static bool handle_binding(struct pwl_keyboard *keyboard, uint32_t keycode) {
	struct pwl_seat *seat = keyboard->seat;
	struct wlr_keyboard *wlr_keyboard = keyboard->device->keyboard;
	xkb_keycode_t xkb_code = keycode + 8;

	const xkb_keysym_t *syms;
	int n = xkb_state_key_get_syms(wlr_keyboard->xkb_state, xkb_code, &syms);
	for (int i = 0; i < n; i++) {
		if (handle_vt_switch(seat, syms[i])) {
			return true;
		}
	}

	uint32_t mods = wlr_keyboard_get_modifiers(wlr_keyboard);
	xkb_layout_index_t layout =
		xkb_state_key_get_layout(wlr_keyboard->xkb_state, xkb_code);
	n = xkb_keymap_key_get_syms_by_level(wlr_keyboard->keymap, xkb_code,
		layout, 0, &syms);
	struct pwl_keybinding *binding;
	wl_list_for_each(binding, &seat->server->config->keybindings, link) {
		if (binding->modifiers != mods) {
			continue;
		}
		for (int i = 0; i < n; i++) {
			if (xkb_keysym_to_lower(syms[i]) == binding->sym) {
				run_action(seat, binding);
				return true;
			}
		}
	}
	return false;
}

/* True when this event releases a Super key that went down with no other
 * key pressed since (a tap, not part of a combination). */
static bool super_tapped(struct pwl_keyboard *keyboard,
		const struct wlr_event_keyboard_key *event) {
	const xkb_keysym_t *syms;
	int n = xkb_state_key_get_syms(keyboard->device->keyboard->xkb_state,
		event->keycode + 8, &syms);
	bool super = n > 0 && (syms[0] == XKB_KEY_Super_L ||
		syms[0] == XKB_KEY_Super_R);
	if (event->state == WL_KEYBOARD_KEY_STATE_PRESSED) {
		keyboard->super_alone = super;
		return false;
	}
	bool tapped = super && keyboard->super_alone;
	keyboard->super_alone = false;
	return tapped && keyboard->seat->server->config->super_tap_menu;
}

static void keyboard_handle_key(struct wl_listener *listener, void *data) {
	struct pwl_keyboard *keyboard = wl_container_of(listener, keyboard, key);
	struct pwl_seat *seat = keyboard->seat;
	struct wlr_event_keyboard_key *event = data;

	wlr_idle_notify_activity(seat->server->idle, seat->wlr_seat);
	bool handled = false;
	if (super_tapped(keyboard, event)) {
		// Super pressed and released alone: the shell's launcher.
		wl_signal_emit(&seat->server->events.menu, NULL);
	}
	if (event->state == WL_KEYBOARD_KEY_STATE_PRESSED) {
		handled = handle_binding(keyboard, event->keycode);
		if (handled && keyboard->consumed_len <
				sizeof(keyboard->consumed) / sizeof(keyboard->consumed[0])) {
			keyboard->consumed[keyboard->consumed_len++] = event->keycode;
		}
	} else {
		for (size_t i = 0; i < keyboard->consumed_len; i++) {
			if (keyboard->consumed[i] == event->keycode) {
				keyboard->consumed[i] =
					keyboard->consumed[--keyboard->consumed_len];
				handled = true;
				break;
			}
		}
	}
	if (!handled) {
		wlr_seat_set_keyboard(seat->wlr_seat, keyboard->device);
		wlr_seat_keyboard_notify_key(seat->wlr_seat, event->time_msec,
			event->keycode, event->state);
		// The key event's serial is the display's newest.
		struct wlr_seat_client *focused =
			seat->wlr_seat->keyboard_state.focused_client;
		if (focused) {
			seat_note_user_serial(seat, focused->client,
				wl_display_get_serial(seat->server->display));
		}
	}
}

static void keyboard_handle_modifiers(struct wl_listener *listener,
		void *data) {
	struct pwl_keyboard *keyboard =
		wl_container_of(listener, keyboard, modifiers);
	struct wlr_seat *wlr_seat = keyboard->seat->wlr_seat;
	wlr_seat_set_keyboard(wlr_seat, keyboard->device);
	wlr_seat_keyboard_notify_modifiers(wlr_seat,
		&keyboard->device->keyboard->modifiers);
}

static void keyboard_destroy(struct pwl_keyboard *keyboard) {
	wl_list_remove(&keyboard->key.link);
	wl_list_remove(&keyboard->modifiers.link);
	wl_list_remove(&keyboard->destroy.link);
	wl_list_remove(&keyboard->link);
	update_capabilities(keyboard->seat);
	free(keyboard);
}

static void keyboard_handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_keyboard *keyboard = wl_container_of(listener, keyboard, destroy);
	keyboard_destroy(keyboard);
}

static bool set_configured_keymap(struct pwl_seat *seat,
		struct wlr_keyboard *wlr_keyboard) {
	struct pwl_config *config = seat->server->config;
	// NULL fields fall back to XKB_DEFAULT_* from the environment.
	struct xkb_rule_names names = {
		.rules = config->keyboard.rules,
		.model = config->keyboard.model,
		.layout = config->keyboard.layout,
		.variant = config->keyboard.variant,
		.options = config->keyboard.options,
	};
	struct xkb_context *context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	if (!context) {
		return false;
	}
	struct xkb_keymap *keymap = xkb_keymap_new_from_names(context, &names,
		XKB_KEYMAP_COMPILE_NO_FLAGS);
	if (!keymap) {
		wlr_log(WLR_ERROR, "Keymap layout=%s variant=%s options=%s failed "
			"to compile; using the default keymap",
			names.layout ? names.layout : "(default)",
			names.variant ? names.variant : "",
			names.options ? names.options : "");
		struct xkb_rule_names fallback = { 0 };
		keymap = xkb_keymap_new_from_names(context, &fallback,
			XKB_KEYMAP_COMPILE_NO_FLAGS);
	}
	bool ok = keymap && wlr_keyboard_set_keymap(wlr_keyboard, keymap);
	xkb_keymap_unref(keymap);
	xkb_context_unref(context);
	return ok;
}

static void add_keyboard(struct pwl_seat *seat, struct wlr_input_device *device,
		bool own_keymap) {
	struct pwl_keyboard *keyboard = calloc(1, sizeof(*keyboard));
	if (!keyboard) {
		return;
	}
	keyboard->seat = seat;
	keyboard->device = device;

	keyboard->key.notify = keyboard_handle_key;
	wl_signal_add(&device->keyboard->events.key, &keyboard->key);
	keyboard->modifiers.notify = keyboard_handle_modifiers;
	wl_signal_add(&device->keyboard->events.modifiers, &keyboard->modifiers);
	keyboard->destroy.notify = keyboard_handle_destroy;
	wl_signal_add(&device->events.destroy, &keyboard->destroy);
	wl_list_insert(&seat->keyboards, &keyboard->link);

	struct pwl_config *config = seat->server->config;
	if (!own_keymap) {
		set_configured_keymap(seat, device->keyboard);
	}
	wlr_keyboard_set_repeat_info(device->keyboard,
		config->keyboard.repeat_rate, config->keyboard.repeat_delay);
	wlr_seat_set_keyboard(seat->wlr_seat, device);
	update_capabilities(seat);
}

static void pointer_destroy(struct pwl_pointer *pointer) {
	wl_list_remove(&pointer->destroy.link);
	wl_list_remove(&pointer->link);
	wlr_cursor_detach_input_device(pointer->seat->cursor, pointer->device);
	free(pointer);
}

static void pointer_handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_pointer *pointer = wl_container_of(listener, pointer, destroy);
	pointer_destroy(pointer);
}

static void add_pointer(struct pwl_seat *seat, struct wlr_input_device *device) {
	struct pwl_pointer *pointer = calloc(1, sizeof(*pointer));
	if (!pointer) {
		return;
	}
	pointer->seat = seat;
	pointer->device = device;
	pointer->destroy.notify = pointer_handle_destroy;
	wl_signal_add(&device->events.destroy, &pointer->destroy);
	wl_list_insert(&seat->pointers, &pointer->link);
	wlr_cursor_attach_input_device(seat->cursor, device);
}

static void add_input(struct pwl_seat *seat, struct wlr_input_device *device,
		bool own_keymap) {
	switch (device->type) {
	case WLR_INPUT_DEVICE_KEYBOARD:
		add_keyboard(seat, device, own_keymap);
		break;
	case WLR_INPUT_DEVICE_POINTER:
	case WLR_INPUT_DEVICE_TOUCH:
	case WLR_INPUT_DEVICE_TABLET_TOOL:
		add_pointer(seat, device);
		break;
	default:
		break;
	}
	wlr_log(WLR_DEBUG, "New input device '%s'", device->name);
}

void seat_handle_new_input(struct wl_listener *listener, void *data) {
	struct pwl_server *server = wl_container_of(listener, server, new_input);
	add_input(server->seat, data, false);
}

void seat_handle_new_virtual_keyboard(struct wl_listener *listener,
		void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_virtual_keyboard);
	struct wlr_virtual_keyboard_v1 *keyboard = data;
	// The client uploads its own keymap; ours must not replace it.
	add_input(server->seat, &keyboard->input_device, true);
}

void seat_handle_new_virtual_pointer(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_virtual_pointer);
	struct wlr_virtual_pointer_v1_new_pointer_event *event = data;
	struct wlr_input_device *device = &event->new_pointer->input_device;
	add_input(server->seat, device, false);
	if (event->suggested_output) {
		wlr_cursor_map_input_to_output(server->seat->cursor, device,
			event->suggested_output);
	}
}

static void keyboard_enter(struct pwl_seat *seat, struct wlr_surface *surface) {
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat->wlr_seat);
	if (keyboard) {
		wlr_seat_keyboard_notify_enter(seat->wlr_seat, surface,
			keyboard->keycodes, keyboard->num_keycodes,
			&keyboard->modifiers);
	} else {
		wlr_seat_keyboard_notify_enter(seat->wlr_seat, surface, NULL, 0, NULL);
	}
}

void seat_focus_view(struct pwl_seat *seat, struct pwl_view *view) {
	if (view && !view->mapped) {
		return;
	}
	struct pwl_view *prev = seat->focused_view;
	if (view != prev) {
		// Moving focus ends any grab first (an open menu is dismissed):
		// the keyboard goes where the title bar says.
		if (wlr_seat_keyboard_has_grab(seat->wlr_seat)) {
			wlr_seat_keyboard_end_grab(seat->wlr_seat);
		}
		if (wlr_seat_pointer_has_grab(seat->wlr_seat)) {
			wlr_seat_pointer_end_grab(seat->wlr_seat);
		}
	}
	if (view) {
		view_raise(view);
	}
	if (seat->exclusive_layer) {
		// The view is raised, but the keyboard stays with the layer; it gets
		// focus when the layer surface lets go.
		return;
	}
	// Set first: the decorations ask who has focus while redrawing.
	seat->focused_view = view;
	seat->focused_layer = NULL;
	if (prev && prev != view) {
		view_set_activated(prev, false);
	}
	if (!view) {
		wlr_seat_keyboard_notify_clear_focus(seat->wlr_seat);
		return;
	}
	if (prev != view) {
		view_set_activated(view, true);
	}
	keyboard_enter(seat, view->surface);
}

void seat_focus_layer(struct pwl_seat *seat,
		struct wlr_layer_surface_v1 *layer) {
	if (!layer) {
		seat->exclusive_layer = NULL;
		seat_focus_topmost(seat);
		return;
	}
	if (seat->exclusive_layer && seat->exclusive_layer != layer) {
		return;
	}
	if (layer->current.keyboard_interactive ==
			ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_EXCLUSIVE &&
			layer->current.layer >= ZWLR_LAYER_SHELL_V1_LAYER_TOP) {
		seat->exclusive_layer = layer;
	}
	seat->focused_layer = layer;
	if (seat->focused_view) {
		view_set_activated(seat->focused_view, false);
	}
	keyboard_enter(seat, layer->surface);
}

static void seat_focus_topmost(struct pwl_seat *seat) {
	struct wl_list *views = &seat->server->views;
	struct pwl_view *top = NULL;
	if (!wl_list_empty(views)) {
		top = wl_container_of(views->next, top, link);
	}
	seat->focused_layer = NULL;
	// Force re-entering even if the view was focused before the layer.
	seat->focused_view = NULL;
	seat_focus_view(seat, top);
}

void seat_view_unmapped(struct pwl_seat *seat, struct pwl_view *view) {
	if (seat->grab_view == view) {
		cursor_end_grab(seat);
	}
	if (seat->focused_view == view) {
		seat->focused_view = NULL;
		if (!seat->focused_layer) {
			seat_focus_topmost(seat);
		}
	}
	cursor_rebase(seat, 0);
}

void seat_view_resized(struct pwl_seat *seat, struct pwl_view *view) {
	cursor_rebase(seat, 0);
}

void seat_layer_unmapped(struct pwl_seat *seat,
		struct wlr_layer_surface_v1 *layer) {
	if (seat->exclusive_layer == layer) {
		seat->exclusive_layer = NULL;
	}
	if (seat->focused_layer == layer) {
		seat_focus_topmost(seat);
	}
	cursor_rebase(seat, 0);
}

/* Drag-and-drop data is the target's only once the user drops: wlroots
 * 0.15.1 hands it to any wl_data_offer.receive, so a window merely
 * hovered during a drag could read it all. A receive on the offer of a
 * drag not yet dropped gets an fd of /dev/null in place of its own
 * before wlroots sees it (the request's fd number then names ours): the
 * source writes into nothing, the reader sees end-of-file. */
static void seat_protocol_logger(void *data, enum wl_protocol_logger_type type,
		const struct wl_protocol_logger_message *message) {
	struct pwl_seat *seat = data;
	if (type != WL_PROTOCOL_LOGGER_REQUEST || !message->resource ||
			message->arguments_count != 2 ||
			strcmp(message->message->name, "receive") ||
			strcmp(wl_resource_get_class(message->resource), "wl_data_offer")) {
		return;
	}
	struct wlr_data_offer *offer = wl_resource_get_user_data(message->resource);
	struct wlr_drag *drag = seat->wlr_seat->drag;
	// Our private clipboard's offers have other user data: only wlroots'
	// own are looked at (theirs are on the seat's lists).
	bool ours = false;
	struct wlr_data_offer *o;
	wl_list_for_each(o, &seat->wlr_seat->drag_offers, link) {
		ours = ours || o == offer;
	}
	if (!ours || offer->type != WLR_DATA_OFFER_DRAG || !drag ||
			drag->dropped || drag->source != offer->source) {
		return;
	}
	int fd = ((union wl_argument *)message->arguments)[1].h;
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (null >= 0) {
		dup2(null, fd);
		close(null);
	}
	struct pwl_app *app = app_from_client(
		wl_resource_get_client(message->resource));
	wlr_log(WLR_INFO, "%s%s: read a drag's data before the drop: refused",
		app ? "App " : "", app ? app->name : "A host client");
}

/* Keyboard focus moved. Apps without the clipboard permission have their
 * own (the clients layer's app_clipboard.c); it follows focus too. */
static void handle_keyboard_focus_change(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat =
		wl_container_of(listener, seat, keyboard_focus_change);
	struct wlr_seat_keyboard_focus_change_event *event = data;
	struct wl_client *new_client = event->new_surface ?
		wl_resource_get_client(event->new_surface->resource) : NULL;
	struct wl_client *old_client = event->old_surface ?
		wl_resource_get_client(event->old_surface->resource) : NULL;
	// What a client did while it had focus does not count once it lost
	// it: a kept serial cannot set the selection, grab or activate.
	if (old_client && old_client != new_client) {
		input_serials_forget(&seat->input_serials, old_client);
	}
	app_clipboard_focus(&seat->server->clients, new_client);
}

void seat_note_user_serial(struct pwl_seat *seat, struct wl_client *client,
		uint32_t serial) {
	input_serials_add(&seat->input_serials, client, serial, monotonic_ms());
}

/* A selection is the user's only when the client that sets it has
 * keyboard focus and shows the serial of a key or button event it got
 * in the last seconds (wlroots accepts any serial it ever sent, the
 * keyboard enter's too, so a window that merely got focus could take
 * the clipboard). Requests of no client (data-control, the X11 bridge)
 * are the compositor's own tools'. */
#define SELECTION_SERIAL_MAX_AGE_MS 10000

static bool selection_by_user(struct pwl_seat *seat, uint32_t serial,
		const char *what) {
	struct pwl_clients *clients = &seat->server->clients;
	struct wl_client *client = clients->selection_request.client;
	clients->selection_request.client = NULL;
	if (!client) {
		return true;
	}
	struct wlr_seat_client *focused =
		seat->wlr_seat->keyboard_state.focused_client;
	const char *why = !focused || focused->client != client ?
		"it does not have keyboard focus" :
		!input_serials_allow(&seat->input_serials, client, serial, monotonic_ms(),
			SELECTION_SERIAL_MAX_AGE_MS) ?
		"its serial is not that of a recent key or button event" : NULL;
	if (why) {
		struct pwl_app *app = app_from_client(client);
		wlr_log(WLR_INFO, "%s%s%s: %s refused: %s", app ? "App " : "",
			app ? app->name : "A host client", app ? "" : "", what, why);
		return false;
	}
	return true;
}

static void handle_request_set_selection(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat =
		wl_container_of(listener, seat, request_set_selection);
	struct wlr_seat_request_set_selection_event *event = data;
	if (!selection_by_user(seat, event->serial, "the clipboard")) {
		if (event->source) {
			wlr_data_source_destroy(event->source); // tells the client
		}
		return;
	}
	wlr_seat_set_selection(seat->wlr_seat, event->source, event->serial);
}

static void handle_request_set_primary_selection(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat =
		wl_container_of(listener, seat, request_set_primary_selection);
	struct wlr_seat_request_set_primary_selection_event *event = data;
	if (!selection_by_user(seat, event->serial, "the primary selection")) {
		if (event->source) {
			wlr_primary_selection_source_destroy(event->source);
		}
		return;
	}
	wlr_seat_set_primary_selection(seat->wlr_seat, event->source,
		event->serial);
}

static void handle_request_start_drag(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, request_start_drag);
	struct wlr_seat_request_start_drag_event *event = data;
	if (wlr_seat_validate_pointer_grab_serial(seat->wlr_seat, event->origin,
			event->serial)) {
		wlr_seat_start_pointer_drag(seat->wlr_seat, event->drag, event->serial);
		return;
	}
	wlr_data_source_destroy(event->drag->source);
}

static void handle_drag_icon_destroy(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, drag_icon_destroy);
	wl_list_remove(&seat->drag_icon_destroy.link);
	wl_list_init(&seat->drag_icon_destroy.link);
	// The scene node went away with the icon's surface.
	seat->drag_icon = NULL;
}

static void handle_start_drag(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, start_drag);
	struct wlr_drag *drag = data;
	if (!drag->icon || seat->drag_icon) {
		return;
	}
	seat->drag_icon = wlr_scene_subsurface_tree_create(
		&seat->server->layers[PWL_LAYER_DRAG]->node, drag->icon->surface);
	if (!seat->drag_icon) {
		return;
	}
	wlr_scene_node_set_position(seat->drag_icon, seat->cursor->x,
		seat->cursor->y);
	seat->drag_icon_destroy.notify = handle_drag_icon_destroy;
	wl_signal_add(&drag->icon->events.destroy, &seat->drag_icon_destroy);
}

struct pwl_seat *seat_create(struct pwl_server *server) {
	struct pwl_seat *seat = calloc(1, sizeof(*seat));
	if (!seat) {
		return NULL;
	}
	seat->server = server;
	server->clients.user_serials = &seat->input_serials;
	wl_list_init(&seat->keyboards);
	wl_list_init(&seat->pointers);
	wl_list_init(&seat->drag_icon_destroy.link);
	seat->wlr_seat = wlr_seat_create(server->display, "seat0");
	if (!seat->wlr_seat) {
		free(seat);
		return NULL;
	}
	seat->wlr_seat->data = seat;

	seat->protocol_logger = wl_display_add_protocol_logger(server->display,
		seat_protocol_logger, seat);
	seat->keyboard_focus_change.notify = handle_keyboard_focus_change;
	wl_signal_add(&seat->wlr_seat->keyboard_state.events.focus_change,
		&seat->keyboard_focus_change);
	seat->request_set_selection.notify = handle_request_set_selection;
	wl_signal_add(&seat->wlr_seat->events.request_set_selection,
		&seat->request_set_selection);
	seat->request_set_primary_selection.notify =
		handle_request_set_primary_selection;
	wl_signal_add(&seat->wlr_seat->events.request_set_primary_selection,
		&seat->request_set_primary_selection);
	seat->request_start_drag.notify = handle_request_start_drag;
	wl_signal_add(&seat->wlr_seat->events.request_start_drag,
		&seat->request_start_drag);
	seat->start_drag.notify = handle_start_drag;
	wl_signal_add(&seat->wlr_seat->events.start_drag, &seat->start_drag);

	cursor_init(seat);
	update_capabilities(seat);
	return seat;
}

void seat_destroy(struct pwl_seat *seat) {
	if (!seat) {
		return;
	}
	seat->server->clients.user_serials = NULL;
	if (seat->protocol_logger) {
		wl_protocol_logger_destroy(seat->protocol_logger);
	}
	if (seat->cursor_autohide) {
		wl_event_source_remove(seat->cursor_autohide);
	}
	struct pwl_keyboard *keyboard, *tmp_keyboard;
	wl_list_for_each_safe(keyboard, tmp_keyboard, &seat->keyboards, link) {
		keyboard_destroy(keyboard);
	}
	struct pwl_pointer *pointer, *tmp_pointer;
	wl_list_for_each_safe(pointer, tmp_pointer, &seat->pointers, link) {
		pointer_destroy(pointer);
	}
	wl_list_remove(&seat->keyboard_focus_change.link);
	wl_list_remove(&seat->request_set_selection.link);
	wl_list_remove(&seat->request_set_primary_selection.link);
	wl_list_remove(&seat->request_start_drag.link);
	wl_list_remove(&seat->start_drag.link);
	wl_list_remove(&seat->drag_icon_destroy.link);
	cursor_finish(seat);
	wlr_seat_destroy(seat->wlr_seat);
	free(seat);
}
