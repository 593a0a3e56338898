#include "control/ipc_commands.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/backend/headless.h>
#include <wlr/backend/multi.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_cursor.h>

#include "apps/stores.h"
#include "clients/app.h"
#include "control/ipc_launch.h"
#include "desktop/idle.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "desktop/xwayland.h"
#include "permissions.h"
#include "util/spawn.h"

struct json_object *ipc_error(const char *fmt, ...) {
	char msg[512];
	va_list args;
	va_start(args, fmt);
	vsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);
	struct json_object *reply = json_object_new_object();
	json_object_object_add(reply, "ok", json_object_new_boolean(false));
	json_object_object_add(reply, "error", json_object_new_string(msg));
	return reply;
}

static struct json_object *ok_reply(void) {
	struct json_object *reply = json_object_new_object();
	json_object_object_add(reply, "ok", json_object_new_boolean(true));
	return reply;
}

static struct json_object *box_json(const struct wlr_box *box) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "x", json_object_new_int(box->x));
	json_object_object_add(obj, "y", json_object_new_int(box->y));
	json_object_object_add(obj, "width", json_object_new_int(box->width));
	json_object_object_add(obj, "height", json_object_new_int(box->height));
	return obj;
}

static struct json_object *view_json(struct pwl_view *view) {
	struct pwl_server *server = view->server;
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "id", json_object_new_int64(view->id));
	json_object_object_add(obj, "app_id",
		json_object_new_string(view_app_id(view)));
	json_object_object_add(obj, "title",
		json_object_new_string(view_title(view)));
	struct wlr_box box = { view->x, view->y, view->width, view->height };
	json_object_object_add(obj, "geometry", box_json(&box));
	struct wlr_box frame;
	view_get_frame_box(view, &frame);
	json_object_object_add(obj, "frame", box_json(&frame));
	struct pwl_output *output = view_output(view);
	json_object_object_add(obj, "output", output ?
		json_object_new_string(output->wlr_output->name) : NULL);
	json_object_object_add(obj, "focused",
		json_object_new_boolean(server->seat->focused_view == view));
	json_object_object_add(obj, "maximized",
		json_object_new_boolean(view->maximized));
	json_object_object_add(obj, "fullscreen",
		json_object_new_boolean(view->fullscreen));
	json_object_object_add(obj, "urgent",
		json_object_new_boolean(view->urgent));
	json_object_object_add(obj, "decorated",
		json_object_new_boolean(view->ssd != NULL));
	pid_t pid = 0;
	if (view->surface) {
		wl_client_get_credentials(
			wl_resource_get_client(view->surface->resource), &pid, NULL, NULL);
	}
	json_object_object_add(obj, "pid", json_object_new_int(pid));
	// Who the window belongs to, as the compositor knows it.
	json_object_object_add(obj, "trust",
		json_object_new_string(view->app ? "app" : "host"));
	json_object_object_add(obj, "app", view->app ?
		json_object_new_string(view->app->name) : NULL);
	json_object_object_add(obj, "instance", view->app ?
		json_object_new_string(view->app->instance) : NULL);
	if (view->app) {
		// What its label says, and in which colour.
		char color[8];
		snprintf(color, sizeof(color), "#%02x%02x%02x",
			(int)(view->app->color[0] * 255 + 0.5f),
			(int)(view->app->color[1] * 255 + 0.5f),
			(int)(view->app->color[2] * 255 + 0.5f));
		json_object_object_add(obj, "label",
			json_object_new_string(view->app->label));
		json_object_object_add(obj, "label_color",
			json_object_new_string(color));
	}
	return obj;
}

static struct json_object *cmd_windows(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	struct json_object *list = json_object_new_array();
	// Stacking order, topmost first.
	struct pwl_view *view;
	wl_list_for_each(view, &server->views, link) {
		json_object_array_add(list, view_json(view));
	}
	json_object_object_add(reply, "windows", list);
	return reply;
}

/* Idle inhibitors alive, and those that keep the session awake now. */
static struct json_object *cmd_idle(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "inhibitors", json_object_new_int(
		server->idle_tracker ? idle_inhibitors(server->idle_tracker) : 0));
	json_object_object_add(reply, "inhibiting", json_object_new_int(
		server->idle_tracker ? idle_counting_inhibitors(server->idle_tracker) :
		0));
	return reply;
}

