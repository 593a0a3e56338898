#include "archive_check.h"

#include <json-c/json.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

#define BLOCK 512
#define MAX_ENTRIES 65536 // names (files and the folders they imply)
#define FIRST_CAP 256 // entries to begin with; doubled as needed
#define MAX_META (1u << 20) // PAX records, GNU long names
#define MAX_SPECIAL (1u << 20) // manifest.json, repositories, index.json
#define MAX_HASHED (8u << 20) // entries this small get a digest (configs)
#define MAX_NAME 4096

enum kind {
	KIND_IMPLIED_DIR, // only seen as a folder on the way to a name
	KIND_DIR,
	KIND_FILE,
	KIND_LINK, // symbolic or hard link
	KIND_OTHER, // devices, FIFOs
};

struct entry {
	char *name; // normalized: no "", "." or ".." components
	enum kind kind;
	bool hashed;
	char digest[65];
};

enum data_kind {
	DATA_SKIP,
	DATA_PAX,
	DATA_LONG_NAME,
	DATA_LONG_LINK,
	DATA_FILE,
};

static const char *const specials[] = { "manifest.json", "repositories",
	"index.json" };
#define NSPECIAL 3

struct archive_check {
	char image[512]; // normalized
	char error[768];
	bool failed, done;
	unsigned char block[BLOCK];
	size_t block_used;
	bool in_data;
	enum data_kind data_kind;
	uint64_t remaining, padding;
	struct entry *current; // DATA_FILE; may be NULL
	int special; // DATA_FILE: index into specials, or -1
	char *meta; // PAX records, long names, special content
	size_t meta_len, meta_cap;
	struct sha256 hash;
	bool hashing;
	// From PAX and GNU long-name entries; GNU's win, as in Go's reader.
	char *next_pax_name, *next_gnu_name, *next_link;
	bool next_has_size;
	uint64_t next_size;
	int zero_blocks;
	uint64_t after_end; // bytes after the end-of-archive blocks
	struct entry *entries;
	size_t nentries, cap;
	int32_t *table; // index into entries, -1 empty; 2 * cap slots
	size_t table_size;
	char *special_data[NSPECIAL];
	size_t special_len[NSPECIAL];
};

static void refuse(struct archive_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void refuse(struct archive_check *c, const char *fmt, ...) {
	if (c->failed) {
		return;
	}
	va_list args;
	va_start(args, fmt);
	vsnprintf(c->error, sizeof(c->error), fmt, args);
	va_end(args);
	c->failed = true;
}

void archive_normalize_ref(const char *ref, char *out, size_t out_len) {
	static const char *const prefixes[] = { "docker.io/library/",
		"index.docker.io/library/", "docker.io/", "index.docker.io/",
		"localhost/" };
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (!strncmp(ref, prefixes[i], n) && ref[n]) {
			ref += n;
			break;
		}
	}
	const char *slash = strrchr(ref, '/');
	const char *last = slash ? slash + 1 : ref;
	bool tagged = strchr(last, ':') || strchr(ref, '@');
	snprintf(out, out_len, "%s%s", ref, tagged ? "" : ":latest");
}

struct archive_check *archive_check_create(const char *image) {
	struct archive_check *c = calloc(1, sizeof(*c));
	if (!c) {
		return NULL;
	}
	c->cap = FIRST_CAP;
	c->table_size = 2 * FIRST_CAP;
	c->entries = calloc(c->cap, sizeof(*c->entries));
	c->table = malloc(c->table_size * sizeof(*c->table));
	if (!c->entries || !c->table) {
		archive_check_destroy(c);
		return NULL;
	}
	memset(c->table, 0xff, c->table_size * sizeof(*c->table));
	archive_normalize_ref(image, c->image, sizeof(c->image));
	return c;
}

void archive_check_destroy(struct archive_check *c) {
	if (!c) {
		return;
	}
	for (size_t i = 0; c->entries && i < c->nentries; i++) {
		free(c->entries[i].name);
	}
	for (int i = 0; i < NSPECIAL; i++) {
		free(c->special_data[i]);
	}
	free(c->entries);
	free(c->table);
	free(c->meta);
	free(c->next_pax_name);
	free(c->next_gnu_name);
	free(c->next_link);
	free(c);
}

const char *archive_check_error(const struct archive_check *c) {
	return c->error;
}

/* ---- the names in the archive ---- */

