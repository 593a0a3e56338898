/* What every store app's container is, for each permission: built by the
 * pure app_spec_build() and checked here field by field and as the JSON
 * the engine gets. The engine suites check the same against Podman and
 * Docker; this checks every combination in milliseconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apps/app_spec.h"
#include "clients/app.h"
#include "manifest.h"
#include "util/gpu_nodes.h"

static struct gpu_fixture {
	struct pwl_gpu_nodes nodes;
} gpu;

static enum app_users users_mode = APP_USERS_ROOTFUL;

static struct json_object *build(uint32_t permissions, const char *data_path,
		char **env, const char *command, bool podman) {
	struct manifest m = { .id = "demo", .name = "Demo", .image = "demo:1",
		.data_path = (char *)data_path, .env = env,
		.command = (char *)command };
	gpu.nodes.len = 1;
	gpu.nodes.devices[0] = (struct spec_device){ "/dev/dri/renderD128",
		"/dev/dri/renderD128" };
	gpu.nodes.groups_len = 1;
	gpu.nodes.groups[0] = 4242;
	struct app_spec_input in = {
		.manifest = &m, .permissions = permissions, .uid = 1000, .gid = 1000,
		.image_id = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef"
			"0123456789abcdef",
		// Bind sources must exist (spec.c checks): stand-ins.
		.socket_path = "/dev/null", .data_dir = "/tmp", .app_id = "demo", .instance = "demo-1",
		.session = "host:1:2", .store_key = "0123456789abcdef",
		.gpu = &gpu.nodes, .podman = podman, .users = users_mode, .memory_bytes = 1 << 30,
		.pids_limit = 512, .log_max_bytes = 1 << 20, .log_max_files = 2,
	};
	struct app_spec spec;
	char error[256];
	assert_true(app_spec_build(&in, &spec, error, sizeof(error)));
	char *json = spec_to_json(&spec.spec, error, sizeof(error));
	assert_non_null(json);
	app_spec_finish(&spec);
	struct json_object *obj = json_tokener_parse(json);
	free(json);
	assert_non_null(obj);
	return obj;
}

static struct json_object *at(struct json_object *obj, const char *key) {
	struct json_object *v = NULL;
	json_object_object_get_ex(obj, key, &v);
	return v;
}

static const char *str(struct json_object *obj, const char *key) {
	struct json_object *v = at(obj, key);
	return v ? json_object_get_string(v) : NULL;
}

/* What holds whatever the permissions. */
static void check_hardening(struct json_object *c) {
	assert_string_equal(str(c, "Image"), "sha256:0123456789abcdef0123456789"
		"abcdef0123456789abcdef0123456789abcdef");
	assert_string_equal(str(c, "User"), "1000:1000");
	struct json_object *hc = at(c, "HostConfig");
	assert_true(json_object_get_boolean(at(hc, "ReadonlyRootfs")));
	assert_true(json_object_get_boolean(at(hc, "Init")));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		at(hc, "CapDrop"), 0)), "ALL");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		at(hc, "SecurityOpt"), 0)), "no-new-privileges");
	// The socket alone, read-only, in a private tmpfs runtime dir.
	struct json_object *mounts = at(hc, "Mounts");
	assert_int_equal(json_object_array_length(mounts), 2);
	struct json_object *sock = json_object_array_get_idx(mounts, 0);
	assert_string_equal(str(sock, "Target"), "/run/pocket/wayland-0");
	assert_true(json_object_get_boolean(at(sock, "ReadOnly")));
	assert_non_null(at(at(hc, "Tmpfs"), "/run/pocket"));
	assert_non_null(at(at(hc, "Tmpfs"), "/tmp"));
	assert_string_equal(str(at(at(hc, "LogConfig"), "Config"), "max-size"),
		"1048576");
	assert_int_equal(json_object_get_int64(at(hc, "Memory")), 1 << 30);
	assert_int_equal(json_object_get_int64(at(hc, "PidsLimit")), 512);
	struct json_object *labels = at(c, "Labels");
	assert_string_equal(str(labels, "io.pocketwl.app"), "demo");
	assert_string_equal(str(labels, "io.pocketwl.store"), "0123456789abcdef");
	assert_string_equal(str(labels, "io.pocketwl.session"), "host:1:2");
	// Ours first, whatever the manifest says.
	struct json_object *env = at(c, "Env");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(env,
		0)), "XDG_RUNTIME_DIR=/run/pocket");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(env,
		1)), "WAYLAND_DISPLAY=wayland-0");
}

