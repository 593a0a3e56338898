#include "apps/containers.h"

#include <errno.h>
#include <json-c/json.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wlr/util/log.h>

#include "desktop/server.h"
#include "discovery.h"
#include "engine.h"
#include "engine_json.h"
#include "engine_ops.h"
#include "events.h"
#include "util/config.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
#define MAX_QUEUED_EVENTS 256

enum link_state {
	LINK_CONNECTING,
	LINK_CONNECTED,
	LINK_MISSING,
};

struct pwl_containers {
	struct pwl_server *server;
	struct containers_listener listener; // the launches'; zeroed: none
	struct engine *engine; // NULL until found
	struct engine_watch *watch;
	enum link_state state;
	char error[1024];
	char session[160];
	struct wl_event_source *retry;
	int backoff_ms;
	struct discovery *discovery; // under way
	struct engine_request *listing;

	/* Events come from inside libcurl, where starting requests is not
	 * allowed: they are queued and handled on an idle turn. */
	struct engine_event queued[MAX_QUEUED_EVENTS];
	int nqueued;
	bool relist; // events were dropped
	bool exiting; // the session ends: the last listing sweeps
	struct wl_event_source *idle;
};

/* "host:pid:start": an earlier session is gone when no process with that
 * pid and start time lives on this host. */
static unsigned long long process_start(pid_t pid) {
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f) {
		return 0;
	}
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	// Field 22, counted after the command name, which may hold spaces.
	char *p = strrchr(buf, ')');
	unsigned long long start = 0;
	for (int field = 2; p && *p; p++) {
		if (*p == ' ' && ++field == 22) {
			start = strtoull(p + 1, NULL, 10);
			break;
		}
	}
	return start;
}

static void make_session_id(struct pwl_containers *c) {
	char host[64] = "localhost";
	gethostname(host, sizeof(host) - 1);
	snprintf(c->session, sizeof(c->session), "%s:%d:%llu", host,
		(int)getpid(), process_start(getpid()));
}

bool containers_session_gone(const char *session) {
	char host[64] = "localhost", their_host[64];
	gethostname(host, sizeof(host) - 1);
	int pid;
	unsigned long long start;
	if (sscanf(session, "%63[^:]:%d:%llu", their_host, &pid, &start) != 3 ||
			strcmp(their_host, host) || pid <= 0) {
		return false; // not ours to judge
	}
	// Only ESRCH means gone: EPERM is a live process of another user,
	// whose session's containers are not ours to remove.
	if (kill(pid, 0) < 0) {
		return errno == ESRCH;
	}
	unsigned long long now = process_start(pid);
	return now != 0 && now != start;
}

static void broadcast_state(struct pwl_containers *c) {
	wl_signal_emit(&c->server->events.engine_changed, NULL);
}

/* ---- orphans and reconciliation ---- */

static void handle_removed(void *data, const struct engine_response *res) {
	(void)data;
	// 404 and 409: gone already, or its removal is under way.
	if (res->error && res->status != 404 && res->status != 409) {
		wlr_log(WLR_ERROR, "Cannot remove an app container: %s", res->error);
	}
}

/* At exit, after every launch was stopped: whatever of this session is
 * still there (a stop or remove that failed) goes too. */
static void sweep(struct pwl_containers *c,
		const struct engine_container_info *ours, size_t n) {
	for (size_t i = 0; i < n; i++) {
		wlr_log(WLR_INFO, "Removing container %.12s (%s, %s) at exit",
			ours[i].id, ours[i].app, ours[i].state);
		char err[256];
		if (!engine_container_op(c->engine, "remove", ours[i].id,
				handle_removed, NULL, err, sizeof(err))) {
			wlr_log(WLR_ERROR, "Cannot remove %s: %s", ours[i].id, err);
		}
	}
}

static void handle_listing(void *data, const struct engine_response *res) {
	struct pwl_containers *c = data;
	c->listing = NULL;
	struct engine_container_info *infos = NULL;
	size_t n = 0;
	char err[256];
	if (res->error || !engine_parse_container_list(res->body, res->body_len,
			&infos, &n, err, sizeof(err))) {
		wlr_log(WLR_ERROR, "Cannot list app containers: %s",
			res->error ? res->error : err);
		return;
	}
	size_t ours = 0;
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(infos[i].session, c->session)) {
			infos[ours++] = infos[i];
		} else if (!c->exiting && containers_session_gone(infos[i].session)) {
			wlr_log(WLR_INFO, "Removing container %.12s (%s) of an earlier "
				"session that is gone", infos[i].id, infos[i].app);
			if (!engine_container_op(c->engine, "remove", infos[i].id,
					handle_removed, NULL, err, sizeof(err))) {
				wlr_log(WLR_ERROR, "Cannot remove %s: %s", infos[i].id, err);
			}
		}
	}
	if (c->exiting) {
		sweep(c, infos, ours);
	} else {
		if (c->listener.reconcile) {
			c->listener.reconcile(c->listener.data, infos, ours);
		}
	}
	free(infos);
}

