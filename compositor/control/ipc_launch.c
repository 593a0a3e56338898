#include "control/ipc_launch.h"

#include <stdbool.h>
#include <string.h>

#include "apps/containers.h"
#include "apps/kiosk.h"
#include "apps/launch.h"
#include "control/ipc_commands.h"
#include "control/pocket_shell.h"
#include "desktop/server.h"
#include "engine.h"
#include "util/config.h"

static bool arg_bool(struct json_object *request, const char *key) {
	struct json_object *value;
	return json_object_object_get_ex(request, key, &value) &&
		json_object_is_type(value, json_type_boolean) &&
		json_object_get_boolean(value);
}

static struct json_object *ok_with(const char *key, struct json_object *value) {
	struct json_object *reply = json_object_new_object();
	json_object_object_add(reply, "ok", json_object_new_boolean(true));
	json_object_object_add(reply, key, value);
	return reply;
}

struct json_object *ipc_cmd_launch(struct pwl_server *server,
		struct json_object *request) {
	const char *app = ipc_arg_string(request, "app");
	if (!app) {
		return ipc_error("\"app\" must be the app's id");
	}
	struct pwl_launch_options options = {
		.consent = arg_bool(request, "yes"),
	};
	char error[1024];
	struct pwl_launch *launch = launch_app(server, app, &options, error,
		sizeof(error));
	if (!launch) {
		return ipc_error("%s", error);
	}
	return ok_with("launch", launch_json(launch));
}

static struct pwl_launch *find_active(struct pwl_server *server,
		struct json_object *request, struct json_object **error) {
	const char *what = ipc_arg_string(request, "app");
	struct pwl_launch *launch = what ? launch_find(server, what) : NULL;
	if (!launch || !launch_active(launch)) {
		*error = ipc_error("'%s' is not running", what ? what : "");
		return NULL;
	}
	return launch;
}

struct json_object *ipc_cmd_stop(struct pwl_server *server,
		struct json_object *request) {
	struct json_object *error = NULL;
	struct pwl_launch *launch = find_active(server, request, &error);
	if (!launch) {
		return error;
	}
	launch_stop(launch);
	return ok_with("launch", launch_json(launch));
}

struct json_object *ipc_cmd_ps(struct pwl_server *server,
		struct json_object *request) {
	bool all = arg_bool(request, "all");
	struct json_object *list = json_object_new_array();
	struct pwl_launch *launch;
	// Oldest first reads like a history.
	wl_list_for_each_reverse(launch, &server->launches, link) {
		if (all || launch_active(launch)) {
			json_object_array_add(list, launch_json(launch));
		}
	}
	return ok_with("apps", list);
}

/* An ended app's logs were kept by the compositor; a running one's are
 * the engine's to give (pocketctl asks it with the container id). */
struct json_object *ipc_cmd_logs(struct pwl_server *server,
		struct json_object *request) {
	const char *what = ipc_arg_string(request, "app");
	struct pwl_launch *launch = what ? launch_find(server, what) : NULL;
	if (!launch) {
		return ipc_error("'%s' has not run in this session", what ? what : "");
	}
	struct json_object *reply = ok_with("launch", launch_json(launch));
	if (!launch_active(launch) && launch->request) {
		// Just ended: its last words are being fetched; ask again.
		json_object_object_add(reply, "logs_pending",
			json_object_new_boolean(true));
	} else if (!launch_active(launch)) {
		json_object_object_add(reply, "logs",
			json_object_new_string(launch->logs ? launch->logs : ""));
	}
	struct engine *engine = containers_engine(server->containers);
	if (engine) {
		json_object_object_add(reply, "engine",
			json_object_new_string(engine_address(engine)));
	}
	return reply;
}

struct json_object *ipc_cmd_engine(struct pwl_server *server,
		struct json_object *request) {
	(void)request;
	if (!server->containers) {
		return ipc_error("containers are not set up in this session");
	}
	return ok_with("engine", containers_json(server->containers));
}

struct json_object *ipc_cmd_kiosk(struct pwl_server *server,
		struct json_object *request) {
	(void)request;
	if (!server->kiosk) {
		return ipc_error("this session is not a kiosk");
	}
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "app",
		json_object_new_string(server->config->kiosk.app));
	json_object_object_add(obj, "status",
		json_object_new_string(kiosk_status(server->kiosk)));
	return ok_with("kiosk", obj);
}

struct json_object *ipc_cmd_menu(struct pwl_server *server,
		struct json_object *request) {
	(void)request;
	pocket_shell_menu(server->pocket_shell);
	return ok_with("menu", json_object_new_boolean(true));
}
