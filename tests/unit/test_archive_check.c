/* The image archive check, on archives built here byte by byte: what a
 * good `docker save` archive looks like, and each way a hostile one could
 * make the engine tag or load something the check did not see. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive_check.h"
#include "sha256.h"

struct tar {
	unsigned char *data;
	size_t len, cap;
};

static void put(struct tar *t, const void *p, size_t n) {
	if (t->len + n > t->cap) {
		t->cap = (t->len + n) * 2 + 4096;
		t->data = realloc(t->data, t->cap);
		assert_non_null(t->data);
	}
	memcpy(t->data + t->len, p, n);
	t->len += n;
}

/* One entry: a ustar header (name split into prefix/name when long),
 * then the data padded to 512. `size_field` lets a test lie about it. */
static void entry_sized(struct tar *t, const char *name, char type,
		const char *link, const void *data, size_t len, long size_field) {
	unsigned char h[512] = { 0 };
	size_t n = strlen(name);
	if (n > 100) {
		const char *cut = name + n - 100;
		while (*cut && *cut != '/') {
			cut++;
		}
		memcpy(h + 345, name, (size_t)(cut - name));
		snprintf((char *)h, 101, "%s", cut + 1);
	} else {
		memcpy(h, name, n);
	}
	snprintf((char *)h + 100, 8, "%07o", 0644);
	snprintf((char *)h + 108, 8, "%07o", 0);
	snprintf((char *)h + 116, 8, "%07o", 0);
	snprintf((char *)h + 124, 12, "%011lo", size_field >= 0 ?
		(unsigned long)size_field : (unsigned long)len);
	snprintf((char *)h + 136, 12, "%011o", 0);
	h[156] = (unsigned char)type;
	if (link) {
		snprintf((char *)h + 157, 100, "%s", link);
	}
	memcpy(h + 257, "ustar\0" "00", 8);
	memset(h + 148, ' ', 8);
	unsigned sum = 0;
	for (int i = 0; i < 512; i++) {
		sum += h[i];
	}
	snprintf((char *)h + 148, 8, "%06o", sum);
	put(t, h, 512);
	if (len) {
		put(t, data, len);
		static const unsigned char zero[512];
		put(t, zero, (512 - len % 512) % 512);
	}
}

static void entry(struct tar *t, const char *name, char type,
		const char *link, const char *data) {
	entry_sized(t, name, type, link, data, data ? strlen(data) : 0, -1);
}

static void pax(struct tar *t, const char *key, const char *value) {
	char rec[1024];
	size_t body = strlen(key) + strlen(value) + 3; // ' ' '=' '\n'
	size_t len = body + 1;
	while (snprintf(NULL, 0, "%zu", len) + body != len) {
		len++;
	}
	snprintf(rec, sizeof(rec), "%zu %s=%s\n", len, key, value);
	entry(t, "PaxHeaders/x", 'x', NULL, rec);
}

static void end(struct tar *t) {
	static const unsigned char zero[1024];
	put(t, zero, 1024);
}

static const char *config = "{\"architecture\":\"amd64\",\"os\":\"linux\"}";

static void manifest(struct tar *t, const char *tags) {
	char text[1024];
	snprintf(text, sizeof(text), "[{\"Config\":\"cfg.json\",\"RepoTags\":%s,"
		"\"Layers\":[\"l1/layer.tar\"]}]", tags);
	entry(t, "manifest.json", '0', NULL, text);
}

static void good_start(struct tar *t) {
	entry(t, "cfg.json", '0', NULL, config);
	entry(t, "l1/", '5', NULL, NULL);
	entry(t, "l1/layer.tar", '0', NULL, "not really a layer");
}

/* Feeds in pieces of `step` bytes; returns the verdict and the error. */
static bool check(struct tar *t, const char *image, size_t step,
		char id[ARCHIVE_IMAGE_ID_LEN + 1], char *error, size_t error_len) {
	struct archive_check *c = archive_check_create(image);
	assert_non_null(c);
	bool ok = true;
	for (size_t i = 0; ok && i < t->len; i += step) {
		size_t n = t->len - i < step ? t->len - i : step;
		ok = archive_check_feed(c, t->data + i, n);
	}
	ok = ok && archive_check_finish(c, id);
	snprintf(error, error_len, "%s", archive_check_error(c));
	archive_check_destroy(c);
	free(t->data);
	memset(t, 0, sizeof(*t));
	return ok;
}

static void expect_refused(struct tar *t, const char *image,
		const char *words) {
	char id[ARCHIVE_IMAGE_ID_LEN + 1], error[1024];
	bool ok = check(t, image, 512, id, error, sizeof(error));
	if (ok || !strstr(error, words)) {
		fail_msg("expected a refusal with '%s', got %s: '%s'", words,
			ok ? "acceptance" : "refusal", error);
	}
}