static uint32_t hash_name(const char *s, size_t n) {
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	}
	return h;
}

static struct entry *find(struct archive_check *c, const char *name,
		size_t n) {
	size_t mask = c->table_size - 1;
	for (size_t i = hash_name(name, n) & mask;; i = (i + 1) & mask) {
		int32_t k = c->table[i];
		if (k < 0) {
			return NULL;
		}
		struct entry *e = &c->entries[k];
		if (strlen(e->name) == n && !memcmp(e->name, name, n)) {
			return e;
		}
	}
}

static void insert(struct archive_check *c, size_t k) {
	size_t mask = c->table_size - 1;
	const char *name = c->entries[k].name;
	size_t i = hash_name(name, strlen(name)) & mask;
	while (c->table[i] >= 0) {
		i = (i + 1) & mask;
	}
	c->table[i] = (int32_t)k;
}

/* Twice the room, the table built again. */
static bool grow(struct archive_check *c) {
	size_t cap = c->cap * 2;
	struct entry *entries = realloc(c->entries, cap * sizeof(*entries));
	if (!entries) {
		return false;
	}
	memset(entries + c->cap, 0, (cap - c->cap) * sizeof(*entries));
	c->entries = entries;
	int32_t *table = malloc(2 * cap * sizeof(*table));
	if (!table) {
		return false;
	}
	free(c->table);
	c->table = table;
	c->table_size = 2 * cap;
	c->cap = cap;
	memset(c->table, 0xff, c->table_size * sizeof(*c->table));
	for (size_t k = 0; k < c->nentries; k++) {
		insert(c, k);
	}
	return true;
}

static struct entry *add(struct archive_check *c, const char *name, size_t n,
		enum kind kind) {
	if (c->nentries == MAX_ENTRIES) {
		refuse(c, "holds more than %d names", MAX_ENTRIES);
		return NULL;
	}
	if (c->nentries == c->cap && !grow(c)) {
		refuse(c, "out of memory");
		return NULL;
	}
	struct entry *e = &c->entries[c->nentries];
	e->name = strndup(name, n);
	if (!e->name) {
		refuse(c, "out of memory");
		return NULL;
	}
	e->kind = kind;
	insert(c, c->nentries++);
	return e;
}

/* Cleans a tar name as the engines do (filepath.Clean below the root),
 * refusing ".." outright: no image archive needs it. */
static bool normalize(struct archive_check *c, const char *raw, char *out,
		size_t out_len) {
	size_t used = 0;
	const char *p = raw;
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			refuse(c, "names '%.200s', which leads out of the archive", raw);
			return false;
		}
		if (n > 0 && !(n == 1 && p[0] == '.')) {
			if (used + n + 2 > out_len) {
				refuse(c, "has a name longer than %d bytes", MAX_NAME);
				return false;
			}
			if (used) {
				out[used++] = '/';
			}
			memcpy(out + used, p, n);
			used += n;
		}
		p += n + (slash ? 1 : 0);
	}
	out[used] = '\0';
	return true;
}

/* Records a name, and the folders on its way: a name that comes twice, or
 * one reached through a link, could be read two ways. */
static struct entry *record(struct archive_check *c, const char *name,
		enum kind kind) {
	size_t len = strlen(name);
	for (size_t i = 0; i < len; i++) {
		if (name[i] != '/') {
			continue;
		}
		struct entry *up = find(c, name, i);
		if (up && (up->kind == KIND_LINK || up->kind == KIND_FILE ||
				up->kind == KIND_OTHER)) {
			refuse(c, "'%.200s' lies behind '%.*s', which is not a folder",
				name, (int)i, name);
			return NULL;
		}
		if (!up && !add(c, name, i, KIND_IMPLIED_DIR)) {
			return NULL;
		}
	}
	struct entry *e = find(c, name, len);
	if (e) {
		if (e->kind == KIND_IMPLIED_DIR && kind == KIND_DIR) {
			e->kind = KIND_DIR;
			return e;
		}
		refuse(c, "names '%.200s' twice", name);
		return NULL;
	}
	return add(c, name, len, kind);
}

/* ---- tar headers ---- */

