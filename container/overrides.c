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

bool override_path(const char *id, char *out, size_t out_len) {
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/') {
		n = snprintf(out, out_len, "%s/pocketwl/apps/%s.ini", xdg, id);
	} else if (home && home[0] == '/') {
		n = snprintf(out, out_len, "%s/.config/pocketwl/apps/%s.ini", home,
			id);
	} else {
		return false;
	}
	return n > 0 && (size_t)n < out_len && store_valid_id(id);
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

bool override_load(const char *id, struct app_override *ov,
		struct manifest_messages *errors) {
	*ov = (struct app_override){ 0 };
	char path[4096];
	if (!override_path(id, path, sizeof(path))) {
		return true;
	}
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

uint32_t override_effective(uint32_t asked, const struct app_override *ov) {
	return (asked | ov->allow) & ~ov->deny;
}

uint32_t override_needs_consent(uint32_t asked,
		const struct app_override *ov) {
	return override_effective(asked, ov) & ~(ov->allow | ov->granted);
}

static bool make_parents(char *path) {
	for (char *slash = strchr(path + 1, '/'); slash;
			slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
		*slash = '/';
		if (!ok) {
			return false;
		}
	}
	return true;
}

bool override_save(const char *id, const struct app_override *ov,
		char *error, size_t error_len) {
	char path[4096], tmp[4200];
	if (!override_path(id, path, sizeof(path))) {
		snprintf(error, error_len, "no config directory (XDG_CONFIG_HOME "
			"and HOME are unset) or bad app id '%s'", id);
		return false;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (!make_parents(path)) {
		snprintf(error, error_len, "cannot create the directory of %s: %s",
			path, strerror(errno));
		return false;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		snprintf(error, error_len, "cannot write %s: %s", tmp,
			strerror(errno));
		return false;
	}
	char allow[128], deny[128], granted[128];
	permissions_to_text(ov->allow, allow, sizeof(allow));
	permissions_to_text(ov->deny, deny, sizeof(deny));
	permissions_to_text(ov->granted, granted, sizeof(granted));
	fprintf(f, "# pocketwl: your permissions for %s (see pocketwl(5))\n"
		"[permissions]\nallow = %s\ndeny = %s\ngranted = %s\n", id, allow,
		deny, granted);
	bool ok = fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		snprintf(error, error_len, "cannot write %s: %s", path,
			strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}
