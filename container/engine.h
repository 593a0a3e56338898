#ifndef POCKET_ENGINE_H
#define POCKET_ENGINE_H

/*
 * A client of the Docker Engine HTTP API (served by Docker and by Podman's
 * compatible service), asynchronous on a wl_event_loop: libcurl's multi
 * interface is driven by the loop's fd and timer sources, so no call ever
 * blocks the caller. Every operation completes through a callback, once.
 * The library never prints and never exits: errors come back as text.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct wl_event_loop;
struct engine;
struct engine_request;

struct engine_response {
	long status; // HTTP status; 0 when no answer came
	const char *body; // NUL-terminated; "" when empty
	size_t body_len;
	/* NULL on success (2xx); otherwise what went wrong, with the engine's
	 * own {"message": ...} when it sent one. */
	const char *error;
};

/* Called once per request, after the request is gone: it may start new
 * requests, cancel others or destroy the engine. */
typedef void (*engine_done_fn)(void *data, const struct engine_response *res);
/* Streaming: called for every complete line (JSON object) received, from
 * inside libcurl: it must not cancel its own request nor destroy the
 * engine (do that from `done`, or on a later turn of the loop). */
typedef void (*engine_line_fn)(void *data, const char *line, size_t len);
/* Uploads: bytes sent so far and in all. */
typedef void (*engine_progress_fn)(void *data, uint64_t sent, uint64_t total);

/** Connects nothing yet: `address` is unix:///path/to.sock or
 * tcp://host:port (TLS from $DOCKER_CERT_PATH when $DOCKER_TLS_VERIFY is
 * set). Returns NULL with `error` filled when the address is unusable. */
struct engine *engine_create(struct wl_event_loop *loop, const char *address,
	char *error, size_t error_len);
/** Cancels every request (their callbacks are not called) and frees. */
void engine_destroy(struct engine *engine);
const char *engine_address(const struct engine *engine);
/** Total time for ordinary requests (default 30 s); streams have none. */
void engine_set_timeout(struct engine *engine, long timeout_ms);
/** The API version in use ("1.41") once negotiated; NULL before. */
const char *engine_api_version(const struct engine *engine);
void engine_set_api_version(struct engine *engine, const char *version);
/** Whether the engine is Podman (its /version says so): some options are
 * spelled differently there. Set by discovery. */
void engine_set_podman(struct engine *engine, bool podman);
bool engine_is_podman(const struct engine *engine);
/** Whether the engine runs rootless (its /info says so), and its cgroup
 * version (0: unknown). Set by discovery. */
void engine_set_mode(struct engine *engine, bool rootless, int cgroup);
bool engine_is_rootless(const struct engine *engine);
int engine_cgroup_version(const struct engine *engine);

/** A request with an optional JSON body. `path` is below the negotiated
 * version prefix unless it starts with "//" (then sent as is, minus one
 * slash: for /_ping and /version before negotiation). */
struct engine_request *engine_request(struct engine *engine,
	const char *method, const char *path, const char *json_body,
	engine_done_fn done, void *data);
/** Streams the request body from a file (e.g. an image archive). */
struct engine_request *engine_upload(struct engine *engine,
	const char *method, const char *path, FILE *file, uint64_t size,
	const char *content_type, engine_progress_fn progress,
	engine_done_fn done, void *data);
/* An upload's source: fills `buf` with up to `len` bytes and returns how
 * many, 0 at the end, ENGINE_READ_PAUSE when nothing is ready yet (then
 * call engine_request_resume once there is), or ENGINE_READ_ABORT to fail
 * the request (a body cut short is never taken by the engine). */
typedef size_t (*engine_read_fn)(void *data, char *buf, size_t len);
#define ENGINE_READ_PAUSE ((size_t)-1)
#define ENGINE_READ_ABORT ((size_t)-2)
/** Streams the request body of exactly `size` bytes from `read`. */
struct engine_request *engine_upload_from(struct engine *engine,
	const char *method, const char *path, engine_read_fn read, uint64_t size,
	const char *content_type, engine_progress_fn progress,
	engine_done_fn done, void *data);
/** Calls a paused upload's source again. */
void engine_request_resume(struct engine_request *request);
/** Writes the response body to `file` instead of memory. */
struct engine_request *engine_download(struct engine *engine,
	const char *path, FILE *file, engine_done_fn done, void *data);
/** A streaming GET (/events, logs?follow=1): lines as they come, `done`
 * when the stream ends. No timeout; headers may come only with data. */
struct engine_request *engine_stream(struct engine *engine, const char *path,
	engine_line_fn line, engine_done_fn done, void *data);
/** Cancels a request; its callback is not called. */
void engine_request_cancel(struct engine_request *request);

/** Number of requests under way (for tests and shutdown). */
int engine_pending(const struct engine *engine);

#endif
