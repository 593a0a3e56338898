#ifndef POCKET_IMAGE_H
#define POCKET_IMAGE_H

/* Making sure an app's image is in the engine, and which one it is. An app
 * with an Archive runs the image pinned to (store key, app id) by an
 * earlier load of the same archive (pins.h) while the engine still has it;
 * otherwise the archive is loaded: read once, off the event loop, hashed
 * against ArchiveSHA256 and checked (archive_check.h) on its way to the
 * engine, which gets its last bytes only if both are good. A corrupt,
 * truncated or foreign-tagging archive never becomes an image. An app
 * without an Archive runs the engine's image of that name, by its id. */
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
	/* error NULL: the image is there as `image_id` ("sha256:...", what to
	 * create containers from); loaded is true if we loaded it. */
	void (*done)(void *data, bool loaded, const char *image_id,
		const char *error);
	void *data;
};

/** `store_key` is the store's (store.h); `done` is never called before
 * this returns. NULL when out of memory. */
struct image_ensure *image_ensure(struct engine *engine,
	struct wl_event_loop *loop, const char *store_path, const char *store_key,
	const struct manifest *app, const struct image_ensure_listener *listener);
void image_ensure_cancel(struct image_ensure *ensure); // no callback then

/** Reads an archive from `fd` to its end (blocking: for pocketctl), with
 * its SHA-256 and the image id it holds, checked as a load would check it;
 * `progress` (may be NULL) hears the bytes read so far. false with
 * `error` when it would be refused. */
bool image_archive_inspect(int fd, const char *image,
	void (*progress)(void *data, uint64_t done), void *data,
	char sha256[65], char id[72], char *error, size_t error_len);

#endif
