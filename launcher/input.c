#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/input-event-codes.h>
#include <xkbcommon/xkbcommon.h>

#include "panel.h"
#include "pocket-shell-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

/* ---- actions ---- */

static void launch(struct panel *panel, struct panel_app *app,
		uint32_t consent) {
	if (!panel->pocket_shell) {
		return;
	}
	if (consent == ZPOCKET_SHELL_V1_CONSENT_NONE && app->needs_consent[0]) {
		app->asking = true; // ask first
		panel->dirty = true;
		return;
	}
	app->asking = false;
	zpocket_shell_v1_launch(panel->pocket_shell, app->id, consent);
	if (panel->debug) {
		printf("launch %s %u\n", app->id, consent);
	}
}

static struct panel_output *pointer_output(struct panel *panel) {
	struct panel_output *output;
	wl_list_for_each(output, &panel->outputs, link) {
		if (output->surface == panel->pointer_surface) {
			return output;
		}
	}
	return NULL;
}

static int find_app(struct panel *panel, const char *id) {
	for (int i = 0; i < panel->napps; i++) {
		if (!strcmp(panel->apps[i].id, id)) {
			return i;
		}
	}
	return -1;
}

/* Right-click on a window of a store app: the menu opens at that app's
 * row with its actions (stop, purge) shown. Windows of host clients have
 * no app to act on. */
static void show_task_actions(struct panel *panel, struct panel_task *task) {
	int index = find_app(panel, task->app_id);
	if (index < 0) {
		return;
	}
	// Opened afresh: no filter may hide the row.
	panel_menu_close(panel);
	panel_menu_open(panel, pointer_output(panel));
	for (int i = 0; i < panel->napps; i++) {
		panel->apps[i].actions = false;
		panel->apps[i].asking = false;
	}
	panel->apps[index].actions = true;
	int rows[MAX_APPS];
	int n = menu_rows(panel, rows, MAX_APPS);
	for (int i = 0; i < n; i++) {
		if (rows[i] == index) {
			panel->selected = i;
		}
	}
	if (panel->debug) {
		printf("actions %s\n", panel->apps[index].id);
	}
}

static void activate(struct panel *panel, int kind, int index, uint32_t button) {
	if (kind == HIT_APPS_BUTTON) {
		if (panel->menu_open) {
			panel_menu_close(panel);
		} else {
			panel_menu_open(panel, pointer_output(panel));
		}
		return;
	}
	if (kind == HIT_TASK && index < panel->ntasks) {
		if (button == BTN_RIGHT) {
			show_task_actions(panel, &panel->tasks[index]);
			panel->dirty = true;
		} else if (panel->seat) {
			zwlr_foreign_toplevel_handle_v1_activate(
				panel->tasks[index].handle, panel->seat);
		}
		return;
	}
	if (index >= panel->napps) {
		return;
	}
	struct panel_app *app = &panel->apps[index];
	switch (kind) {
	case HIT_APP_ROW:
		if (button == BTN_RIGHT) {
			app->actions = !app->actions;
			app->asking = false;
		} else if (!app->asking && !app->actions) {
			launch(panel, app, ZPOCKET_SHELL_V1_CONSENT_NONE);
		}
		break;
	case HIT_STOP:
		zpocket_shell_v1_stop(panel->pocket_shell, app->id);
		app->actions = false;
		break;
	case HIT_PURGE:
		zpocket_shell_v1_purge(panel->pocket_shell, app->id);
		app->actions = false;
		break;
	case HIT_ALLOW_ONCE:
		launch(panel, app, ZPOCKET_SHELL_V1_CONSENT_ONCE);
		break;
	case HIT_ALLOW_ALWAYS:
		launch(panel, app, ZPOCKET_SHELL_V1_CONSENT_ALWAYS);
		break;
	case HIT_DENY:
		zpocket_shell_v1_deny(panel->pocket_shell, app->id);
		app->asking = false;
		break;
	}
	panel->dirty = true;
}

/* ---- pointer ---- */

