#include "launch_cmd.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "apps_state.h"
#include "args.h"
#include "discovery.h"
#include "engine.h"
#include "engine_json.h"
#include "engine_ops.h"
#include "ipc_client.h"
#include "manifest.h"
#include "overrides.h"
#include "store.h"
#include "utf8.h"

/* The first argument that is neither an option nor an option's value. */
static struct json_object *request_for(const char *command, const char *app) {
	struct json_object *req = json_object_new_object();
	json_object_object_add(req, "command", json_object_new_string(command));
	if (app) {
		json_object_object_add(req, "app", json_object_new_string(app));
	}
	return req;
}

/* One request to the session; prints the error and returns NULL when it
 * fails or answers ok=false. */
static struct json_object *ask(const char *who, struct json_object *req) {
	const char *error = NULL;
	char *path = ipc_client_socket_path(&error);
	if (!path) {
		fprintf(stderr, "pocketctl %s: %s\n", who, error);
		json_object_put(req);
		return NULL;
	}
	char err[512];
	struct json_object *reply = ipc_client_request(path, req, 10000, err,
		sizeof(err));
	free(path);
	json_object_put(req);
	if (!reply) {
		fprintf(stderr, "pocketctl %s: %s\n", who, err);
		return NULL;
	}
	if (!json_flag(reply, "ok")) {
		fprintf(stderr, "pocketctl %s: %s\n", who, json_str(reply, "error"));
		json_object_put(reply);
		return NULL;
	}
	return reply;
}

/* ---- launch ---- */

static void show_progress(struct json_object *launch, bool tty) {
	static char last[64];
	const char *state = json_str(launch, "state");
	char line[160];
	if (state && !strcmp(state, "loading")) {
		int64_t done = json_num(launch, "done"), total = json_num(launch, "total");
		int pct = total > 0 ? (int)(done * 100 / total) : 0;
		if (!tty) {
			// One line per phase when not on a terminal.
			snprintf(line, sizeof(line), "%s", json_str(launch, "phase"));
			if (strcmp(line, last)) {
				fprintf(stderr, "%s the image...\n", line);
				snprintf(last, sizeof(last), "%.63s", line);
			}
			return;
		}
		char bar[31];
		int filled = pct * 30 / 100;
		for (int i = 0; i < 30; i++) {
			bar[i] = i < filled ? '#' : '.';
		}
		bar[30] = '\0';
		fprintf(stderr, "\r%-9s [%s] %3d%%", json_str(launch, "phase"), bar, pct);
		return;
	}
	if (state && strcmp(state, last)) {
		fprintf(stderr, "%s%s...\n", tty && !strcmp(last, "loading") ? "\n" :
			"", state);
		snprintf(last, sizeof(last), "%s", state);
	}
}

/* What the launch reached: 0 its window is up, 1 it failed or ended. */
static int finished(struct json_object *launch) {
	const char *state = json_str(launch, "state");
	if (json_flag(launch, "ready")) {
		printf("%s is running: instance %s, container %.12s, first window "
			"after %.0f ms\n", json_str(launch, "app"), json_str(launch, "instance"),
			json_str(launch, "container"), (double)json_num(launch, "latency_ms"));
		return 0;
	}
	if (state && (!strcmp(state, "failed") || !strcmp(state, "exited"))) {
		const char *error = json_str(launch, "error");
		fprintf(stderr, "pocketctl launch: %s %s%s%s\n", json_str(launch, "app"),
			!strcmp(state, "failed") ? "did not start" : "exited",
			error ? ": " : "", error ? error : "");
		return 1;
	}
	return -1;
}

static bool same_launch(struct json_object *event, const char *app,
		const char **instance) {
	const char *id = json_str(event, "app"), *inst = json_str(event, "instance");
	if (!id || strcmp(id, app)) {
		return false;
	}
	if (*instance && inst) {
		return !strcmp(*instance, inst);
	}
	if (inst) {
		*instance = inst; // the first instance seen is ours
	}
	return true;
}

