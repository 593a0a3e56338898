#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "manifest.h"

struct result {
	struct manifest m;
	struct manifest_messages errors, warnings;
	bool ok;
};

static void parse(struct result *r, const char *text) {
	memset(r, 0, sizeof(*r));
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	r->ok = manifest_parse(&r->m, f, "apps/x.desktop", "x", &r->errors,
		&r->warnings);
	fclose(f);
}

static void finish(struct result *r) {
	manifest_finish(&r->m);
	manifest_messages_finish(&r->errors);
	manifest_messages_finish(&r->warnings);
}

static bool has(const struct manifest_messages *list, const char *text) {
	for (size_t i = 0; i < list->len; i++) {
		if (strstr(list->lines[i], text)) {
			return true;
		}
	}
	return false;
}

static const char *const sha =
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void test_full_manifest(void **state) {
	char text[2048];
	snprintf(text, sizeof(text),
		"[Desktop Entry]\n"
		"Type=Application\n"
		"Name=Editor\n"
		"Name[de]=Bearbeiter\n"
		"Comment=Edits text\n"
		"Icon=editor\n"
		"Categories=Utility;TextEditor;\n"
		"\n"
		"[X-Pocket]\n"
		"Image=localhost/editor:1.0\n"
		"Archive=images/editor.tar\n"
		"ArchiveSHA256=%s\n"
		"Command=editor --wayland\n"
		"Permissions=clipboard;network\n"
		"Data=/home/app\n"
		"Env=LANG=C.UTF-8;EDITOR_MODE=pocket\n"
		"Instances=multi\n"
		"Restart=on-failure\n", sha);
	struct result r;
	parse(&r, text);
	assert_true(r.ok);
	assert_int_equal(r.errors.len, 0);
	assert_int_equal(r.warnings.len, 0);
	assert_string_equal(r.m.name, "Editor");
	assert_string_equal(r.m.image, "localhost/editor:1.0");
	assert_string_equal(r.m.archive, "images/editor.tar");
	assert_string_equal(r.m.archive_sha256, sha);
	assert_int_equal(r.m.permissions,
		MANIFEST_PERM_CLIPBOARD | MANIFEST_PERM_NETWORK);
	assert_string_equal(r.m.data_path, "/home/app");
	assert_string_equal(r.m.env[1], "EDITOR_MODE=pocket");
	assert_null(r.m.env[2]);
	assert_int_equal(r.m.instances, MANIFEST_MULTI);
	assert_int_equal(r.m.restart, MANIFEST_RESTART_ON_FAILURE);
	finish(&r);
}

static void test_every_error_names_file_and_line(void **state) {
	struct result r;
	parse(&r,
		"[Desktop Entry]\n"                // 1
		"Type=Link\n"                      // 2
		"Icon=../../etc/passwd\n"          // 3
		"[X-Pocket]\n"                     // 4
		"Image=has space\n"                // 5
		"Archive=/abs/path.tar\n"          // 6
		"ArchiveSHA256=XYZ\n"              // 7
		"Data=relative\n"                  // 8
		"Env=NOVALUE\n"                    // 9
		"Instances=many\n"                 // 10
		"Restart=sometimes\n");            // 11
	assert_false(r.ok);
	const char *expected[] = {
		"apps/x.desktop:2: [Desktop Entry] Type: 'Link' is not Application",
		"apps/x.desktop:3: [Desktop Entry] Icon:",
		"apps/x.desktop:5: [X-Pocket] Image: 'has space'",
		"apps/x.desktop:6: [X-Pocket] Archive: '/abs/path.tar' must be",
		"apps/x.desktop:7: [X-Pocket] ArchiveSHA256: not 64",
		"apps/x.desktop:8: [X-Pocket] Data: 'relative'",
		"apps/x.desktop:9: [X-Pocket] Env: 'NOVALUE'",
		"apps/x.desktop:10: [X-Pocket] Instances: 'many'",
		"apps/x.desktop:11: [X-Pocket] Restart: 'sometimes'",
		"apps/x.desktop:11: [Desktop Entry] Name is missing",
		"apps/x.desktop:11: [X-Pocket] Image is missing",
	};
	for (size_t i = 0; i < sizeof(expected) / sizeof(*expected); i++) {
		if (!has(&r.errors, expected[i])) {
			fail_msg("missing error: %s", expected[i]);
		}
	}
	finish(&r);
}