static struct json_object *cmd_outputs(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	struct json_object *list = json_object_new_array();
	struct pwl_output *focused = output_focused(server);
	struct pwl_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		struct wlr_output *wo = output->wlr_output;
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "name", json_object_new_string(wo->name));
		json_object_object_add(obj, "make",
			json_object_new_string(wo->make));
		json_object_object_add(obj, "model",
			json_object_new_string(wo->model));
		json_object_object_add(obj, "box", box_json(&output->box));
		json_object_object_add(obj, "usable_area",
			box_json(&output->usable_area));
		json_object_object_add(obj, "scale", json_object_new_double(wo->scale));
		json_object_object_add(obj, "refresh_mhz",
			json_object_new_int(wo->refresh));
		json_object_object_add(obj, "focused",
			json_object_new_boolean(output == focused));
		json_object_array_add(list, obj);
	}
	json_object_object_add(reply, "outputs", list);
	return reply;
}

/* Fetches the "id" argument and its view, or sets *error. */
static struct pwl_view *arg_view(struct pwl_server *server,
		struct json_object *request, struct json_object **error) {
	struct json_object *id;
	if (!json_object_object_get_ex(request, "id", &id) ||
			!json_object_is_type(id, json_type_int)) {
		*error = ipc_error("\"id\" must be a window id (a number)");
		return NULL;
	}
	int64_t value = json_object_get_int64(id);
	struct pwl_view *view = value > 0 && value <= UINT32_MAX ?
		view_from_id(server, (uint32_t)value) : NULL;
	if (!view) {
		*error = ipc_error("no window with id %lld", (long long)value);
	}
	return view;
}

static bool arg_bool(struct json_object *request, const char *key,
		bool fallback) {
	struct json_object *value;
	if (json_object_object_get_ex(request, key, &value) &&
			json_object_is_type(value, json_type_boolean)) {
		return json_object_get_boolean(value);
	}
	return fallback;
}

static struct json_object *cmd_focus(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_view *view = arg_view(server, request, &error);
	if (!view) {
		return error;
	}
	seat_focus_view(server->seat, view);
	return ok_reply();
}

static struct json_object *cmd_close(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_view *view = arg_view(server, request, &error);
	if (!view) {
		return error;
	}
	view_close(view);
	return ok_reply();
}

static struct json_object *cmd_maximize(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_view *view = arg_view(server, request, &error);
	if (!view) {
		return error;
	}
	view_set_maximized(view, arg_bool(request, "enable", !view->maximized));
	return ok_reply();
}

static struct json_object *cmd_fullscreen(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_view *view = arg_view(server, request, &error);
	if (!view) {
		return error;
	}
	view_set_fullscreen(view, arg_bool(request, "enable", !view->fullscreen),
		NULL);
	return ok_reply();
}

static char **arg_argv(struct json_object *request,
	struct json_object **error);

static struct json_object *cmd_spawn(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	char **argv = arg_argv(request, &error);
	if (!argv) {
		return error;
	}
	pid_t pid = spawn_argv(argv);
	free(argv);
	if (pid < 0) {
		return ipc_error("cannot start a process");
	}
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "pid", json_object_new_int(pid));
	return reply;
}

static struct json_object *cmd_quit(struct pwl_server *server,
		struct json_object *request) {
	server_quit(server, 0);
	return ok_reply();
}

static struct json_object *cmd_version(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "version",
		json_object_new_string(PWL_VERSION));
	json_object_object_add(reply, "wayland_display",
		json_object_new_string(server->socket ? server->socket : ""));
	const char *x_display = xwayland_display_name(server->xwayland);
	json_object_object_add(reply, "x_display",
		x_display ? json_object_new_string(x_display) : NULL);
	return reply;
}

struct find_headless {
	struct wlr_backend *headless;
};

static void find_headless_iter(struct wlr_backend *backend, void *data) {
	struct find_headless *find = data;
	if (wlr_backend_is_headless(backend)) {
		find->headless = backend;
	}
}

/* Outputs can be plugged and unplugged on the headless backend, so that
 * hotplug is testable without hardware. */
static struct json_object *cmd_create_output(struct pwl_server *server,
		struct json_object *request) {
	struct find_headless find = { 0 };
	if (wlr_backend_is_multi(server->backend)) {
		wlr_multi_for_each_backend(server->backend, find_headless_iter, &find);
	} else {
		find_headless_iter(server->backend, &find);
	}
	if (!find.headless) {
		return ipc_error("outputs can only be created on the headless "
			"backend");
	}
	struct json_object *w, *h;
	int width = 1280, height = 720;
	if (json_object_object_get_ex(request, "width", &w)) {
		width = json_object_get_int(w);
	}
	if (json_object_object_get_ex(request, "height", &h)) {
		height = json_object_get_int(h);
	}
	if (width <= 0 || height <= 0 || width > 8192 || height > 8192) {
		return ipc_error("output size must be within 1..8192");
	}
	struct wlr_output *output =
		wlr_headless_add_output(find.headless, width, height);
	if (!output) {
		return ipc_error("cannot create an output");
	}
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "name", json_object_new_string(output->name));
	return reply;
}