static bool parse_number(const unsigned char *field, size_t n,
		uint64_t *out) {
	if (field[0] & 0x80) {
		// base-256, big-endian; the sign bit must be clear (no negatives)
		if (field[0] & 0x40) {
			return false;
		}
		uint64_t v = field[0] & 0x3f;
		for (size_t i = 1; i < n; i++) {
			if (v >> 56) {
				return false;
			}
			v = (v << 8) | field[i];
		}
		*out = v;
		return true;
	}
	uint64_t v = 0;
	size_t i = 0;
	while (i < n && (field[i] == ' ' || field[i] == '\0')) {
		i++;
	}
	bool digits = false;
	for (; i < n && field[i] >= '0' && field[i] <= '7'; i++) {
		if (v >> 60) {
			return false;
		}
		v = v * 8 + (uint64_t)(field[i] - '0');
		digits = true;
	}
	for (; i < n; i++) {
		if (field[i] != ' ' && field[i] != '\0') {
			return false;
		}
	}
	*out = digits ? v : 0;
	return true;
}

static bool checksum_ok(const unsigned char *b) {
	uint64_t want;
	if (!parse_number(b + 148, 8, &want)) {
		return false;
	}
	uint64_t u = 0;
	int64_t s = 0;
	for (int i = 0; i < BLOCK; i++) {
		unsigned char v = i >= 148 && i < 156 ? ' ' : b[i];
		u += v;
		s += (signed char)v;
	}
	return want == u || (int64_t)want == s;
}

static void field_string(const unsigned char *f, size_t n, char *out) {
	size_t len = 0;
	while (len < n && f[len]) {
		len++;
	}
	memcpy(out, f, len);
	out[len] = '\0';
}

static bool meta_append(struct archive_check *c, const void *data, size_t n,
		size_t max) {
	if (c->meta_len + n > max) {
		return false;
	}
	if (c->meta_len + n + 1 > c->meta_cap) {
		size_t cap = c->meta_cap ? c->meta_cap : 4096;
		while (cap < c->meta_len + n + 1) {
			cap *= 2;
		}
		char *bigger = realloc(c->meta, cap);
		if (!bigger) {
			return false;
		}
		c->meta = bigger;
		c->meta_cap = cap;
	}
	memcpy(c->meta + c->meta_len, data, n);
	c->meta_len += n;
	c->meta[c->meta_len] = '\0';
	return true;
}

/* PAX records: "<len> <key>=<value>\n". */
static void apply_pax(struct archive_check *c) {
	size_t i = 0;
	while (i < c->meta_len && !c->failed) {
		char *end;
		unsigned long len = strtoul(c->meta + i, &end, 10);
		if (end == c->meta + i || *end != ' ' || len == 0 ||
				len > c->meta_len - i || c->meta[i + len - 1] != '\n') {
			refuse(c, "has a malformed PAX header");
			return;
		}
		char *key = end + 1, *eq = memchr(key, '=', c->meta + i + len - key);
		if (!eq) {
			refuse(c, "has a malformed PAX record");
			return;
		}
		size_t klen = (size_t)(eq - key);
		char *value = eq + 1;
		size_t vlen = (size_t)(c->meta + i + len - 1 - value);
		if (memchr(value, '\0', vlen)) {
			refuse(c, "has a PAX record with a NUL byte");
			return;
		}
		if (klen == 4 && !memcmp(key, "path", 4)) {
			free(c->next_pax_name);
			c->next_pax_name = strndup(value, vlen);
		} else if (klen == 8 && !memcmp(key, "linkpath", 8)) {
			free(c->next_link);
			c->next_link = strndup(value, vlen);
		} else if (klen == 4 && !memcmp(key, "size", 4)) {
			char digits[32];
			if (vlen == 0 || vlen >= sizeof(digits)) {
				refuse(c, "has a PAX size that is not a number");
				return;
			}
			memcpy(digits, value, vlen);
			digits[vlen] = '\0';
			char *dend;
			unsigned long long v = strtoull(digits, &dend, 10);
			if (*dend || digits[0] == '-') {
				refuse(c, "has a PAX size that is not a number");
				return;
			}
			c->next_has_size = true;
			c->next_size = v;
		} else if (klen > 11 && !memcmp(key, "GNU.sparse.", 11)) {
			refuse(c, "has sparse files, which no image archive needs");
			return;
		}
		i += len;
	}
}

static void start_data(struct archive_check *c, enum data_kind kind,
		uint64_t size) {
	c->data_kind = kind;
	c->remaining = size;
	c->padding = (BLOCK - size % BLOCK) % BLOCK;
	c->in_data = size > 0 || c->padding > 0;
	c->meta_len = 0;
}

static void end_data(struct archive_check *c);

