#include "apps/launch.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "apps/app_spec.h"
#include "apps/containers.h"
#include "apps/stores.h"
#include "clients/app.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "engine.h"
#include "engine_json.h"
#include "engine_ops.h"
#include "image.h"
#include "manifest.h"
#include "overrides.h"
#include "spec.h"
#include "store.h"
#include "store_fs.h"
#include "util/config.h"
#include "util/gpu_nodes.h"

/* Exited launches kept for `pocketctl ps --all` and `logs`. */
#define MAX_ENDED 16
#define MAX_LOGS (256 * 1024)
/* What the engine keeps of an app's output (LogConfig): enough for the
 * tail we show, never the disk. */
#define APP_LOG_FILE_BYTES (1024 * 1024)
#define APP_LOG_FILES 2

static double ms_between(const struct timespec *a, const struct timespec *b) {
	return (b->tv_sec - a->tv_sec) * 1000.0 +
		(b->tv_nsec - a->tv_nsec) / 1e6;
}

static void now(struct timespec *ts) {
	clock_gettime(CLOCK_MONOTONIC, ts);
}

static const char *launch_state_name(enum pwl_launch_state state) {
	switch (state) {
	case PWL_LAUNCH_WAITING:
		return "waiting-for-engine";
	case PWL_LAUNCH_LOADING:
		return "loading";
	case PWL_LAUNCH_STARTING:
		return "starting";
	case PWL_LAUNCH_RUNNING:
		return "running";
	case PWL_LAUNCH_STOPPING:
		return "stopping";
	case PWL_LAUNCH_EXITED:
		return "exited";
	case PWL_LAUNCH_FAILED:
		return "failed";
	}
	return "?";
}

bool launch_active(const struct pwl_launch *launch) {
	return launch->state != PWL_LAUNCH_EXITED &&
		launch->state != PWL_LAUNCH_FAILED;
}

struct json_object *launch_json(struct pwl_launch *launch) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "app", json_object_new_string(launch->app_id));
	json_object_object_add(obj, "name", json_object_new_string(launch->name));
	json_object_object_add(obj, "store", json_object_new_string(launch->store));
	json_object_object_add(obj, "store_key",
		json_object_new_string(launch->store_key));
	json_object_object_add(obj, "display",
		json_object_new_string(launch->display));
	json_object_object_add(obj, "instance", launch->instance ?
		json_object_new_string(launch->instance) : NULL);
	json_object_object_add(obj, "state",
		json_object_new_string(launch_state_name(launch->state)));
	json_object_object_add(obj, "container", launch->container_id[0] ?
		json_object_new_string(launch->container_id) : NULL);
	json_object_object_add(obj, "windows", json_object_new_int(launch->windows));
	json_object_object_add(obj, "ready", json_object_new_boolean(launch->ready));
	char perms[128];
	permissions_to_text(launch->permissions, perms, sizeof(perms));
	json_object_object_add(obj, "permissions", json_object_new_string(perms));
	if (launch->state == PWL_LAUNCH_WAITING) {
		// Why: what finding an engine said, and what fixes it.
		const char *why = containers_error(launch->server->containers);
		json_object_object_add(obj, "engine_error",
			json_object_new_string(why[0] ? why : "looking for it"));
	}
	if (launch->state == PWL_LAUNCH_LOADING) {
		json_object_object_add(obj, "phase", json_object_new_string(
			launch->progress_loading ? "loading" : "checking"));
		json_object_object_add(obj, "done",
			json_object_new_int64((int64_t)launch->progress_done));
		json_object_object_add(obj, "total",
			json_object_new_int64((int64_t)launch->progress_total));
	}
	if (launch->started_wall) {
		json_object_object_add(obj, "started",
			json_object_new_int64(launch->started_wall));
		json_object_object_add(obj, "uptime", json_object_new_int64(
			launch_active(launch) ? time(NULL) - launch->started_wall : 0));
	}
	if (launch->latency_ms > 0) {
		json_object_object_add(obj, "latency_ms",
			json_object_new_double(launch->latency_ms));
	}
	if (launch->state == PWL_LAUNCH_EXITED) {
		json_object_object_add(obj, "exit_code",
			json_object_new_int(launch->exit_code));
	}
	if (launch->error[0]) {
		json_object_object_add(obj, "error",
			json_object_new_string(launch->error));
	}
	return obj;
}

