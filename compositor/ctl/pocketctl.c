#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data_cmd.h"
#include "engine_cmd.h"
#include "ipc_client.h"
#include "launch_cmd.h"
#include "pack_cmd.h"
#include "store_cmd.h"

#define TIMEOUT_MS 5000

static void usage(FILE *f) {
	fprintf(f,
		"Usage: pocketctl [--socket PATH] COMMAND [ARGS]\n"
		"\n"
		"  windows [--json]       list windows (id, app, title, geometry...)\n"
		"  outputs [--json]       list outputs\n"
		"  focus ID               focus and raise a window\n"
		"  close ID               ask a window to close\n"
		"  maximize ID [on|off]   toggle or set maximized\n"
		"  fullscreen ID [on|off] toggle or set fullscreen\n"
		"  spawn -- CMD [ARGS]    start a program in the session\n"
		"  run --app NAME [--permissions LIST] -- CMD [ARGS]\n"
		"                         run a program as an app client, on a\n"
		"                         socket of its own (no container)\n"
		"  instances [--json]     list app instances (sockets, clients)\n"
		"  apps --store DIR [--json]  list the apps of stores\n"
		"  store init DIR [--name NAME] | store check DIR\n"
		"  pack IMAGE --store DIR --id ID --name NAME [--icon PNG]\n"
		"       [--command CMD] [--permissions LIST]\n"
		"  purge APP --store DIR  remove the app's image (never its data)\n"
		"  load APP --store DIR   load the app's image (checksum checked)\n"
		"  data rm APP --store DIR --yes | data export|import APP FILE.tar\n"
		"       --store DIR       the app's user data\n"
		"  launch APP [--yes] [--no-wait] [--timeout S]\n"
		"                         run a store app in its container; waits\n"
		"                         for its window (--yes: allow what it asks)\n"
		"  stop APP|INSTANCE      stop a store app\n"
		"  ps [--all] [--json]    store apps of the session and their state\n"
		"  logs APP|INSTANCE      what the app's container printed\n"
		"  info APP [--store DIR] [--json]\n"
		"                         the app's permissions: asked, your\n"
		"                         override, effective\n"
		"  menu                   open or close the panel's launcher\n"
		"  quit                   end the session\n"
		"  version                show the compositor's version\n"
		"  raw JSON               send a request as it is, print the reply\n"
		"  engine [--engine ADDRESS] [--start]\n"
		"                         find the container engine (--start: run a\n"
		"                         private podman service if none answers)\n");
}

static bool has_flag(int argc, char *argv[], const char *flag) {
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], flag)) {
			return true;
		}
	}
	return false;
}

static const char *str_field(struct json_object *obj, const char *key) {
	const char *value = json_str(obj, key);
	return value ? value : "-";
}

static int int_field(struct json_object *obj, const char *key) {
	struct json_object *value;
	if (json_object_object_get_ex(obj, key, &value)) {
		return json_object_get_int(value);
	}
	return 0;
}

static bool bool_field(struct json_object *obj, const char *key) {
	return json_flag(obj, key);
}

static void print_box(struct json_object *obj, const char *key) {
	struct json_object *box;
	if (!json_object_object_get_ex(obj, key, &box)) {
		printf("%-20s", "-");
		return;
	}
	char text[64];
	snprintf(text, sizeof(text), "%dx%d+%d+%d", int_field(box, "width"),
		int_field(box, "height"), int_field(box, "x"), int_field(box, "y"));
	printf("%-20s", text);
}

static void print_windows(struct json_object *reply) {
	struct json_object *list;
	if (!json_object_object_get_ex(reply, "windows", &list)) {
		return;
	}
	printf("%-5s %-6s %-20s %-20s %-20s %-12s %s\n", "ID", "TRUST", "APP",
		"APP-ID", "GEOMETRY", "OUTPUT", "TITLE");
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *w = json_object_array_get_idx(list, i);
		printf("%-5d %-6s %-20s %-20s ", int_field(w, "id"),
			str_field(w, "trust"), str_field(w, "app"),
			str_field(w, "app_id"));
		print_box(w, "geometry");
		printf(" %-12s %s%s%s%s\n", str_field(w, "output"),
			str_field(w, "title"), bool_field(w, "focused") ? " [focused]" : "",
			bool_field(w, "maximized") ? " [maximized]" : "",
			bool_field(w, "fullscreen") ? " [fullscreen]" : "");
	}
}