static void header(struct archive_check *c) {
	const unsigned char *b = c->block;
	bool zero = true;
	for (int i = 0; i < BLOCK && zero; i++) {
		zero = b[i] == 0;
	}
	if (zero) {
		if (++c->zero_blocks == 2) {
			c->done = true; // the end; the engines read no further
		}
		return;
	}
	if (c->zero_blocks) {
		refuse(c, "goes on after a lone end-of-archive block");
		return;
	}
	if (!checksum_ok(b)) {
		refuse(c, "has a tar header with a wrong checksum");
		return;
	}
	if (!memcmp(b + 508, "tar\0", 4) && !memcmp(b + 257, "ustar\0", 6)) {
		refuse(c, "is in the 'star' tar format, which the engines read "
			"differently");
		return;
	}
	bool ustar = !memcmp(b + 257, "ustar\0", 6);
	char name[MAX_NAME + 1], raw[300];
	char prefix[156] = "", base[101];
	field_string(b, 100, base);
	if (ustar) {
		field_string(b + 345, 155, prefix);
	}
	snprintf(raw, sizeof(raw), "%s%s%s", prefix, prefix[0] ? "/" : "", base);
	uint64_t size;
	if (!parse_number(b + 124, 12, &size)) {
		refuse(c, "has a tar header with a bad size");
		return;
	}
	char type = (char)b[156];
	switch (type) {
	case 'x':
		start_data(c, DATA_PAX, size);
		if (size > MAX_META) {
			refuse(c, "has a PAX header of %llu bytes",
				(unsigned long long)size);
		}
		if (!c->in_data) {
			end_data(c);
		}
		return;
	case 'g':
		start_data(c, DATA_SKIP, size); // global records: the engines
		return; // ignore them
	case 'L':
	case 'K':
		start_data(c, type == 'L' ? DATA_LONG_NAME : DATA_LONG_LINK, size);
		if (size > MAX_NAME) {
			refuse(c, "has a GNU long name of %llu bytes",
				(unsigned long long)size);
		}
		if (!c->in_data) {
			end_data(c);
		}
		return;
	default:
		break;
	}
	const char *given = c->next_gnu_name ? c->next_gnu_name :
		c->next_pax_name ? c->next_pax_name : raw;
	// Old archives mark folders with a trailing slash on a plain entry.
	if (type == '\0' && given[0] && given[strlen(given) - 1] == '/') {
		type = '5';
	}
	enum kind kind;
	bool has_data = false;
	switch (type) {
	case '0':
	case '\0':
	case '7':
		kind = KIND_FILE;
		has_data = true;
		break;
	case '1':
	case '2':
		kind = KIND_LINK;
		break;
	case '5':
		kind = KIND_DIR;
		break;
	case '3':
	case '4':
	case '6':
		kind = KIND_OTHER;
		break;
	default:
		refuse(c, "has an entry of tar type '%c' (%d), which an image "
			"archive does not need", type >= 32 && type < 127 ? type : '?',
			(int)(unsigned char)type);
		return;
	}
	if (c->next_has_size) {
		size = c->next_size;
	}
	if (!normalize(c, given, name, sizeof(name))) {
		return;
	}
	free(c->next_pax_name);
	free(c->next_gnu_name);
	free(c->next_link);
	c->next_pax_name = c->next_gnu_name = c->next_link = NULL;
	c->next_has_size = false;
	int special = -1;
	for (int i = 0; i < NSPECIAL; i++) {
		if (!strcmp(name, specials[i])) {
			special = i;
		}
	}
	if (!name[0]) {
		if (kind != KIND_DIR) {
			refuse(c, "has an entry with an empty name");
		}
		return; // "./": the archive's root
	}
	if (special >= 0 && kind != KIND_FILE) {
		refuse(c, "has %s as something other than a plain file", name);
		return;
	}
	struct entry *e = record(c, name, kind);
	if (!e) {
		return;
	}
	if (!has_data) {
		return; // links and folders carry no data, whatever the header says
	}
	if (special >= 0 && size > MAX_SPECIAL) {
		refuse(c, "has a %s of %llu bytes", name, (unsigned long long)size);
		return;
	}
	start_data(c, DATA_FILE, size);
	c->current = e;
	c->special = special;
	c->hashing = size <= MAX_HASHED;
	if (c->hashing) {
		sha256_init(&c->hash);
	}
	if (!c->in_data) {
		end_data(c);
	}
}

