#include "overrides.h"

#include <errno.h>
#include <ini.h>
#include "ini_line.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "userfile.h"

bool override_path(const char *store_key, const char *id, char *out,
		size_t out_len) {
	char base[4096];
	if (!userfile_dir("config", "pocketwl/apps", base, sizeof(base)) ||
			!store_valid_id(id) || (store_key && !store_valid_key(store_key))) {
		return false;
	}
	int 	n = store_key ? snprintf(out, out_len, "%s/%s/%s.ini", base, store_key,
		id) : snprintf(out, out_len, "%s/%s.ini", base, id);
	return n > 0 && (size_t)n < out_len;
}

struct parse {
	struct app_override *ov;
	const char *path;
	int line;
	struct manifest_messages *errors;
	bool ok;
};

static void line_too_long(void *data, int max) {
	struct parse *p = data;
	manifest_messages_add(p->errors, "%s:%d: line longer than %d characters",
		p->path, p->line, max);
	p->ok = false;
}

static int handle_entry(void *data, const char *section, const char *key,
		const char *value) {
	struct parse *p = data;
	uint32_t *field = NULL;
	if (strcmp(section, "permissions")) {
		manifest_messages_add(p->errors, "%s:%d: unknown section [%s] "
			"(only [permissions])", p->path, p->line, section);
		p->ok = false;
		return 1;
	}
	if (!strcmp(key, "store")) {
		if (!store_valid_key(value)) {
			manifest_messages_add(p->errors, "%s:%d: [permissions] store: '%s' "
				"is not a store key (%d hex digits; pocketctl info shows it)",
				p->path, p->line, value, STORE_KEY_LEN);
			p->ok = false;
		} else {
			snprintf(p->ov->store, sizeof(p->ov->store), "%s", value);
		}
		return 1;
	}
	if (!strcmp(key, "allow")) {
		field = &p->ov->allow;
	} else if (!strcmp(key, "deny")) {
		field = &p->ov->deny;
	} else if (!strcmp(key, "granted")) {
		field = &p->ov->granted;
	}
	char bad[64];
	uint32_t bits;
	if (!field) {
		manifest_messages_add(p->errors, "%s:%d: [permissions] %s: unknown "
			"key (allow, deny, granted)", p->path, p->line, key);
		p->ok = false;
	} else if (!permissions_from_text(value, &bits, bad, sizeof(bad))) {
		manifest_messages_add(p->errors, "%s:%d: [permissions] %s: unknown "
			"permission '%s' (clipboard, network, gpu, audio, pointer)",
			p->path,
			p->line, key, bad);
		p->ok = false;
	} else {
		*field = bits;
	}
	return 1;
}

static bool load_file(const char *path, struct app_override *ov,
		struct manifest_messages *errors) {
	*ov = (struct app_override){ 0 };
	FILE *f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT) {
			return true;
		}
		manifest_messages_add(errors, "%s: cannot read: %s", path,
			strerror(errno));
		return false;
	}
	ov->present = true;
	struct parse p = { .ov = ov, .path = path, .errors = errors,
		.ok = true };
	struct ini_reader reader = { f, &p.line, line_too_long, &p };
	int ret = ini_parse_stream(ini_reader_read, &reader, handle_entry, &p);
	if (ret > 0) {
		manifest_messages_add(errors, "%s:%d: syntax error", path, ret);
		p.ok = false;
	}
	fclose(f);
	return p.ok;
}

bool override_load(const char *store_key, const char *id,
		struct app_override *ov, struct manifest_messages *errors) {
	*ov = (struct app_override){ 0 };
	char general_path[4200], store_path[4200];
	struct app_override general, ours;
	bool ok = true;
	if (override_path(NULL, id, general_path, sizeof(general_path))) {
		ok = load_file(general_path, &general, errors) && ok;
	} else {
		general = (struct app_override){ 0 };
	}
	if (override_path(store_key, id, store_path, sizeof(store_path))) {
		ok = load_file(store_path, &ours, errors) && ok;
	} else {
		ours = (struct app_override){ 0 };
	}
	// A refusal holds for the id from any store; what widens holds only
	// for the store it names: another disk offering the same id is
	// another app.
	bool for_us = general.store[0] && !strcmp(general.store, store_key);
	ov->deny = general.deny | ours.deny;
	ov->allow = ours.allow | (for_us ? general.allow : 0);
	ov->granted = ours.granted | (for_us ? general.granted : 0);
	ov->present = general.present || ours.present;
	return ok;
}

uint32_t override_effective(uint32_t asked, const struct app_override *ov) {
	return (asked | ov->allow) & ~ov->deny;
}

uint32_t override_needs_consent(uint32_t asked,
		const struct app_override *ov) {
	return override_effective(asked, ov) & ~(ov->allow | ov->granted);
}

bool override_save(const char *store_key, const char *id,
		const struct app_override *ov, char *error, size_t error_len) {
	char path[4096];
	if (!override_path(store_key, id, path, sizeof(path))) {
		snprintf(error, error_len, "no config directory (XDG_CONFIG_HOME "
			"and HOME are unset) or bad app id '%s'", id);
		return false;
	}
	char allow[128], deny[128], granted[128], text[1024];
	permissions_to_text(ov->allow, allow, sizeof(allow));
	permissions_to_text(ov->deny, deny, sizeof(deny));
	permissions_to_text(ov->granted, granted, sizeof(granted));
	snprintf(text, sizeof(text), "# pocketwl: your permissions for %s of "
		"the store %s (see pocketwl(5))\n[permissions]\nallow = %s\n"
		"deny = %s\ngranted = %s\n", id, store_key, allow, deny, granted);
	return userfile_write(path, text, error, error_len);
}
