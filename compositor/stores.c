#include "stores.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/util/log.h>

#include "config.h"
#include "server.h"
#include "store_watch.h"

#define MAX_MOUNTED 64

struct pwl_stores {
	struct pwl_server *server;
	struct store_watch *watch;
	char *mounted[MAX_MOUNTED];
	int nmounted;
};

static void handle_added(void *data, const char *path) {
	struct pwl_stores *stores = data;
	if (stores->nmounted == MAX_MOUNTED) {
		return;
	}
	char *copy = strdup(path);
	if (copy) {
		stores->mounted[stores->nmounted++] = copy;
		wlr_log(WLR_INFO, "Pocket store plugged in: %s", path);
	}
}

static void handle_removed(void *data, const char *path) {
	struct pwl_stores *stores = data;
	for (int i = 0; i < stores->nmounted; i++) {
		if (!strcmp(stores->mounted[i], path)) {
			free(stores->mounted[i]);
			stores->mounted[i] = stores->mounted[--stores->nmounted];
			wlr_log(WLR_INFO, "Pocket store removed: %s", path);
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
