#ifndef POCKET_STORE_H
#define POCKET_STORE_H

/* A pocket store on disk (doc/store-format.md): its name, its valid apps,
 * and every problem found, as "file:line: message". */
#include <stdbool.h>
#include <stddef.h>

#include "manifest.h"

#define STORE_FORMAT 1

struct pocket_store {
	char *path;
	char *name;
	int format;
	struct manifest *apps; // valid apps, sorted by id
	size_t apps_len;
	struct manifest_messages errors; // the store or an app is invalid
	struct manifest_messages warnings;
};

/** Loads a store. Returns false (with errors) if the directory is not a
 * usable store at all; a store with some invalid apps still loads. */
bool store_load(struct pocket_store *store, const char *path);
void store_finish(struct pocket_store *store);

/** Creates an empty store (pocket-store.ini, apps/, icons/, images/,
 * data/). Fails with `error` if DIR already holds a store. */
bool store_init(const char *path, const char *name, char *error,
	size_t error_len);

/** True for ids usable as app identities ([a-zA-Z0-9._-]{1,64}). */
bool store_valid_id(const char *id);

#endif
