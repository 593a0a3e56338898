#include "discovery.h"

#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <wayland-server-core.h>

#include "engine.h"
#include "engine_json.h"

#define MAX_CANDIDATES 5
#define PING_TIMEOUT_MS 3000

struct discovery {
	struct wl_event_loop *loop;
	char *candidates[MAX_CANDIDATES];
	int ncandidates, next;
	struct engine *engine; // the one being tried
	char tried[4096]; // "address (reason); ..."
	discovery_done_fn done;
	void *data;
	struct wl_event_source *start; // the idle that makes the first try
};

struct connecting {
	struct engine *engine;
	discovery_done_fn done;
	void *data;
};

static void add_candidate(struct discovery *d, const char *address) {
	if (!address || !address[0] || d->ncandidates == MAX_CANDIDATES) {
		return;
	}
	for (int i = 0; i < d->ncandidates; i++) {
		if (!strcmp(d->candidates[i], address)) {
			return;
		}
	}
	d->candidates[d->ncandidates] = strdup(address);
	if (d->candidates[d->ncandidates]) {
		d->ncandidates++;
	}
}

static void add_path(struct discovery *d, const char *path) {
	char address[4200];
	snprintf(address, sizeof(address), "unix://%s", path);
	add_candidate(d, address);
}

static void discovery_free(struct discovery *d) {
	for (int i = 0; i < d->ncandidates; i++) {
		free(d->candidates[i]);
	}
	free(d);
}

static void note_failure(struct discovery *d, const char *address,
		const char *why) {
	size_t len = strlen(d->tried);
	snprintf(d->tried + len, sizeof(d->tried) - len, "%s%s (%s)",
		len ? "; " : "", address ? address : "?", why ? why : "?");
}

static void try_next(struct discovery *d);
static void handle_connected(void *data, struct engine *engine,
	const char *error);

static bool apply_version(struct engine *engine,
		const struct engine_response *res, char *error, size_t error_len) {
	char version[16];
	struct engine_version_info info;
	if (res->error) {
		snprintf(error, error_len, "%s", res->error);
		return false;
	}
	if (engine_parse_version(res->body, res->body_len, &info, error,
			error_len) && engine_choose_api_version(&info, version,
			sizeof(version), error, error_len)) {
		engine_set_api_version(engine, version);
		engine_set_podman(engine, info.podman);
		return true;
	}
	return false;
}

/* Which mode the engine runs in decides how apps run as the session's
 * user (rootless engines map users differently). An engine that does not
 * answer /info is taken as rootful, as before. */
static void handle_discovery_info(void *data,
		const struct engine_response *res) {
	struct discovery *d = data;
	bool rootless = false;
	int cgroup = 0;
	char error[512];
	if (!res->error) {
		engine_parse_info(res->body, res->body_len, &rootless, &cgroup, error,
			sizeof(error));
	}
	engine_set_mode(d->engine, rootless, cgroup);
	handle_connected(d, d->engine, NULL);
}

/* The discovery's own /version step, so that cancelling it frees all. */
static void handle_discovery_version(void *data,
		const struct engine_response *res) {
	struct discovery *d = data;
	char error[512];
	if (!apply_version(d->engine, res, error, sizeof(error))) {
		handle_connected(d, NULL, error);
		return;
	}
	if (!engine_request(d->engine, "GET", "/info", NULL,
			handle_discovery_info, d)) {
		handle_connected(d, NULL, "out of memory");
	}
}

static void handle_connected(void *data, struct engine *engine,
		const char *error) {
	struct discovery *d = data;
	if (engine) {
		d->engine = NULL;
		d->done(d->data, engine, NULL);
		discovery_free(d);
		return;
	}
	note_failure(d, engine_address(d->engine), error);
	engine_destroy(d->engine);
	d->engine = NULL;
	try_next(d);
}

/* A unix socket the user may not use: curl only says it could not
 * connect, which sends people looking for an engine that is there. Say
 * what it is and whose group opens it. */
static bool socket_refused(const char *address, char *out, size_t out_len) {
	const char *prefix = "unix://";
	if (strncmp(address, prefix, strlen(prefix))) {
		return false;
	}
	const char *path = address + strlen(prefix);
	struct stat st;
	if (stat(path, &st) < 0 || !S_ISSOCK(st.st_mode) ||
			access(path, R_OK | W_OK) == 0 || errno != EACCES) {
		return false;
	}
	struct group *g = getgrgid(st.st_gid);
	char group[64];
	if (g) {
		snprintf(group, sizeof(group), "%s", g->gr_name);
	} else {
		snprintf(group, sizeof(group), "%u", (unsigned)st.st_gid);
	}
	snprintf(out, out_len, "permission denied: the socket is for group "
		"'%s', which you are not in (sudo usermod -aG %s $USER, then log "
		"in again)", group, group);
	return true;
}

