#include "control/pocket_shell.h"

#include <json-c/json.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "apps/containers.h"
#include "apps/launch.h"
#include "apps/stores.h"
#include "clients/app.h"
#include "desktop/server.h"
#include "engine.h"
#include "engine_ops.h"
#include "manifest.h"
#include "overrides.h"
#include "pins.h"
#include "pocket-shell-unstable-v1-protocol.h"
#include "store.h"
#include "store_fs.h"
#include "util/config.h"

#define MAX_CATALOG 512

/* What the shell was last told about one app. */
struct catalog_app {
	char id[100]; // display id (stores.h)
	char store_path[4096];
	uint32_t consent_shown; // the permissions its consent view showed
};

struct pwl_pocket_shell {
	struct pwl_server *server;
	struct wl_global *global;
	struct wl_list resources; // wl_resource links
	struct wl_listener launch_changed;
	struct wl_listener store_added;
	struct wl_listener store_removed;
	struct wl_listener menu;
	struct wl_listener engine_changed;
	struct catalog_app *catalog;
	size_t catalog_len;
};

static struct pwl_pocket_shell *shell_of(struct wl_resource *resource) {
	return wl_resource_get_user_data(resource);
}

/* ---- what is sent ---- */

static enum zpocket_shell_v1_state state_of(struct pwl_launch *launch) {
	if (!launch) {
		return ZPOCKET_SHELL_V1_STATE_STOPPED;
	}
	switch (launch->state) {
	case PWL_LAUNCH_WAITING:
		return ZPOCKET_SHELL_V1_STATE_WAITING;
	case PWL_LAUNCH_LOADING:
		return ZPOCKET_SHELL_V1_STATE_LOADING;
	case PWL_LAUNCH_STARTING:
		return ZPOCKET_SHELL_V1_STATE_STARTING;
	case PWL_LAUNCH_RUNNING:
		return ZPOCKET_SHELL_V1_STATE_RUNNING;
	case PWL_LAUNCH_STOPPING:
		return ZPOCKET_SHELL_V1_STATE_STOPPING;
	case PWL_LAUNCH_EXITED:
		return launch->error[0] ? ZPOCKET_SHELL_V1_STATE_FAILED :
			ZPOCKET_SHELL_V1_STATE_STOPPED;
	case PWL_LAUNCH_FAILED:
		return ZPOCKET_SHELL_V1_STATE_FAILED;
	}
	return ZPOCKET_SHELL_V1_STATE_STOPPED;
}

static void send_state(struct wl_resource *resource, const char *app_id,
		struct pwl_launch *launch, const char *message) {
	uint32_t progress = 0;
	if (launch && launch->state == PWL_LAUNCH_LOADING &&
			launch->progress_total > 0) {
		progress = (uint32_t)(launch->progress_done * 1000 /
			launch->progress_total);
	}
	zpocket_shell_v1_send_state(resource, app_id, state_of(launch), progress,
		launch && launch->ready && launch_active(launch),
		launch ? (uint32_t)launch->windows : 0,
		message ? message : launch ? launch->error : "");
}

/* Fills `out` with <store>/<rel> if that is a regular file of the store
 * (no link, no FIFO, at most STORE_MAX_ICON bytes): the panel opens what
 * we name, and a FIFO or a huge file would hang or flood it. */
static bool use_if_present(int root, const char *store, const char *rel,
		char *out, size_t out_len) {
	char error[1024];
	int fd = root < 0 ? -1 : store_fs_open_file(root, store, rel,
		STORE_MAX_ICON, NULL, error, sizeof(error));
	if (fd < 0) {
		if (errno != ENOENT && root >= 0) {
			wlr_log(WLR_ERROR, "Icon refused: %s", error);
		}
		return false;
	}
	close(fd);
	return (size_t)snprintf(out, out_len, "%s/%s", store, rel) < out_len;
}

/* The best icon: icons/<Icon>-<size>.png of the largest size, else
 * icons/<Icon>.png, else Icon as a path inside the store. */