static void print_outputs(struct json_object *reply) {
	struct json_object *list;
	if (!json_object_object_get_ex(reply, "outputs", &list)) {
		return;
	}
	printf("%-12s %-20s %-20s %-6s %s\n", "NAME", "BOX", "USABLE", "SCALE",
		"FOCUSED");
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *o = json_object_array_get_idx(list, i);
		printf("%-12s ", str_field(o, "name"));
		print_box(o, "box");
		printf(" ");
		print_box(o, "usable_area");
		struct json_object *scale;
		json_object_object_get_ex(o, "scale", &scale);
		printf(" %-6.2f %s\n", json_object_get_double(scale),
			bool_field(o, "focused") ? "yes" : "no");
	}
}

/* Turns the command line into a request; NULL on a usage error. */
static struct json_object *build_request(int argc, char *argv[]) {
	const char *cmd = argv[0];
	struct json_object *req = json_object_new_object();
	if (!strcmp(cmd, "windows") || !strcmp(cmd, "outputs") ||
			!strcmp(cmd, "instances") ||
			!strcmp(cmd, "quit") || !strcmp(cmd, "version") ||
			!strcmp(cmd, "menu") ||
			!strcmp(cmd, "seat")) {
		json_object_object_add(req, "command", json_object_new_string(cmd));
		return req;
	}
	if (!strcmp(cmd, "focus") || !strcmp(cmd, "close") ||
			!strcmp(cmd, "maximize") || !strcmp(cmd, "fullscreen")) {
		char *end;
		long id = argc > 1 ? strtol(argv[1], &end, 10) : 0;
		if (argc < 2 || *end != '\0' || id <= 0) {
			fprintf(stderr, "pocketctl %s: needs a window id (see "
				"'pocketctl windows')\n", cmd);
			json_object_put(req);
			return NULL;
		}
		json_object_object_add(req, "command", json_object_new_string(cmd));
		json_object_object_add(req, "id", json_object_new_int64(id));
		if (argc > 2) {
			bool on = !strcmp(argv[2], "on") || !strcmp(argv[2], "true");
			json_object_object_add(req, "enable",
				json_object_new_boolean(on));
		}
		return req;
	}
	if (!strcmp(cmd, "spawn")) {
		int first = 1;
		if (first < argc && !strcmp(argv[first], "--")) {
			first++;
		}
		if (first >= argc) {
			fprintf(stderr, "pocketctl spawn: needs a command\n");
			json_object_put(req);
			return NULL;
		}
		struct json_object *args = json_object_new_array();
		for (int i = first; i < argc; i++) {
			json_object_array_add(args, json_object_new_string(argv[i]));
		}
		json_object_object_add(req, "command", json_object_new_string(cmd));
		json_object_object_add(req, "argv", args);
		return req;
	}
	if (!strcmp(cmd, "run")) {
		const char *app = NULL, *perms = NULL;
		int i = 1;
		for (; i + 1 < argc && strcmp(argv[i], "--"); i += 2) {
			if (!strcmp(argv[i], "--app")) {
				app = argv[i + 1];
			} else if (!strcmp(argv[i], "--permissions")) {
				perms = argv[i + 1];
			} else {
				break;
			}
		}
		if (i < argc && !strcmp(argv[i], "--")) {
			i++;
		}
		if (!app || i >= argc) {
			fprintf(stderr, "pocketctl run: usage: run --app NAME "
				"[--permissions LIST] -- CMD [ARGS]\n");
			json_object_put(req);
			return NULL;
		}
		struct json_object *args = json_object_new_array();
		for (; i < argc; i++) {
			json_object_array_add(args, json_object_new_string(argv[i]));
		}
		json_object_object_add(req, "command", json_object_new_string(cmd));
		json_object_object_add(req, "app", json_object_new_string(app));
		if (perms) {
			json_object_object_add(req, "permissions",
				json_object_new_string(perms));
		}
		json_object_object_add(req, "argv", args);
		return req;
	}
	if (!strcmp(cmd, "raw") && argc > 1) {
		json_object_put(req);
		enum json_tokener_error err;
		req = json_tokener_parse_verbose(argv[1], &err);
		if (!req) {
			fprintf(stderr, "pocketctl raw: not JSON: %s\n",
				json_tokener_error_desc(err));
		}
		return req;
	}
	json_object_put(req);
	fprintf(stderr, "pocketctl: unknown command '%s'\n", cmd);
	usage(stderr);
	return NULL;
}

