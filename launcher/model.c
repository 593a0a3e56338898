#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "panel.h"
#include "pocket-shell-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"

/* ---- apps, from zpocket_shell_v1 ---- */

static struct panel_app *find_app(struct panel *panel, const char *id) {
	for (int i = 0; i < panel->napps; i++) {
		if (!strcmp(panel->apps[i].id, id)) {
			return &panel->apps[i];
		}
	}
	return NULL;
}

static void copy(char *dst, size_t len, const char *src) {
	snprintf(dst, len, "%s", src ? src : "");
}

static void handle_app(void *data, struct zpocket_shell_v1 *shell,
		const char *id, const char *name, const char *comment,
		const char *icon, const char *store, const char *permissions,
		const char *needs_consent) {
	struct panel *panel = data;
	struct panel_app *app = find_app(panel, id);
	if (!app) {
		if (panel->napps == MAX_APPS) {
			return;
		}
		// Sorted by name, as people look for them.
		int at = panel->napps;
		while (at > 0 && strcasecmp(panel->apps[at - 1].name, name) > 0) {
			at--;
		}
		memmove(&panel->apps[at + 1], &panel->apps[at],
			(size_t)(panel->napps - at) * sizeof(panel->apps[0]));
		app = &panel->apps[at];
		memset(app, 0, sizeof(*app));
		panel->napps++;
		copy(app->id, sizeof(app->id), id);
	}
	if (strcmp(app->icon_path, icon) && app->icon) {
		pixman_image_unref(app->icon);
		app->icon = NULL;
	}
	copy(app->name, sizeof(app->name), name);
	copy(app->comment, sizeof(app->comment), comment);
	copy(app->icon_path, sizeof(app->icon_path), icon);
	copy(app->store, sizeof(app->store), store);
	copy(app->permissions, sizeof(app->permissions), permissions);
	copy(app->needs_consent, sizeof(app->needs_consent), needs_consent);
	if (!needs_consent[0]) {
		app->asking = false;
	}
}

static void handle_app_removed(void *data, struct zpocket_shell_v1 *shell,
		const char *id) {
	struct panel *panel = data;
	struct panel_app *app = find_app(panel, id);
	if (!app) {
		return;
	}
	if (app->icon) {
		pixman_image_unref(app->icon);
	}
	int i = (int)(app - panel->apps);
	memmove(app, app + 1, (size_t)(panel->napps - i - 1) * sizeof(*app));
	panel->napps--;
}

static void handle_state(void *data, struct zpocket_shell_v1 *shell,
		const char *id, uint32_t state, uint32_t progress, uint32_t ready,
		uint32_t windows, const char *message) {
	struct panel *panel = data;
	struct panel_app *app = find_app(panel, id);
	if (!app) {
		return;
	}
	app->state = state <= APP_FAILED ? (enum app_state)state : APP_FAILED;
	app->progress = progress > 1000 ? 1000 : progress;
	app->ready = ready;
	app->windows = windows;
	copy(app->message, sizeof(app->message), message);
	// A launch refused for want of consent opens the consent view.
	if (app->needs_consent[0] && strstr(message, "asks for")) {
		app->asking = true;
	}
	if (panel->debug) {
		printf("state %s %u %u %u %s\n", id, state, progress, ready, message);
	}
}

static void handle_store(void *data, struct zpocket_shell_v1 *shell,
		const char *path, const char *name, uint32_t present,
		uint32_t mounted) {
	struct panel *panel = data;
	if (!mounted) {
		return;
	}
	// The indicator names the last USB store that came or went.
	if (present || !panel->usb_store[0]) {
		copy(panel->usb_store, sizeof(panel->usb_store), name[0] ? name :
			strrchr(path, '/') ? strrchr(path, '/') + 1 : path);
	}
	panel->usb_present = present;
	if (panel->debug) {
		printf("store %s %u\n", path, present);
	}
}

static void handle_engine(void *data, struct zpocket_shell_v1 *shell,
		uint32_t state, const char *mode, uint32_t enforced,
		const char *reason, const char *fix) {
	struct panel *panel = data;
	panel->engine_missing = state == ZPOCKET_SHELL_V1_ENGINE_STATE_MISSING;
	bool connected = state == ZPOCKET_SHELL_V1_ENGINE_STATE_CONNECTED;
	panel->engine_no_gpu = connected &&
		!(enforced & ZPOCKET_SHELL_V1_ENFORCED_GPU_GROUPS);
	panel->engine_no_limits = connected &&
		!(enforced & ZPOCKET_SHELL_V1_ENFORCED_LIMITS);
	copy(panel->engine_reason, sizeof(panel->engine_reason), reason);
	copy(panel->engine_fix, sizeof(panel->engine_fix), fix);
	if (panel->debug) {
		printf("engine %u '%s' %u '%s' '%s'\n", state, mode, enforced,
			reason, fix);
	}
}