/* Everyone who follows apps (pocketctl through the IPC, the panel, kiosk
 * mode) hears of every change. */
static void changed(struct pwl_launch *launch) {
	wl_signal_emit(&launch->server->events.launch_changed, launch);
}

static void set_state(struct pwl_launch *launch, enum pwl_launch_state state) {
	launch->state = state;
	changed(launch);
}

static void drop_app(struct pwl_launch *launch) {
	if (launch->app) {
		wl_list_remove(&launch->app_destroy.link);
		struct pwl_app *app = launch->app;
		launch->app = NULL;
		app_destroy(app); // its clients, windows and socket go
	}
	if (launch->grace) {
		wl_event_source_remove(launch->grace);
		launch->grace = NULL;
	}
	launch->windows = 0;
}

static void launch_free(struct pwl_launch *launch) {
	drop_app(launch);
	if (launch->ensure) {
		image_ensure_cancel(launch->ensure);
	}
	if (launch->request) {
		engine_request_cancel(launch->request);
	}
	wl_list_remove(&launch->link);
	free(launch->app_id);
	free(launch->name);
	free(launch->store);
	free(launch->store_name);
	free(launch->instance);
	free(launch->logs);
	free(launch);
}

/* Ended launches are kept for a while (ps --all, logs), not forever. */
static void prune_ended(struct pwl_server *server) {
	int ended = 0;
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		// One still waiting for its container's last words and removal
		// is kept until that is done.
		if (!launch_active(launch) && !launch->request &&
				++ended > MAX_ENDED) {
			launch_free(launch);
		}
	}
}

