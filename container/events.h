#ifndef POCKET_EVENTS_H
#define POCKET_EVENTS_H

/* The engine's container events as the source of truth for container
 * lifetimes (/wait can miss short-lived containers on Podman). The watch
 * reconnects by itself when the engine goes away and comes back, with a
 * backoff of 1 s doubling to 30 s; after a reconnection the caller should
 * list its containers again, as events in between are lost. */
#include <stdbool.h>

#include "engine_json.h"

struct engine;
struct wl_event_loop;
struct engine_watch;

enum engine_watch_state {
	ENGINE_WATCH_LOST, // the stream ended; retrying
	ENGINE_WATCH_RECONNECTED, // the engine answers again
};

struct engine_watch_listener {
	/* Called from inside libcurl: must not destroy the watch or engine. */
	void (*event)(void *data, const struct engine_event *event);
	void (*state)(void *data, enum engine_watch_state state,
		const char *error); // error may be NULL
	void *data;
};

struct engine_watch *engine_watch_events(struct engine *engine,
	struct wl_event_loop *loop, const struct engine_watch_listener *listener);
void engine_watch_destroy(struct engine_watch *watch); // accepts NULL

#endif