static void end_data(struct archive_check *c) {
	c->in_data = false;
	switch (c->data_kind) {
	case DATA_PAX:
		apply_pax(c);
		break;
	case DATA_LONG_NAME:
	case DATA_LONG_LINK: {
		char *copy = strndup(c->meta ? c->meta : "", c->meta_len);
		char **slot = c->data_kind == DATA_LONG_NAME ? &c->next_gnu_name :
			&c->next_link;
		free(*slot);
		*slot = copy;
		break;
	}
	case DATA_FILE:
		if (c->hashing && c->current) {
			sha256_final_hex(&c->hash, c->current->digest);
			c->current->hashed = true;
		}
		if (c->special >= 0) {
			free(c->special_data[c->special]);
			c->special_data[c->special] = strndup(c->meta ? c->meta : "",
				c->meta_len);
			c->special_len[c->special] = c->meta_len;
		}
		c->current = NULL;
		break;
	case DATA_SKIP:
		break;
	}
	c->meta_len = 0;
}

static void data(struct archive_check *c, const unsigned char *p, size_t n) {
	switch (c->data_kind) {
	case DATA_PAX:
	case DATA_LONG_NAME:
	case DATA_LONG_LINK:
		if (!meta_append(c, p, n, MAX_META)) {
			refuse(c, "has tar metadata that is too large");
		}
		break;
	case DATA_FILE:
		if (c->hashing) {
			sha256_update(&c->hash, p, n);
		}
		if (c->special >= 0 && !meta_append(c, p, n, MAX_SPECIAL)) {
			refuse(c, "has a %s that is too large", specials[c->special]);
		}
		break;
	case DATA_SKIP:
		break;
	}
}

bool archive_check_feed(struct archive_check *c, const void *buf, size_t len) {
	const unsigned char *p = buf;
	if (c->done && !c->failed) {
		// A little padding is usual (tar's 10 KiB records); more is not
		// an image, and reading on would only waste time.
		c->after_end += len;
		if (c->after_end > 65536) {
			refuse(c, "goes on for more than 64 KiB after its end");
		}
		return !c->failed;
	}
	while (len > 0 && !c->failed && !c->done) {
		if (c->in_data) {
			if (c->remaining > 0) {
				size_t n = len < c->remaining ? len : (size_t)c->remaining;
				data(c, p, n);
				c->remaining -= n;
				p += n;
				len -= n;
			} else {
				size_t n = len < c->padding ? len : (size_t)c->padding;
				c->padding -= n;
				p += n;
				len -= n;
			}
			if (c->remaining == 0 && c->padding == 0) {
				end_data(c);
			}
			continue;
		}
		size_t n = BLOCK - c->block_used;
		if (n > len) {
			n = len;
		}
		memcpy(c->block + c->block_used, p, n);
		c->block_used += n;
		p += n;
		len -= n;
		if (c->block_used == BLOCK) {
			c->block_used = 0;
			header(c);
		}
	}
	if (c->done && len > 0) {
		return archive_check_feed(c, p, len);
	}
	return !c->failed;
}

/* ---- what the archive would tag ---- */

static bool tag_ok(struct archive_check *c, const char *tag, const char *in) {
	char norm[512];
	archive_normalize_ref(tag, norm, sizeof(norm));
	if (strcmp(norm, c->image)) {
		refuse(c, "would tag '%.200s' (in its %s), but its app's image is "
			"'%s': an archive may only carry its own app's image", tag, in,
			c->image);
		return false;
	}
	return true;
}

static struct json_object *parse_special(struct archive_check *c, int i) {
	enum json_tokener_error jerr;
	struct json_object *obj = json_tokener_parse_verbose(c->special_data[i],
		&jerr);
	if (!obj) {
		refuse(c, "has a %s that is not JSON (%s)", specials[i],
			json_tokener_error_desc(jerr));
	}
	return obj;
}