static void fail(struct pwl_launch *launch, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void fail(struct pwl_launch *launch, const char *fmt, ...) {
	va_list args;
	va_start(args, fmt);
	vsnprintf(launch->error, sizeof(launch->error), fmt, args);
	va_end(args);
	wlr_log(WLR_ERROR, "Launch of %s failed: %s", launch->app_id,
		launch->error);
	drop_app(launch);
	set_state(launch, PWL_LAUNCH_FAILED);
}

static struct engine *engine_of(struct pwl_launch *launch) {
	return containers_engine(launch->server->containers);
}

/* ---- the end of a container ---- */

static void handle_removed(void *data, const struct engine_response *res) {
	(void)data;
	if (res->error) {
		wlr_log(WLR_ERROR, "Cannot remove an app container: %s", res->error);
	}
}

static void remove_container(struct pwl_server *server, const char *id) {
	struct engine *engine = containers_engine_any(server->containers);
	char err[256];
	if (engine && !engine_container_op(engine, "remove", id, handle_removed,
			NULL, err, sizeof(err))) {
		wlr_log(WLR_ERROR, "Cannot remove container %s: %s", id, err);
	}
}

static void handle_final_logs(void *data, const struct engine_response *res) {
	struct pwl_launch *launch = data;
	launch->request = NULL;
	if (!res->error) {
		free(launch->logs);
		launch->logs = engine_logs_text(res->body, res->body_len, MAX_LOGS);
	}
	remove_container(launch->server, launch->container_id);
}

/* The container is gone: its socket, windows and record of it too. */
static void container_ended(struct pwl_launch *launch, int exit_code) {
	if (!launch_active(launch)) {
		return;
	}
	launch->exit_code = exit_code;
	bool stopping = launch->state == PWL_LAUNCH_STOPPING;
	wlr_log(WLR_INFO, "App %s (%s) exited with status %d%s", launch->app_id,
		launch->instance ? launch->instance : "-", exit_code,
		stopping ? " after a stop" : "");
	if (!stopping && !launch->error[0] && exit_code != 0) {
		snprintf(launch->error, sizeof(launch->error), "exited with status "
			"%d", exit_code);
	}
	drop_app(launch);
	// Its last words, for `pocketctl logs`, then the container goes.
	char err[256];
	struct engine *engine = containers_engine_any(launch->server->containers);
	if (engine && launch->container_id[0]) {
		launch->request = engine_container_op(engine, "logs",
			launch->container_id, handle_final_logs, launch, err, sizeof(err));
		if (!launch->request) {
			remove_container(launch->server, launch->container_id);
		}
	}
	set_state(launch, PWL_LAUNCH_EXITED);
	prune_ended(launch->server);
}

/* ---- steps of a launch ---- */

static void handle_started(void *data, const struct engine_response *res) {
	struct pwl_launch *launch = data;
	launch->request = NULL;
	if (res->error) {
		remove_container(launch->server, launch->container_id);
		fail(launch, "the engine could not start the container: %s",
			res->error);
		return;
	}
	now(&launch->t_started);
	launch->started_wall = time(NULL);
	wlr_log(WLR_INFO, "App %s started: container %.12s, instance %s",
		launch->app_id, launch->container_id, launch->instance);
	set_state(launch, PWL_LAUNCH_RUNNING);
}

static void handle_created(void *data, const struct engine_response *res) {
	struct pwl_launch *launch = data;
	launch->request = NULL;
	char err[256];
	if (res->error || !engine_parse_id(res->body, res->body_len,
			launch->container_id, sizeof(launch->container_id), err,
			sizeof(err))) {
		fail(launch, "the engine could not create the container: %s",
			res->error ? res->error : err);
		return;
	}
	now(&launch->t_created);
	launch->request = engine_container_op(engine_of(launch), "start",
		launch->container_id, handle_started, launch, err, sizeof(err));
	if (!launch->request) {
		fail(launch, "%s", err);
	}
}

/* The uid the app runs as: the session user's, never root. A root session
 * (a kiosk, these test machines) runs its apps as [containers] root-uid. */
static uid_t app_uid(struct pwl_server *server) {
	uid_t uid = getuid();
	return uid ? uid : (uid_t)server->config->containers.root_uid;
}

static gid_t app_gid(struct pwl_server *server) {
	return getuid() ? getgid() : (gid_t)server->config->containers.root_uid;
}

/* How the engine maps users (its /info): a rootful engine runs uid:gid as
 * given; rootless Podman maps the session user to itself with keep-id;
 * rootless Docker's root is the session user. */
static enum app_users launch_users(struct engine *engine) {
	if (!engine_is_rootless(engine)) {
		return APP_USERS_ROOTFUL;
	}
	return engine_is_podman(engine) ? APP_USERS_KEEP_ID :
		APP_USERS_ROOT_IS_USER;
}

/* The data directory lives on the store, apart from the image, and stays
 * on it: data/<id> is resolved beneath the store without links and must
 * be a directory of the store's own filesystem (store_fs.h). Returns its
 * fd, to check the path again right before the engine gets it. */
static int prepare_data_dir(struct pwl_launch *launch, char *path,
		size_t path_len) {
	char err[1024];
	int root = store_fs_open_root(launch->store, err, sizeof(err));
	int fd = root < 0 ? -1 : store_fs_data_dir(root, launch->store,
		launch->app_id, true, app_uid(launch->server),
		app_gid(launch->server), path, path_len, err, sizeof(err));
	if (root >= 0) {
		close(root);
	}
	if (fd < 0) {
		fail(launch, "refusing the data directory: %s", err);
	}
	return fd;
}

/* The path the engine is about to mount still is that directory. */
static bool data_dir_unchanged(struct pwl_launch *launch, int fd) {
	char err[1024], rel[128];
	snprintf(rel, sizeof(rel), "data/%s", launch->app_id);
	int root = store_fs_open_root(launch->store, err, sizeof(err));
	bool same = root >= 0 && store_fs_same_dir(root, rel, fd);
	if (root >= 0) {
		close(root);
	}
	if (!same) {
		fail(launch, "refusing the data directory: %s/%s changed while the "
			"app was being prepared", launch->store, rel);
	}
	return same;
}

static void create_container(struct pwl_launch *launch,
		const struct manifest *m) {
	struct pwl_server *server = launch->server;
	set_state(launch, PWL_LAUNCH_STARTING);
	char data_dir[4096], err[512];
	int data_fd = prepare_data_dir(launch, data_dir, sizeof(data_dir));
	if (data_fd < 0) {
		return;
	}
	uid_t uid = app_uid(server);
	struct pwl_app *app = app_create(&server->clients, launch->display,
		launch->permissions, uid, err, sizeof(err));
	if (!app) {
		close(data_fd);
		fail(launch, "%s", err);
		return;
	}
	if (launch->mounted || strchr(launch->display, '@')) {
		// A plugged-in disk, or one of two stores offering the same id:
		// its label names the store, in a colour of its own.
		app_set_store(app, launch->store_name, launch->qualified);
	}
	launch->app = app;
	launch->instance = strdup(app->instance);
	app->owner = launch;
	if (launch->options.kiosk) {
		// The desktop keeps a kiosk's windows fullscreen where it says.
		app->pin = server->config->kiosk.span ? PWL_PIN_ALL :
			PWL_PIN_PRIMARY;
	}
	wl_signal_add(&app->events.destroy, &launch->app_destroy);

	struct pwl_gpu_nodes *gpu = calloc(1, sizeof(*gpu));
	struct app_spec *spec = calloc(1, sizeof(*spec));
	if (!gpu || !spec) {
		free(gpu);
		free(spec);
		close(data_fd);
		fail(launch, "out of memory");
		return;
	}
	if (launch->permissions & PWL_PERM_GPU) {
		gpu_nodes_find(gpu, server->config->containers.gpu_devices);
	}
	struct app_spec_input in = {
		.manifest = m,
		.permissions = launch->permissions,
		.uid = (unsigned)uid,
		.gid = (unsigned)app_gid(server),
		.image_id = launch->image_id,
		.socket_path = app->socket_path,
		.data_dir = data_dir,
		.app_id = launch->app_id,
		.instance = app->instance,
		.session = containers_session(server->containers),
		.store_key = launch->store_key,
		.gpu = gpu,
		.podman = engine_is_podman(engine_of(launch)),
		.users = launch_users(engine_of(launch)),
		.memory_bytes = (int64_t)server->config->containers.memory_mib << 20,
		.pids_limit = server->config->containers.pids,
		.log_max_bytes = APP_LOG_FILE_BYTES,
		.log_max_files = APP_LOG_FILES,
	};
	if (!app_spec_build(&in, spec, err, sizeof(err))) {
		free(gpu);
		free(spec);
		close(data_fd);
		char path[4200];
		store_manifest_path(launch->store, launch->app_id, path,
			sizeof(path));
		fail(launch, "%s: Command: %s", path, err);
		return;
	}
	char name[256];
	snprintf(name, sizeof(name), "pocketwl-%s-%d-%s", server->socket,
		(int)getpid(), app->instance);
	if (data_dir_unchanged(launch, data_fd)) {
		launch->request = engine_container_create(engine_of(launch), name,
			&spec->spec, handle_created, launch, err, sizeof(err));
	}
	close(data_fd);
	app_spec_finish(spec);
	free(spec);
	free(gpu);
	if (launch->state == PWL_LAUNCH_STARTING && !launch->request) {
		fail(launch, "%s", err);
	}
}

static bool load_manifest(struct pwl_launch *launch, struct manifest *m,
		char *error, size_t error_len) {
	return store_load_app(launch->store, launch->app_id, m, error, error_len);
}

static void handle_image_progress(void *data, enum image_phase phase,
		uint64_t done, uint64_t total) {
	struct pwl_launch *launch = data;
	launch->progress_loading = phase == IMAGE_PHASE_LOADING;
	launch->progress_done = done;
	launch->progress_total = total;
	changed(launch);
}

static void handle_image_done(void *data, bool loaded, const char *image_id,
		const char *error) {
	struct pwl_launch *launch = data;
	launch->ensure = NULL;
	if (error) {
		fail(launch, "%s", error);
		return;
	}
	snprintf(launch->image_id, sizeof(launch->image_id), "%s", image_id);
	now(&launch->t_image);
	if (loaded) {
		wlr_log(WLR_INFO, "App %s: image loaded from its store in %.0f ms",
			launch->app_id, ms_between(&launch->t_request, &launch->t_image));
	}
	// Read again: the store may have changed while the image loaded.
	struct manifest m = { 0 };
	char err[512];
	if (!load_manifest(launch, &m, err, sizeof(err))) {
		fail(launch, "%s", err);
		return;
	}
	create_container(launch, &m);
	manifest_finish(&m);
}

static void ensure_image(struct pwl_launch *launch) {
	struct pwl_server *server = launch->server;
	struct manifest m = { 0 };
	char err[512];
	if (!load_manifest(launch, &m, err, sizeof(err))) {
		fail(launch, "%s", err);
		return;
	}
	set_state(launch, PWL_LAUNCH_LOADING);
	struct image_ensure_listener listener = {
		.progress = handle_image_progress,
		.done = handle_image_done,
		.data = launch,
	};
	launch->ensure = image_ensure(engine_of(launch), server->loop,
		launch->store, launch->store_key, &m, &listener);
	manifest_finish(&m);
	if (!launch->ensure) {
		fail(launch, "cannot check the image of %s (out of memory?)",
			launch->app_id);
	}
}

static void handle_app_destroy(struct wl_listener *listener, void *data) {
	struct pwl_launch *launch = wl_container_of(listener, launch,
		app_destroy);
	(void)data;
	// Someone ended the instance (pocketctl app-destroy): the container
	// loses its display, so it goes too.
	wl_list_remove(&launch->app_destroy.link);
	launch->app = NULL;
	if (launch_active(launch)) {
		launch_stop(launch);
	}
}

/* ---- entry points ---- */

static struct pwl_launch *running_instance(struct pwl_server *server,
		const char *qualified) {
	struct pwl_launch *launch;
	wl_list_for_each(launch, &server->launches, link) {
		if (launch_active(launch) && !strcmp(launch->qualified, qualified) &&
				launch->state != PWL_LAUNCH_STOPPING) {
			return launch;
		}
	}
	return NULL;
}

static void focus_launch(struct pwl_launch *launch) {
	struct pwl_view *view;
	wl_list_for_each(view, &launch->server->views, link) {
		if (launch->app && view->app == launch->app) {
			seat_focus_view(launch->server->seat, view);
			return;
		}
	}
}

struct pwl_launch *launch_app(struct pwl_server *server, const char *what,
		const struct pwl_launch_options *options, char *error,
		size_t error_len) {
	struct pwl_store_app sa;
	if (!what) {
		snprintf(error, error_len, "no app named");
		return NULL;
	}
	if (!server->stores || !stores_find_app(server->stores, what,
			options->configured_only, &sa, error, error_len)) {
		return NULL;
	}
	const char *app_id = sa.id;
	const char *store = sa.path;
	const char *store_key = sa.key;
	struct pwl_launch probe = { .store = (char *)store,
		.app_id = (char *)app_id };
	struct manifest m = { 0 };
	if (!load_manifest(&probe, &m, error, error_len)) {
		return NULL;
	}
	struct app_override ov;
	struct manifest_messages ov_errors = { 0 };
	if (!override_load(store_key, app_id, &ov, &ov_errors)) {
		// A broken override must not silently widen or narrow anything.
		snprintf(error, error_len, "%s", ov_errors.lines[0]);
		manifest_messages_finish(&ov_errors);
		manifest_finish(&m);
		return NULL;
	}
	manifest_messages_finish(&ov_errors);
	uint32_t needs = override_needs_consent(m.permissions, &ov);
	if (needs && options->consent && options->consent_limited &&
			(needs & ~options->consented)) {
		char perms[128];
		permissions_to_text(needs & ~options->consented, perms,
			sizeof(perms));
		snprintf(error, error_len, "%s now asks for more than you were shown "
			"(%s): look at it again", app_id, perms);
		manifest_finish(&m);
		return NULL;
	}
	if (needs && !options->consent) {
		char perms[128];
		permissions_to_text(needs, perms, sizeof(perms));
		snprintf(error, error_len, "%s asks for: %s. Allow it in the panel "
			"or with pocketctl launch --yes", app_id, perms);
		manifest_finish(&m);
		return NULL;
	}
	char qualified[100];
	snprintf(qualified, sizeof(qualified), "%s@%s", app_id, store_key);
	struct pwl_launch *running = running_instance(server, qualified);
	if (m.instances == MANIFEST_SINGLE && running) {
		manifest_finish(&m);
		focus_launch(running);
		return running;
	}

	struct pwl_launch *launch = calloc(1, sizeof(*launch));
	if (!launch) {
		manifest_finish(&m);
		snprintf(error, error_len, "out of memory");
		return NULL;
	}
	launch->server = server;
	launch->app_id = strdup(app_id);
	launch->name = strdup(m.name);
	launch->store = strdup(store);
	memcpy(launch->store_key, store_key, sizeof(launch->store_key));
	memcpy(launch->display, sa.display, sizeof(launch->display));
	memcpy(launch->qualified, qualified, sizeof(launch->qualified));
	launch->store_name = strdup(sa.store_name);
	launch->mounted = sa.mounted;
	launch->permissions = override_effective(m.permissions, &ov);
	launch->options = *options;
	launch->exit_code = -1;
	launch->app_destroy.notify = handle_app_destroy;
	manifest_finish(&m);
	now(&launch->t_request);
	wl_list_insert(&server->launches, &launch->link);
	if (!launch->app_id || !launch->name || !launch->store ||
			!launch->store_name) {
		fail(launch, "out of memory");
		return launch;
	}
	if (containers_engine(server->containers)) {
		ensure_image(launch);
	} else {
		wlr_log(WLR_INFO, "Launch of %s waits for the container engine%s%s",
			app_id, containers_error(server->containers)[0] ? ": " : "",
			containers_error(server->containers));
		set_state(launch, PWL_LAUNCH_WAITING);
	}
	return launch;
}

static void handle_stopped_wait(void *data,
		const struct engine_response *res) {
	struct pwl_launch *launch = data;
	launch->request = NULL;
	int status = -1;
	char err[128];
	if (!res->error) {
		engine_parse_wait(res->body, res->body_len, &status, err, sizeof(err));
	}
	container_ended(launch, status);
}

static void handle_stopped(void *data, const struct engine_response *res) {
	struct pwl_launch *launch = data;
	launch->request = NULL;
	if (res->error && res->status != 304 && res->status != 404) {
		wlr_log(WLR_ERROR, "Cannot stop %s: %s", launch->app_id, res->error);
	}
	if (res->status == 404) {
		// Already gone (removed behind our back): nothing to remove.
		launch->container_id[0] = '\0';
		container_ended(launch, -1);
		return;
	}
	// Stopped; its exit status from /wait, which answers at once now (the
	// die event may come later, or never at exit).
	char err[256];
	launch->request = engine_container_op(
		containers_engine_any(launch->server->containers), "wait",
		launch->container_id, handle_stopped_wait, launch, err, sizeof(err));
	if (!launch->request) {
		container_ended(launch, -1);
	}
}

void launch_stop(struct pwl_launch *launch) {
	if (!launch_active(launch) || launch->state == PWL_LAUNCH_STOPPING) {
		return;
	}
	struct engine *engine = containers_engine_any(launch->server->containers);
	if (launch->state != PWL_LAUNCH_RUNNING || !launch->container_id[0] ||
			!engine) {
		// Not started yet: cancelling is enough.
		if (launch->ensure) {
			image_ensure_cancel(launch->ensure);
			launch->ensure = NULL;
		}
		if (launch->request) {
			engine_request_cancel(launch->request);
			launch->request = NULL;
		}
		if (launch->container_id[0]) {
			remove_container(launch->server, launch->container_id);
		}
		drop_app(launch);
		snprintf(launch->error, sizeof(launch->error), "stopped before it "
			"started");
		set_state(launch, PWL_LAUNCH_EXITED);
		prune_ended(launch->server);
		return;
	}
	char err[256];
	set_state(launch, PWL_LAUNCH_STOPPING);
	launch->request = engine_container_stop(engine,
		launch->container_id, launch->server->config->containers.stop_timeout_s,
		handle_stopped, launch, err, sizeof(err));
	if (!launch->request) {
		wlr_log(WLR_ERROR, "Cannot stop %s: %s", launch->app_id, err);
	}
}

struct pwl_launch *launch_find(struct pwl_server *server, const char *what) {
	struct pwl_launch *launch, *best = NULL;
	wl_list_for_each(launch, &server->launches, link) {
		if (launch->instance && !strcmp(launch->instance, what)) {
			return launch;
		}
		// Newest first in the list; an active one beats an ended one.
		bool named = !strcmp(launch->qualified, what) ||
			!strcmp(launch->display, what) || !strcmp(launch->app_id, what);
		if (named && (!best ||
				(launch_active(launch) && !launch_active(best)))) {
			best = launch;
		}
	}
	return best;
}

static void engine_ready(void *data) {
	struct pwl_server *server = data;
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		if (launch->state == PWL_LAUNCH_WAITING) {
			ensure_image(launch);
		}
	}
}

