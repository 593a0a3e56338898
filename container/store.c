#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sha256.h"
#include "store_fs.h"

struct header {
	struct pocket_store *store;
	const char *path;
	FILE *f;
	int line;
};

bool store_valid_hex(const char *s, size_t len) {
	if (strlen(s) != len) {
		return false;
	}
	for (const char *c = s; *c; c++) {
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) {
			return false;
		}
	}
	return true;
}

bool store_valid_store_id(const char *id) {
	return store_valid_hex(id, STORE_ID_LEN);
}

bool store_valid_key(const char *key) {
	return store_valid_hex(key, STORE_KEY_LEN);
}

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
	} else if (!strcmp(key, "id")) {
		if (!store_valid_store_id(value)) {
			manifest_messages_add(&s->errors, "%s:%d: [store] id: '%s' is not "
				"a store id (32 lower-case hex digits)", h->path, h->line, value);
		} else {
			snprintf(s->id, sizeof(s->id), "%s", value);
		}
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

/* Parses a buffer read whole from the store (bounded) as ini. */
static FILE *open_buffer(char *buf, size_t len) {
	// fmemopen wants at least one byte; an empty file is one "\n".
	return len ? fmemopen(buf, len, "r") : fmemopen("\n", 1, "r");
}

static bool load_header(struct pocket_store *s) {
	char path[4096], err[1024];
	snprintf(path, sizeof(path), "%s/pocket-store.ini", s->path);
	size_t len;
	char *buf = store_fs_read(s->root, s->path, "pocket-store.ini",
		STORE_MAX_HEADER, &len, err, sizeof(err));
	if (!buf) {
		// err names the file already: keep only why.
		size_t n = strlen(path);
		const char *why = !strncmp(err, path, n) && err[n] == ':' ?
			err + n + 2 : err;
		manifest_messages_add(&s->errors, "%s: not a pocket store (%s)", path,
			why);
		return false;
	}
	FILE *f = open_buffer(buf, len);
	if (!f) {
		free(buf);
		manifest_messages_add(&s->errors, "%s: out of memory", path);
		return false;
	}
	struct header h = { .store = s, .path = path, .f = f };
	int ret = ini_parse_stream(header_line, &h, header_entry, &h);
	fclose(f);
	free(buf);
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

/* Parses apps/<id>.desktop, read whole and bounded from the store. */
static bool parse_app(int root, const char *store_path, const char *id,
		struct manifest *m, struct manifest_messages *errors,
		struct manifest_messages *warnings) {
	memset(m, 0, sizeof(*m));
	char rel[128], path[4200], err[1024];
	snprintf(rel, sizeof(rel), "apps/%s.desktop", id);
	snprintf(path, sizeof(path), "%s/%s", store_path, rel);
	if (!store_valid_id(id)) {
		manifest_messages_add(errors, "%s: '%s' is not an app id (letters, "
			"digits, '.', '_', '-'; at most 64)", path, id);
		return false;
	}
	size_t len;
	char *buf = store_fs_read(root, store_path, rel, STORE_MAX_MANIFEST, &len,
		err, sizeof(err));
	if (!buf) {
		manifest_messages_add(errors, "%s", err);
		return false;
	}
	FILE *f = open_buffer(buf, len);
	if (!f) {
		free(buf);
		manifest_messages_add(errors, "%s: out of memory", path);
		return false;
	}
	bool ok = manifest_parse(m, f, path, id, errors, warnings);
	fclose(f);
	free(buf);
	if (!ok) {
		manifest_finish(m);
	}
	return ok;
}

static void load_app(struct pocket_store *s, const char *file) {
	size_t n = strlen(file);
	char id[80];
	int id_len = snprintf(id, sizeof(id), "%.*s", (int)(n - 8), file);
	if (id_len < 0 || (size_t)id_len >= sizeof(id)) {
		manifest_messages_add(&s->errors, "%s/apps/%.64s...: not an app id "
			"(at most 64 characters)", s->path, file);
		return;
	}
	struct manifest m;
	if (!parse_app(s->root, s->path, id, &m, &s->errors, &s->warnings)) {
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

static int compare_names(const void *a, const void *b) {
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The manifests' names under apps/, at most STORE_MAX_APPS of them (in
 * name order, so that which ones is the same every time). */
static void load_apps(struct pocket_store *s) {
	char err[1024];
	int fd = store_fs_openat(s->root, s->path, "apps", O_RDONLY | O_DIRECTORY,
		err, sizeof(err));
	if (fd < 0) {
		if (errno != ENOENT) {
			manifest_messages_add(&s->errors, "%s", err);
		}
		return; // a store without apps is a valid, empty store
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	char **names = NULL;
	size_t len = 0, seen = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n <= 8 || strcmp(e->d_name + n - 8, ".desktop")) {
			continue;
		}
		if (++seen > STORE_MAX_DIR_ENTRIES) {
			break;
		}
		char **more = realloc(names, (len + 1) * sizeof(*names));
		if (!more || !(more[len] = strdup(e->d_name))) {
			names = more ? more : names;
			break;
		}
		names = more;
		len++;
	}
	closedir(d);
	if (len > 1) {
		qsort(names, len, sizeof(*names), compare_names);
	}
	if (seen > STORE_MAX_APPS) {
		manifest_messages_add(&s->errors, "%s/apps: holds %s%zu manifests, "
			"more than the %d a store may have; only the first %d (by name) "
			"are read", s->path, seen > STORE_MAX_DIR_ENTRIES ? "over " : "",
			seen > STORE_MAX_DIR_ENTRIES ? (size_t)STORE_MAX_DIR_ENTRIES : seen,
			STORE_MAX_APPS, STORE_MAX_APPS);
	}
	for (size_t i = 0; i < len; i++) {
		if (i < STORE_MAX_APPS) {
			load_app(s, names[i]);
		}
		free(names[i]);
	}
	free(names);
}

/* What the store's filesystem says of itself: its UUID where udev names
 * it (/dev/disk/by-uuid), else the kernel's filesystem id. */
static void fs_identity(int root, char *out, size_t out_len) {
	struct stat st;
	if (fstat(root, &st) < 0) {
		snprintf(out, out_len, "unknown");
		return;
	}
	DIR *d = opendir("/dev/disk/by-uuid");
	struct dirent *e;
	while (d && (e = readdir(d))) {
		struct stat dev;
		if (e->d_name[0] != '.' && fstatat(dirfd(d), e->d_name, &dev, 0) == 0 &&
				S_ISBLK(dev.st_mode) && dev.st_rdev == st.st_dev) {
			snprintf(out, out_len, "uuid:%.100s", e->d_name);
			closedir(d);
			return;
		}
	}
	if (d) {
		closedir(d);
	}
	struct statfs fs;
	if (fstatfs(root, &fs) == 0) {
		int v[2];
		memcpy(v, &fs.f_fsid, sizeof(v));
		snprintf(out, out_len, "fsid:%08x%08x:%lx:%u:%u", (unsigned)v[0],
			(unsigned)v[1], (unsigned long)fs.f_type, major(st.st_dev),
			minor(st.st_dev));
	} else {
		snprintf(out, out_len, "dev:%u:%u", major(st.st_dev),
			minor(st.st_dev));
	}
}

void store_compute_key(const char *id, const char *path, const char *fs,
		char key[STORE_KEY_LEN + 1]) {
	struct sha256 h;
	sha256_init(&h);
	// A store without an id (made before ids) is known by its place.
	const char *what = id && id[0] ? id : path;
	sha256_update(&h, id && id[0] ? "id:" : "path:", id && id[0] ? 3 : 5);
	sha256_update(&h, what, strlen(what));
	sha256_update(&h, "\n", 1);
	sha256_update(&h, fs, strlen(fs));
	char hex[65];
	sha256_final_hex(&h, hex);
	memcpy(key, hex, STORE_KEY_LEN);
	key[STORE_KEY_LEN] = '\0';
}

bool store_load(struct pocket_store *s, const char *path) {
	if (!store_load_header_only(s, path)) {
		return false;
	}
	load_apps(s);
	if (s->apps_len > 1) {
		qsort(s->apps, s->apps_len, sizeof(*s->apps), compare_apps);
	}
	return true;
}

bool store_manifest_path(const char *store, const char *id, char *out,
		size_t out_len) {
	int n = snprintf(out, out_len, "%s/apps/%s.desktop", store, id);
	return n > 0 && (size_t)n < out_len;
}

bool store_load_app(const char *store_path, const char *id,
		struct manifest *m, char *error, size_t error_len) {
	memset(m, 0, sizeof(*m));
	char err[1024];
	int root = store_fs_open_root(store_path, err, sizeof(err));
	if (root < 0) {
		snprintf(error, error_len, "%s", err);
		return false;
	}
	struct manifest_messages errors = { 0 }, warnings = { 0 };
	bool ok = parse_app(root, store_path, id, m, &errors, &warnings);
	close(root);
	if (!ok) {
		snprintf(error, error_len, "%s", errors.len ? errors.lines[0] :
			"invalid manifest");
	}
	manifest_messages_finish(&errors);
	manifest_messages_finish(&warnings);
	return ok;
}

bool store_identify(const char *store_path, char key[STORE_KEY_LEN + 1],
		char **name, char *error, size_t error_len) {
	struct pocket_store s;
	bool ok = store_load_header_only(&s, store_path);
	if (ok) {
		memcpy(key, s.key, STORE_KEY_LEN + 1);
		if (name) {
			*name = strdup(s.name);
		}
	} else {
		snprintf(error, error_len, "%s", s.errors.len ? s.errors.lines[0] :
			"not a pocket store");
	}
	store_finish(&s);
	return ok;
}

bool store_load_header_only(struct pocket_store *s, const char *path) {
	memset(s, 0, sizeof(*s));
	s->root = -1;
	s->path = strdup(path);
	char err[1024];
	if (!s->path || (s->root = store_fs_open_root(path, err,
			sizeof(err))) < 0) {
		if (s->path) {
			manifest_messages_add(&s->errors, "%s", err);
		}
		return false;
	}
	if (!load_header(s)) {
		return false;
	}
	char fs[128];
	fs_identity(s->root, fs, sizeof(fs));
	store_compute_key(s->id, path, fs, s->key);
	return true;
}

void store_finish(struct pocket_store *s) {
	for (size_t i = 0; i < s->apps_len; i++) {
		manifest_finish(&s->apps[i]);
	}
	free(s->apps);
	if (s->root >= 0) {
		close(s->root);
	}
	free(s->path);
	free(s->name);
	manifest_messages_finish(&s->errors);
	manifest_messages_finish(&s->warnings);
	memset(s, 0, sizeof(*s));
	s->root = -1;
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
	// A random id: with what the disk's filesystem says, it is how the
	// user's grants know this store from a copy of it (store-format.md).
	unsigned char raw[STORE_ID_LEN / 2];
	if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw)) {
		snprintf(error, error_len, "cannot make a store id: %s",
			strerror(errno));
		fclose(f);
		unlink(tmp);
		return false;
	}
	char id[STORE_ID_LEN + 1];
	for (size_t i = 0; i < sizeof(raw); i++) {
		snprintf(id + 2 * i, 3, "%02x", raw[i]);
	}
	fprintf(f, "[store]\nname = %s\nid = %s\nformat = %d\n", name, id,
		STORE_FORMAT);
	if (fclose(f) != 0 || rename(tmp, file) != 0) {
		snprintf(error, error_len, "cannot write %s: %s", file,
			strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}