static void test_every_permission_combination(void **state) {
	(void)state;
	const uint32_t all[] = { PWL_PERM_CLIPBOARD, PWL_PERM_NETWORK,
		PWL_PERM_GPU, PWL_PERM_AUDIO, PWL_PERM_POINTER };
	char *env[] = { NULL };
	for (uint32_t mask = 0; mask < 32; mask++) {
		uint32_t perms = 0;
		for (int i = 0; i < 5; i++) {
			perms |= (mask & (1u << i)) ? all[i] : 0;
		}
		for (int podman = 0; podman < 2; podman++) {
			struct json_object *c = build(perms, NULL, env, NULL, podman);
			check_hardening(c);
			struct json_object *hc = at(c, "HostConfig");
			// No network unless asked.
			const char *net = str(hc, "NetworkMode");
			if (perms & PWL_PERM_NETWORK) {
				assert_null(net);
			} else {
				assert_string_equal(net, "none");
			}
			// The GPU's nodes and group only with gpu.
			int devices = (int)json_object_array_length(at(hc, "Devices"));
			assert_int_equal(devices, (perms & PWL_PERM_GPU) ? 1 : 0);
			assert_int_equal(at(hc, "GroupAdd") != NULL,
				(perms & PWL_PERM_GPU) != 0);
			// The runtime dir is the app's user's, as each engine says it.
			const char *tmpfs = str(at(hc, "Tmpfs"), "/run/pocket");
			assert_non_null(strstr(tmpfs, "mode=0700"));
			assert_non_null(strstr(tmpfs, podman ? ",U" : "uid=1000,gid=1000"));
			json_object_put(c);
		}
	}
}

static void test_manifest_parts(void **state) {
	(void)state;
	// Data elsewhere: HOME is /tmp and the data goes where it says.
	char *env[] = { "XDG_RUNTIME_DIR=/evil", "LANG=C.UTF-8", NULL };
	struct json_object *c = build(0, "/srv/data", env,
		"sh -c \"echo 'a b'\"", false);
	check_hardening(c);
	struct json_object *mounts = at(at(c, "HostConfig"), "Mounts");
	assert_string_equal(str(json_object_array_get_idx(mounts, 1), "Target"),
		"/srv/data");
	// The app starts in its data, wherever that is.
	assert_string_equal(str(c, "WorkingDir"), "/srv/data");
	struct json_object *e = at(c, "Env");
	assert_string_equal(json_object_get_string(json_object_array_get_idx(e,
		3)), "HOME=/tmp");
	// The manifest's own come after ours (the engine keeps the first).
	assert_string_equal(json_object_get_string(json_object_array_get_idx(e,
		4)), "XDG_RUNTIME_DIR=/evil");
	struct json_object *cmd = at(c, "Cmd");
	assert_int_equal(json_object_array_length(cmd), 3);
	assert_string_equal(json_object_get_string(json_object_array_get_idx(cmd,
		2)), "echo 'a b'");
	json_object_put(c);
	// A Command that does not split is an error, not a spec.
	struct manifest m = { .id = "x", .name = "x", .image = "x",
		.env = env, .command = "sh -c \"unbalanced" };
	struct app_spec_input in = { .manifest = &m, .image_id = "sha256:x",
		.socket_path = "/s", .data_dir = "/d" };
	struct app_spec spec;
	char error[256];
	assert_false(app_spec_build(&in, &spec, error, sizeof(error)));
	assert_true(strlen(error) > 0);
}

/* The app is the session's user on the host in every engine mode. */
static void test_user_mapping(void **state) {
	(void)state;
	char *env[] = { NULL };
	users_mode = APP_USERS_ROOTFUL;
	struct json_object *c = build(0, NULL, env, NULL, false);
	assert_string_equal(str(c, "User"), "1000:1000");
	assert_null(at(at(c, "HostConfig"), "UsernsMode"));
	assert_string_equal(str(c, "WorkingDir"), "/home/pocket"); // its data
	json_object_put(c);
	// Rootless Podman: keep-id, the same uid inside.
	users_mode = APP_USERS_KEEP_ID;
	c = build(0, NULL, env, NULL, true);
	assert_string_equal(str(c, "User"), "1000:1000");
	assert_string_equal(str(at(c, "HostConfig"), "UsernsMode"), "keep-id");
	json_object_put(c);
	// Rootless Docker: the container's root is the user; no capability.
	users_mode = APP_USERS_ROOT_IS_USER;
	c = build(PWL_PERM_NETWORK, NULL, env, NULL, false);
	assert_string_equal(str(c, "User"), "0:0");
	struct json_object *hc = at(c, "HostConfig");
	assert_non_null(strstr(str(at(hc, "Tmpfs"), "/run/pocket"), "uid=0,gid=0"));
	assert_string_equal(json_object_get_string(json_object_array_get_idx(
		at(hc, "CapDrop"), 0)), "ALL");
	json_object_put(c);
	users_mode = APP_USERS_ROOTFUL;
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_permission_combination),
		cmocka_unit_test(test_manifest_parts),
		cmocka_unit_test(test_user_mapping),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
