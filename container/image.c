#include "image.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wayland-server-core.h>

#include "engine_ops.h"
#include "sha256.h"

#define HASH_SLICE (4u << 20) // bytes hashed per turn of the loop

struct image_ensure {
	struct engine *engine;
	struct wl_event_loop *loop;
	struct image_ensure_listener listener;
	char *image;
	char *archive_path;
	char sha256[65];
	FILE *archive;
	uint64_t size, hashed;
	struct sha256 hash;
	struct wl_event_source *idle; // hashing step; may be NULL
	struct engine_request *request; // may be NULL
	unsigned char *buf;
};

static void ensure_free(struct image_ensure *e) {
	if (e->idle) {
		wl_event_source_remove(e->idle);
	}
	engine_request_cancel(e->request);
	if (e->archive) {
		fclose(e->archive);
	}
	free(e->image);
	free(e->archive_path);
	free(e->buf);
	free(e);
}

static void finish(struct image_ensure *e, bool loaded, const char *error) {
	struct image_ensure_listener l = e->listener;
	e->request = NULL; // the engine freed it before calling us
	ensure_free(e);
	l.done(l.data, loaded, error);
}

static void handle_reinspect(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	if (res->error) {
		char error[1024];
		snprintf(error, sizeof(error), "the archive %s loaded, but it does "
			"not hold the image %s", e->archive_path, e->image);
		finish(e, false, error);
		return;
	}
	finish(e, true, NULL);
}

static void handle_loaded(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	e->request = NULL;
	if (res->error) {
		char error[1024];
		snprintf(error, sizeof(error), "loading %s: %s", e->archive_path,
			res->error);
		finish(e, false, error);
		return;
	}
	char error[256];
	e->request = engine_image_inspect(e->engine, e->image, handle_reinspect,
		e, error, sizeof(error));
	if (!e->request) {
		finish(e, false, error);
	}
}

static void load_progress(void *data, uint64_t sent, uint64_t total) {
	struct image_ensure *e = data;
	if (e->listener.progress) {
		e->listener.progress(e->listener.data, IMAGE_PHASE_LOADING, sent,
			total);
	}
}

static void start_load(struct image_ensure *e) {
	rewind(e->archive);
	char error[256];
	e->request = engine_image_load(e->engine, e->archive, e->size,
		load_progress, handle_loaded, e, error, sizeof(error));
	if (!e->request) {
		finish(e, false, error);
	}
}

static void hash_step(void *data) {
	struct image_ensure *e = data;
	e->idle = NULL;
	size_t n = fread(e->buf, 1, HASH_SLICE, e->archive);
	if (n > 0) {
		sha256_update(&e->hash, e->buf, n);
		e->hashed += n;
		if (e->listener.progress) {
			e->listener.progress(e->listener.data, IMAGE_PHASE_CHECKING,
				e->hashed, e->size);
		}
	}
	if (ferror(e->archive)) {
		char error[1024];
		snprintf(error, sizeof(error), "cannot read %s", e->archive_path);
		finish(e, false, error);
		return;
	}
	if (!feof(e->archive)) {
		e->idle = wl_event_loop_add_idle(e->loop, hash_step, e);
		return;
	}
	char hex[65];
	sha256_final_hex(&e->hash, hex);
	if (strcmp(hex, e->sha256)) {
		char error[1024];
		snprintf(error, sizeof(error), "%s is corrupt or truncated: its "
			"SHA-256 is %.12s..., the manifest says %.12s...; the engine was "
			"left unchanged", e->archive_path, hex, e->sha256);
		finish(e, false, error);
		return;
	}
	start_load(e);
}

static void handle_inspect(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	e->request = NULL;
	if (!res->error) {
		finish(e, false, NULL);
		return;
	}
	if (res->status != 404) {
		finish(e, false, res->error);
		return;
	}
	if (!e->archive_path) {
		char error[512];
		snprintf(error, sizeof(error), "the engine has no image %s and the "
			"app's manifest names no Archive to load it from", e->image);
		finish(e, false, error);
		return;
	}
	e->archive = fopen(e->archive_path, "rb");
	struct stat st;
	if (!e->archive || fstat(fileno(e->archive), &st) < 0) {
		char error[1024];
		snprintf(error, sizeof(error), "the image archive %s is missing "
			"(is the store's disk plugged in?)", e->archive_path);
		finish(e, false, error);
		return;
	}
	e->size = (uint64_t)st.st_size;
	sha256_init(&e->hash);
	e->idle = wl_event_loop_add_idle(e->loop, hash_step, e);
	if (!e->idle) {
		finish(e, false, "out of memory");
	}
}

struct image_ensure *image_ensure(struct engine *engine,
		struct wl_event_loop *loop, const char *store_path,
		const struct manifest *app, const struct image_ensure_listener *l) {
	struct image_ensure *e = calloc(1, sizeof(*e));
	if (!e) {
		return NULL;
	}
	e->engine = engine;
	e->loop = loop;
	e->listener = *l;
	e->image = strdup(app->image);
	e->buf = malloc(HASH_SLICE);
	snprintf(e->sha256, sizeof(e->sha256), "%s", app->archive_sha256);
	if (app->archive) {
		size_t len = strlen(store_path) + strlen(app->archive) + 2;
		e->archive_path = malloc(len);
		if (e->archive_path) {
			snprintf(e->archive_path, len, "%s/%s", store_path, app->archive);
		}
	}
	char error[256];
	if (!e->image || !e->buf || (app->archive && !e->archive_path) ||
			!(e->request = engine_image_inspect(engine, e->image,
				handle_inspect, e, error, sizeof(error)))) {
		ensure_free(e);
		return NULL;
	}
	return e;
}

void image_ensure_cancel(struct image_ensure *ensure) {
	if (ensure) {
		ensure_free(ensure);
	}
}