static bool find_hit(struct panel *panel, int *kind, int *index) {
	const struct hit *hits = panel->bar_hits;
	int n = panel->nbar_hits;
	if (panel->menu_open && panel->pointer_surface == panel->menu_surface) {
		hits = panel->menu_hits;
		n = panel->nmenu_hits;
	}
	*kind = HIT_NONE;
	*index = 0;
	// Later hits lie on top (buttons inside rows).
	for (int i = n - 1; i >= 0; i--) {
		const struct hit *h = &hits[i];
		if (panel->px >= h->x && panel->px < h->x + h->w &&
				panel->py >= h->y && panel->py < h->y + h->h) {
			*kind = h->kind;
			*index = h->index;
			return true;
		}
	}
	return false;
}

static void update_hover(struct panel *panel) {
	int kind, index;
	find_hit(panel, &kind, &index);
	if (kind != panel->hover_kind || index != panel->hover_index) {
		panel->hover_kind = kind;
		panel->hover_index = index;
		// The footer is the tooltip: a row's whole message.
		panel->footer[0] = '\0';
		if (kind == HIT_APP_ROW && index < panel->napps) {
			struct panel_app *app = &panel->apps[index];
			snprintf(panel->footer, sizeof(panel->footer), "%s",
				app->message[0] ? app->message : app->comment);
		}
		panel->dirty = true;
	}
}

static void pointer_enter(void *data, struct wl_pointer *pointer,
		uint32_t serial, struct wl_surface *surface, wl_fixed_t x,
		wl_fixed_t y) {
	struct panel *panel = data;
	panel->pointer_surface = surface;
	panel->px = wl_fixed_to_double(x);
	panel->py = wl_fixed_to_double(y);
	panel->serial = serial;
	update_hover(panel);
}

static void pointer_leave(void *data, struct wl_pointer *pointer,
		uint32_t serial, struct wl_surface *surface) {
	struct panel *panel = data;
	panel->pointer_surface = NULL;
	panel->hover_kind = HIT_NONE;
	panel->dirty = true;
}

static void pointer_motion(void *data, struct wl_pointer *pointer,
		uint32_t time, wl_fixed_t x, wl_fixed_t y) {
	struct panel *panel = data;
	panel->px = wl_fixed_to_double(x);
	panel->py = wl_fixed_to_double(y);
	update_hover(panel);
}

static void pointer_button(void *data, struct wl_pointer *pointer,
		uint32_t serial, uint32_t time, uint32_t button, uint32_t state) {
	struct panel *panel = data;
	if (state != WL_POINTER_BUTTON_STATE_PRESSED) {
		return;
	}
	int kind, index;
	if (find_hit(panel, &kind, &index)) {
		activate(panel, kind, index, button);
	}
}

static void pointer_axis(void *data, struct wl_pointer *pointer,
		uint32_t time, uint32_t axis, wl_fixed_t value) {
}

static void pointer_frame(void *data, struct wl_pointer *pointer) {
}

static void pointer_axis_source(void *data, struct wl_pointer *pointer,
		uint32_t source) {
}

static void pointer_axis_stop(void *data, struct wl_pointer *pointer,
		uint32_t time, uint32_t axis) {
}

static void pointer_axis_discrete(void *data, struct wl_pointer *pointer,
		uint32_t axis, int32_t discrete) {
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = pointer_enter,
	.leave = pointer_leave,
	.motion = pointer_motion,
	.button = pointer_button,
	.axis = pointer_axis,
	.frame = pointer_frame,
	.axis_source = pointer_axis_source,
	.axis_stop = pointer_axis_stop,
	.axis_discrete = pointer_axis_discrete,
};

/* ---- keyboard: the menu's navigation and filter ---- */

static void keyboard_keymap(void *data, struct wl_keyboard *keyboard,
		uint32_t format, int32_t fd, uint32_t size) {
	struct panel *panel = data;
	if (format != WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1) {
		close(fd);
		return;
	}
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED) {
		return;
	}
	struct xkb_keymap *keymap = xkb_keymap_new_from_string(panel->xkb_context,
		map, XKB_KEYMAP_FORMAT_TEXT_V1, XKB_KEYMAP_COMPILE_NO_FLAGS);
	munmap(map, size);
	if (!keymap) {
		return;
	}
	xkb_state_unref(panel->xkb_state);
	xkb_keymap_unref(panel->xkb_keymap);
	panel->xkb_keymap = keymap;
	panel->xkb_state = xkb_state_new(keymap);
}