static void handle_ping(void *data, const struct engine_response *res) {
	struct discovery *d = data;
	if (res->error) {
		const char *why = res->error;
		// curl's message starts with the address, which we print anyway.
		const char *colon = strstr(why, ": ");
		char refused[256];
		if (socket_refused(engine_address(d->engine), refused,
				sizeof(refused))) {
			why = refused;
			colon = NULL;
		}
		note_failure(d, engine_address(d->engine), colon ? colon + 2 : why);
		engine_destroy(d->engine);
		d->engine = NULL;
		try_next(d);
		return;
	}
	engine_set_timeout(d->engine, 0);
	if (!engine_request(d->engine, "GET", "//version", NULL,
			handle_discovery_version, d)) {
		handle_connected(d, NULL, "out of memory");
	}
}

static void try_next(struct discovery *d) {
	while (d->next < d->ncandidates) {
		const char *address = d->candidates[d->next++];
		char error[512];
		d->engine = engine_create(d->loop, address, error, sizeof(error));
		if (!d->engine) {
			note_failure(d, address, error);
			continue;
		}
		engine_set_timeout(d->engine, PING_TIMEOUT_MS);
		if (engine_request(d->engine, "GET", "//_ping", NULL, handle_ping, d)) {
			return;
		}
		note_failure(d, address, "out of memory");
		engine_destroy(d->engine);
		d->engine = NULL;
	}
	char error[4600];
	snprintf(error, sizeof(error), "no container engine answered. Tried: "
		"%s. Start one: 'systemctl --user start podman.socket' (Podman), "
		"'sudo systemctl start docker' (Docker), or 'pocketctl engine "
		"--start' for a private Podman service", d->tried);
	d->done(d->data, NULL, error);
	discovery_free(d);
}

void engine_missing_advice(const char *error, bool root, char *reason,
		size_t reason_len, char *fix, size_t fix_len) {
	const char *mark = "the socket is for group '";
	const char *group = error ? strstr(error, mark) : NULL;
	if (group) {
		group += strlen(mark);
		int n = (int)strcspn(group, "'");
		if (n > 0 && n < 64 && group[n] == '\'') {
			snprintf(reason, reason_len, "no permission on the engine's "
				"socket (group %.*s)", n, group);
			snprintf(fix, fix_len, "sudo usermod -aG %.*s $USER, then log "
				"in again", n, group);
			return;
		}
	}
	if (error && strstr(error, "went away")) {
		snprintf(reason, reason_len, "the container engine stopped");
	} else {
		snprintf(reason, reason_len, "no container engine is running");
	}
	snprintf(fix, fix_len, "%s", root ?
		"systemctl enable --now podman.socket (or docker)" :
		"systemctl --user enable --now podman.socket");
}

static void start_discovery(void *data) {
	struct discovery *d = data;
	d->start = NULL;
	try_next(d);
}

void engine_discover_cancel(struct discovery *d) {
	if (d) {
		if (d->start) {
			wl_event_source_remove(d->start);
		}
		if (d->engine) {
			engine_destroy(d->engine); // its requests, without callbacks
		}
		discovery_free(d);
	}
}

struct discovery *engine_discover(struct wl_event_loop *loop,
		const char *explicit_address, discovery_done_fn done, void *data) {
	struct discovery *d = calloc(1, sizeof(*d));
	if (!d) {
		done(data, NULL, "out of memory");
		return NULL;
	}
	d->loop = loop;
	d->done = done;
	d->data = data;
	add_candidate(d, explicit_address);
	add_candidate(d, getenv("DOCKER_HOST"));
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	if (runtime && runtime[0]) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/podman/podman.sock", runtime);
		add_path(d, path);
	}
	add_path(d, "/run/podman/podman.sock");
	add_path(d, "/var/run/docker.sock");
	// The first try starts from the loop, so that `done` never runs
	// before the caller has the handle.
	d->start = wl_event_loop_add_idle(loop, start_discovery, d);
	if (!d->start) {
		discovery_free(d);
		done(data, NULL, "out of memory");
		return NULL;
	}
	return d;
}

static void handle_version(void *data, const struct engine_response *res) {
	struct connecting *c = data;
	char error[512];
	if (apply_version(c->engine, res, error, sizeof(error))) {
		c->done(c->data, c->engine, NULL);
	} else {
		c->done(c->data, NULL, error);
	}
	free(c);
}

void engine_connect(struct engine *engine, discovery_done_fn done,
		void *data) {
	struct connecting *c = calloc(1, sizeof(*c));
	if (!c) {
		done(data, NULL, "out of memory");
		return;
	}
	c->engine = engine;
	c->done = done;
	c->data = data;
	// Read without a version prefix: this is how we learn the version.
	if (!engine_request(engine, "GET", "//version", NULL, handle_version, c)) {
		free(c);
		done(data, NULL, "out of memory");
	}
}
