#include "apps_state.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wayland-server-core.h>

#include "discovery.h"
#include "engine.h"
#include "engine_ops.h"
#include "ipc_client.h"

/* A request to the session, or NULL when there is none (no error: the
 * listing works without a session). */
struct json_object *session_ask(const char *command) {
	const char *error = NULL;
	char *path = ipc_client_socket_path(&error);
	if (!path) {
		return NULL;
	}
	struct json_object *req = json_object_new_object();
	json_object_object_add(req, "command", json_object_new_string(command));
	char err[256];
	struct json_object *reply = ipc_client_request(path, req, 3000, err,
		sizeof(err));
	json_object_put(req);
	free(path);
	return reply;
}

struct wait {
	bool done;
	struct engine *engine;
	long status;
};

static void on_engine(void *data, struct engine *engine, const char *error) {
	struct wait *w = data;
	w->done = true;
	w->engine = engine;
}

static void on_inspect(void *data, const struct engine_response *res) {
	struct wait *w = data;
	w->done = true;
	w->status = res->status;
}

static void add_image_presence(struct json_object *list, const char *address) {
	struct wl_event_loop *loop = wl_event_loop_create();
	if (!loop) {
		return;
	}
	struct wait w = { 0 };
	engine_discover(loop, address, on_engine, &w);
	while (!w.done) {
		wl_event_loop_dispatch(loop, -1);
	}
	struct engine *engine = w.engine;
	for (size_t i = 0; engine && i < json_object_array_length(list); i++) {
		struct json_object *app = json_object_array_get_idx(list, i);
		char err[256];
		w = (struct wait){ 0 };
		// The pinned image if there is one: the name may mean another.
		const char *image = json_str(app, "pinned_image") ?
			json_str(app, "pinned_image") : json_str(app, "image");
		if (!engine_image_inspect(engine, image, on_inspect, &w, err,
				sizeof(err))) {
			continue;
		}
		while (!w.done) {
			wl_event_loop_dispatch(loop, -1);
		}
		if (w.status == 200 || w.status == 404) {
			json_object_object_add(app, "image_present",
				json_object_new_boolean(w.status == 200));
		}
	}
	if (engine) {
		engine_destroy(engine);
	}
	wl_event_loop_destroy(loop);
}

void apps_add_state(struct json_object *list, const char *engine_address) {
	struct json_object *ps = session_ask("ps");
	struct json_object *launches = ps ? json_object_object_get(ps, "apps") :
		NULL;
	char address[4200] = "";
	if (engine_address) {
		snprintf(address, sizeof(address), "%s", engine_address);
	} else {
		struct json_object *engine = session_ask("engine");
		const char *a = json_str(json_object_object_get(engine, "engine"),
			"address");
		if (a) {
			snprintf(address, sizeof(address), "%s", a);
		}
		json_object_put(engine);
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *app = json_object_array_get_idx(list, i);
		const char *state = "stopped";
		for (size_t k = 0; launches &&
				k < json_object_array_length(launches); k++) {
			struct json_object *l = json_object_array_get_idx(launches, k);
			if (json_str(l, "app") && !strcmp(json_str(l, "app"), json_str(app, "id"))) {
				state = json_str(l, "state");
			}
		}
		json_object_object_add(app, "state", json_object_new_string(
			ps ? state : "no session"));
		json_object_object_add(app, "image_present", NULL); // unknown
	}
	json_object_put(ps);
	if (address[0]) {
		add_image_presence(list, address);
	}
}