static void engine_event(void *data, const struct engine_event *event) {
	struct pwl_server *server = data;
	if (event->kind != ENGINE_EVENT_DIE && event->kind != ENGINE_EVENT_DESTROY) {
		return;
	}
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		if (launch->container_id[0] && launch_active(launch) &&
				!strcmp(launch->container_id, event->id) &&
				launch->state != PWL_LAUNCH_STARTING) {
			container_ended(launch, event->exit_code);
		}
	}
}

static void handle_stale_removed(void *data,
		const struct engine_response *res) {
	(void)data;
	// 404 and 409: gone already, or its removal is under way.
	if (res->error && res->status != 404 && res->status != 409) {
		wlr_log(WLR_ERROR, "Cannot remove a leftover app container: %s",
			res->error);
	}
}

/* A container of this session that no launch holds on to is left over:
 * the engine went away between its app's end and its removal (Docker stops
 * its containers as it shuts down, then refuses our remove), or before it
 * answered a create it carried out. A launch whose create is still being
 * answered knows its instance but not yet the container's id. */
static bool container_held(struct pwl_server *server,
		const struct engine_container_info *info) {
	struct pwl_launch *launch;
	wl_list_for_each(launch, &server->launches, link) {
		bool busy = launch_active(launch) || launch->request;
		if (busy && !strcmp(launch->container_id, info->id)) {
			return true;
		}
		if (launch_active(launch) && !launch->container_id[0] &&
				launch->instance && !strcmp(launch->instance, info->instance)) {
			return true;
		}
	}
	return false;
}