static void test_unknown_keys_only_warn(void **state) {
	struct result r;
	parse(&r,
		"[Desktop Entry]\n"
		"Name=App\n"
		"Exec=/bin/rm -rf ~\n"
		"X-Future=1\n"
		"[X-Pocket]\n"
		"Image=app:1\n"
		"Permissions=clipboard;teleport\n"
		"Sandbox=extreme\n"
		"[X-Other]\n"
		"Key=1\n");
	assert_true(r.ok);
	assert_true(has(&r.warnings, ":3: [Desktop Entry] Exec: ignored"));
	assert_true(has(&r.warnings, ":4: [Desktop Entry] X-Future: unknown"));
	assert_true(has(&r.warnings, ":7: [X-Pocket] Permissions: unknown "
		"permission 'teleport'"));
	assert_true(has(&r.warnings, ":8: [X-Pocket] Sandbox: unknown key"));
	assert_true(has(&r.warnings, ":10: [X-Other] Key: unknown group"));
	assert_int_equal(r.m.permissions, MANIFEST_PERM_CLIPBOARD);
	finish(&r);
}

static void test_archive_needs_checksum_and_syntax(void **state) {
	struct result r;
	parse(&r, "[Desktop Entry]\nName=A\n[X-Pocket]\nImage=a:1\n"
		"Archive=images/a.tar\n");
	assert_false(r.ok);
	assert_true(has(&r.errors, "Archive needs ArchiveSHA256"));
	finish(&r);
	parse(&r, "[Desktop Entry\nName=A\n");
	assert_false(r.ok);
	assert_true(has(&r.errors, "apps/x.desktop:1: syntax error"));
	finish(&r);
	parse(&r, "Name=A\n");
	assert_false(r.ok);
	assert_true(has(&r.errors, "'Name' is outside of any group"));
	finish(&r);
	parse(&r, "");
	assert_false(r.ok);
	finish(&r);
	// Climbing out of the store in any form is refused.
	parse(&r, "[Desktop Entry]\nName=A\n[X-Pocket]\nImage=a:1\n"
		"Archive=images/../../x.tar\n");
	assert_true(has(&r.errors, "must be a path inside the store"));
	finish(&r);
	// A line longer than inih's buffer is an error, not two lines.
	char text[1024];
	char tail[400];
	memset(tail, 'a', sizeof(tail) - 1);
	tail[sizeof(tail) - 1] = '\0';
	snprintf(text, sizeof(text), "[Desktop Entry]\nName=A\n[X-Pocket]\n"
		"Image=a:1\nCommand=run %s\nData=/data\n", tail);
	parse(&r, text);
	assert_false(r.ok);
	assert_true(has(&r.errors, "apps/x.desktop:5: line longer than"));
	assert_string_equal(r.m.data_path, "/data"); // the next line still read
	finish(&r);
}

static void test_localized_names(void **state) {
	struct result r;
	parse(&r, "[Desktop Entry]\nName=Editor\nName[de]=Bearbeiter\n"
		"Name[de_AT]=Editor AT\nName[sr@latin]=Uredjivac\nComment=Edit\n"
		"Comment[fr]=Modifier\nName[]=x\n[X-Pocket]\nImage=a:1\n");
	assert_false(r.ok); // Name[] is not a locale
	assert_true(has(&r.errors, "apps/x.desktop:8: [Desktop Entry] Name[]: "
		"not a locale"));
	const struct manifest *m = &r.m;
	assert_string_equal(manifest_localized(m, "Name", NULL), "Editor");
	assert_string_equal(manifest_localized(m, "Name", "C"), "Editor");
	assert_string_equal(manifest_localized(m, "Name", "de_DE.UTF-8"),
		"Bearbeiter");
	assert_string_equal(manifest_localized(m, "Name", "de_AT.UTF-8"),
		"Editor AT");
	assert_string_equal(manifest_localized(m, "Name", "sr_RS@latin"),
		"Uredjivac");
	assert_string_equal(manifest_localized(m, "Name", "fr_FR"), "Editor");
	assert_string_equal(manifest_localized(m, "Comment", "fr_CA.UTF-8"),
		"Modifier");
	assert_string_equal(manifest_localized(m, "Comment", "de"), "Edit");
	finish(&r);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_manifest),
		cmocka_unit_test(test_every_error_names_file_and_line),
		cmocka_unit_test(test_unknown_keys_only_warn),
		cmocka_unit_test(test_archive_needs_checksum_and_syntax),
		cmocka_unit_test(test_localized_names),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