static void icon_path(const char *store, const struct manifest *m, char *out,
		size_t out_len) {
	out[0] = '\0';
	if (!m->icon) {
		return;
	}
	char error[1024];
	int root = store_fs_open_root(store, error, sizeof(error));
	char rel[512];
	if (strchr(m->icon, '/')) {
		use_if_present(root, store, m->icon, out, out_len);
	} else {
		static const int sizes[] = { 256, 128, 96, 64, 48, 32 };
		bool found = false;
		for (size_t i = 0; !found && i < sizeof(sizes) / sizeof(sizes[0]);
				i++) {
			snprintf(rel, sizeof(rel), "icons/%.400s-%d.png", m->icon,
				sizes[i]);
			found = use_if_present(root, store, rel, out, out_len);
		}
		snprintf(rel, sizeof(rel), "icons/%.400s.png", m->icon);
		if (!found) {
			use_if_present(root, store, rel, out, out_len);
		}
	}
	if (root >= 0) {
		close(root);
	}
}

static struct catalog_app *catalog_find(struct pwl_pocket_shell *shell,
		const char *display) {
	for (size_t i = 0; i < shell->catalog_len; i++) {
		if (!strcmp(shell->catalog[i].id, display)) {
			return &shell->catalog[i];
		}
	}
	return NULL;
}

/* The app as the panel shows it: its display id (the plain id unless two
 * stores offer it), and what it would ask the user to consent to, which
 * is remembered: consent given later holds for that much only. */
static void send_app(struct pwl_pocket_shell *shell,
		struct wl_resource *resource, const char *store_path,
		const char *store_name, const char *store_key,
		const struct manifest *m) {
	struct app_override ov;
	struct manifest_messages errors = { 0 };
	override_load(store_key, m->id, &ov, &errors);
	manifest_messages_finish(&errors);
	char perms[128], consent[128], icon[4096], display[100];
	uint32_t needs = override_needs_consent(m->permissions, &ov);
	permissions_to_text(override_effective(m->permissions, &ov), perms,
		sizeof(perms));
	permissions_to_text(needs, consent, sizeof(consent));
	stores_display_id(shell->server->stores, store_key, m->id, display,
		sizeof(display));
	struct catalog_app *entry = catalog_find(shell, display);
	if (entry) {
		entry->consent_shown = needs;
	}
	icon_path(store_path, m, icon, sizeof(icon));
	const char *locale = manifest_user_locale();
	const char *comment = manifest_localized(m, "Comment", locale);
	zpocket_shell_v1_send_app(resource, display,
		manifest_localized(m, "Name", locale), comment ? comment : "", icon,
		store_name, perms, consent);
}

static void send_launch_state(struct pwl_pocket_shell *shell,
		struct wl_resource *resource, struct pwl_launch *launch) {
	char display[100];
	stores_display_id(shell->server->stores, launch->store_key,
		launch->app_id, display, sizeof(display));
	send_state(resource, display, launch, NULL);
}

/* Every store the session knows, loaded now (they are small files). */
typedef void (*store_fn)(void *data, struct pocket_store *store,
	bool mounted);

struct each_store {
	store_fn fn;
	void *data;
};

static void load_one(void *data, const char *path, bool mounted) {
	struct each_store *each = data;
	struct pocket_store store;
	if (store_load(&store, path)) {
		each->fn(each->data, &store, mounted);
	}
	store_finish(&store);
}

static void for_each_store(struct pwl_server *server, store_fn fn,
		void *data) {
	if (server->stores) {
		struct each_store each = { fn, data };
		stores_for_each(server->stores, load_one, &each);
	}
}

struct send_all {
	struct pwl_pocket_shell *shell;
	struct wl_resource *resource;
};

static void send_store(void *data, struct pocket_store *store, bool mounted) {
	struct send_all *s = data;
	zpocket_shell_v1_send_store(s->resource, store->path, store->name, 1,
		mounted);
	for (size_t i = 0; i < store->apps_len; i++) {
		const struct manifest *m = &store->apps[i];
		send_app(s->shell, s->resource, store->path, store->name, store->key,
			m);
		char display[100];
		stores_display_id(s->shell->server->stores, store->key, m->id,
			display, sizeof(display));
		send_state(s->resource, display, launch_find(s->shell->server,
			display), NULL);
	}
}

static void send_engine(struct pwl_pocket_shell *shell,
		struct wl_resource *resource) {
	if (wl_resource_get_version(resource) <
			ZPOCKET_SHELL_V1_ENGINE_SINCE_VERSION) {
		return;
	}
	struct containers_status st;
	containers_status(shell->server->containers, &st);
	uint32_t state = !strcmp(st.state, "connected") ?
		ZPOCKET_SHELL_V1_ENGINE_STATE_CONNECTED :
		!strcmp(st.state, "missing") ? ZPOCKET_SHELL_V1_ENGINE_STATE_MISSING :
		ZPOCKET_SHELL_V1_ENGINE_STATE_CONNECTING;
	uint32_t enforced = (st.limits ? ZPOCKET_SHELL_V1_ENFORCED_LIMITS : 0) |
		(st.gpu_groups ? ZPOCKET_SHELL_V1_ENFORCED_GPU_GROUPS : 0);
	zpocket_shell_v1_send_engine(resource, state, st.mode, enforced,
		st.reason, st.fix);
}