static const char *config_digest(struct archive_check *c,
		struct json_object *manifest) {
	if (!json_object_is_type(manifest, json_type_array) ||
			json_object_array_length(manifest) != 1) {
		refuse(c, "has a manifest.json that does not describe exactly one "
			"image");
		return NULL;
	}
	struct json_object *image = json_object_array_get_idx(manifest, 0);
	struct json_object *config, *tags, *layers;
	if (!json_object_object_get_ex(image, "Config", &config) ||
			!json_object_is_type(config, json_type_string)) {
		refuse(c, "has a manifest.json without a Config");
		return NULL;
	}
	if (json_object_object_get_ex(image, "RepoTags", &tags) && tags) {
		if (!json_object_is_type(tags, json_type_array)) {
			refuse(c, "has a manifest.json whose RepoTags is not a list");
			return NULL;
		}
		for (size_t i = 0; i < json_object_array_length(tags); i++) {
			struct json_object *t = json_object_array_get_idx(tags, i);
			if (!json_object_is_type(t, json_type_string)) {
				refuse(c, "has a manifest.json with a tag that is not text");
				return NULL;
			}
			if (!tag_ok(c, json_object_get_string(t), "manifest.json")) {
				return NULL;
			}
		}
	}
	if (json_object_object_get_ex(image, "Layers", &layers) &&
			!json_object_is_type(layers, json_type_array)) {
		refuse(c, "has a manifest.json whose Layers is not a list");
		return NULL;
	}
	char name[MAX_NAME + 1];
	if (!normalize(c, json_object_get_string(config), name, sizeof(name))) {
		return NULL;
	}
	struct entry *e = find(c, name, strlen(name));
	if (!e || e->kind != KIND_FILE || !e->hashed) {
		refuse(c, "has no image config '%.200s' (named by its manifest.json)",
			name);
		return NULL;
	}
	return e->digest;
}

static bool repositories_ok(struct archive_check *c, struct json_object *r) {
	if (!json_object_is_type(r, json_type_object)) {
		refuse(c, "has a 'repositories' file that is not a JSON object");
		return false;
	}
	json_object_object_foreach(r, repo, tags) {
		if (!json_object_is_type(tags, json_type_object)) {
			refuse(c, "has a 'repositories' entry that is not an object");
			return false;
		}
		json_object_object_foreach(tags, tag, id) {
			(void)id;
			char ref[1024];
			snprintf(ref, sizeof(ref), "%s:%s", repo, tag);
			if (!tag_ok(c, ref, "'repositories' file")) {
				return false;
			}
		}
	}
	return true;
}

static bool index_ok(struct archive_check *c, struct json_object *index) {
	struct json_object *list;
	if (!json_object_object_get_ex(index, "manifests", &list)) {
		return true;
	}
	if (!json_object_is_type(list, json_type_array)) {
		refuse(c, "has an index.json whose manifests is not a list");
		return false;
	}
	const char *tag = strrchr(c->image, ':');
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		struct json_object *m = json_object_array_get_idx(list, i), *ann;
		if (!json_object_object_get_ex(m, "annotations", &ann)) {
			continue;
		}
		if (!json_object_is_type(ann, json_type_object)) {
			refuse(c, "has an index.json with annotations that are not an "
				"object");
			return false;
		}
		json_object_object_foreach(ann, key, value) {
			const char *v = json_object_get_string(value);
			if (!strcmp(key, "io.containerd.image.name") &&
					!tag_ok(c, v ? v : "", "index.json")) {
				return false;
			}
			if (!strcmp(key, "org.opencontainers.image.ref.name") &&
					!(v && tag && !strcmp(v, tag + 1)) &&
					!tag_ok(c, v ? v : "", "index.json")) {
				return false;
			}
		}
	}
	return true;
}

bool archive_check_finish(struct archive_check *c,
		char id[ARCHIVE_IMAGE_ID_LEN + 1]) {
	if (c->failed) {
		return false;
	}
	if (!c->done && (c->in_data || c->block_used)) {
		refuse(c, "ends in the middle of an entry (truncated)");
		return false;
	}
	if (!c->special_data[0]) {
		refuse(c, "has no manifest.json: it is not an image archive as "
			"`docker save` or `podman save` writes it");
		return false;
	}
	struct json_object *manifest = parse_special(c, 0);
	const char *digest = manifest ? config_digest(c, manifest) : NULL;
	bool ok = digest != NULL;
	if (ok) {
		snprintf(id, ARCHIVE_IMAGE_ID_LEN + 1, "sha256:%s", digest);
	}
	json_object_put(manifest);
	for (int i = 1; ok && i < NSPECIAL; i++) {
		if (!c->special_data[i]) {
			continue;
		}
		struct json_object *obj = parse_special(c, i);
		ok = obj && (i == 1 ? repositories_ok(c, obj) : index_ok(c, obj));
		json_object_put(obj);
	}
	return ok;
}