static void remove_stale_containers(struct pwl_server *server,
		const struct engine_container_info *ours, size_t len) {
	struct engine *engine = containers_engine_any(server->containers);
	for (size_t i = 0; engine && i < len; i++) {
		if (container_held(server, &ours[i])) {
			continue;
		}
		wlr_log(WLR_INFO, "Removing leftover container %.12s of app %s (%s)",
			ours[i].id, ours[i].app, ours[i].state);
		char err[256];
		if (!engine_container_op(engine, "remove", ours[i].id,
				handle_stale_removed, NULL, err, sizeof(err))) {
			wlr_log(WLR_ERROR, "Cannot remove container %s: %s", ours[i].id,
				err);
		}
	}
}

static void engine_reconcile(void *data,
		const struct engine_container_info *running, size_t len) {
	struct pwl_server *server = data;
	remove_stale_containers(server, running, len);
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		if (launch->state != PWL_LAUNCH_RUNNING &&
				launch->state != PWL_LAUNCH_STOPPING) {
			continue;
		}
		bool alive = false;
		for (size_t i = 0; i < len; i++) {
			if (!strcmp(running[i].id, launch->container_id) &&
					!strcmp(running[i].state, "running")) {
				alive = true;
			}
		}
		if (!alive) {
			wlr_log(WLR_INFO, "App %s ended while the engine was away",
				launch->app_id);
			container_ended(launch, -1);
		}
	}
}