static void send_everything(struct pwl_pocket_shell *shell,
		struct wl_resource *resource) {
	send_engine(shell, resource);
	struct send_all s = { shell, resource };
	for_each_store(shell->server, send_store, &s);
	zpocket_shell_v1_send_done(resource);
}

/* ---- the catalog, kept to tell shells what went away ---- */

struct collect {
	struct pwl_pocket_shell *shell;
	struct catalog_app *apps;
	size_t len;
};

static void collect_store(void *data, struct pocket_store *store,
		bool mounted) {
	struct collect *c = data;
	for (size_t i = 0; i < store->apps_len && c->len < MAX_CATALOG; i++) {
		char display[100];
		stores_display_id(c->shell->server->stores, store->key,
			store->apps[i].id, display, sizeof(display));
		bool seen = false;
		for (size_t k = 0; k < c->len; k++) {
			seen |= !strcmp(c->apps[k].id, display);
		}
		if (!seen) {
			struct catalog_app *old = catalog_find(c->shell, display);
			c->apps[c->len].consent_shown = old ? old->consent_shown : 0;
			snprintf(c->apps[c->len].id, sizeof(c->apps[0].id), "%s",
				display);
			snprintf(c->apps[c->len].store_path,
				sizeof(c->apps[0].store_path), "%s", store->path);
			c->len++;
		}
	}
}

static void refresh_catalog(struct pwl_pocket_shell *shell, bool notify) {
	struct collect c = { shell, calloc(MAX_CATALOG, sizeof(*c.apps)), 0 };
	if (!c.apps) {
		return;
	}
	for_each_store(shell->server, collect_store, &c);
	if (notify) {
		for (size_t i = 0; i < shell->catalog_len; i++) {
			bool still = false;
			for (size_t k = 0; k < c.len; k++) {
				still |= !strcmp(shell->catalog[i].id, c.apps[k].id);
			}
			struct wl_resource *resource;
			wl_resource_for_each(resource, &shell->resources) {
				if (!still) {
					zpocket_shell_v1_send_app_removed(resource,
						shell->catalog[i].id);
				}
			}
		}
	}
	free(shell->catalog);
	shell->catalog = c.apps;
	shell->catalog_len = c.len;
}

static void stores_changed(struct pwl_pocket_shell *shell, const char *path,
		bool present) {
	refresh_catalog(shell, true);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		if (!present) {
			zpocket_shell_v1_send_store(resource, path, "", 0, 1);
		}
		send_everything(shell, resource);
	}
}

static void handle_store_added(struct wl_listener *listener, void *data) {
	struct pwl_pocket_shell *shell = wl_container_of(listener, shell,
		store_added);
	stores_changed(shell, data, true);
}

static void handle_store_removed(struct wl_listener *listener, void *data) {
	struct pwl_pocket_shell *shell = wl_container_of(listener, shell,
		store_removed);
	stores_changed(shell, data, false);
}

static void handle_menu(struct wl_listener *listener, void *data) {
	struct pwl_pocket_shell *shell = wl_container_of(listener, shell, menu);
	(void)data;
	pocket_shell_menu(shell);
}

static void handle_launch_changed(struct wl_listener *listener, void *data) {
	struct pwl_pocket_shell *shell = wl_container_of(listener, shell,
		launch_changed);
	struct pwl_launch *launch = data;
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		send_launch_state(shell, resource, launch);
		zpocket_shell_v1_send_done(resource);
	}
}

/* ---- requests ---- */

static void broadcast_state(struct pwl_pocket_shell *shell, const char *app_id,
		const char *message) {
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		send_state(resource, app_id, launch_find(shell->server, app_id),
			message);
		zpocket_shell_v1_send_done(resource);
	}
}

static bool find_manifest(struct pwl_pocket_shell *shell, const char *app_id,
		struct manifest *m, struct pwl_store_app *sa) {
	char error[1024];
	return shell->server->stores && stores_find_app(shell->server->stores,
		app_id, false, sa, error, sizeof(error)) &&
		store_load_app(sa->path, sa->id, m, error, sizeof(error));
}

