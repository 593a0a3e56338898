#include "events.h"

#include <stdlib.h>
#include <wayland-server-core.h>

#include "engine.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000

struct engine_watch {
	struct engine *engine;
	struct engine_watch_listener listener;
	struct engine_request *stream; // may be NULL
	struct engine_request *ping; // may be NULL
	struct wl_event_source *retry;
	int backoff_ms;
	bool lost;
};

static void start_stream(struct engine_watch *watch);

static void handle_line(void *data, const char *line, size_t len) {
	struct engine_watch *watch = data;
	struct engine_event event;
	watch->backoff_ms = BACKOFF_MIN_MS;
	if (engine_parse_event(line, len, &event) &&
			event.kind != ENGINE_EVENT_OTHER && watch->listener.event) {
		watch->listener.event(watch->listener.data, &event);
	}
}

static void schedule_retry(struct engine_watch *watch) {
	wl_event_source_timer_update(watch->retry, watch->backoff_ms);
	watch->backoff_ms *= 2;
	if (watch->backoff_ms > BACKOFF_MAX_MS) {
		watch->backoff_ms = BACKOFF_MAX_MS;
	}
}

static void handle_stream_done(void *data, const struct engine_response *res) {
	struct engine_watch *watch = data;
	watch->stream = NULL;
	if (!watch->lost) {
		watch->lost = true;
		if (watch->listener.state) {
			watch->listener.state(watch->listener.data, ENGINE_WATCH_LOST,
				res->error ? res->error : "the event stream ended");
		}
	}
	schedule_retry(watch);
}

static void handle_ping(void *data, const struct engine_response *res) {
	struct engine_watch *watch = data;
	watch->ping = NULL;
	if (res->error) {
		schedule_retry(watch);
		return;
	}
	// Streams only once the engine answers, so that the caller's resync
	// (on RECONNECTED) sees the engine as it is now.
	watch->lost = false;
	start_stream(watch);
	if (watch->listener.state) {
		watch->listener.state(watch->listener.data, ENGINE_WATCH_RECONNECTED,
			NULL);
	}
}

static int handle_retry(void *data) {
	struct engine_watch *watch = data;
	watch->ping = engine_request(watch->engine, "GET", "//_ping", NULL,
		handle_ping, watch);
	if (!watch->ping) {
		schedule_retry(watch);
	}
	return 0;
}

static void start_stream(struct engine_watch *watch) {
	// filters={"type":["container"]}
	watch->stream = engine_stream(watch->engine,
		"/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D",
		handle_line, handle_stream_done, watch);
	if (!watch->stream) {
		schedule_retry(watch);
	}
}

struct engine_watch *engine_watch_events(struct engine *engine,
		struct wl_event_loop *loop,
		const struct engine_watch_listener *listener) {
	struct engine_watch *watch = calloc(1, sizeof(*watch));
	if (!watch) {
		return NULL;
	}
	watch->engine = engine;
	watch->listener = *listener;
	watch->backoff_ms = BACKOFF_MIN_MS;
	watch->retry = wl_event_loop_add_timer(loop, handle_retry, watch);
	if (!watch->retry) {
		free(watch);
		return NULL;
	}
	start_stream(watch);
	return watch;
}

void engine_watch_destroy(struct engine_watch *watch) {
	if (!watch) {
		return;
	}
	engine_request_cancel(watch->stream);
	engine_request_cancel(watch->ping);
	wl_event_source_remove(watch->retry);
	free(watch);
}
