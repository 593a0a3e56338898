#ifndef POCKET_DISCOVERY_H
#define POCKET_DISCOVERY_H

/* Finds a container engine: the first place that answers /_ping wins, in
 * this order: the explicit address (--engine or config), $DOCKER_HOST,
 * $XDG_RUNTIME_DIR/podman/podman.sock, /run/podman/podman.sock,
 * /var/run/docker.sock. The API version is then negotiated from /version.
 * When none answers, the error names every place tried and how to start
 * an engine. */
struct wl_event_loop;
struct engine;

typedef void (*discovery_done_fn)(void *data, struct engine *engine,
	const char *error);

/** `done` is called once, from the loop: with a connected engine (now the
 * caller's), or with NULL and the error. */
void engine_discover(struct wl_event_loop *loop, const char *explicit_address,
	discovery_done_fn done, void *data);

/** Negotiates the API version of an engine that answers. */
void engine_connect(struct engine *engine, discovery_done_fn done,
	void *data);

#endif
