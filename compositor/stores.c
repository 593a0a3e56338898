#include "stores.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "config.h"
#include "ipc.h"
#include "launch.h"
#include "pocket_shell.h"
#include "server.h"
#include "store_watch.h"

#define MAX_MOUNTED 64

struct pwl_stores {
	struct pwl_server *server;
	struct store_watch *watch;
	char *mounted[MAX_MOUNTED];
	int nmounted;
};

static void notify(struct pwl_stores *stores, const char *event,
		const char *path) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "event", json_object_new_string(event));
	json_object_object_add(obj, "path", json_object_new_string(path));
	ipc_broadcast(stores->server->ipc, obj);
	json_object_put(obj);
}

static void handle_added(void *data, const char *path) {
	struct pwl_stores *stores = data;
	if (stores->nmounted == MAX_MOUNTED) {
		return;
	}
	char *copy = strdup(path);
	if (copy) {
		stores->mounted[stores->nmounted++] = copy;
		wlr_log(WLR_INFO, "Pocket store plugged in: %s", path);
		notify(stores, "store-added", path);
		pocket_shell_stores_changed(stores->server->pocket_shell, path, true);
	}
}

static void handle_removed(void *data, const char *path) {
	struct pwl_stores *stores = data;
	for (int i = 0; i < stores->nmounted; i++) {
		if (!strcmp(stores->mounted[i], path)) {
			free(stores->mounted[i]);
			stores->mounted[i] = stores->mounted[--stores->nmounted];
			wlr_log(WLR_INFO, "Pocket store removed: %s", path);
			notify(stores, "store-removed", path);
			// Its apps' data is on that disk: stop them before they
			// write to a store that is gone.
			launches_store_removed(stores->server, path);
			pocket_shell_stores_changed(stores->server->pocket_shell, path,
				false);
			return;
		}
	}
}

struct pwl_stores *stores_create(struct pwl_server *server) {
	struct pwl_stores *stores = calloc(1, sizeof(*stores));
	if (!stores) {
		return NULL;
	}
	stores->server = server;
	struct pwl_config *config = server->config;
	const char *roots[PWL_MAX_STORE_ROOTS + 1] = { 0 };
	char defaults[3][512];
	int n = 0;
	if (config->store_roots_len > 0) {
		for (size_t i = 0; i < config->store_roots_len; i++) {
			roots[n++] = config->store_roots[i];
		}
	} else {
		const char *user = getenv("USER");
		snprintf(defaults[0], sizeof(defaults[0]), "/media");
		snprintf(defaults[1], sizeof(defaults[1]), "/media/%s",
			user ? user : "root");
		snprintf(defaults[2], sizeof(defaults[2]), "/run/media/%s",
			user ? user : "root");
		for (int i = 0; i < 3; i++) {
			roots[n++] = defaults[i];
		}
	}
	struct store_watch_listener listener = { handle_added, handle_removed,
		stores };
	stores->watch = store_watch_create(server->loop, roots, &listener);
	if (!stores->watch) {
		wlr_log(WLR_ERROR, "Cannot watch for pocket stores (inotify)");
	}
	return stores;
}

void stores_destroy(struct pwl_stores *stores) {
	if (!stores) {
		return;
	}
	store_watch_destroy(stores->watch);
	for (int i = 0; i < stores->nmounted; i++) {
		free(stores->mounted[i]);
	}
	free(stores);
}

static void add(struct json_object *list, const char *path,
		const char *source) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "path", json_object_new_string(path));
	json_object_object_add(obj, "source", json_object_new_string(source));
	json_object_array_add(list, obj);
}

struct json_object *stores_json(struct pwl_stores *stores) {
	struct json_object *list = json_object_new_array();
	struct pwl_config *config = stores->server->config;
	for (size_t i = 0; i < config->stores_len; i++) {
		add(list, config->stores[i], "config");
	}
	for (int i = 0; i < stores->nmounted; i++) {
		add(list, stores->mounted[i], "mounted");
	}
	return list;
}

static bool store_has_app(const char *store, const char *id, char *out,
		size_t out_len) {
	char path[4096];
	snprintf(path, sizeof(path), "%s/pocket-store.ini", store);
	if (access(path, R_OK) < 0) {
		return false;
	}
	snprintf(path, sizeof(path), "%s/apps/%s.desktop", store, id);
	if (access(path, R_OK) < 0) {
		return false;
	}
	snprintf(out, out_len, "%s", store);
	return true;
}

bool stores_find_app(struct pwl_stores *stores, const char *id,
		char *store_path, size_t store_path_len) {
	struct pwl_config *config = stores->server->config;
	for (size_t i = 0; i < config->stores_len; i++) {
		if (store_has_app(config->stores[i], id, store_path,
				store_path_len)) {
			return true;
		}
	}
	for (int i = 0; i < stores->nmounted; i++) {
		if (store_has_app(stores->mounted[i], id, store_path,
				store_path_len)) {
			return true;
		}
	}
	return false;
}