static void log_latency(struct pwl_launch *launch) {
	struct timespec t;
	now(&t);
	launch->latency_ms = ms_between(&launch->t_request, &t);
	wlr_log(WLR_INFO, "Launch of %s (%s): first window %.0f ms after the "
		"request (image %.0f ms, create %.0f ms, start %.0f ms, to the "
		"window %.0f ms)", launch->app_id, launch->instance,
		launch->latency_ms, ms_between(&launch->t_request, &launch->t_image),
		ms_between(&launch->t_image, &launch->t_created),
		ms_between(&launch->t_created, &launch->t_started),
		ms_between(&launch->t_started, &t));
}

/* A launch of ours is the owner of its app instance. */
static struct pwl_launch *launch_of_view(struct pwl_server *server,
		struct pwl_view *view) {
	if (!view->app || !view->app->owner) {
		return NULL;
	}
	struct pwl_launch *launch;
	wl_list_for_each(launch, &server->launches, link) {
		if (launch == view->app->owner) {
			return launch;
		}
	}
	return NULL;
}

static void handle_view_mapped(struct wl_listener *listener, void *data) {
	struct pwl_server *server = wl_container_of(listener, server,
		launch_view_mapped);
	struct pwl_launch *launch = launch_of_view(server, data);
	if (!launch) {
		return;
	}
	launch->windows++;
	if (launch->grace) {
		wl_event_source_remove(launch->grace);
		launch->grace = NULL;
	}
	if (!launch->ready) {
		launch->ready = true;
		log_latency(launch);
	}
	changed(launch);
}