static struct json_object *cmd_remove_output(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *name;
	if (!json_object_object_get_ex(request, "name", &name) ||
			!json_object_is_type(name, json_type_string)) {
		return ipc_error("\"name\" must be an output name");
	}
	struct pwl_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		struct wlr_output *wo = output->wlr_output;
		if (!strcmp(wo->name, json_object_get_string(name))) {
			if (!wlr_output_is_headless(wo)) {
				return ipc_error("only headless outputs can be removed");
			}
			wlr_output_destroy(wo);
			return ok_reply();
		}
	}
	return ipc_error("no output named '%s'", json_object_get_string(name));
}

static struct json_object *cmd_seat(struct pwl_server *server,
		struct json_object *request) {
	struct pwl_seat *seat = server->seat;
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "cursor_x",
		json_object_new_double(seat->cursor->x));
	json_object_object_add(reply, "cursor_y",
		json_object_new_double(seat->cursor->y));
	json_object_object_add(reply, "focused_window", seat->focused_view ?
		json_object_new_int64(seat->focused_view->id) : NULL);
	json_object_object_add(reply, "keyboards",
		json_object_new_int(wl_list_length(&seat->keyboards)));
	json_object_object_add(reply, "pointers",
		json_object_new_int(wl_list_length(&seat->pointers)));
	return reply;
}

static struct json_object *app_json(struct pwl_app *app) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "app", json_object_new_string(app->name));
	json_object_object_add(obj, "instance",
		json_object_new_string(app->instance));
	json_object_object_add(obj, "dir", json_object_new_string(app->dir));
	json_object_object_add(obj, "socket",
		json_object_new_string(app->socket_path));
	json_object_object_add(obj, "pid", json_object_new_int(app->pid));
	json_object_object_add(obj, "clients", json_object_new_int(app->nclients));
	// What its clients were offered (doc/robustness.md: the allow-list),
	// and whose clipboard they reach.
	struct json_object *globals = json_object_new_array();
	for (int i = 0; i < app->noffered; i++) {
		json_object_array_add(globals,
			json_object_new_string(app->offered[i]));
	}
	json_object_object_add(obj, "globals", globals);
	json_object_object_add(obj, "clipboard", json_object_new_string(
		app->permissions & PWL_PERM_CLIPBOARD ? "session" : "private"));
	return obj;
}

const char *ipc_arg_string(struct json_object *request, const char *key) {
	struct json_object *value;
	if (json_object_object_get_ex(request, key, &value) &&
			json_object_is_type(value, json_type_string)) {
		return json_object_get_string(value);
	}
	return NULL;
}

/* Makes an app instance from the request's "app" and "permissions". */
static struct pwl_app *create_app(struct pwl_server *server,
		struct json_object *request, struct json_object **error) {
	const char *name = ipc_arg_string(request, "app");
	if (!name) {
		*error = ipc_error("\"app\" must be the app's name");
		return NULL;
	}
	uint32_t permissions = 0;
	char bad[64];
	if (!permissions_from_text(ipc_arg_string(request, "permissions"), &permissions,
			bad, sizeof(bad))) {
		*error = ipc_error("unknown permission '%s' (clipboard, network, "
			"gpu, audio, pointer)", bad);
		return NULL;
	}
	uid_t uid = getuid();
	struct json_object *uid_json;
	if (json_object_object_get_ex(request, "uid", &uid_json)) {
		int64_t value = json_object_get_int64(uid_json);
		if (!json_object_is_type(uid_json, json_type_int) || value < 0 ||
				value > 0x7fffffff) {
			*error = ipc_error("\"uid\" must be a user id");
			return NULL;
		}
		uid = (uid_t)value;
	}
	char err[512];
	struct pwl_app *app = app_create(&server->clients, name, permissions, uid, err,
		sizeof(err));
	if (!app) {
		*error = ipc_error("%s", err);
	}
	return app;
}

static struct json_object *cmd_app_create(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_app *app = create_app(server, request, &error);
	if (!app) {
		return error;
	}
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "instance", app_json(app));
	return reply;
}