/* Consent "always" and "deny" are the user's word on what the panel
 * showed them, kept in the override of that (store, app). */
static void record_consent(struct pwl_pocket_shell *shell, const char *app_id,
		bool allow) {
	struct manifest m = { 0 };
	struct pwl_store_app sa;
	if (!find_manifest(shell, app_id, &m, &sa)) {
		return;
	}
	struct catalog_app *entry = catalog_find(shell, app_id);
	uint32_t shown = entry ? entry->consent_shown : 0;
	struct app_override ov;
	struct manifest_messages errors = { 0 };
	if (override_load(sa.key, sa.id, &ov, &errors)) {
		uint32_t needs = override_needs_consent(m.permissions, &ov);
		if (allow) {
			ov.granted |= needs & shown;
		} else {
			ov.deny |= needs;
		}
		char err[512];
		if (!override_save(sa.key, sa.id, &ov, err, sizeof(err))) {
			wlr_log(WLR_ERROR, "pocket-shell: %s", err);
		}
	}
	manifest_messages_finish(&errors);
	manifest_finish(&m);
}

static void resend_app(struct pwl_pocket_shell *shell, const char *app_id) {
	struct manifest m = { 0 };
	struct pwl_store_app sa;
	if (!find_manifest(shell, app_id, &m, &sa)) {
		return;
	}
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		send_app(shell, resource, sa.path, sa.store_name, sa.key, &m);
	}
	manifest_finish(&m);
}

static void handle_launch(struct wl_client *client,
		struct wl_resource *resource, const char *app_id, uint32_t consent) {
	struct pwl_pocket_shell *shell = shell_of(resource);
	if (consent > ZPOCKET_SHELL_V1_CONSENT_ALWAYS) {
		wl_resource_post_error(resource, 0, "unknown consent %u", consent);
		return;
	}
	if (consent == ZPOCKET_SHELL_V1_CONSENT_ALWAYS) {
		record_consent(shell, app_id, true);
		resend_app(shell, app_id);
	}
	// Consent covers what the panel showed, no more: a manifest that
	// asks more since then is refused until the user has seen it.
	struct catalog_app *entry = catalog_find(shell, app_id);
	struct pwl_launch_options options = {
		.consent = consent != ZPOCKET_SHELL_V1_CONSENT_NONE,
		.consent_limited = true,
		.consented = entry ? entry->consent_shown : 0,
	};
	char error[1024];
	if (!launch_app(shell->server, app_id, &options, error, sizeof(error))) {
		// Not even started (consent needed, app gone...): say why.
		resend_app(shell, app_id);
		broadcast_state(shell, app_id, error);
	}
}

static void handle_deny(struct wl_client *client,
		struct wl_resource *resource, const char *app_id) {
	struct pwl_pocket_shell *shell = shell_of(resource);
	record_consent(shell, app_id, false);
	resend_app(shell, app_id);
	broadcast_state(shell, app_id, NULL);
}

static void handle_stop(struct wl_client *client,
		struct wl_resource *resource, const char *app_id) {
	struct pwl_pocket_shell *shell = shell_of(resource);
	struct pwl_launch *launch;
	while ((launch = launch_find(shell->server, app_id)) &&
			launch_active(launch) && launch->state != PWL_LAUNCH_STOPPING) {
		launch_stop(launch);
	}
}

struct purge {
	struct pwl_pocket_shell *shell;
	char app_id[100];
	char key[17], id[80];
};

static void handle_purged(void *data, const struct engine_response *res) {
	struct purge *p = data;
	char message[600] = "";
	if (res->error && res->status != 404) {
		snprintf(message, sizeof(message), "cannot remove the image: %s",
			res->error);
	} else {
		pin_remove(p->key, p->id);
	}
	if (p->shell) {
		broadcast_state(p->shell, p->app_id, message);
	}
	free(p);
}