int launch_command(int argc, char *argv[]) {
	static const char *const with_value[] = { "--timeout", NULL };
	const char *app = arg_positional(argc, argv, with_value);
	if (!app) {
		fprintf(stderr, "pocketctl launch: usage: launch APP [--yes] "
			"[--no-wait] [--timeout SECONDS]\n");
		return 2;
	}
	const char *timeout_text = arg_option(argc, argv, "--timeout");
	long timeout_s = 300;
	if (timeout_text) {
		char *end;
		timeout_s = strtol(timeout_text, &end, 10);
		if (*end != '\0' || end == timeout_text || timeout_s <= 0 ||
				timeout_s > 86400) {
			fprintf(stderr, "pocketctl launch: --timeout '%s' is not a number "
				"of seconds from 1 to 86400\n", timeout_text);
			return 2;
		}
	}
	const char *error = NULL;
	char *path = ipc_client_socket_path(&error);
	if (!path) {
		fprintf(stderr, "pocketctl launch: %s\n", error);
		return 1;
	}
	char err[512];
	struct ipc_connection *conn = ipc_connection_open(path, err, sizeof(err));
	free(path);
	if (!conn) {
		fprintf(stderr, "pocketctl launch: %s\n", err);
		return 1;
	}
	// Subscribe first, so that no event of our launch is missed.
	struct json_object *sub = request_for("subscribe", NULL);
	struct json_object *req = request_for("launch", app);
	json_object_object_add(req, "yes",
		json_object_new_boolean(arg_flag(argc, argv, "--yes")));
	bool sent = ipc_connection_send(conn, sub) &&
		ipc_connection_send(conn, req);
	json_object_put(sub);
	json_object_put(req);
	if (!sent) {
		fprintf(stderr, "pocketctl launch: cannot talk to the session\n");
		ipc_connection_close(conn);
		return 1;
	}
	bool tty = isatty(STDERR_FILENO);
	bool no_wait = arg_flag(argc, argv, "--no-wait");
	int replies = 0, status = -1;
	char *instance = NULL;
	const char *inst = NULL;
	time_t deadline = time(NULL) + timeout_s;
	char waiting[1200] = ""; // why the launch waits for an engine, if it does
	while (status < 0) {
		long left = (long)(deadline - time(NULL)) * 1000;
		struct json_object *msg = left > 0 ? ipc_connection_next(conn,
			(int)left, err, sizeof(err)) : NULL;
		if (!msg) {
			// Nothing before the deadline: the timeout, not the session.
			if (time(NULL) >= deadline) {
				left = 0;
			}
			if (left <= 0 && waiting[0]) {
				fprintf(stderr, "\npocketctl launch: gave up waiting "
					"(--timeout): the container engine is still missing: %s\n",
					waiting);
			} else {
				fprintf(stderr, "\npocketctl launch: %s\n", left > 0 ? err :
					"gave up waiting (--timeout)");
			}
			status = 1;
			break;
		}
		if (!json_str(msg, "event")) {
			// A reply: first the subscription's, then the launch's.
			if (++replies == 2) {
				if (!json_flag(msg, "ok")) {
					fprintf(stderr, "pocketctl launch: %s\n",
						json_str(msg, "error"));
					status = 1;
				} else {
					struct json_object *launch =
						json_object_object_get(msg, "launch");
					if (json_str(launch, "engine_error")) {
						// Said at once, not after the timeout.
						snprintf(waiting, sizeof(waiting), "%s",
							json_str(launch, "engine_error"));
						fprintf(stderr, "pocketctl launch: waiting for the "
							"container engine: %s\n", waiting);
					}
					if (json_str(launch, "instance")) {
						instance = strdup(json_str(launch, "instance"));
						inst = instance;
					}
					status = no_wait ? 0 : finished(launch);
					if (no_wait) {
						printf("%s: %s\n", app, json_str(launch, "state"));
					}
				}
			}
		} else if (!strcmp(json_str(msg, "event"), "app") && replies >= 2 &&
				same_launch(msg, app, &inst)) {
			show_progress(msg, tty);
			status = finished(msg);
			if (inst && !instance) {
				instance = strdup(inst);
				inst = instance;
			}
		}
		json_object_put(msg);
	}
	free(instance);
	ipc_connection_close(conn);
	return status;
}

