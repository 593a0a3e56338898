#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "data_cmd.h"
#include "engine_cmd.h"
#include "ipc_client.h"
#include "launch_cmd.h"
#include "pack_cmd.h"
#include "store_cmd.h"

#define TIMEOUT_MS 5000

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

/* ---- requests to the session ---- */

static struct json_object *named(const char *cmd) {
	struct json_object *req = json_object_new_object();
	json_object_object_add(req, "command", json_object_new_string(cmd));
	return req;
}

static struct json_object *request_plain(int argc, char *argv[]) {
	(void)argc;
	return named(argv[0]);
}

static struct json_object *request_window(int argc, char *argv[]) {
	const char *cmd = argv[0];
	char *end;
	long id = argc > 1 ? strtol(argv[1], &end, 10) : 0;
	if (argc < 2 || *end != '\0' || id <= 0) {
		fprintf(stderr, "pocketctl %s: needs a window id (see "
			"'pocketctl windows')\n", cmd);
		return NULL;
	}
	struct json_object *req = named(cmd);
	json_object_object_add(req, "id", json_object_new_int64(id));
	if (argc > 2) {
		bool on = !strcmp(argv[2], "on") || !strcmp(argv[2], "true");
		json_object_object_add(req, "enable", json_object_new_boolean(on));
	}
	return req;
}

static struct json_object *argv_array(int argc, char *argv[], int first) {
	struct json_object *args = json_object_new_array();
	for (int i = first; i < argc; i++) {
		json_object_array_add(args, json_object_new_string(argv[i]));
	}
	return args;
}

static struct json_object *request_spawn(int argc, char *argv[]) {
	int first = 1;
	if (first < argc && !strcmp(argv[first], "--")) {
		first++;
	}
	if (first >= argc) {
		fprintf(stderr, "pocketctl spawn: needs a command\n");
		return NULL;
	}
	struct json_object *req = named(argv[0]);
	json_object_object_add(req, "argv", argv_array(argc, argv, first));
	return req;
}

static struct json_object *request_run(int argc, char *argv[]) {
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
		return NULL;
	}
	struct json_object *req = named(argv[0]);
	json_object_object_add(req, "app", json_object_new_string(app));
	if (perms) {
		json_object_object_add(req, "permissions",
			json_object_new_string(perms));
	}
	json_object_object_add(req, "argv", argv_array(argc, argv, i));
	return req;
}

static struct json_object *request_raw(int argc, char *argv[]) {
	if (argc < 2) {
		fprintf(stderr, "pocketctl raw: needs a JSON request\n");
		return NULL;
	}
	enum json_tokener_error err;
	struct json_object *req = json_tokener_parse_verbose(argv[1], &err);
	if (!req) {
		fprintf(stderr, "pocketctl raw: not JSON: %s\n",
			json_tokener_error_desc(err));
	}
	return req;
}

/* ---- printing replies ---- */

static void print_version(struct json_object *reply) {
	printf("pocketwl %s\n", str_field(reply, "version"));
}

static void print_pid(struct json_object *reply) {
	printf("%d\n", int_field(reply, "pid"));
}

static void print_run(struct json_object *reply) {
	struct json_object *inst = NULL;
	json_object_object_get_ex(reply, "instance", &inst);
	printf("%s pid %d socket %s\n", str_field(inst, "instance"),
		int_field(inst, "pid"), str_field(inst, "socket"));
}

static void print_instances(struct json_object *reply) {
	struct json_object *list = NULL;
	json_object_object_get_ex(reply, "apps", &list);
	printf("%-24s %-8s %-8s %s\n", "INSTANCE", "PID", "CLIENTS", "SOCKET");
	for (size_t k = 0; k < json_object_array_length(list); k++) {
		struct json_object *a = json_object_array_get_idx(list, k);
		printf("%-24s %-8d %-8d %s\n", str_field(a, "instance"),
			int_field(a, "pid"), int_field(a, "clients"),
			str_field(a, "socket"));
	}
}