static void test_good_archive(void **state) {
	(void)state;
	char want[65], id[ARCHIVE_IMAGE_ID_LEN + 1], error[1024];
	struct sha256 h;
	sha256_init(&h);
	sha256_update(&h, config, strlen(config));
	sha256_final_hex(&h, want);
	// Every piece size, so that headers and data split anywhere.
	size_t steps[] = { 1, 7, 511, 512, 513, 100000 };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct tar t = { 0 };
		good_start(&t);
		manifest(&t, "[\"localhost/app:latest\"]");
		entry(&t, "repositories", '0', NULL,
			"{\"app\":{\"latest\":\"abc\"}}");
		end(&t);
		assert_true(check(&t, "app", steps[i], id, error, sizeof(error)));
		assert_int_equal(strncmp(id, "sha256:", 7), 0);
		assert_string_equal(id + 7, want);
	}
	// Untagged is fine: the app runs it by id.
	struct tar t = { 0 };
	good_start(&t);
	manifest(&t, "null");
	end(&t);
	assert_true(check(&t, "app:1", 512, id, error, sizeof(error)));
}

static void test_foreign_tags(void **state) {
	(void)state;
	struct tar t = { 0 };
	good_start(&t);
	manifest(&t, "[\"app:latest\",\"docker.io/library/bank:latest\"]");
	end(&t);
	expect_refused(&t, "app", "would tag 'docker.io/library/bank:latest'");

	good_start(&t);
	manifest(&t, "[\"app:2\"]");
	end(&t);
	expect_refused(&t, "app:1", "would tag 'app:2'");

	// The legacy file Docker reads when manifest.json says nothing.
	good_start(&t);
	manifest(&t, "[]");
	entry(&t, "repositories", '0', NULL, "{\"bank\":{\"latest\":\"abc\"}}");
	end(&t);
	expect_refused(&t, "app", "would tag 'bank:latest'");

	good_start(&t);
	manifest(&t, "[]");
	entry(&t, "index.json", '0', NULL, "{\"manifests\":[{\"annotations\":"
		"{\"io.containerd.image.name\":\"docker.io/library/bank:1\"}}]}");
	end(&t);
	expect_refused(&t, "app", "would tag 'docker.io/library/bank:1'");

	// Two images in one archive.
	good_start(&t);
	entry(&t, "manifest.json", '0', NULL, "[{\"Config\":\"cfg.json\"},"
		"{\"Config\":\"cfg.json\"}]");
	end(&t);
	expect_refused(&t, "app", "exactly one image");
}

static void test_hidden_manifests(void **state) {
	(void)state;
	struct tar t = { 0 };
	// A second manifest.json under another spelling.
	good_start(&t);
	manifest(&t, "[\"app:latest\"]");
	entry(&t, "./manifest.json", '0', NULL, "[{\"Config\":\"cfg.json\","
		"\"RepoTags\":[\"bank:latest\"]}]");
	end(&t);
	expect_refused(&t, "app", "names 'manifest.json' twice");

	// Reached through a link: x -> ., then x/manifest.json.
	good_start(&t);
	entry(&t, "x", '2', ".", NULL);
	entry(&t, "x/manifest.json", '0', NULL, "[]");
	manifest(&t, "[\"app:latest\"]");
	end(&t);
	expect_refused(&t, "app", "lies behind 'x'");

	// A PAX path that renames an innocent entry.
	good_start(&t);
	manifest(&t, "[\"app:latest\"]");
	pax(&t, "path", "manifest.json");
	entry(&t, "innocent.txt", '0', NULL, "[{\"Config\":\"cfg.json\","
		"\"RepoTags\":[\"bank:latest\"]}]");
	end(&t);
	expect_refused(&t, "app", "names 'manifest.json' twice");

	// A PAX path to the only manifest is read as the engines read it.
	good_start(&t);
	pax(&t, "path", "manifest.json");
	entry(&t, "innocent.txt", '0', NULL, "[{\"Config\":\"cfg.json\","
		"\"RepoTags\":[\"bank:latest\"]}]");
	end(&t);
	expect_refused(&t, "app", "would tag 'bank:latest'");

	// A GNU long name does the same.
	good_start(&t);
	entry(&t, "././@LongLink", 'L', NULL, "manifest.json");
	entry(&t, "innocent.txt", '0', NULL, "[{\"Config\":\"cfg.json\","
		"\"RepoTags\":[\"bank:latest\"]}]");
	end(&t);
	expect_refused(&t, "app", "would tag 'bank:latest'");

	// A manifest.json that is a link.
	good_start(&t);
	entry(&t, "evil.json", '0', NULL, "[]");
	entry(&t, "manifest.json", '2', "evil.json", NULL);
	end(&t);
	expect_refused(&t, "app", "other than a plain file");

	// An old-style folder ("name/" of type '\0') carries no data, as in
	// Go's reader: a size on it must not hide the next header.
	struct tar inner = { 0 };
	manifest(&inner, "[\"bank:latest\"]");
	good_start(&t);
	entry_sized(&t, "folder/", '\0', NULL, inner.data, inner.len,
		(long)inner.len);
	free(inner.data);
	end(&t);
	expect_refused(&t, "app", "would tag 'bank:latest'");

	// Leaving the archive.
	good_start(&t);
	entry(&t, "../manifest.json", '0', NULL, "[]");
	end(&t);
	expect_refused(&t, "app", "leads out of the archive");
}

