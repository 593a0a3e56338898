/* The user's permission overrides: parsing, effective permissions,
 * consent, and saving without losing the rest of the file. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "overrides.h"

static char dir[64];
#define KEY "0123456789abcdef" // a store's key
#define OTHER "fedcba9876543210" // another store's

static int setup(void **state) {
	snprintf(dir, sizeof(dir), "/tmp/pwl-ov-XXXXXX");
	assert_non_null(mkdtemp(dir));
	setenv("XDG_CONFIG_HOME", dir, 1);
	return 0;
}

static int teardown(void **state) {
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd);
}

static void write_override(const char *id, const char *text) {
	char path[256];
	snprintf(path, sizeof(path), "mkdir -p '%s/pocketwl/apps'", dir);
	assert_int_equal(system(path), 0);
	snprintf(path, sizeof(path), "%s/pocketwl/apps/%s.ini", dir, id);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_no_file_is_empty(void **state) {
	struct app_override ov;
	struct manifest_messages errors = { 0 };
	assert_true(override_load(KEY, "none", &ov, &errors));
	assert_false(ov.present);
	uint32_t asked = MANIFEST_PERM_GPU | MANIFEST_PERM_CLIPBOARD;
	assert_int_equal(override_effective(asked, &ov), asked);
	assert_int_equal(override_needs_consent(asked, &ov), asked);
	assert_int_equal(override_needs_consent(0, &ov), 0);
}

static void test_narrow_widen_grant(void **state) {
	write_override("app", "[permissions]\nstore = " KEY "\nallow = network\n"
		"deny = gpu\ngranted = clipboard\n");
	struct app_override ov;
	struct manifest_messages errors = { 0 };
	assert_true(override_load(KEY, "app", &ov, &errors));
	assert_true(ov.present);
	uint32_t asked = MANIFEST_PERM_GPU | MANIFEST_PERM_CLIPBOARD |
		MANIFEST_PERM_AUDIO;
	uint32_t eff = override_effective(asked, &ov);
	assert_int_equal(eff, MANIFEST_PERM_CLIPBOARD | MANIFEST_PERM_AUDIO |
		MANIFEST_PERM_NETWORK);
	// Allowed and granted need no question; audio still does.
	assert_int_equal(override_needs_consent(asked, &ov), MANIFEST_PERM_AUDIO);
	char text[64];
	permissions_to_text(eff, text, sizeof(text));
	assert_string_equal(text, "clipboard,network,audio");
	// The same id from another store: the refusal holds, the rest not.
	assert_true(override_load(OTHER, "app", &ov, &errors));
	assert_int_equal(ov.deny, MANIFEST_PERM_GPU);
	assert_int_equal(ov.allow, 0);
	assert_int_equal(ov.granted, 0);
	assert_int_equal(override_needs_consent(asked, &ov),
		MANIFEST_PERM_CLIPBOARD | MANIFEST_PERM_AUDIO);
	// Without a store line, a hand-written file only narrows.
	write_override("app", "[permissions]\nallow = network\ndeny = gpu\n"
		"granted = clipboard\n");
	assert_true(override_load(KEY, "app", &ov, &errors));
	assert_int_equal(ov.allow, 0);
	assert_int_equal(ov.granted, 0);
	assert_int_equal(ov.deny, MANIFEST_PERM_GPU);
}

static void test_grants_are_per_store(void **state) {
	// What the panel records for one store's app.
	struct app_override ov = { .granted = MANIFEST_PERM_CLIPBOARD };
	char err[256];
	assert_true(override_save(KEY, "twin", &ov, err, sizeof(err)));
	struct app_override a, b;
	struct manifest_messages errors = { 0 };
	assert_true(override_load(KEY, "twin", &a, &errors));
	assert_true(override_load(OTHER, "twin", &b, &errors));
	assert_int_equal(a.granted, MANIFEST_PERM_CLIPBOARD);
	assert_int_equal(b.granted, 0);
	assert_false(b.present);
	char path[256];
	assert_true(override_path(KEY, "twin", path, sizeof(path)));
	assert_non_null(strstr(path, "/pocketwl/apps/" KEY "/twin.ini"));
	assert_false(override_path("../../etc", "twin", path, sizeof(path)));
}

static void test_errors_name_file_and_line(void **state) {
	write_override("bad", "[permissions]\nallow = network,teleport\n"
		"maybe = gpu\n[other]\nx = 1\nstore = nope\n");
	struct app_override ov;
	struct manifest_messages errors = { 0 };
	assert_false(override_load(KEY, "bad", &ov, &errors));
	assert_int_equal(errors.len, 4);
	assert_non_null(strstr(errors.lines[0], "bad.ini:2: [permissions] allow: "
		"unknown permission 'teleport'"));
	assert_non_null(strstr(errors.lines[1], "bad.ini:3: [permissions] maybe: "
		"unknown key"));
	assert_non_null(strstr(errors.lines[2], "bad.ini:5: unknown section "
		"[other]"));
	manifest_messages_finish(&errors);
	char path[256];
	assert_false(override_path(NULL, "../x", path, sizeof(path)));
	assert_true(override_path(NULL, "ok.app", path, sizeof(path)));
	assert_non_null(strstr(path, "/pocketwl/apps/ok.app.ini"));
}

static void test_save_round_trip(void **state) {
	struct app_override ov = { .allow = MANIFEST_PERM_NETWORK,
		.granted = MANIFEST_PERM_GPU | MANIFEST_PERM_CLIPBOARD };
	char err[256];
	assert_true(override_save(KEY, "saved", &ov, err, sizeof(err)));
	struct app_override back;
	struct manifest_messages errors = { 0 };
	assert_true(override_load(KEY, "saved", &back, &errors));
	assert_int_equal(back.allow, ov.allow);
	assert_int_equal(back.deny, 0);
	assert_int_equal(back.granted, ov.granted);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_false(override_save(KEY, "saved", &ov, err, sizeof(err)));
	assert_non_null(strstr(err, "no config directory"));
	setenv("XDG_CONFIG_HOME", dir, 1);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_file_is_empty),
		cmocka_unit_test(test_narrow_widen_grant),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_save_round_trip),
		cmocka_unit_test(test_grants_are_per_store),
	};
	return cmocka_run_group_tests_name("overrides", tests, setup, teardown);
}
