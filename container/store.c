#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct header {
	struct pocket_store *store;
	const char *path;
	FILE *f;
	int line;
};

bool store_valid_id(const char *id) {
	size_t n = strlen(id);
	if (n == 0 || n > 64 || id[0] == '.') {
		return false;
	}
	for (const char *c = id; *c; c++) {
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
				(*c >= '0' && *c <= '9') || strchr("._-", *c))) {
			return false;
		}
	}
	return true;
}

static int header_entry(void *data, const char *section, const char *key,
		const char *value) {
	struct header *h = data;
	struct pocket_store *s = h->store;
	if (strcmp(section, "store")) {
		manifest_messages_add(&s->warnings, "%s:%d: [%s] %s: unknown group ignored",
			h->path, h->line, section, key);
	} else if (!strcmp(key, "name")) {
		free(s->name);
		s->name = strdup(value);
	} else if (!strcmp(key, "format")) {
		char *end;
		long v = strtol(value, &end, 10);
		s->format = *end || v < 1 || v > 1000 ? -1 : (int)v;
		if (s->format < 0) {
			manifest_messages_add(&s->errors, "%s:%d: [store] format: '%s' is not a "
				"format version", h->path, h->line, value);
		}
	} else {
		manifest_messages_add(&s->warnings, "%s:%d: [store] %s: unknown key ignored",
			h->path, h->line, key);
	}
	return 1;
}

static char *header_line(char *str, int num, void *stream) {
	struct header *h = stream;
	char *line = fgets(str, num, h->f);
	if (line) {
		h->line++;
	}
	return line;
}

static bool load_header(struct pocket_store *s) {
	char path[4096];
	snprintf(path, sizeof(path), "%s/pocket-store.ini", s->path);
	FILE *f = fopen(path, "r");
	if (!f) {
		manifest_messages_add(&s->errors, "%s: not a pocket store (%s)", path,
			strerror(errno));
		return false;
	}
	struct header h = { .store = s, .path = path, .f = f };
	int ret = ini_parse_stream(header_line, &h, header_entry, &h);
	fclose(f);
	if (ret != 0) {
		manifest_messages_add(&s->errors, "%s:%d: syntax error", path, ret);
		return false;
	}
	if (!s->name || !s->name[0]) {
		manifest_messages_add(&s->errors, "%s: [store] name is missing", path);
		return false;
	}
	if (s->format > STORE_FORMAT) {
		manifest_messages_add(&s->errors, "%s: store format %d is newer than this "
			"pocketwl knows (%d): update pocketwl", path, s->format,
			STORE_FORMAT);
		return false;
	}
	return s->format > 0;
}

static int compare_apps(const void *a, const void *b) {
	const struct manifest *x = a, *y = b;
	return strcmp(x->id, y->id);
}

static void load_app(struct pocket_store *s, const char *dir,
		const char *file) {
	size_t n = strlen(file);
	char id[80];
	int id_len = snprintf(id, sizeof(id), "%.*s", (int)(n - 8), file);
	if (id_len < 0 || (size_t)id_len >= sizeof(id)) {
		id[0] = '\0'; // too long for an id: reported as invalid below
	}
	char path[4096];
	int path_len = snprintf(path, sizeof(path), "%s/%s", dir, file);
	if (path_len < 0 || (size_t)path_len >= sizeof(path)) {
		manifest_messages_add(&s->errors, "%s/...: path too long", dir);
		return;
	}
	if (!store_valid_id(id)) {
		manifest_messages_add(&s->errors, "%s: '%s' is not an app id (letters, digits, "
			"'.', '_', '-'; at most 64)", path, id);
		return;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		manifest_messages_add(&s->errors, "%s: %s", path, strerror(errno));
		return;
	}
	struct manifest m;
	bool ok = manifest_parse(&m, f, path, id, &s->errors, &s->warnings);
	fclose(f);
	if (!ok) {
		manifest_finish(&m);
		return;
	}
	struct manifest *apps = realloc(s->apps, (s->apps_len + 1) * sizeof(*apps));
	if (!apps) {
		manifest_finish(&m);
		return;
	}
	s->apps = apps;
	s->apps[s->apps_len++] = m;
}

bool store_load(struct pocket_store *s, const char *path) {
	memset(s, 0, sizeof(*s));
	s->path = strdup(path);
	if (!s->path || !load_header(s)) {
		return false;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/apps", path);
	DIR *d = opendir(dir);
	if (!d) {
		// A store without apps is a valid, empty store.
		return true;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 8 && !strcmp(e->d_name + n - 8, ".desktop")) {
			load_app(s, dir, e->d_name);
		}
	}
	closedir(d);
	if (s->apps_len > 1) {
		qsort(s->apps, s->apps_len, sizeof(*s->apps), compare_apps);
	}
	return true;
}

void store_finish(struct pocket_store *s) {
	for (size_t i = 0; i < s->apps_len; i++) {
		manifest_finish(&s->apps[i]);
	}
	free(s->apps);
	free(s->path);
	free(s->name);
	manifest_messages_finish(&s->errors);
	manifest_messages_finish(&s->warnings);
	memset(s, 0, sizeof(*s));
}

bool store_init(const char *path, const char *name, char *error,
		size_t error_len) {
	char file[4096];
	snprintf(file, sizeof(file), "%s/pocket-store.ini", path);
	struct stat st;
	if (stat(file, &st) == 0) {
		snprintf(error, error_len, "%s already holds a pocket store", path);
		return false;
	}
	if ((mkdir(path, 0755) < 0 && errno != EEXIST)) {
		snprintf(error, error_len, "cannot create %s: %s", path,
			strerror(errno));
		return false;
	}
	static const char *const dirs[] = { "apps", "icons", "images", "data" };
	for (size_t i = 0; i < 4; i++) {
		char sub[4200];
		snprintf(sub, sizeof(sub), "%s/%s", path, dirs[i]);
		if (mkdir(sub, 0755) < 0 && errno != EEXIST) {
			snprintf(error, error_len, "cannot create %s: %s", sub,
				strerror(errno));
			return false;
		}
	}
	// Written whole or not at all: a half store is worse than none.
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", file);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		snprintf(error, error_len, "cannot write %s: %s", tmp,
			strerror(errno));
		return false;
	}
	fprintf(f, "[store]\nname = %s\nformat = %d\n", name, STORE_FORMAT);
	if (fclose(f) != 0 || rename(tmp, file) != 0) {
		snprintf(error, error_len, "cannot write %s: %s", file,
			strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}