static void handle_done(void *data, struct zpocket_shell_v1 *shell) {
	struct panel *panel = data;
	panel->dirty = true;
	if (panel->menu_open && panel->menu_layer) {
		// The list may have grown or shrunk.
		panel->menu_configured = panel->menu_configured;
	}
}

static void handle_menu(void *data, struct zpocket_shell_v1 *shell) {
	struct panel *panel = data;
	if (panel->menu_open) {
		panel_menu_close(panel);
	} else {
		struct panel_output *first = wl_list_empty(&panel->outputs) ? NULL :
			wl_container_of(panel->outputs.next, first, link);
		panel_menu_open(panel, first);
	}
}

const struct zpocket_shell_v1_listener pocket_shell_listener = {
	.app = handle_app,
	.app_removed = handle_app_removed,
	.state = handle_state,
	.store = handle_store,
	.done = handle_done,
	.menu = handle_menu,
	.engine = handle_engine,
};

/* ---- windows, from wlr-foreign-toplevel ---- */

static struct panel_task *task_of(struct panel *panel,
		struct zwlr_foreign_toplevel_handle_v1 *handle) {
	for (int i = 0; i < panel->ntasks; i++) {
		if (panel->tasks[i].handle == handle) {
			return &panel->tasks[i];
		}
	}
	return NULL;
}

static void toplevel_title(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle, const char *title) {
	struct panel_task *task = task_of(data, handle);
	if (task) {
		copy(task->title, sizeof(task->title), title);
	}
}

static void toplevel_app_id(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle, const char *app_id) {
	struct panel_task *task = task_of(data, handle);
	if (task) {
		copy(task->app_id, sizeof(task->app_id), app_id);
	}
}

static void toplevel_output_enter(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle,
		struct wl_output *output) {
}

static void toplevel_output_leave(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle,
		struct wl_output *output) {
}

static void toplevel_state(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle,
		struct wl_array *state) {
	struct panel_task *task = task_of(data, handle);
	if (!task) {
		return;
	}
	task->activated = false;
	uint32_t *s;
	wl_array_for_each(s, state) {
		if (*s == ZWLR_FOREIGN_TOPLEVEL_HANDLE_V1_STATE_ACTIVATED) {
			task->activated = true;
		}
	}
}

static void toplevel_done(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle) {
	struct panel *panel = data;
	struct panel_task *task = task_of(panel, handle);
	if (task) {
		task->done = true;
	}
	panel->dirty = true;
}

static void toplevel_closed(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle) {
	struct panel *panel = data;
	struct panel_task *task = task_of(panel, handle);
	if (task) {
		int i = (int)(task - panel->tasks);
		memmove(task, task + 1, (size_t)(panel->ntasks - i - 1) *
			sizeof(*task));
		panel->ntasks--;
	}
	zwlr_foreign_toplevel_handle_v1_destroy(handle);
	panel->dirty = true;
}

static void toplevel_parent(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *handle,
		struct zwlr_foreign_toplevel_handle_v1 *parent) {
}

static const struct zwlr_foreign_toplevel_handle_v1_listener toplevel_listener = {
	.title = toplevel_title,
	.app_id = toplevel_app_id,
	.output_enter = toplevel_output_enter,
	.output_leave = toplevel_output_leave,
	.state = toplevel_state,
	.done = toplevel_done,
	.closed = toplevel_closed,
	.parent = toplevel_parent,
};

static void manager_toplevel(void *data,
		struct zwlr_foreign_toplevel_manager_v1 *manager,
		struct zwlr_foreign_toplevel_handle_v1 *handle) {
	struct panel *panel = data;
	if (panel->ntasks == MAX_TASKS) {
		zwlr_foreign_toplevel_handle_v1_destroy(handle);
		return;
	}
	struct panel_task *task = &panel->tasks[panel->ntasks++];
	memset(task, 0, sizeof(*task));
	task->handle = handle;
	zwlr_foreign_toplevel_handle_v1_add_listener(handle, &toplevel_listener,
		panel);
}

static void manager_finished(void *data,
		struct zwlr_foreign_toplevel_manager_v1 *manager) {
}

const struct zwlr_foreign_toplevel_manager_v1_listener
		toplevel_manager_listener = {
	.toplevel = manager_toplevel,
	.finished = manager_finished,
};

void model_finish(struct panel *panel) {
	for (int i = 0; i < panel->napps; i++) {
		if (panel->apps[i].icon) {
			pixman_image_unref(panel->apps[i].icon);
		}
	}
	panel->napps = 0;
	for (int i = 0; i < panel->ntasks; i++) {
		zwlr_foreign_toplevel_handle_v1_destroy(panel->tasks[i].handle);
	}
	panel->ntasks = 0;
}