static int handle_grace(void *data) {
	struct pwl_launch *launch = data;
	wl_event_source_remove(launch->grace);
	launch->grace = NULL;
	if (launch->windows == 0) {
		wlr_log(WLR_INFO, "App %s has had no window for %d s: stopping it",
			launch->app_id, launch->server->config->containers.stop_grace_s);
		launch_stop(launch);
	}
	return 0;
}

static void handle_view_unmapped(struct wl_listener *listener, void *data) {
	struct pwl_server *server = wl_container_of(listener, server,
		launch_view_unmapped);
	struct pwl_launch *launch = launch_of_view(server, data);
	if (!launch || launch->windows == 0) {
		return;
	}
	launch->windows--;
	int grace = launch->server->config->containers.stop_grace_s;
	// Kiosk apps are not stopped for closing a window: they restart.
	if (launch->windows == 0 && grace >= 0 && !launch->options.kiosk &&
			launch->state == PWL_LAUNCH_RUNNING && !launch->grace) {
		launch->grace = wl_event_loop_add_timer(launch->server->loop,
			handle_grace, launch);
		if (launch->grace) {
			wl_event_source_timer_update(launch->grace,
				grace > 0 ? grace * 1000 : 1);
		}
	}
	changed(launch);
}

static void handle_store_removed(struct wl_listener *listener, void *data) {
	struct pwl_server *server = wl_container_of(listener, server,
		launch_store_removed);
	const char *store = data;
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		if (launch_active(launch) && !strcmp(launch->store, store)) {
			wlr_log(WLR_INFO, "Stopping %s: its store %s was removed",
				launch->app_id, store);
			snprintf(launch->error, sizeof(launch->error), "its store %s was "
				"removed", store);
			launch_stop(launch);
		}
	}
}