static void list_containers(struct pwl_containers *c) {
	if (c->listing || !c->engine) {
		return;
	}
	char err[256];
	c->listing = engine_container_list(c->engine, "io.pocketwl.session", NULL,
		handle_listing, c, err, sizeof(err));
	if (!c->listing) {
		wlr_log(WLR_ERROR, "Cannot list app containers: %s", err);
	}
}

/* ---- events ---- */

static void handle_idle_events(void *data) {
	struct pwl_containers *c = data;
	c->idle = NULL;
	struct engine_event events[MAX_QUEUED_EVENTS];
	int n = c->nqueued;
	memcpy(events, c->queued, n * sizeof(events[0]));
	c->nqueued = 0;
	for (int i = 0; i < n; i++) {
		if (c->listener.event) {
			c->listener.event(c->listener.data, &events[i]);
		}
	}
	if (c->relist) {
		c->relist = false;
		list_containers(c);
	}
}

static void handle_event(void *data, const struct engine_event *event) {
	struct pwl_containers *c = data;
	if (c->nqueued == MAX_QUEUED_EVENTS) {
		// Too many at once: ask the engine what is still running instead.
		c->relist = true;
	} else {
		c->queued[c->nqueued++] = *event;
	}
	if (!c->idle) {
		c->idle = wl_event_loop_add_idle(c->server->loop, handle_idle_events,
			c);
	}
}

static void handle_watch_state(void *data, enum engine_watch_state state,
		const char *error) {
	struct pwl_containers *c = data;
	if (state == ENGINE_WATCH_LOST) {
		wlr_log(WLR_ERROR, "Lost the container engine: %s",
			error ? error : "?");
		snprintf(c->error, sizeof(c->error), "the engine at %s went away: %s",
			engine_address(c->engine), error ? error : "?");
		c->state = LINK_MISSING;
	} else {
		wlr_log(WLR_INFO, "The container engine is back");
		c->error[0] = '\0';
		c->state = LINK_CONNECTED;
		// Events in between are lost: ask what still runs.
		list_containers(c);
		if (c->listener.ready) {
			c->listener.ready(c->listener.data);
		}
	}
	broadcast_state(c);
}

/* ---- discovery ---- */

static void discover(struct pwl_containers *c);

static int handle_retry(void *data) {
	discover(data);
	return 0;
}

static void handle_discovered(void *data, struct engine *engine,
		const char *error) {
	struct pwl_containers *c = data;
	c->discovery = NULL;
	if (!engine) {
		snprintf(c->error, sizeof(c->error), "%s", error ? error : "?");
		if (c->state != LINK_MISSING) {
			wlr_log(WLR_ERROR, "No container engine: %s (looking again "
				"every %d s at most)", c->error, BACKOFF_MAX_MS / 1000);
		}
		c->state = LINK_MISSING;
		broadcast_state(c);
		wl_event_source_timer_update(c->retry, c->backoff_ms);
		c->backoff_ms = c->backoff_ms * 2 > BACKOFF_MAX_MS ?
			BACKOFF_MAX_MS : c->backoff_ms * 2;
		return;
	}
	c->engine = engine;
	c->state = LINK_CONNECTED;
	c->error[0] = '\0';
	struct containers_status st;
	containers_status(c, &st);
	wlr_log(WLR_INFO, "Container engine at %s (API %s, %s)%s%s",
		engine_address(engine), engine_api_version(engine), st.mode,
		st.limits ? "" : "; it does not enforce memory and pid limits "
		"(rootless on cgroup v1)", st.gpu_groups ? "" : "; GPU nodes "
		"opened only by a group stay closed to apps (rootless runc drops "
		"supplementary groups)");
	struct engine_watch_listener listener = {
		.event = handle_event,
		.state = handle_watch_state,
		.data = c,
	};
	c->watch = engine_watch_events(engine, c->server->loop, &listener);
	list_containers(c);
	broadcast_state(c);
	if (c->listener.ready) {
		c->listener.ready(c->listener.data);
	}
}

static void discover(struct pwl_containers *c) {
	if (c->discovery || c->engine) {
		return;
	}
	c->discovery = engine_discover(c->server->loop,
		c->server->config->containers.engine, handle_discovered, c);
}

