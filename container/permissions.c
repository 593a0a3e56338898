#include "permissions.h"

#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t bit;
} permission_names[] = {
	{ "clipboard", MANIFEST_PERM_CLIPBOARD },
	{ "network", MANIFEST_PERM_NETWORK },
	{ "gpu", MANIFEST_PERM_GPU },
	{ "audio", MANIFEST_PERM_AUDIO },
	{ "pointer", MANIFEST_PERM_POINTER },
};
#define NPERMS (sizeof(permission_names) / sizeof(permission_names[0]))

uint32_t permission_bit(const char *name) {
	for (size_t i = 0; i < NPERMS; i++) {
		if (!strcmp(name, permission_names[i].name)) {
			return permission_names[i].bit;
		}
	}
	return 0;
}

bool permissions_from_text(const char *text, uint32_t *out, char *bad,
		size_t bad_len) {
	*out = 0;
	char buf[512];
	snprintf(buf, sizeof(buf), "%s", text ? text : "");
	char *save = NULL;
	for (char *word = strtok_r(buf, ", ;", &save); word;
			word = strtok_r(NULL, ", ;", &save)) {
		uint32_t bit = permission_bit(word);
		if (!bit) {
			snprintf(bad, bad_len, "%s", word);
			return false;
		}
		*out |= bit;
	}
	return true;
}

void permissions_to_text(uint32_t perms, char *out, size_t out_len) {
	size_t used = 0;
	out[0] = '\0';
	for (size_t i = 0; i < NPERMS; i++) {
		if ((perms & permission_names[i].bit) && used < out_len) {
			used += snprintf(out + used, out_len - used, "%s%s",
				used ? "," : "", permission_names[i].name);
		}
	}
}