static void stop_all(void *data) {
	struct pwl_server *server = data;
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		launch_stop(launch);
	}
}

static void finish_all(void *data) {
	launches_finish(data);
}

bool launches_init(struct pwl_server *server) {
	struct containers_listener engine = {
		.ready = engine_ready,
		.event = engine_event,
		.reconcile = engine_reconcile,
		.stop_all = stop_all,
		.finish = finish_all,
		.data = server,
	};
	containers_set_listener(server->containers, &engine);
	server->launch_store_removed.notify = handle_store_removed;
	wl_signal_add(&server->events.store_removed,
		&server->launch_store_removed);
	server->launch_view_mapped.notify = handle_view_mapped;
	wl_signal_add(&server->events.view_mapped, &server->launch_view_mapped);
	server->launch_view_unmapped.notify = handle_view_unmapped;
	wl_signal_add(&server->events.view_unmapped,
		&server->launch_view_unmapped);
	return true;
}

void launches_finish(struct pwl_server *server) {
	struct pwl_launch *launch, *tmp;
	wl_list_for_each_safe(launch, tmp, &server->launches, link) {
		launch_free(launch);
	}
	// Called by the engine link and by the session: remove-then-init.
	wl_list_remove(&server->launch_store_removed.link);
	wl_list_init(&server->launch_store_removed.link);
	wl_list_remove(&server->launch_view_mapped.link);
	wl_list_init(&server->launch_view_mapped.link);
	wl_list_remove(&server->launch_view_unmapped.link);
	wl_list_init(&server->launch_view_unmapped.link);
}