/* ---- stop, ps ---- */

int stop_command(int argc, char *argv[]) {
	const char *app = arg_positional(argc, argv, NULL);
	if (!app) {
		fprintf(stderr, "pocketctl stop: usage: stop APP|INSTANCE\n");
		return 2;
	}
	struct json_object *reply = ask("stop", request_for("stop", app));
	if (!reply) {
		return 1;
	}
	json_object_put(reply);
	return 0;
}

static void format_uptime(int64_t s, char *out, size_t len) {
	if (s >= 3600) {
		snprintf(out, len, "%lldh%02lldm", (long long)(s / 3600),
			(long long)(s % 3600 / 60));
	} else if (s >= 60) {
		snprintf(out, len, "%lldm%02llds", (long long)(s / 60),
			(long long)(s % 60));
	} else {
		snprintf(out, len, "%llds", (long long)s);
	}
}

int ps_command(int argc, char *argv[]) {
	struct json_object *req = request_for("ps", NULL);
	json_object_object_add(req, "all",
		json_object_new_boolean(arg_flag(argc, argv, "--all")));
	struct json_object *reply = ask("ps", req);
	if (!reply) {
		return 1;
	}
	struct json_object *list = json_object_object_get(reply, "apps");
	if (arg_flag(argc, argv, "--json")) {
		printf("%s\n", json_object_to_json_string_ext(list,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	} else {
		printf("%-22s %-24s %-12s %-18s %-8s %s\n", "APP", "INSTANCE",
			"CONTAINER", "STATE", "UPTIME", "WINDOWS");
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *a = json_object_array_get_idx(list, i);
			char uptime[32] = "-", container[13] = "-";
			if (json_object_object_get(a, "uptime")) {
				format_uptime(json_num(a, "uptime"), uptime, sizeof(uptime));
			}
			const char *id = json_str(a, "container");
			if (id) {
				snprintf(container, sizeof(container), "%.12s", id);
			}
			printf("%-22s %-24s %-12s %-18s %-8s %lld\n", json_str(a, "app"),
				json_str(a, "instance") ? json_str(a, "instance") : "-", container,
				json_str(a, "state"), uptime, (long long)json_num(a, "windows"));
		}
	}
	json_object_put(reply);
	return 0;
}

/* ---- logs ---- */

struct logs_wait {
	bool done;
	struct engine *engine;
	char error[1024];
	char *body;
	size_t len;
};

static void on_engine(void *data, struct engine *engine, const char *error) {
	struct logs_wait *w = data;
	w->done = true;
	w->engine = engine;
	if (error) {
		snprintf(w->error, sizeof(w->error), "%s", error);
	}
}

static void on_logs(void *data, const struct engine_response *res) {
	struct logs_wait *w = data;
	w->done = true;
	if (res->error) {
		snprintf(w->error, sizeof(w->error), "%s", res->error);
	} else if ((w->body = malloc(res->body_len + 1))) {
		memcpy(w->body, res->body, res->body_len);
		w->len = res->body_len;
	}
}

int logs_command(int argc, char *argv[]) {
	const char *app = arg_positional(argc, argv, NULL);
	if (!app) {
		fprintf(stderr, "pocketctl logs: usage: logs APP|INSTANCE\n");
		return 2;
	}
	struct json_object *reply = ask("logs", request_for("logs", app));
	// An app that has just ended: the compositor is fetching its logs.
	for (int i = 0; reply && json_flag(reply, "logs_pending") && i < 50;
			i++) {
		json_object_put(reply);
		nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000L }, NULL);
		reply = ask("logs", request_for("logs", app));
	}
	if (!reply) {
		return 1;
	}
	if (json_str(reply, "logs")) {
		fputs(json_str(reply, "logs"), stdout);
		json_object_put(reply);
		return 0;
	}
	struct json_object *launch = json_object_object_get(reply, "launch");
	const char *container = json_str(launch, "container");
	const char *address = json_str(reply, "engine");
	if (!container || !address) {
		fprintf(stderr, "pocketctl logs: %s has no container yet (%s)\n",
			app, json_str(launch, "state"));
		json_object_put(reply);
		return 1;
	}
	struct wl_event_loop *loop = wl_event_loop_create();
	struct logs_wait w = { 0 };
	engine_discover(loop, address, on_engine, &w);
	while (!w.done) {
		wl_event_loop_dispatch(loop, -1);
	}
	int status = 1;
	char err[256];
	if (w.engine) {
		w.done = false;
		if (engine_container_op(w.engine, "logs", container, on_logs, &w,
				err, sizeof(err))) {
			while (!w.done) {
				wl_event_loop_dispatch(loop, -1);
			}
		} else {
			snprintf(w.error, sizeof(w.error), "%s", err);
		}
		engine_destroy(w.engine);
	}
	char *text = w.body ? engine_logs_text(w.body, w.len, w.len) : NULL;
	if (text) {
		// What an app printed, as pocketctl prints everything it did not
		// write itself: without control characters.
		utf8_strip_controls(text);
		fputs(text, stdout);
		free(text);
		status = 0;
	} else {
		fprintf(stderr, "pocketctl logs: %s\n", w.error);
	}
	free(w.body);
	wl_event_loop_destroy(loop);
	json_object_put(reply);
	return status;
}