static void test_malformed(void **state) {
	(void)state;
	struct tar t = { 0 };
	good_start(&t);
	end(&t);
	expect_refused(&t, "app", "no manifest.json");

	good_start(&t);
	entry(&t, "manifest.json", '0', NULL, "[{\"Config\":\"nope.json\"}]");
	end(&t);
	expect_refused(&t, "app", "no image config 'nope.json'");

	good_start(&t);
	entry(&t, "manifest.json", '0', NULL, "this is not json");
	end(&t);
	expect_refused(&t, "app", "not JSON");

	// Truncated in the middle of an entry.
	good_start(&t);
	manifest(&t, "[\"app:latest\"]");
	t.len -= 700;
	expect_refused(&t, "app", "truncated");

	// A header whose checksum does not match.
	good_start(&t);
	manifest(&t, "[\"app:latest\"]");
	t.data[t.len - 1024 + 3] ^= 1; // inside manifest.json's header
	end(&t);
	expect_refused(&t, "app", "checksum");

	// Sparse files and unknown types are not for image archives.
	good_start(&t);
	entry(&t, "s", 'S', NULL, NULL);
	end(&t);
	expect_refused(&t, "app", "tar type 'S'");

	// A huge manifest.json is refused before it is kept in memory.
	good_start(&t);
	entry_sized(&t, "manifest.json", '0', NULL, "", 0, 5L << 20);
	expect_refused(&t, "app", "manifest.json of");

	// Megabytes of zeros after the end: not an image (a /dev/zero-like
	// file); refused early rather than read to its end.
	good_start(&t);
	manifest(&t, "[\"app:latest\"]");
	end(&t);
	unsigned char *zeros = calloc(1, 1 << 20);
	put(&t, zeros, 1 << 20);
	free(zeros);
	expect_refused(&t, "app", "after its end");
}

static void test_many_names(void **state) {
	(void)state;
	// Thousands of names: the name table grows and still sees a second
	// manifest.json among them.
	struct tar t = { 0 };
	good_start(&t);
	char name[64];
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "d%d/f%d", i % 50, i);
		entry(&t, name, '0', NULL, "x");
	}
	manifest(&t, "[\"app:latest\"]");
	end(&t);
	char id[ARCHIVE_IMAGE_ID_LEN + 1], error[1024];
	assert_true(check(&t, "app", 4096, id, error, sizeof(error)));
	good_start(&t);
	for (int i = 0; i < 3000; i++) {
		snprintf(name, sizeof(name), "d%d/f%d", i % 50, i);
		entry(&t, name, '0', NULL, "x");
	}
	manifest(&t, "[\"app:latest\"]");
	entry(&t, "d7/../manifest.json", '0', NULL, "[]");
	end(&t);
	expect_refused(&t, "app", "leads out of the archive");
}

static void test_normalize(void **state) {
	(void)state;
	char out[256];
	archive_normalize_ref("app", out, sizeof(out));
	assert_string_equal(out, "app:latest");
	archive_normalize_ref("docker.io/library/app:1", out, sizeof(out));
	assert_string_equal(out, "app:1");
	archive_normalize_ref("localhost/app", out, sizeof(out));
	assert_string_equal(out, "app:latest");
	archive_normalize_ref("registry:5000/team/app", out, sizeof(out));
	assert_string_equal(out, "registry:5000/team/app:latest");
	archive_normalize_ref("docker.io/team/app:2", out, sizeof(out));
	assert_string_equal(out, "team/app:2");
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_archive),
		cmocka_unit_test(test_foreign_tags),
		cmocka_unit_test(test_hidden_manifests),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_many_names),
		cmocka_unit_test(test_normalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