static void handle_purge(struct wl_client *client,
		struct wl_resource *resource, const char *app_id) {
	struct pwl_pocket_shell *shell = shell_of(resource);
	struct pwl_launch *launch = launch_find(shell->server, app_id);
	if (launch && launch_active(launch)) {
		broadcast_state(shell, app_id, "stop the app before purging its "
			"image");
		return;
	}
	struct manifest m = { 0 };
	struct pwl_store_app sa;
	struct engine *engine = containers_engine(shell->server->containers);
	if (!find_manifest(shell, app_id, &m, &sa)) {
		broadcast_state(shell, app_id, "no such app in the session's stores");
		return;
	}
	manifest_finish(&m);
	struct image_pin pin;
	if (!pin_load(sa.key, sa.id, &pin)) {
		// Only what pocketwl loaded for this (store, app) is its to remove.
		broadcast_state(shell, app_id, "no image of it was loaded from its "
			"store; nothing removed");
		return;
	}
	if (!engine) {
		broadcast_state(shell, app_id, "no container engine");
		return;
	}
	struct purge *p = calloc(1, sizeof(*p));
	char err[256];
	if (p) {
		p->shell = shell;
		snprintf(p->app_id, sizeof(p->app_id), "%s", app_id);
		snprintf(p->key, sizeof(p->key), "%s", sa.key);
		snprintf(p->id, sizeof(p->id), "%s", sa.id);
		if (!engine_image_remove(engine, pin.image_id, handle_purged, p, err,
				sizeof(err))) {
			free(p);
			broadcast_state(shell, app_id, err);
		}
	}
}

static void handle_engine_changed(struct wl_listener *listener,
		void *data) {
	struct pwl_pocket_shell *shell =
		wl_container_of(listener, shell, engine_changed);
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		send_engine(shell, resource);
		zpocket_shell_v1_send_done(resource);
	}
}

static void handle_destroy(struct wl_client *client,
		struct wl_resource *resource) {
	wl_resource_destroy(resource);
}

static const struct zpocket_shell_v1_interface shell_impl = {
	.destroy = handle_destroy,
	.launch = handle_launch,
	.deny = handle_deny,
	.stop = handle_stop,
	.purge = handle_purge,
};

static void resource_destroy(struct wl_resource *resource) {
	wl_list_remove(wl_resource_get_link(resource));
}

static void shell_bind(struct wl_client *client, void *data, uint32_t version,
		uint32_t id) {
	struct pwl_pocket_shell *shell = data;
	struct wl_resource *resource = wl_resource_create(client,
		&zpocket_shell_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &shell_impl, shell,
		resource_destroy);
	wl_list_insert(&shell->resources, wl_resource_get_link(resource));
	send_everything(shell, resource);
}

struct pwl_pocket_shell *pocket_shell_create(struct pwl_server *server) {
	struct pwl_pocket_shell *shell = calloc(1, sizeof(*shell));
	if (!shell) {
		return NULL;
	}
	shell->server = server;
	wl_list_init(&shell->resources);
	shell->global = wl_global_create(server->display,
		&zpocket_shell_v1_interface, 2, shell, shell_bind);
	if (!shell->global) {
		free(shell);
		return NULL;
	}
	shell->launch_changed.notify = handle_launch_changed;
	wl_signal_add(&server->events.launch_changed, &shell->launch_changed);
	shell->store_added.notify = handle_store_added;
	wl_signal_add(&server->events.store_added, &shell->store_added);
	shell->store_removed.notify = handle_store_removed;
	wl_signal_add(&server->events.store_removed, &shell->store_removed);
	shell->menu.notify = handle_menu;
	wl_signal_add(&server->events.menu, &shell->menu);
	shell->engine_changed.notify = handle_engine_changed;
	wl_signal_add(&server->events.engine_changed, &shell->engine_changed);
	refresh_catalog(shell, false);
	return shell;
}

void pocket_shell_destroy(struct pwl_pocket_shell *shell) {
	if (!shell) {
		return;
	}
	struct wl_resource *resource, *tmp;
	wl_resource_for_each_safe(resource, tmp, &shell->resources) {
		wl_resource_set_user_data(resource, NULL);
		wl_list_remove(wl_resource_get_link(resource));
		wl_list_init(wl_resource_get_link(resource));
	}
	wl_list_remove(&shell->launch_changed.link);
	wl_list_remove(&shell->store_added.link);
	wl_list_remove(&shell->store_removed.link);
	wl_list_remove(&shell->menu.link);
	wl_list_remove(&shell->engine_changed.link);
	wl_global_destroy(shell->global);
	free(shell->catalog);
	free(shell);
}

void pocket_shell_menu(struct pwl_pocket_shell *shell) {
	if (!shell) {
		return;
	}
	struct wl_resource *resource;
	wl_resource_for_each(resource, &shell->resources) {
		zpocket_shell_v1_send_menu(resource);
	}
}