struct pwl_containers *containers_create(struct pwl_server *server) {
	struct pwl_containers *c = calloc(1, sizeof(*c));
	if (!c) {
		return NULL;
	}
	c->server = server;
	c->backoff_ms = BACKOFF_MIN_MS;
	make_session_id(c);
	c->retry = wl_event_loop_add_timer(server->loop, handle_retry, c);
	if (!c->retry) {
		free(c);
		return NULL;
	}
	discover(c);
	return c;
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* One turn of the loop while the session ends, as wl_display_run turns
 * it: what the clients are owed goes out first. Without the flush an app
 * that waits for an answer of ours on its way out (foot does, on SIGTERM)
 * never gets it and holds the exit until the stop timeout's SIGKILL. */
static void turn_loop(struct pwl_server *server) {
	wl_display_flush_clients(server->display);
	wl_event_loop_dispatch(server->loop, 100);
}

void containers_destroy(struct pwl_containers *c) {
	if (!c) {
		return;
	}
	struct pwl_server *server = c->server;
	engine_watch_destroy(c->watch);
	c->watch = NULL;
	if (c->listing) {
		engine_request_cancel(c->listing);
		c->listing = NULL;
	}
	if (c->idle) {
		wl_event_source_remove(c->idle);
		c->idle = NULL;
	}
	if (c->listener.stop_all) {
		c->listener.stop_all(c->listener.data);
	}
	if (c->engine) {
		// Apps get the stop timeout to save their work, the engine a few
		// seconds more to answer; then we go regardless.
		long deadline = now_ms() + server->config->containers.stop_timeout_s *
			1000L + 3000;
		while (engine_pending(c->engine) > 0 && now_ms() < deadline) {
			turn_loop(server);
		}
		if (c->state == LINK_CONNECTED) {
			c->exiting = true;
			list_containers(c);
			deadline += 2000;
			while (engine_pending(c->engine) > 0 && now_ms() < deadline) {
				turn_loop(server);
			}
		}
		if (engine_pending(c->engine) > 0) {
			wlr_log(WLR_ERROR, "The engine did not stop every app in time; "
				"the next session removes what is left");
		}
	}
	if (c->listener.finish) {
		c->listener.finish(c->listener.data);
	}
	engine_discover_cancel(c->discovery);
	wl_event_source_remove(c->retry);
	if (c->engine) {
		engine_destroy(c->engine);
	}
	free(c);
}

struct engine *containers_engine(struct pwl_containers *c) {
	return c && c->state == LINK_CONNECTED ? c->engine : NULL;
}

struct engine *containers_engine_any(struct pwl_containers *c) {
	return c ? c->engine : NULL;
}

const char *containers_error(struct pwl_containers *c) {
	return c ? c->error : "no container support";
}

const char *containers_session(struct pwl_containers *c) {
	return c->session;
}

void containers_set_listener(struct pwl_containers *c,
		const struct containers_listener *listener) {
	if (c) {
		c->listener = *listener;
	}
}

void containers_status(struct pwl_containers *c,
		struct containers_status *out) {
	memset(out, 0, sizeof(*out));
	out->state = !c ? "missing" : c->state == LINK_CONNECTED ? "connected" :
		c->state == LINK_MISSING ? "missing" : "connecting";
	if (c && c->engine) {
		out->rootless = engine_is_rootless(c->engine);
		// Rootless engines on cgroup v1 ignore memory and pid limits;
		// runc under a rootless engine drops the user's supplementary
		// groups (crun's keep-groups is not there), so GPU nodes that
		// only a group opens stay closed.
		out->limits = !out->rootless || engine_cgroup_version(c->engine) == 2;
		out->gpu_groups = !out->rootless;
		snprintf(out->mode, sizeof(out->mode), "%s %s", out->rootless ?
			"rootless" : "rootful", engine_is_podman(c->engine) ? "Podman" :
			"Docker");
	}
	if (!strcmp(out->state, "missing")) {
		engine_missing_advice(c ? c->error : NULL, getuid() == 0,
			out->reason, sizeof(out->reason), out->fix, sizeof(out->fix));
	}
}

struct json_object *containers_json(struct pwl_containers *c) {
	struct containers_status st;
	containers_status(c, &st);
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "state", json_object_new_string(st.state));
	if (c->engine) {
		json_object_object_add(obj, "address",
			json_object_new_string(engine_address(c->engine)));
		json_object_object_add(obj, "rootless",
			json_object_new_boolean(st.rootless));
		json_object_object_add(obj, "limits_enforced",
			json_object_new_boolean(st.limits));
		json_object_object_add(obj, "gpu_groups",
			json_object_new_boolean(st.gpu_groups));
		json_object_object_add(obj, "mode", json_object_new_string(st.mode));
	}
	if (c->error[0]) {
		json_object_object_add(obj, "error", json_object_new_string(c->error));
	}
	if (st.reason[0]) {
		json_object_object_add(obj, "reason",
			json_object_new_string(st.reason));
		json_object_object_add(obj, "fix", json_object_new_string(st.fix));
	}
	json_object_object_add(obj, "session", json_object_new_string(c->session));
	return obj;
}