int main(int argc, char *argv[]) {
	const char *socket = NULL;
	int i = 1;
	if (i + 1 < argc && !strcmp(argv[i], "--socket")) {
		socket = argv[i + 1];
		i += 2;
	}
	if (i >= argc || !strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? 2 : 0;
	}
	// Engine commands talk to the engine, not to the session.
	if (!strcmp(argv[i], "engine")) {
		return engine_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "store")) {
		return store_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "apps")) {
		return apps_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "pack")) {
		return pack_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "purge")) {
		return purge_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "load")) {
		return load_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "data")) {
		return data_command(argc - i, argv + i);
	}
	if (!strcmp(argv[i], "launch") || !strcmp(argv[i], "stop") ||
			!strcmp(argv[i], "ps") || !strcmp(argv[i], "logs") ||
			!strcmp(argv[i], "info")) {
		return launch_family_command(argc - i, argv + i);
	}
	struct json_object *request = build_request(argc - i, argv + i);
	if (!request) {
		return 2;
	}
	const char *error = NULL;
	char *path = socket ? strdup(socket) : ipc_client_socket_path(&error);
	if (!path) {
		fprintf(stderr, "pocketctl: %s\n", error);
		json_object_put(request);
		return 1;
	}
	char err[512];
	struct json_object *reply =
		ipc_client_request(path, request, TIMEOUT_MS, err, sizeof(err));
	free(path);
	json_object_put(request);
	if (!reply) {
		fprintf(stderr, "pocketctl: %s\n", err);
		return 1;
	}

	int status = 0;
	const char *cmd = argv[i];
	bool json = has_flag(argc - i, argv + i, "--json") || !strcmp(cmd, "raw");
	if (!bool_field(reply, "ok")) {
		fprintf(stderr, "pocketctl: %s\n", str_field(reply, "error"));
		status = 1;
	} else if (json) {
		printf("%s\n", json_object_to_json_string_ext(reply,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	} else if (!strcmp(cmd, "windows")) {
		print_windows(reply);
	} else if (!strcmp(cmd, "outputs")) {
		print_outputs(reply);
	} else if (!strcmp(cmd, "version")) {
		printf("pocketwl %s\n", str_field(reply, "version"));
	} else if (!strcmp(cmd, "spawn")) {
		printf("%d\n", int_field(reply, "pid"));
	} else if (!strcmp(cmd, "run")) {
		struct json_object *inst;
		json_object_object_get_ex(reply, "instance", &inst);
		printf("%s pid %d socket %s\n", str_field(inst, "instance"),
			int_field(inst, "pid"), str_field(inst, "socket"));
	} else if (!strcmp(cmd, "instances")) {
		struct json_object *list;
		json_object_object_get_ex(reply, "apps", &list);
		printf("%-24s %-8s %-8s %s\n", "INSTANCE", "PID", "CLIENTS",
			"SOCKET");
		for (size_t k = 0; k < json_object_array_length(list); k++) {
			struct json_object *a = json_object_array_get_idx(list, k);
			printf("%-24s %-8d %-8d %s\n", str_field(a, "instance"),
				int_field(a, "pid"), int_field(a, "clients"),
				str_field(a, "socket"));
		}
	}
	json_object_put(reply);
	return status;
}
