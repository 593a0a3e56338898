#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "spec.h"

static void test_full_spec(void **state) {
	const char *cmd[] = { "foot", NULL };
	const char *env[] = { "WAYLAND_DISPLAY=wayland-0", NULL };
	struct spec_device devices[] = {
		{ "/dev/dri/renderD129", "/dev/dri/renderD128" },
	};
	unsigned groups[] = { 44, 105 };
	const char *tmpfs[] = { "/tmp", NULL };
	struct spec_bind binds[] = { { "/tmp", "/run/user/1000", false },
		{ "/", "/host", true } };
	struct spec_kv labels[] = { { "io.pocketwl.app", "foot" } };
	struct container_spec spec = {
		.image = "foot:1", .command = cmd, .env = env, .user = "1000:1000",
		.binds = binds, .binds_len = 2, .devices = devices,
		.devices_len = 1, .group_add = groups, .group_add_len = 2,
		.tmpfs = tmpfs,
		.read_only_rootfs = true, .cap_drop_all = true,
		.no_new_privileges = true, .network_mode = "none", .labels = labels,
		.labels_len = 1, .memory_bytes = 1 << 30, .pids_limit = 256,
		.auto_remove = true, .init = true,
	};
	char error[256];
	char *text = spec_to_json(&spec, error, sizeof(error));
	assert_non_null(text);
	struct json_object *root = json_tokener_parse(text);
	free(text);
	assert_non_null(root);
	struct json_object *hc = json_object_object_get(root, "HostConfig");
	struct json_object *mounts = json_object_object_get(hc, "Mounts");
	assert_int_equal(json_object_array_length(mounts), 2);
	struct json_object *m = json_object_array_get_idx(mounts, 1);
	assert_string_equal(json_object_get_string(
		json_object_object_get(m, "Type")), "bind");
	assert_true(json_object_get_boolean(json_object_object_get(m, "ReadOnly")));
	struct json_object *d = json_object_array_get_idx(
		json_object_object_get(hc, "Devices"), 0);
	assert_string_equal(json_object_get_string(
		json_object_object_get(d, "PathOnHost")), "/dev/dri/renderD129");
	assert_string_equal(json_object_get_string(
		json_object_object_get(d, "PathInContainer")), "/dev/dri/renderD128");
	assert_string_equal(json_object_to_json_string_ext(
		json_object_object_get(hc, "GroupAdd"), JSON_C_TO_STRING_PLAIN),
		"[\"44\",\"105\"]");
	// Never the old Binds, which would create missing directories.
	assert_null(json_object_object_get(hc, "Binds"));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		json_object_object_get(hc, "CapDrop"), 0)), "ALL");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		json_object_object_get(hc, "SecurityOpt"), 0)), "no-new-privileges");
	assert_string_equal(json_object_get_string(
		json_object_object_get(hc, "NetworkMode")), "none");
	assert_true(json_object_get_boolean(
		json_object_object_get(hc, "ReadonlyRootfs")));
	assert_true(json_object_get_boolean(json_object_object_get(hc, "Init")));
	assert_int_equal(json_object_get_int64(
		json_object_object_get(hc, "PidsLimit")), 256);
	assert_string_equal(json_object_get_string(json_object_object_get(
		json_object_object_get(root, "Labels"), "io.pocketwl.app")), "foot");
	assert_string_equal(json_object_get_string(
		json_object_object_get(root, "User")), "1000:1000");
	json_object_put(root);
}

static void test_bad_specs(void **state) {
	char error[256];
	struct container_spec none = { 0 };
	assert_null(spec_to_json(&none, error, sizeof(error)));
	assert_string_equal(error, "container spec has no image");

	struct spec_bind relative[] = { { "data", "/data", false } };
	struct container_spec s1 = { .image = "x", .binds = relative,
		.binds_len = 1 };
	assert_null(spec_to_json(&s1, error, sizeof(error)));
	assert_non_null(strstr(error, "must be absolute"));

	struct spec_bind missing[] = { { "/no/such/dir", "/data", false } };
	struct container_spec s2 = { .image = "x", .binds = missing,
		.binds_len = 1 };
	assert_null(spec_to_json(&s2, error, sizeof(error)));
	assert_string_equal(error, "bind source /no/such/dir does not exist");

	const char *env[] = { "NOEQUALS", NULL };
	struct container_spec s3 = { .image = "x", .env = env };
	assert_null(spec_to_json(&s3, error, sizeof(error)));
	assert_non_null(strstr(error, "'NOEQUALS'"));

	struct container_spec s4 = { .image = "x", .memory_bytes = -1 };
	assert_null(spec_to_json(&s4, error, sizeof(error)));

	struct spec_device dev[] = { { "/dev/dri/renderD128", "renderD128" } };
	struct container_spec s5 = { .image = "x", .devices = dev,
		.devices_len = 1 };
	assert_null(spec_to_json(&s5, error, sizeof(error)));
	assert_string_equal(error, "device /dev/dri/renderD128 -> renderD128: "
		"both paths must be absolute");
}

static void test_split_command(void **state) {
	char err[256];
	char **argv = spec_split_command("  foot -e 'sh -c \"echo hi\"' a\\ b "
		"\"x\\\"y\" ''", err, sizeof(err));
	assert_non_null(argv);
	assert_string_equal(argv[0], "foot");
	assert_string_equal(argv[1], "-e");
	assert_string_equal(argv[2], "sh -c \"echo hi\"");
	assert_string_equal(argv[3], "a b");
	assert_string_equal(argv[4], "x\"y");
	assert_string_equal(argv[5], "");
	assert_null(argv[6]);
	spec_free_command(argv);
	assert_null(spec_split_command("echo 'oops", err, sizeof(err)));
	assert_non_null(strstr(err, "unbalanced ' quote"));
	assert_null(spec_split_command("   ", err, sizeof(err)));
	assert_non_null(strstr(err, "empty"));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_spec),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_split_command),
	};
	return cmocka_run_group_tests_name("spec", tests, NULL, NULL);
}
