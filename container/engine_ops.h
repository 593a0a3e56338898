#ifndef POCKET_ENGINE_OPS_H
#define POCKET_ENGINE_OPS_H

/* The operations pocketwl needs, as calls rather than URLs. Each returns
 * the request (cancellable) or NULL with `error` filled when the call
 * cannot even be made (an unsafe name, an invalid spec, no memory); the
 * callback then never runs. Paths and queries are built here, escaped. */
#include "engine.h"
#include "spec.h"

struct engine_request *engine_image_inspect(struct engine *engine,
	const char *image, engine_done_fn done, void *data, char *error,
	size_t error_len);
struct engine_request *engine_image_list(struct engine *engine,
	engine_done_fn done, void *data, char *error, size_t error_len);
struct engine_request *engine_image_remove(struct engine *engine,
	const char *image, engine_done_fn done, void *data, char *error,
	size_t error_len);
/** Streams a `docker save`/OCI archive to the engine. */
/** Loads an archive streamed from `read` (engine_upload_from). */
struct engine_request *engine_image_load_from(struct engine *engine,
	engine_read_fn read, uint64_t size, engine_progress_fn progress,
	engine_done_fn done, void *data, char *error, size_t error_len);
struct engine_request *engine_image_load(struct engine *engine, FILE *archive,
	uint64_t size, engine_progress_fn progress, engine_done_fn done,
	void *data, char *error, size_t error_len);
/** Writes `docker save` of the image to `out`. */
struct engine_request *engine_image_export(struct engine *engine,
	const char *image, FILE *out, engine_done_fn done, void *data,
	char *error, size_t error_len);

struct engine_request *engine_container_create(struct engine *engine,
	const char *name, const struct container_spec *spec, engine_done_fn done,
	void *data, char *error, size_t error_len);
/** Operations on one container: "start", "wait", "inspect", "remove"
 * (forced), "logs" (stdout and stderr so far). */
struct engine_request *engine_container_op(struct engine *engine,
	const char *op, const char *id, engine_done_fn done, void *data,
	char *error, size_t error_len);
struct engine_request *engine_container_stop(struct engine *engine,
	const char *id, int timeout_s, engine_done_fn done, void *data,
	char *error, size_t error_len);
struct engine_request *engine_container_kill(struct engine *engine,
	const char *id, const char *signal, engine_done_fn done, void *data,
	char *error, size_t error_len);
/** All containers (running or not) with label key=value (or with the
 * label at all when `label_value` is NULL). */
struct engine_request *engine_container_list(struct engine *engine,
	const char *label_key, const char *label_value, engine_done_fn done,
	void *data, char *error, size_t error_len);

/** Appends `text` to `out` percent-encoded for a URL query or path
 * segment; false if `out` is too small. */
bool url_escape(const char *text, char *out, size_t out_len);

#endif
