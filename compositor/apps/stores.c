#include "apps/stores.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "desktop/server.h"
#include "store.h"
#include "store_watch.h"
#include "util/config.h"

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
		wl_signal_emit(&stores->server->events.store_added, (void *)path);
	}
}

static void handle_removed(void *data, const char *path) {
	struct pwl_stores *stores = data;
	for (int i = 0; i < stores->nmounted; i++) {
		if (!strcmp(stores->mounted[i], path)) {
			free(stores->mounted[i]);
			stores->mounted[i] = stores->mounted[--stores->nmounted];
			wlr_log(WLR_INFO, "Pocket store removed: %s", path);
			// Its apps' data is on that disk: the launches stop them
			// before they write to a store that is gone.
			wl_signal_emit(&stores->server->events.store_removed,
				(void *)path);
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

void stores_for_each(struct pwl_stores *stores, stores_fn fn, void *data) {
	struct pwl_config *config = stores->server->config;
	for (size_t i = 0; i < config->stores_len; i++) {
		fn(data, config->stores[i], false);
	}
	for (int i = 0; i < stores->nmounted; i++) {
		fn(data, stores->mounted[i], true);
	}
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

static bool store_has_app(const char *store, const char *id) {
	char path[4200];
	return store_manifest_path(store, id, path, sizeof(path)) &&
		access(path, F_OK) == 0;
}

/* Every store of the session that offers `id`, configured ones first. */
static size_t offering(struct pwl_stores *stores, const char *id,
		bool configured_only, struct pwl_store_app *out, size_t max) {
	struct pwl_config *config = stores->server->config;
	size_t n = 0;
	size_t total = config->stores_len + (configured_only ? 0 :
		(size_t)stores->nmounted);
	for (size_t i = 0; i < total && n < max; i++) {
		bool mounted = i >= config->stores_len;
		const char *path = mounted ? stores->mounted[i - config->stores_len] :
			config->stores[i];
		if (!store_has_app(path, id)) {
			continue;
		}
		struct pwl_store_app *a = &out[n];
		memset(a, 0, sizeof(*a));
		char *name = NULL, error[1024];
		if (!store_identify(path, a->key, &name, error, sizeof(error))) {
			continue;
		}
		snprintf(a->id, sizeof(a->id), "%s", id);
		snprintf(a->path, sizeof(a->path), "%s", path);
		snprintf(a->store_name, sizeof(a->store_name), "%s", name);
		free(name);
		a->mounted = mounted;
		n++;
	}
	return n;
}

#define MAX_OFFERS 16

bool stores_find_app(struct pwl_stores *stores, const char *what,
		bool configured_only, struct pwl_store_app *out, char *error,
		size_t error_len) {
	char id[80] = "", key[STORE_KEY_LEN + 1] = "";
	const char *at = strchr(what, '@');
	if ((at ? (size_t)(at - what) : strlen(what)) >= sizeof(id) ||
			(at && strlen(at + 1) != STORE_KEY_LEN)) {
		snprintf(error, error_len, "'%s' is not an app (ID or ID@STORE-KEY)",
			what);
		return false;
	}
	snprintf(id, sizeof(id), "%.*s", at ? (int)(at - what) : (int)strlen(what),
		what);
	if (at) {
		snprintf(key, sizeof(key), "%s", at + 1);
	}
	if (!store_valid_id(id)) {
		snprintf(error, error_len, "'%s' is not an app id", id);
		return false;
	}
	struct pwl_store_app *all = calloc(MAX_OFFERS, sizeof(*all));
	if (!all) {
		snprintf(error, error_len, "out of memory");
		return false;
	}
	size_t n = offering(stores, id, configured_only, all, MAX_OFFERS);
	bool found = false;
	for (size_t i = 0; i < n && !found; i++) {
		if (key[0] ? !strcmp(all[i].key, key) : n == 1) {
			*out = all[i];
			found = true;
		}
	}
	if (!found && n > 1 && !key[0]) {
		// The same id from two disks is two apps: the user says which.
		int len = snprintf(error, error_len, "%zu stores offer '%s':", n, id);
		for (size_t i = 0; i < n && len > 0 && (size_t)len < error_len; i++) {
			len += snprintf(error + len, error_len - (size_t)len, " %s@%s "
				"(%s)", id, all[i].key, all[i].store_name);
		}
		if (len > 0 && (size_t)len < error_len) {
			snprintf(error + len, error_len - (size_t)len, "; name one");
		}
	} else if (!found) {
		snprintf(error, error_len, "no store of this session%s has the app "
			"'%s' (see pocketctl apps)", configured_only ? " configured in "
			"[stores] path" : "", what);
	}
	if (found) {
		// Shown as the plain id while no other store offers it.
		snprintf(out->display, sizeof(out->display), n > 1 ? "%s@%s" : "%s",
			id, out->key);
	}
	free(all);
	return found;
}

void stores_display_id(struct pwl_stores *stores, const char *key,
		const char *id, char *out, size_t out_len) {
	struct pwl_store_app *all = calloc(MAX_OFFERS, sizeof(*all));
	size_t n = all ? offering(stores, id, false, all, MAX_OFFERS) : 0;
	snprintf(out, out_len, n > 1 ? "%s@%s" : "%s", id, key);
	free(all);
}
