#ifndef POCKET_STORE_H
#define POCKET_STORE_H

/* A pocket store on disk (doc/store-format.md): its name, its valid apps,
 * and every problem found, as "file:line: message". */
#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

#define STORE_FORMAT 1
#define STORE_ID_LEN 32 // hex digits of [store] id
#define STORE_KEY_LEN 16 // hex digits of a store's key

struct pocket_store {
	char *path;
	char *name;
	int format;
	char id[STORE_ID_LEN + 1]; // [store] id; "" in stores made before ids
	/* Who the store is, for the user's grants, pins and labels: made from
	 * its id and what its filesystem says, so that a copy of the store on
	 * another disk is another store. */
	char key[STORE_KEY_LEN + 1];
	int root; // directory fd of the store; -1 when not open
	struct manifest *apps; // valid apps, sorted by id
	size_t apps_len;
	struct manifest_messages errors; // the store or an app is invalid
	struct manifest_messages warnings;
};

/** Loads a store. Returns false (with errors) if the directory is not a
 * usable store at all; a store with some invalid apps still loads. */
bool store_load(struct pocket_store *store, const char *path);
void store_finish(struct pocket_store *store);
/** Loads only pocket-store.ini (name, id, key): no manifests. */
bool store_load_header_only(struct pocket_store *store, const char *path);
/** The store's key (and its name, to free, when `name` is not NULL). */
bool store_identify(const char *store_path, char key[STORE_KEY_LEN + 1],
	char **name, char *error, size_t error_len);
/** The key of a store with `id` ("" or NULL: none) at `path` on the
 * filesystem `fs` says it is (a pure function, for tests). */
void store_compute_key(const char *id, const char *path, const char *fs,
	char key[STORE_KEY_LEN + 1]);

/** "<store>/apps/<id>.desktop": where app `id`'s manifest is; false when
 * it does not fit in `out`. */
bool store_manifest_path(const char *store, const char *id, char *out,
	size_t out_len);
/** Loads one app's manifest, apps/<id>.desktop, read as store_fs reads
 * (no links, no FIFOs, bounded): the one way to find a store app. */
bool store_load_app(const char *store_path, const char *id,
	struct manifest *m, char *error, size_t error_len);

/** Creates an empty store (pocket-store.ini, apps/, icons/, images/,
 * data/). Fails with `error` if DIR already holds a store. */
bool store_init(const char *path, const char *name, char *error,
	size_t error_len);

/** True for exactly `len` lower-case hex digits. */
bool store_valid_hex(const char *s, size_t len);
/** True for a [store] id: STORE_ID_LEN lower-case hex digits. */
bool store_valid_store_id(const char *id);
/** True for a store key: STORE_KEY_LEN lower-case hex digits. */
bool store_valid_key(const char *key);
/** True for ids usable as app identities ([a-zA-Z0-9._-]{1,64}). */
bool store_valid_id(const char *id);

#endif