static void print_json(struct json_object *reply) {
	printf("%s\n", json_object_to_json_string_ext(reply,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
}

/* ---- the commands ---- */

/* A command either runs on its own (the store, the engine, store apps) or
 * is one request to the session, whose reply it prints (JSON with
 * --json). One row each: the table is the dispatch and the usage. */
struct command {
	const char *name;
	const char *usage; // after "  "; lines after the first indented
	int (*run)(int argc, char *argv[]); // may be NULL
	struct json_object *(*request)(int argc, char *argv[]); // may be NULL
	void (*print)(struct json_object *reply); // may be NULL: prints nothing
};

static const struct command commands[] = {
	{ "windows", "windows [--json]       list windows (id, app, title, "
		"geometry...)", NULL, request_plain, print_windows },
	{ "outputs", "outputs [--json]       list outputs", NULL, request_plain,
		print_outputs },
	{ "focus", "focus ID               focus and raise a window", NULL,
		request_window, NULL },
	{ "close", "close ID               ask a window to close", NULL,
		request_window, NULL },
	{ "maximize", "maximize ID [on|off]   toggle or set maximized", NULL,
		request_window, NULL },
	{ "fullscreen", "fullscreen ID [on|off] toggle or set fullscreen", NULL,
		request_window, NULL },
	{ "spawn", "spawn -- CMD [ARGS]    start a program in the session", NULL,
		request_spawn, print_pid },
	{ "run", "run --app NAME [--permissions LIST] -- CMD [ARGS]\n"
		"                         run a program as an app client, on a\n"
		"                         socket of its own (no container)", NULL,
		request_run, print_run },
	{ "instances", "instances [--json]     list app instances (sockets, "
		"clients)", NULL, request_plain, print_instances },
	{ "apps", "apps [--store DIR...] [--json]\n"
		"                         list the apps of stores", apps_command },
	{ "store", "store init DIR [--name NAME] | store check DIR",
		store_command },
	{ "pack", "pack IMAGE --store DIR --id ID --name NAME [--icon PNG]\n"
		"       [--command CMD] [--permissions LIST]", pack_command },
	{ "purge", "purge APP --store DIR  remove the app's pinned image (never "
		"its data)", purge_command },
	{ "load", "load APP --store DIR   load the app's image (checksum "
		"checked)", load_command },
	{ "data", "data rm APP --store DIR --yes | data export|import APP "
		"FILE.tar\n       --store DIR       the app's user data",
		data_command },
	{ "launch", "launch APP [--yes] [--no-wait] [--timeout S]\n"
		"                         run a store app in its container; waits\n"
		"                         for its window (--yes: allow what it "
		"asks)", launch_command },
	{ "stop", "stop APP|INSTANCE      stop a store app", stop_command },
	{ "ps", "ps [--all] [--json]    store apps of the session and their "
		"state", ps_command },
	{ "logs", "logs APP|INSTANCE      what the app's container printed",
		logs_command },
	{ "info", "info APP [--store DIR] [--json]\n"
		"                         the app's permissions: asked, your\n"
		"                         override, effective; its store's key",
		info_command },
	{ "menu", "menu                   open or close the panel's launcher",
		NULL, request_plain, NULL },
	{ "quit", "quit                   end the session", NULL, request_plain,
		NULL },
	{ "version", "version                show the compositor's version",
		NULL, request_plain, print_version },
	{ "seat", NULL, NULL, request_plain, print_json },
	{ "raw", "raw JSON               send a request as it is, print the "
		"reply", NULL, request_raw, print_json },
	{ "engine", "engine [--engine ADDRESS] [--start]\n"
		"                         find the container engine (--start: run "
		"a\n                         private podman service if none "
		"answers)", engine_command },
};

static void usage(FILE *f) {
	fprintf(f, "Usage: pocketctl [--socket PATH] COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (commands[i].usage) {
			fprintf(f, "  %s\n", commands[i].usage);
		}
	}
}

static const struct command *find_command(const char *name) {
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(commands[i].name, name)) {
			return &commands[i];
		}
	}
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
	const struct command *command = find_command(argv[i]);
	if (!command) {
		fprintf(stderr, "pocketctl: unknown command '%s'\n", argv[i]);
		usage(stderr);
		return 2;
	}
	if (command->run) {
		return command->run(argc - i, argv + i);
	}
	struct json_object *request = command->request(argc - i, argv + i);
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
	if (!bool_field(reply, "ok")) {
		fprintf(stderr, "pocketctl: %s\n", str_field(reply, "error"));
		status = 1;
	} else if (arg_flag(argc - i, argv + i, "--json")) {
		print_json(reply);
	} else if (command->print) {
		command->print(reply);
	}
	json_object_put(reply);
	return status;
}