static void keyboard_enter(void *data, struct wl_keyboard *keyboard,
		uint32_t serial, struct wl_surface *surface, struct wl_array *keys) {
}

static void keyboard_leave(void *data, struct wl_keyboard *keyboard,
		uint32_t serial, struct wl_surface *surface) {
}

static void menu_key(struct panel *panel, xkb_keysym_t sym, uint32_t code) {
	int rows[MAX_APPS];
	int n = menu_rows(panel, rows, MAX_APPS);
	size_t len = strlen(panel->filter);
	switch (sym) {
	case XKB_KEY_Escape:
		panel_menu_close(panel);
		return;
	case XKB_KEY_Down:
		if (panel->selected + 1 < n) {
			panel->selected++;
		}
		break;
	case XKB_KEY_Up:
		if (panel->selected > 0) {
			panel->selected--;
		}
		break;
	case XKB_KEY_Return:
	case XKB_KEY_KP_Enter:
		if (panel->selected < n) {
			launch(panel, &panel->apps[rows[panel->selected]],
				ZPOCKET_SHELL_V1_CONSENT_NONE);
		}
		break;
	case XKB_KEY_BackSpace:
		if (len > 0) {
			panel->filter[len - 1] = '\0';
			panel->selected = 0;
		}
		break;
	default: {
		char text[8];
		int m = xkb_state_key_get_utf8(panel->xkb_state, code + 8, text,
			sizeof(text));
		if (m > 0 && (unsigned char)text[0] >= 0x20 && text[0] != 0x7f &&
				len + (size_t)m < sizeof(panel->filter)) {
			memcpy(panel->filter + len, text, (size_t)m + 1);
			panel->selected = 0;
		}
		break;
	}
	}
	if (n > 0 && panel->selected < n) {
		struct panel_app *app = &panel->apps[rows[panel->selected]];
		snprintf(panel->footer, sizeof(panel->footer), "%s",
			app->message[0] ? app->message : app->comment);
	}
	panel->dirty = true;
	if (panel->debug) {
		printf("filter '%s' selected %d\n", panel->filter, panel->selected);
	}
}

static void keyboard_key(void *data, struct wl_keyboard *keyboard,
		uint32_t serial, uint32_t time, uint32_t key, uint32_t state) {
	struct panel *panel = data;
	if (state != WL_KEYBOARD_KEY_STATE_PRESSED || !panel->xkb_state ||
			!panel->menu_open) {
		return;
	}
	menu_key(panel, xkb_state_key_get_one_sym(panel->xkb_state, key + 8), key);
}

static void keyboard_modifiers(void *data, struct wl_keyboard *keyboard,
		uint32_t serial, uint32_t depressed, uint32_t latched,
		uint32_t locked, uint32_t group) {
	struct panel *panel = data;
	if (panel->xkb_state) {
		xkb_state_update_mask(panel->xkb_state, depressed, latched, locked, 0,
			0, group);
	}
}

static void keyboard_repeat_info(void *data, struct wl_keyboard *keyboard,
		int32_t rate, int32_t delay) {
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = keyboard_keymap,
	.enter = keyboard_enter,
	.leave = keyboard_leave,
	.key = keyboard_key,
	.modifiers = keyboard_modifiers,
	.repeat_info = keyboard_repeat_info,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps) {
	struct panel *panel = data;
	if ((caps & WL_SEAT_CAPABILITY_POINTER) && !panel->pointer) {
		panel->pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(panel->pointer, &pointer_listener, panel);
	} else if (!(caps & WL_SEAT_CAPABILITY_POINTER) && panel->pointer) {
		wl_pointer_release(panel->pointer);
		panel->pointer = NULL;
	}
	if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !panel->keyboard) {
		panel->keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(panel->keyboard, &keyboard_listener, panel);
	} else if (!(caps & WL_SEAT_CAPABILITY_KEYBOARD) && panel->keyboard) {
		wl_keyboard_release(panel->keyboard);
		panel->keyboard = NULL;
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name) {
}

const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};