static struct json_object *cmd_app_destroy(struct pwl_server *server,
		struct json_object *request) {
	const char *instance = ipc_arg_string(request, "instance");
	struct pwl_app *app = instance ? app_find(&server->clients, instance) : NULL;
	if (!app) {
		return ipc_error("no app instance '%s'", instance ? instance : "");
	}
	app_destroy(app);
	return ok_reply();
}

static struct json_object *cmd_apps(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	struct json_object *list = json_object_new_array();
	struct pwl_app *app;
	wl_list_for_each(app, &server->clients.apps, link) {
		json_object_array_add(list, app_json(app));
	}
	json_object_object_add(reply, "apps", list);
	return reply;
}

/* Fills argv from the request's "argv" (strings owned by the request). */
static char **arg_argv(struct json_object *request, struct json_object **error) {
	struct json_object *argv_json;
	if (!json_object_object_get_ex(request, "argv", &argv_json) ||
			!json_object_is_type(argv_json, json_type_array) ||
			json_object_array_length(argv_json) == 0 ||
			json_object_array_length(argv_json) > 1024) {
		*error = ipc_error("\"argv\" must be a non-empty array of strings");
		return NULL;
	}
	size_t n = json_object_array_length(argv_json);
	char **argv = calloc(n + 1, sizeof(*argv));
	if (!argv) {
		*error = ipc_error("out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		struct json_object *arg = json_object_array_get_idx(argv_json, i);
		if (!json_object_is_type(arg, json_type_string)) {
			free(argv);
			*error = ipc_error("\"argv\"[%zu] is not a string", i);
			return NULL;
		}
		argv[i] = (char *)json_object_get_string(arg);
	}
	return argv;
}

/* Runs a host command as an app client of a fresh socket: the instance
 * ends when the command exits. */
static struct json_object *cmd_run(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	char **argv = arg_argv(request, &error);
	if (!argv) {
		return error;
	}
	struct pwl_app *app = create_app(server, request, &error);
	if (!app) {
		free(argv);
		return error;
	}
	pid_t pid = spawn_app(argv, app->dir);
	free(argv);
	if (pid < 0 || !app_watch_process(app, pid)) {
		app_destroy(app);
		return ipc_error("cannot start a process");
	}
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "instance", app_json(app));
	return reply;
}

static struct json_object *cmd_stores(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *reply = ok_reply();
	json_object_object_add(reply, "stores", server->stores ?
		stores_json(server->stores) : json_object_new_array());
	return reply;
}

/* For the watchdog's test only (POCKETWL_DEBUG_IPC=1 in the compositor's
 * environment): blocks the event loop for "seconds". */
static struct json_object *cmd_debug_hang(struct pwl_server *server,
		struct json_object *request) {
	const char *enabled = getenv("POCKETWL_DEBUG_IPC");
	if (!enabled || strcmp(enabled, "1")) {
		return ipc_error("unknown command 'debug-hang'");
	}
	struct json_object *seconds;
	int s = json_object_object_get_ex(request, "seconds", &seconds) ?
		json_object_get_int(seconds) : 10;
	sleep((unsigned)(s > 0 && s < 60 ? s : 10));
	return ok_reply();
}

struct command {
	const char *name;
	struct json_object *(*run)(struct pwl_server *server,
		struct json_object *request);
};

static const struct command commands[] = {
	{ "windows", cmd_windows },
	{ "outputs", cmd_outputs },
	{ "focus", cmd_focus },
	{ "close", cmd_close },
	{ "maximize", cmd_maximize },
	{ "fullscreen", cmd_fullscreen },
	{ "spawn", cmd_spawn },
	{ "quit", cmd_quit },
	{ "version", cmd_version },
	{ "seat", cmd_seat },
	{ "create-output", cmd_create_output },
	{ "remove-output", cmd_remove_output },
	{ "app-create", cmd_app_create },
	{ "app-destroy", cmd_app_destroy },
	{ "instances", cmd_apps },
	{ "run", cmd_run },
	{ "stores", cmd_stores },
	{ "launch", ipc_cmd_launch },
	{ "stop", ipc_cmd_stop },
	{ "ps", ipc_cmd_ps },
	{ "logs", ipc_cmd_logs },
	{ "engine", ipc_cmd_engine },
	{ "kiosk", ipc_cmd_kiosk },
	{ "menu", ipc_cmd_menu },
	{ "idle", cmd_idle },
	{ "debug-hang", cmd_debug_hang },
};

struct json_object *ipc_run_command(struct pwl_server *server,
		const char *command, struct json_object *request) {
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(commands[i].name, command)) {
			return commands[i].run(server, request);
		}
	}
	return ipc_error("unknown command '%s'", command);
}
