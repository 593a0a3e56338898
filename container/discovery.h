#ifndef POCKET_DISCOVERY_H
#define POCKET_DISCOVERY_H

/* Finds a container engine: the first place that answers /_ping wins, in
 * this order: the explicit address (--engine or config), $DOCKER_HOST,
 * $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock,
 * /var/run/docker.sock. The API version is then negotiated from /version.
 * When none answers, the error names every place tried and how to start
 * an engine. */
#include <stdbool.h>
#include <stddef.h>

struct wl_event_loop;
struct engine;

typedef void (*discovery_done_fn)(void *data, struct engine *engine,
	const char *error);

struct discovery;

/** `done` is called once, from the loop: with a connected engine (now the
 * caller's), or with NULL and the error. The handle is valid until then
 * (NULL only when out of memory, after `done` was called). */
struct discovery *engine_discover(struct wl_event_loop *loop,
	const char *explicit_address, discovery_done_fn done, void *data);
/** Stops a discovery under way; `done` is then never called. */
void engine_discover_cancel(struct discovery *discovery);

/** What the panel shows of a missing engine: a short reason and the one
 * command that fixes it, from the discovery's (or the link's) error.
 * `root` is whether the session runs as root (system units, no sudo). */
void engine_missing_advice(const char *error, bool root, char *reason,
	size_t reason_len, char *fix, size_t fix_len);

/** Negotiates the API version of an engine that answers. */
void engine_connect(struct engine *engine, discovery_done_fn done,
	void *data);

#endif