/* ---- info ---- */

/* The store holding the app: --store, else the session's stores. */
static bool find_store(int argc, char *argv[], const char *app, char *out,
		size_t out_len) {
	const char *given = arg_option(argc, argv, "--store");
	if (given) {
		snprintf(out, out_len, "%s", given);
		return true;
	}
	struct json_object *reply = ask("info", request_for("stores", NULL));
	if (!reply) {
		return false;
	}
	struct json_object *list = json_object_object_get(reply, "stores");
	bool found = false;
	for (size_t i = 0; !found && i < json_object_array_length(list); i++) {
		const char *path = json_str(json_object_array_get_idx(list, i), "path");
		char file[4200];
		if (!path || !store_manifest_path(path, app, file, sizeof(file))) {
			continue;
		}
		if (access(file, R_OK) == 0) {
			snprintf(out, out_len, "%s", path);
			found = true;
		}
	}
	json_object_put(reply);
	if (!found) {
		fprintf(stderr, "pocketctl info: no store of the session has '%s'\n",
			app);
	}
	return found;
}

int info_command(int argc, char *argv[]) {
	static const char *const with_value[] = { "--store", NULL };
	const char *app = arg_positional(argc, argv, with_value);
	if (!app || !store_valid_id(app)) {
		fprintf(stderr, "pocketctl info: usage: info APP [--store DIR] "
			"[--json]\n");
		return 2;
	}
	char store[4096];
	if (!find_store(argc, argv, app, store, sizeof(store))) {
		return 1;
	}
	struct manifest m = { 0 };
	char error[1024];
	bool ok = store_load_app(store, app, &m, error, sizeof(error));
	if (!ok) {
		fprintf(stderr, "error: %s\n", error);
	}
	struct app_override ov;
	struct manifest_messages ov_errors = { 0 };
	char store_key[STORE_KEY_LEN + 1] = "";
	char *store_name = NULL, key_error[1024];
	store_identify(store, store_key, &store_name, key_error,
		sizeof(key_error));
	bool ov_ok = override_load(store_key, app, &ov, &ov_errors);
	for (size_t i = 0; i < ov_errors.len; i++) {
		fprintf(stderr, "error: %s\n", ov_errors.lines[i]);
	}
	int status = ok && ov_ok ? 0 : 1;
	if (ok) {
		char asked[128], allow[128], deny[128], granted[128], eff[128],
			consent[128], ov_path[4200] = "";
		permissions_to_text(m.permissions, asked, sizeof(asked));
		permissions_to_text(ov.allow, allow, sizeof(allow));
		permissions_to_text(ov.deny, deny, sizeof(deny));
		permissions_to_text(ov.granted, granted, sizeof(granted));
		permissions_to_text(override_effective(m.permissions, &ov), eff,
			sizeof(eff));
		permissions_to_text(override_needs_consent(m.permissions, &ov),
			consent, sizeof(consent));
		override_path(store_key, app, ov_path, sizeof(ov_path));
		struct json_object *obj = json_object_new_object();
		json_object_object_add(obj, "id", json_object_new_string(app));
		json_object_object_add(obj, "name", json_object_new_string(m.name));
		json_object_object_add(obj, "store", json_object_new_string(store));
		json_object_object_add(obj, "store_key",
			json_object_new_string(store_key));
		json_object_object_add(obj, "store_name",
			json_object_new_string(store_name ? store_name : ""));
		json_object_object_add(obj, "image", json_object_new_string(m.image));
		json_object_object_add(obj, "asked", json_object_new_string(asked));
		json_object_object_add(obj, "override", json_object_new_string(
			ov.present ? ov_path : ""));
		json_object_object_add(obj, "allow", json_object_new_string(allow));
		json_object_object_add(obj, "deny", json_object_new_string(deny));
		json_object_object_add(obj, "granted",
			json_object_new_string(granted));
		json_object_object_add(obj, "effective", json_object_new_string(eff));
		json_object_object_add(obj, "needs_consent",
			json_object_new_string(consent));
		// What the session's engine enforces for this app: never a limit
		// that is not there.
		struct json_object *reply = session_ask("engine");
		struct json_object *eng = reply ? json_object_object_get(reply,
			"engine") : NULL;
		char engine_line[600] = "";
		if (eng && json_str(eng, "mode")) {
			bool limits = json_flag(eng, "limits_enforced");
			bool groups = json_flag(eng, "gpu_groups");
			bool gpu = (override_effective(m.permissions, &ov) |
				override_needs_consent(m.permissions, &ov)) & MANIFEST_PERM_GPU;
			snprintf(engine_line, sizeof(engine_line), "%s at %s; memory "
				"and pid limits: %s%s", json_str(eng, "mode"),
				json_str(eng, "address") ? json_str(eng, "address") : "?",
				limits ? "enforced" : "NOT enforced (rootless engine on "
				"cgroup v1)", !gpu ? "" : groups ? "; gpu: device groups "
				"passed" : "; gpu: NOT available (rootless: no device "
				"groups)");
			json_object_object_add(obj, "engine_mode",
				json_object_new_string(json_str(eng, "mode")));
			json_object_object_add(obj, "limits_enforced",
				json_object_new_boolean(limits));
			if (gpu) {
				json_object_object_add(obj, "gpu_available",
					json_object_new_boolean(groups));
			}
		} else if (eng && json_str(eng, "reason")) {
			snprintf(engine_line, sizeof(engine_line), "missing: %s (fix: %s)",
				json_str(eng, "reason"), json_str(eng, "fix") ?
				json_str(eng, "fix") : "?");
		}
		json_object_put(reply);
		if (arg_flag(argc, argv, "--json")) {
			printf("%s\n", json_object_to_json_string_ext(obj,
				JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
		} else {
			printf("App:          %s (%s)\nStore:        %s (key %s)\n"
				"Image:        "
				"%s\nAsks for:     %s\nYour override: %s\n  allow:      "
				"%s\n  deny:       %s\n  granted:    %s\nEffective:    %s\n"
				"Needs consent: %s\n", m.name, app, store, store_key, m.image,
				asked[0] ? asked : "(nothing)",
				ov.present ? ov_path : "(none)", allow[0] ? allow : "-",
				deny[0] ? deny : "-", granted[0] ? granted : "-",
				eff[0] ? eff : "(nothing)", consent[0] ? consent : "no");
			if (engine_line[0]) {
				printf("Engine:       %s\n", engine_line);
			}
		}
		json_object_put(obj);
	}
	manifest_finish(&m);
	free(store_name);
	manifest_messages_finish(&ov_errors);
	return status;
}
