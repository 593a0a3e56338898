#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

static char root[64];

static void write_file(const char *rel, const char *text) {
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state) {
	snprintf(root, sizeof(root), "/tmp/pwl-store-XXXXXX");
	if (!mkdtemp(root)) {
		return -1;
	}
	char store[128];
	snprintf(store, sizeof(store), "%s/s", root);
	char error[256];
	return store_init(store, "Fixture", error, sizeof(error)) ? 0 : -1;
}

static int teardown(void **state) {
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	return system(cmd) == 0 ? 0 : -1;
}

static bool has(const struct manifest_messages *list, const char *text) {
	for (size_t i = 0; i < list->len; i++) {
		if (strstr(list->lines[i], text)) {
			return true;
		}
	}
	return false;
}

static void test_good_and_bad_apps(void **state) {
	write_file("s/apps/b-good.desktop",
		"[Desktop Entry]\nName=B\n[X-Pocket]\nImage=b:1\n");
	write_file("s/apps/a-good.desktop",
		"[Desktop Entry]\nName=A\n[X-Pocket]\nImage=a:1\nFuture=1\n");
	write_file("s/apps/broken.desktop",
		"[Desktop Entry]\nName=Broken\n[X-Pocket]\nInstances=lots\n");
	write_file("s/apps/bad id!.desktop",
		"[Desktop Entry]\nName=X\n[X-Pocket]\nImage=x:1\n");
	write_file("s/apps/README", "not a manifest\n");
	char path[128];
	snprintf(path, sizeof(path), "%s/s", root);
	struct pocket_store store;
	assert_true(store_load(&store, path));
	assert_string_equal(store.name, "Fixture");
	assert_int_equal(store.format, 1);
	// The broken ones are reported, the others all there, sorted.
	assert_int_equal(store.apps_len, 2);
	assert_string_equal(store.apps[0].id, "a-good");
	assert_string_equal(store.apps[1].id, "b-good");
	assert_true(has(&store.errors, "broken.desktop:4: [X-Pocket] Instances"));
	assert_true(has(&store.errors, "'bad id!' is not an app id"));
	assert_true(has(&store.warnings, "a-good.desktop:5: [X-Pocket] Future"));
	store_finish(&store);
}

static void test_not_a_store(void **state) {
	struct pocket_store store;
	assert_false(store_load(&store, root));
	assert_true(has(&store.errors, "pocket-store.ini: not a pocket store"));
	store_finish(&store);
}

static void test_newer_format_refused(void **state) {
	char dir[128];
	snprintf(dir, sizeof(dir), "%s/new", root);
	mkdir(dir, 0755);
	write_file("new/pocket-store.ini", "[store]\nname = Future\nformat = 7\n");
	struct pocket_store store;
	assert_false(store_load(&store, dir));
	assert_true(has(&store.errors, "store format 7 is newer"));
	store_finish(&store);
	write_file("new/pocket-store.ini", "[store]\nformat = 1\n");
	assert_false(store_load(&store, dir));
	assert_true(has(&store.errors, "[store] name is missing"));
	store_finish(&store);
}

static void test_init_twice_refused(void **state) {
	char path[128], error[256];
	snprintf(path, sizeof(path), "%s/s", root);
	assert_false(store_init(path, "Again", error, sizeof(error)));
	assert_non_null(strstr(error, "already holds a pocket store"));
	assert_true(store_valid_id("org.example.App_1-2"));
	assert_false(store_valid_id(".hidden"));
	assert_false(store_valid_id("a/b"));
	assert_false(store_valid_id(""));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_and_bad_apps),
		cmocka_unit_test(test_not_a_store),
		cmocka_unit_test(test_newer_format_refused),
		cmocka_unit_test(test_init_twice_refused),
	};
	return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
