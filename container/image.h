#ifndef POCKET_IMAGE_H
#define POCKET_IMAGE_H

/* Making sure an app's image is in the engine: if it is missing, its
 * archive in the store is checked against ArchiveSHA256 (in slices, on the
 * event loop, so that a large archive never blocks it) and then loaded,
 * with progress. A corrupt or truncated archive never reaches the engine. */
#include <stdint.h>

#include "engine.h"
#include "manifest.h"

struct wl_event_loop;
struct image_ensure;

enum image_phase {
	IMAGE_PHASE_CHECKING, // hashing the archive
	IMAGE_PHASE_LOADING, // sending it to the engine
};

struct image_ensure_listener {
	void (*progress)(void *data, enum image_phase phase, uint64_t done,
		uint64_t total);
	/* error NULL: the image is there (loaded is true if we loaded it). */
	void (*done)(void *data, bool loaded, const char *error);
	void *data;
};

struct image_ensure *image_ensure(struct engine *engine,
	struct wl_event_loop *loop, const char *store_path,
	const struct manifest *app, const struct image_ensure_listener *listener);
void image_ensure_cancel(struct image_ensure *ensure); // no callback then

#endif
