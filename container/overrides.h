#ifndef POCKET_OVERRIDES_H
#define POCKET_OVERRIDES_H

/* The user's word on an app's permissions, kept out of the store (which
 * may be someone else's disk): $XDG_CONFIG_HOME/pocketwl/apps/<id>.ini
 *
 *   [permissions]
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

struct app_override {
	uint32_t allow, deny, granted;
	bool present; // the file exists
};

/** The override file of app `id`; false if no config directory is known. */
bool override_path(const char *id, char *out, size_t out_len);
/** Loads the override of `id`; a missing file is an empty override. Bad
 * lines are reported as "path:line: message" in `errors` and skipped. */
bool override_load(const char *id, struct app_override *ov,
	struct manifest_messages *errors);
uint32_t override_effective(uint32_t asked, const struct app_override *ov);
uint32_t override_needs_consent(uint32_t asked, const struct app_override *ov);
/** Records consent (`granted`) or a refusal (`deny`), keeping the rest of
 * the file's settings. Written to a temporary file and renamed. */
bool override_save(const char *id, const struct app_override *ov,
	char *error, size_t error_len);

#endif
