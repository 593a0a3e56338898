#ifndef PWL_CONTAINERS_H
#define PWL_CONTAINERS_H

/* The session's link to the container engine: found at start-up (and
 * looked for again with a backoff while there is none), its event stream
 * watched, containers of earlier sessions that are gone removed, and every
 * app container of this session stopped, in bounded time, at exit. */
#include <stdbool.h>
#include <stddef.h>

struct pwl_server;
struct pwl_containers;
struct engine;
struct json_object;

struct engine_event;
struct engine_container_info;

/* What the engine link tells the app launches (apps/launch.c registers
 * it): the link knows nothing of launches. */
struct containers_listener {
	void (*ready)(void *data); // an engine is there (again)
	void (*event)(void *data, const struct engine_event *event);
	/* After the engine came back: this session's containers. */
	void (*reconcile)(void *data, const struct engine_container_info *ours,
		size_t len);
	void (*stop_all)(void *data); // the session ends: stop every app
	void (*finish)(void *data); // ... and let go of them
	void *data;
};

struct pwl_containers *containers_create(struct pwl_server *server);
void containers_set_listener(struct pwl_containers *containers,
	const struct containers_listener *listener);
/** Stops this session's app containers (bounded by the stop timeout plus a
 * few seconds), then lets go of the engine. */
void containers_destroy(struct pwl_containers *containers); // accepts NULL

/** The connected engine, or NULL while there is none. */
struct engine *containers_engine(struct pwl_containers *containers);
/** The engine even while its event stream is lost: for stopping and
 * removing, which are worth trying whether or not it is back. */
struct engine *containers_engine_any(struct pwl_containers *containers);
/** Why there is no engine ("" while looking for the first time). */
const char *containers_error(struct pwl_containers *containers);
/** This session's io.pocketwl.session label value. */
const char *containers_session(struct pwl_containers *containers);
/** Whether the session a container's io.pocketwl.session label names
 * ("host:pid:start") is gone: its process is not there (ESRCH) or is
 * another one (start time). A live process of another user (EPERM) is
 * not gone. Another host's label is never judged. */
bool containers_session_gone(const char *session);
/** What the engine link is and what the engine enforces, for the panel,
 * pocketctl and the log: never a limit that is not there. */
struct containers_status {
	const char *state; // "connected", "connecting", "missing"
	bool rootless;
	bool limits; // memory and pid limits in force
	bool gpu_groups; // supplementary groups reach the app (GPU nodes)
	char mode[64]; // "rootful Podman", "rootless Docker", ... or ""
	char reason[256]; // when missing: the short reason ...
	char fix[256]; // ... and the command that fixes it
};
void containers_status(struct pwl_containers *containers,
	struct containers_status *out);
/** {"state": "connected"|"connecting"|"missing", "address", "error",
 * "rootless", "limits_enforced", "gpu_groups", "mode", "reason", "fix"} */
struct json_object *containers_json(struct pwl_containers *containers);

#endif
