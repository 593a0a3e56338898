#ifndef POCKET_OVERRIDES_H
#define POCKET_OVERRIDES_H

/* The user's word on an app's permissions, kept out of the store (which
 * may be someone else's disk). An app is (store key, app id): two files
 * count, both under $XDG_CONFIG_HOME/pocketwl/apps/:
 *
 *   <store key>/<id>.ini   this store's app only (the panel writes it)
 *   <id>.ini               written by hand: its deny holds for the id from
 *                          every store; its allow and granted only for the
 *                          store its `store = KEY` names
 *
 *   [permissions]
 *   store = 0123456789abcdef ; <id>.ini only: the store it widens for
 *   allow = network     ; widen: given even if the manifest does not ask
 *   deny = gpu          ; narrow: withheld even if the manifest asks
 *   granted = clipboard ; consent already given to what the manifest asks
 *
 * Effective permissions are (asked | allow) & ~deny. What is effective but
 * neither allowed nor granted needs the user's consent at launch. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "manifest.h"
#include "permissions.h"
#include "store.h"

struct app_override {
	uint32_t allow, deny, granted;
	char store[17]; // the `store` key of the file read; "" when none
	bool present; // a file exists
};

/** The override file of (store_key, id), or with store_key NULL the
 * hand-written <id>.ini; false if no config directory is known. */
bool override_path(const char *store_key, const char *id, char *out,
	size_t out_len);
/** The user's word on (store_key, id), from both files; missing files are
 * empty. Bad lines are reported as "path:line: message" in `errors`. */
bool override_load(const char *store_key, const char *id,
	struct app_override *ov, struct manifest_messages *errors);
uint32_t override_effective(uint32_t asked, const struct app_override *ov);
uint32_t override_needs_consent(uint32_t asked, const struct app_override *ov);
/** Records consent (`granted`) or a refusal (`deny`), keeping the rest of
 * the file's settings. Written to a temporary file and renamed. */
bool override_save(const char *store_key, const char *id,
	const struct app_override *ov, char *error, size_t error_len);

#endif
