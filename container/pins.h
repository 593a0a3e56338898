#ifndef POCKET_PINS_H
#define POCKET_PINS_H

/* Which image an app of a store runs: the image id (the config digest)
 * read from its archive's own bytes when pocketwl loaded it, pinned to
 * (store key, app id) together with the archive's SHA-256. Launches create
 * containers by that id, never by name, so that no other archive, pull or
 * tag can change what the app runs. Kept in the user's state directory:
 * $XDG_STATE_HOME/pocketwl/images/<store key>/<app id> (default
 * ~/.local/state). */
#include <stdbool.h>
#include <stddef.h>

#include "archive_check.h"

struct image_pin {
	char archive_sha256[65]; // of the archive it was loaded from
	char image_id[ARCHIVE_IMAGE_ID_LEN + 1]; // "sha256:..."
};

/** false when no state directory is known or the names are unusable. */
bool pin_path(const char *store_key, const char *app, char *out,
	size_t out_len);
/** false when there is no (valid) pin. */
bool pin_load(const char *store_key, const char *app, struct image_pin *pin);
/** Written to a temporary file and renamed. */
bool pin_save(const char *store_key, const char *app,
	const struct image_pin *pin, char *error, size_t error_len);
void pin_remove(const char *store_key, const char *app);

#endif
