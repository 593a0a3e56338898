#ifndef POCKET_PERMISSIONS_H
#define POCKET_PERMISSIONS_H

/* What an app may be given beyond the safe default, by name: manifests
 * ask for them, override files widen or narrow them, the compositor's app
 * policy applies them. One table of names for all of these. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum manifest_permission {
	MANIFEST_PERM_CLIPBOARD = 1 << 0,
	MANIFEST_PERM_NETWORK = 1 << 1,
	MANIFEST_PERM_GPU = 1 << 2,
	MANIFEST_PERM_AUDIO = 1 << 3,
	/* Relative pointer and pointer constraints (games, remote desktops):
	 * risky in wlroots 0.15.1, so only for apps that need them. */
	MANIFEST_PERM_POINTER = 1 << 4,
};

/** The bit of a permission's name; 0 for a name we do not know. */
uint32_t permission_bit(const char *name);
/** "clipboard,gpu" <-> bits. Words are separated by commas, semicolons or
 * spaces. Parsing fails on an unknown word, named in `bad`. */
bool permissions_from_text(const char *text, uint32_t *out, char *bad,
	size_t bad_len);
void permissions_to_text(uint32_t perms, char *out, size_t out_len);

#endif
