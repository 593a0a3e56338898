/* Launching store apps with a real engine (run by run-engine.sh, which
 * starts a private Podman or Docker and sets ENGINE_ADDRESS) and a real
 * headless pocketwl: the hardened container, the labeled window, the
 * data on the host, and clean ends for stop, crash, engine restart, quit
 * and many launch/stop cycles. */
#define _DEFAULT_SOURCE // mknod, makedev
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <linux/input-event-codes.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define WAIT_MS 15000
#define IMAGE "pwl-launch:latest"

static char root[256]; // temporary dir of this run: store, image tarball
static const char *engine_sock; // path of the engine's unix socket

/* ---- the engine, through curl (independent of the code under test) ---- */

static char *run_output(const char *fmt, ...) __attribute__((format(printf,
	1, 2)));

static char *run_output(const char *fmt, ...) {
	char cmd[8192];
	va_list args;
	va_start(args, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, args);
	va_end(args);
	FILE *p = popen(cmd, "r");
	if (!p) {
		return NULL;
	}
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t n;
	while (buf && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap *= 2);
			if (!bigger) {
				free(buf);
				buf = NULL;
			}
			buf = bigger;
		}
	}
	pclose(p);
	if (buf) {
		buf[len] = '\0';
	}
	return buf;
}

static struct json_object *engine_get(const char *path) {
	char *out = run_output("curl -s --unix-socket '%s' 'http://localhost"
		"/v1.41%s'", engine_sock, path);
	struct json_object *obj = out ? json_tokener_parse(out) : NULL;
	free(out);
	return obj;
}

/* Containers carrying our session label, whatever their state. */
static int labeled_containers(void) {
	struct json_object *list = engine_get("/containers/json?all=1&filters="
		"%7B%22label%22%3A%5B%22io.pocketwl.session%22%5D%7D");
	assert_non_null(list);
	int n = (int)json_object_array_length(list);
	json_object_put(list);
	return n;
}

static bool wait_labeled_containers(struct harness *h, int want) {
	for (int i = 0; i < 100; i++) {
		if (labeled_containers() == want) {
			return true;
		}
		harness_sleep(h, 100);
	}
	return false;
}

static int count_entries(const char *dir) {
	DIR *d = opendir(dir);
	if (!d) {
		return 0;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		n += e->d_name[0] != '.';
	}
	closedir(d);
	return n;
}

/* App socket directories left under the session's runtime dir. */
static int app_socket_dirs(struct harness *h) {
	char path[512];
	snprintf(path, sizeof(path), "%s/pocketwl/%s", harness_runtime_dir(h),
		harness_display(h));
	return count_entries(path);
}

/* A crash, as the engine sees it: SIGKILL to the container. */
static void kill_container(const char *id) {
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST "
		"'http://localhost/v1.41/containers/%s/kill?signal=KILL'",
		engine_sock, id);
	assert_int_equal(system(cmd), 0);
}

/* ---- fixtures ---- */

static void write_file(const char *path, const char *text) {
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static const char *store_path(void) {
	static char path[300];
	snprintf(path, sizeof(path), "%s/store", root);
	return path;
}

/* An app of the test store: the test client inside the image, after a
 * shell line that leaves traces (its capabilities, a file in its data). */
static void write_app(const char *id, const char *extra_keys,
		const char *client_args) {
	char path[512], text[4096];
	snprintf(path, sizeof(path), "%s/apps/%s.desktop", store_path(), id);
	snprintf(text, sizeof(text),
		"[Desktop Entry]\nType=Application\nName=%s\n\n[X-Pocket]\n"
		"Image=" IMAGE "\n"
		"Command=sh -c \"grep -E 'CapBnd|CapEff|NoNewPrivs' /proc/self/status;"
		" id; echo hello from %s > $HOME/hello.txt; exec pwl-test-client"
		" --app-id %s %s\"\n"
		"Env=ASAN_OPTIONS=detect_leaks=0;PATH=/bin\n%s",
		id, id, id, client_args, extra_keys);
	write_file(path, text);
}

static int setup(void **state) {
	(void)state;
	const char *address = getenv("ENGINE_ADDRESS");
	assert_non_null(address);
	engine_sock = address + strlen("unix://");
	snprintf(root, sizeof(root), "/tmp/pwl-launch-XXXXXX");
	assert_non_null(mkdtemp(root));
	char cmd[4096];
	// The app image: the test client and its libraries, no registry.
	snprintf(cmd, sizeof(cmd), "bash '%s' '%s/app.tar' '%s' grep >/dev/null "
		"&& curl -sf --unix-socket '%s' -X POST -H 'Content-Type: "
		"application/x-tar' --data-binary @'%s/app.tar' 'http://localhost/"
		"v1.41/images/create?fromSrc=-&repo=pwl-launch&tag=latest' "
		">/dev/null && '%s' store init '%s' --name Launch >/dev/null",
		getenv("APP_ROOTFS"), root, getenv("PWL_TEST_CLIENT"), engine_sock,
		root, getenv("POCKETCTL"), store_path());
	assert_int_equal(system(cmd), 0);
	return 0;
}

static int teardown(void **state) {
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

static struct harness *start_session_env(const char *extra_config,
		const char *extra_env) {
	char config[2048];
	snprintf(config, sizeof(config), "[stores]\npath = %s\n[containers]\n"
		"engine = %s\nstop-grace = 1\nstop-timeout = 3\n[app demo]\n"
		"color = #ff8000\n%s", store_path(), getenv("ENGINE_ADDRESS"),
		extra_config ? extra_config : "");
	struct harness_options o = { .config = config, .extra_env = extra_env };
	struct harness *h = harness_start(&o);
	assert_non_null(h);
	return h;
}

static struct harness *start_session(const char *extra_config) {
	return start_session_env(extra_config, NULL);
}

static const char *jstr(struct json_object *obj, const char *key) {
	struct json_object *v;
	return json_object_object_get_ex(obj, key, &v) ?
		json_object_get_string(v) : NULL;
}

/* Launches through the IPC (as the panel and pocketctl do). */
static void launch(struct harness *h, const char *app) {
	struct json_object *reply = harness_ipc(h, "{\"command\":\"launch\","
		"\"app\":\"%s\",\"yes\":true}", app);
	assert_non_null(reply);
	if (!jbool(reply, "ok")) {
		fail_msg("launch %s: %s", app, jstr(reply, "error"));
	}
	json_object_put(reply);
}

/* The app's launch record from `ps --all`, once `state` is reached. */
static struct json_object *wait_state(struct harness *h, const char *app,
		const char *state) {
	for (int i = 0; i < WAIT_MS / 100; i++) {
		struct json_object *reply = harness_ipc(h, "{\"command\":\"logs\","
			"\"app\":\"%s\"}", app);
		struct json_object *launch = reply ?
			json_object_object_get(reply, "launch") : NULL;
		if (launch && jstr(launch, "state") &&
				!strcmp(jstr(launch, "state"), state)) {
			json_object_get(launch);
			json_object_put(reply);
			return launch;
		}
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	fail_msg("%s never reached state %s", app, state);
	return NULL;
}

/* The engine's inspect of the app's running container; its launch record
 * must show `permissions` when that is not NULL. */
static struct json_object *inspect_running(struct harness *h, const char *app,
		const char *permissions) {
	struct json_object *rec = wait_state(h, app, "running");
	if (permissions) {
		assert_string_equal(jstr(rec, "permissions"), permissions);
	}
	char path[256];
	snprintf(path, sizeof(path), "/containers/%s/json", jstr(rec, "container"));
	json_object_put(rec);
	struct json_object *c = engine_get(path);
	assert_non_null(c);
	return c;
}

static char *saved_logs(struct harness *h, const char *app) {
	struct json_object *reply = harness_ipc(h, "{\"command\":\"logs\","
		"\"app\":\"%s\"}", app);
	assert_non_null(reply);
	char *logs = jstr(reply, "logs") ? strdup(jstr(reply, "logs")) : NULL;
	json_object_put(reply);
	return logs;
}

/* What an app that ended printed, once the compositor has fetched it;
 * shown in the test's output. */
static char *wait_saved_logs(struct harness *h, const char *app) {
	char *logs = NULL;
	for (int i = 0; i < 50 && !(logs = saved_logs(h, app)); i++) {
		harness_sleep(h, 100);
	}
	assert_non_null(logs);
	printf("# what %s printed:\n%.600s\n", app, logs);
	return logs;
}

/* Waits for the app's window; on failure says why (its launch record,
 * the compositor's log) before failing. */
static struct json_object *app_window(struct harness *h, const char *app) {
	struct json_object *w = harness_wait_window(h, app, WAIT_MS);
	if (!w) {
		struct json_object *ps = harness_ipc(h, "{\"command\":\"ps\","
			"\"all\":true}");
		char *log = harness_log(h);
		size_t len = log ? strlen(log) : 0;
		fail_msg("no window of %s; ps: %s\nlog tail:\n%s", app,
			ps ? json_object_to_json_string(ps) : "-",
			log ? log + (len > 3000 ? len - 3000 : 0) : "-");
	}
	return w;
}

/* ---- tests ---- */

static void test_launch_hardened_labeled(void **state) {
	write_app("demo", "", "--color ff0000ff --size 200x100");
	struct harness *h = start_session(NULL);
	launch(h, "demo");
	struct json_object *w = app_window(h, "demo");
	assert_non_null(w);
	assert_string_equal(jstr(w, "trust"), "app");
	assert_string_equal(jstr(w, "app"), "demo");
	int x = jint(w, "geometry.x"), y = jint(w, "geometry.y");
	json_object_put(w);
	// Labeled on screen: the frame in the app's colour around its pixels.
	assert_true(harness_wait_pixel(h, x + 50, y + 50, 0x0000ff, WAIT_MS));
	assert_true(harness_wait_pixel(h, x - 2, y + 50, 0xff8000, WAIT_MS));
	assert_true(harness_wait_pixel(h, x + 50, y - 2, 0xff8000, WAIT_MS));

	struct json_object *launch_rec = wait_state(h, "demo", "running");
	char path[512];
	snprintf(path, sizeof(path), "/containers/%s/json",
		jstr(launch_rec, "container"));
	assert_true(json_object_get_double(
		json_object_object_get(launch_rec, "latency_ms")) > 0);
	json_object_put(launch_rec);
	struct json_object *c = engine_get(path);
	assert_non_null(c);
	struct json_object *config = json_object_object_get(c, "Config");
	struct json_object *hc = json_object_object_get(c, "HostConfig");
	// Never root inside: a root session runs apps as nobody.
	assert_string_equal(jstr(config, "User"), "65534:65534");
	assert_true(json_object_get_boolean(
		json_object_object_get(hc, "ReadonlyRootfs")));
	assert_string_equal(jstr(hc, "NetworkMode"), "none");
	assert_non_null(strstr(json_object_to_json_string(
		json_object_object_get(hc, "SecurityOpt")), "no-new-privileges"));
	assert_int_equal(json_object_get_int64(
		json_object_object_get(hc, "PidsLimit")), 4096);
	assert_true(json_object_get_int64(json_object_object_get(hc, "Memory")) ==
		4096LL << 20);
	struct json_object *labels = json_object_object_get(config, "Labels");
	assert_string_equal(jstr(labels, "io.pocketwl.app"), "demo");
	assert_non_null(jstr(labels, "io.pocketwl.instance"));
	assert_non_null(jstr(labels, "io.pocketwl.session"));
	// Its socket directory and its data, nothing else; never the engine.
	const char *mounts = json_object_to_json_string(
		json_object_object_get(c, "Mounts"));
	assert_non_null(strstr(mounts, "\\/run\\/pocket"));
	assert_non_null(strstr(mounts, "\\/data\\/demo"));
	assert_null(strstr(mounts, ".sock"));
	assert_null(strstr(mounts, engine_sock));
	json_object_put(c);

	// The data written inside is on the host, in the store.
	snprintf(path, sizeof(path), "%s/data/demo/hello.txt", store_path());
	char *data = run_output("cat '%s'", path);
	assert_non_null(strstr(data, "hello from demo"));
	free(data);

	// Stop: the app ends, its record keeps what it printed.
	struct json_object *reply = harness_ipc(h, "{\"command\":\"stop\","
		"\"app\":\"demo\"}");
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
	json_object_put(wait_state(h, "demo", "exited"));
	assert_true(harness_wait_no_window(h, "demo", WAIT_MS));
	char *logs = wait_saved_logs(h, "demo");
	// No capabilities, no way to gain any.
	assert_non_null(strstr(logs, "CapBnd:\t0000000000000000"));
	assert_non_null(strstr(logs, "CapEff:\t0000000000000000"));
	assert_non_null(strstr(logs, "NoNewPrivs:\t1"));
	// Its registry: the safe globals only.
	assert_non_null(strstr(logs, "global wl_compositor"));
	assert_non_null(strstr(logs, "global xdg_wm_base"));
	static const char *const privileged[] = {
		"zwlr_layer_shell_v1", "zwlr_screencopy_manager_v1",
		"zwlr_virtual_pointer_manager_v1", "zwp_virtual_keyboard_manager_v1",
		"zwlr_foreign_toplevel_manager_v1", "zwlr_export_dmabuf_manager_v1",
		"zwlr_data_control_manager_v1", "zwlr_output_manager_v1",
		"zpocket_shell_v1",
	};
	// Without the clipboard permission: a clipboard of its own (real
	// clients refuse to start without one), never the session's.
	assert_non_null(strstr(logs, "global wl_data_device_manager"));
	for (size_t i = 0; i < sizeof(privileged) / sizeof(privileged[0]); i++) {
		if (strstr(logs, privileged[i])) {
			fail_msg("the app was offered %s", privileged[i]);
		}
	}
	free(logs);
	assert_true(wait_labeled_containers(h, 0));
	assert_int_equal(app_socket_dirs(h), 0);
	assert_int_equal(harness_stop(h), 0);
}

/* The gpu permission: the render nodes [containers] gpu-devices names are
 * in the app's /dev/dri, with the group that may open them; an app without
 * the permission gets none. These machines have no GPU: a device node made
 * here (DRM's major, no driver behind it) stands in for one. */
static void test_gpu_render_nodes(void **state) {
	char dir[512], node[600], fake[600], path[512], text[2048];
	snprintf(dir, sizeof(dir), "%s/gpu", root);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(node, sizeof(node), "%s/renderD128", dir);
	assert_int_equal(mknod(node, S_IFCHR | 0660, makedev(226, 128)), 0);
	assert_int_equal(chown(node, 0, 4242), 0);
	assert_int_equal(chmod(node, 0660), 0); // as udev makes them
	snprintf(fake, sizeof(fake), "%s/renderD129", dir);
	write_file(fake, "a file, not a device");
	snprintf(path, sizeof(path), "%s/apps/gfx.desktop", store_path());
	snprintf(text, sizeof(text), "[Desktop Entry]\nType=Application\n"
		"Name=gfx\n\n[X-Pocket]\nImage=" IMAGE "\nPermissions=gpu\n"
		"Command=sh -c \"ls -ln /dev/dri; id; exec pwl-test-client "
		"--app-id gfx\"\nEnv=ASAN_OPTIONS=detect_leaks=0;PATH=/bin\n");
	write_file(path, text);
	write_app("demo", "", "");
	char config[700];
	snprintf(config, sizeof(config), "[containers]\ngpu-devices = %s/"
		"renderD*\n", dir);
	struct harness *h = start_session(config);

	launch(h, "gfx");
	json_object_put(app_window(h, "gfx"));
	struct json_object *c = inspect_running(h, "gfx", "gpu");
	struct json_object *hc = json_object_object_get(c, "HostConfig");
	struct json_object *devices = json_object_object_get(hc, "Devices");
	// Podman 4.3's inspect leaves HostConfig.Devices empty whatever the
	// container has: there, what the app sees (below) is the check.
	if (!strcmp(getenv("ENGINE_NAME"), "docker")) {
		assert_int_equal(json_object_array_length(devices), 1);
		struct json_object *d = json_object_array_get_idx(devices, 0);
		assert_string_equal(jstr(d, "PathOnHost"), node);
		assert_string_equal(jstr(d, "PathInContainer"), "/dev/dri/renderD128");
	}
	assert_non_null(strstr(json_object_to_json_string(
		json_object_object_get(hc, "GroupAdd")), "\"4242\""));
	json_object_put(c);

	launch(h, "demo");
	json_object_put(app_window(h, "demo"));
	c = inspect_running(h, "demo", NULL);
	devices = json_object_object_get(json_object_object_get(c, "HostConfig"),
		"Devices");
	assert_true(!devices || json_object_array_length(devices) == 0);
	json_object_put(c);

	// Seen from inside: the node, DRM's numbers, its group among the
	// app's.
	json_object_put(harness_ipc(h, "{\"command\":\"stop\",\"app\":"
		"\"gfx\"}"));
	json_object_put(wait_state(h, "gfx", "exited"));
	char *logs = wait_saved_logs(h, "gfx");
	assert_non_null(strstr(logs, "226, 128"));
	assert_non_null(strstr(logs, "renderD128"));
	assert_null(strstr(logs, "renderD129"));
	const char *groups = strstr(logs, "groups=");
	assert_non_null(groups);
	assert_non_null(strstr(groups, "4242"));
	free(logs);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "renderD129 is not a character device"));
	free(log);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
	unlink(node);
	unlink(fake);
	rmdir(dir);
}

static void test_crash_and_grace(void **state) {
	write_app("demo", "", "--color ff00ff00");
	struct harness *h = start_session(NULL);
	launch(h, "demo");
	json_object_put(app_window(h, "demo"));
	struct json_object *rec = wait_state(h, "demo", "running");
	kill_container(jstr(rec, "container"));
	json_object_put(rec);
	rec = wait_state(h, "demo", "exited");
	assert_int_equal(json_object_get_int(
		json_object_object_get(rec, "exit_code")), 137);
	assert_non_null(strstr(jstr(rec, "error"), "137"));
	json_object_put(rec);
	assert_true(harness_wait_no_window(h, "demo", WAIT_MS));
	assert_true(wait_labeled_containers(h, 0));
	assert_int_equal(app_socket_dirs(h), 0);

	// Closing the last window of an app that stays (stop-grace = 1 s).
	write_app("lingers", "", "--ignore-close");
	launch(h, "lingers");
	struct json_object *w = app_window(h, "lingers");
	assert_non_null(w);
	struct json_object *reply = harness_ipc(h, "{\"command\":\"close\","
		"\"id\":%d}", jint(w, "id"));
	json_object_put(w);
	json_object_put(reply);
	json_object_put(wait_state(h, "lingers", "exited"));
	assert_true(wait_labeled_containers(h, 0));
	assert_int_equal(app_socket_dirs(h), 0);
	assert_int_equal(harness_stop(h), 0);
}

static void test_single_instance_and_consent(void **state) {
	write_app("demo", "", "");
	write_app("asks", "Permissions=network\nInstances=multi\n", "");
	struct harness *h = start_session(NULL);
	launch(h, "demo");
	json_object_put(app_window(h, "demo"));
	// Single instance: a second launch focuses the first.
	launch(h, "demo");
	harness_sleep(h, 500);
	struct json_object *reply = harness_ipc(h, "{\"command\":\"ps\"}");
	assert_int_equal(json_object_array_length(
		json_object_object_get(reply, "apps")), 1);
	json_object_put(reply);

	// An app asking for permissions needs the user's yes.
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"asks\"}");
	assert_false(jbool(reply, "ok"));
	assert_non_null(strstr(jstr(reply, "error"), "asks for: network"));
	json_object_put(reply);
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"nope\"}");
	assert_false(jbool(reply, "ok"));
	assert_non_null(strstr(jstr(reply, "error"), "'nope'"));
	json_object_put(reply);
	// With it, network is on; and multi-instance apps run twice. A
	// rootless engine's network (slirp4netns) needs /dev/net/tun, which
	// Debian gives every user; where a machine closes it, the launch
	// must say so by name instead.
	if (getuid() != 0 && access("/dev/net/tun", R_OK | W_OK) != 0) {
		launch(h, "asks");
		struct json_object *rec = wait_state(h, "asks", "failed");
		printf("# /dev/net/tun closed: %s\n", jstr(rec, "error"));
		assert_non_null(strstr(jstr(rec, "error"), "/dev/net/tun"));
		json_object_put(rec);
		assert_int_equal(harness_stop(h), 0);
		assert_int_equal(labeled_containers(), 0);
		return;
	}
	launch(h, "asks");
	launch(h, "asks");
	for (int i = 0; i < 100; i++) {
		reply = harness_ipc(h, "{\"command\":\"ps\"}");
		struct json_object *apps = json_object_object_get(reply, "apps");
		int running = 0;
		for (size_t k = 0; k < json_object_array_length(apps); k++) {
			struct json_object *a = json_object_array_get_idx(apps, k);
			running += !strcmp(jstr(a, "app"), "asks") && jbool(a, "ready");
		}
		if (running == 2) {
			json_object_put(reply);
			break;
		}
		if (i == 99) {
			char *log = harness_log(h);
			size_t len = strlen(log);
			printf("# log tail:\n%s\n", log + (len > 3000 ? len - 3000 : 0));
			fail_msg("two instances of asks never ran; ps: %s",
				json_object_to_json_string(reply));
		}
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	struct json_object *c = inspect_running(h, "asks", NULL);
	assert_string_not_equal(jstr(json_object_object_get(c, "HostConfig"),
		"NetworkMode"), "none");
	json_object_put(c);
	// Quitting stops every app container, in bounded time.
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

static void test_engine_restart(void **state) {
	write_app("demo", "", "");
	struct harness *h = start_session(NULL);
	launch(h, "demo");
	json_object_put(app_window(h, "demo"));
	assert_int_equal(system(getenv("ENGINE_RESTART")), 0);
	// Docker kills its containers when it stops, Podman's outlive it:
	// either way the session must agree with the engine afterwards.
	harness_sleep(h, 3000);
	struct json_object *rec = NULL;
	for (int i = 0; i < 100; i++) {
		struct json_object *reply = harness_ipc(h, "{\"command\":\"logs\","
			"\"app\":\"demo\"}");
		rec = json_object_get(json_object_object_get(reply, "launch"));
		json_object_put(reply);
		int containers = labeled_containers();
		bool running = !strcmp(jstr(rec, "state"), "running");
		if ((running && containers == 1) || (!running && containers == 0)) {
			break;
		}
		json_object_put(rec);
		rec = NULL;
		harness_sleep(h, 200);
	}
	assert_non_null(rec);
	json_object_put(rec);
	// The engine link is back: stop and launch work again.
	harness_ipc(h, "{\"command\":\"stop\",\"app\":\"demo\"}");
	struct json_object *reply = NULL;
	for (int i = 0; i < 150; i++) {
		json_object_put(reply);
		reply = harness_ipc(h, "{\"command\":\"engine\"}");
		if (!strcmp(jstr(json_object_object_get(reply, "engine"), "state"),
				"connected")) {
			break;
		}
		harness_sleep(h, 200);
	}
	json_object_put(reply);
	assert_true(wait_labeled_containers(h, 0));
	launch(h, "demo");
	json_object_put(app_window(h, "demo"));
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

static void test_orphans_removed_at_start(void **state) {
	// A container of a session that is gone (no such pid on this host).
	char host[64] = "localhost";
	gethostname(host, sizeof(host) - 1);
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST -H "
		"'Content-Type: application/json' -d '{\"Image\":\"" IMAGE "\","
		"\"HostConfig\":{\"NetworkMode\":\"none\"},"
		"\"Cmd\":[\"sleep\",\"600\"],\"Labels\":{\"io.pocketwl.app\":"
		"\"ghost\",\"io.pocketwl.session\":\"%s:2147483000:1\"}}' "
		"'http://localhost/v1.41/containers/create?name=pwl-orphan' "
		">/dev/null", engine_sock, host);
	assert_int_equal(system(cmd), 0);
	// And one of another host, which is not ours to judge.
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST -H "
		"'Content-Type: application/json' -d '{\"Image\":\"" IMAGE "\","
		"\"HostConfig\":{\"NetworkMode\":\"none\"},"
		"\"Cmd\":[\"sleep\",\"600\"],\"Labels\":{\"io.pocketwl.session\":"
		"\"elsewhere:1:1\"}}' 'http://localhost/v1.41/containers/create?"
		"name=pwl-foreign' >/dev/null", engine_sock);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(labeled_containers(), 2);
	struct harness *h = start_session(NULL);
	assert_true(wait_labeled_containers(h, 1));
	struct json_object *left = engine_get("/containers/pwl-foreign/json");
	assert_non_null(jstr(left, "Id"));
	json_object_put(left);
	assert_int_equal(harness_stop(h), 0);
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X DELETE "
		"'http://localhost/v1.41/containers/pwl-foreign?force=1'",
		engine_sock);
	assert_int_equal(system(cmd), 0);
}

/* A container of this very session, as an app's is when the engine went
 * away before our remove (Docker refuses it while it shuts down). */
static void make_leftover(const char *session, const char *name,
		const char *cmd_json, bool start) {
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST -H "
		"'Content-Type: application/json' -d '{\"Image\":\"" IMAGE "\","
		"\"HostConfig\":{\"NetworkMode\":\"none\"},"
		"\"Cmd\":%s,\"Labels\":{\"io.pocketwl.app\":\"ghost\","
		"\"io.pocketwl.instance\":\"ghost-9\",\"io.pocketwl.session\":"
		"\"%s\"}}' 'http://localhost/v1.41/containers/create?name=%s' "
		">/dev/null", engine_sock, cmd_json, session, name);
	assert_int_equal(system(cmd), 0);
	if (start) {
		snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST "
			"'http://localhost/v1.41/containers/%s/start'", engine_sock, name);
		assert_int_equal(system(cmd), 0);
	}
}

/* Leftovers of this session that no launch holds go when the engine comes
 * back, and whatever is left at exit goes in a last sweep. */
static void test_leftovers_removed(void **state) {
	struct harness *h = start_session(NULL);
	struct json_object *reply = NULL;
	for (int i = 0; i < 100; i++) {
		json_object_put(reply);
		reply = harness_ipc(h, "{\"command\":\"engine\"}");
		struct json_object *e = json_object_object_get(reply, "engine");
		if (jstr(e, "state") && !strcmp(jstr(e, "state"), "connected")) {
			break;
		}
		harness_sleep(h, 100);
	}
	char session[200];
	snprintf(session, sizeof(session), "%s", jstr(json_object_object_get(
		reply, "engine"), "session"));
	json_object_put(reply);
	assert_non_null(strchr(session, ':'));
	make_leftover(session, "pwl-leftover-exited", "[\"true\"]", true);
	make_leftover(session, "pwl-leftover-created", "[\"true\"]", false);
	assert_int_equal(labeled_containers(), 2);
	assert_int_equal(system(getenv("ENGINE_RESTART")), 0);
	assert_true(wait_labeled_containers(h, 0));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "Removing leftover container"));
	free(log);

	make_leftover(session, "pwl-leftover-running", "[\"sleep\",\"600\"]",
		true);
	assert_int_equal(labeled_containers(), 1);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

/* The image comes from the store's archive at launch, checksum first. */
static void test_launch_loads_archive(void **state) {
	char cmd[4096];
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' "
		"'http://localhost/v1.41/images/" IMAGE "/get' -o '%s/images/"
		"loaded.tar'", engine_sock, store_path());
	assert_int_equal(system(cmd), 0);
	// An archive that holds the app's image, which the engine then lacks.
	char *sum = run_output("sha256sum '%s/images/loaded.tar' | cut -c1-64",
		store_path());
	sum[64] = '\0';
	char keys[512];
	snprintf(keys, sizeof(keys), "Archive=images/loaded.tar\n"
		"ArchiveSHA256=%s\n", sum);
	free(sum);
	write_app("loaded", keys, "");
	struct harness *h = start_session(NULL);
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X DELETE "
		"'http://localhost/v1.41/images/" IMAGE "?force=1' >/dev/null",
		engine_sock);
	assert_int_equal(system(cmd), 0);
	launch(h, "loaded");
	json_object_put(harness_wait_window(h, "loaded", 60000));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "image loaded from its store"));
	free(log);

	// A truncated archive is refused, with the engine unchanged.
	harness_ipc(h, "{\"command\":\"stop\",\"app\":\"loaded\"}");
	json_object_put(wait_state(h, "loaded", "exited"));
	assert_true(wait_labeled_containers(h, 0));
	assert_int_equal(system(cmd), 0); // the image goes again
	snprintf(cmd, sizeof(cmd), "truncate -s 100000 '%s/images/loaded.tar'",
		store_path());
	assert_int_equal(system(cmd), 0);
	launch(h, "loaded");
	struct json_object *rec = wait_state(h, "loaded", "failed");
	assert_non_null(strstr(jstr(rec, "error"), "corrupt or truncated"));
	json_object_put(rec);
	struct json_object *img = engine_get("/images/" IMAGE "/json");
	assert_null(jstr(img, "Id"));
	json_object_put(img);
	assert_int_equal(harness_stop(h), 0);
	// Put the image back for the tests that follow.
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST -H "
		"'Content-Type: application/x-tar' --data-binary @'%s/app.tar' "
		"'http://localhost/v1.41/images/create?fromSrc=-&repo=pwl-launch&"
		"tag=latest' >/dev/null", engine_sock, root);
	assert_int_equal(system(cmd), 0);
}

static void test_cycles_leave_nothing(void **state) {
	write_app("demo", "", "");
	// ASan's quarantine holds freed memory back; growth is measured
	// without it.
	struct harness *h = start_session_env(NULL,
		"ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=0");
	const char *cycles_text = getenv("LAUNCH_CYCLES");
	int cycles = cycles_text ? (int)strtol(cycles_text, NULL, 10) : 100;
	assert_true(cycles > 0 && cycles <= 10000);
	int fds = 0;
	long rss = 0;
	for (int i = 0; i < cycles; i++) {
		launch(h, "demo");
		json_object_put(app_window(h, "demo"));
		struct json_object *reply = harness_ipc(h, "{\"command\":\"stop\","
			"\"app\":\"demo\"}");
		json_object_put(reply);
		assert_true(harness_wait_no_window(h, "demo", WAIT_MS));
		json_object_put(wait_state(h, "demo", "exited"));
		if (i == cycles / 10) {
			// After warm-up: caches, the engine link, ended records.
			harness_sleep(h, 500);
			fds = harness_fd_count(h);
			rss = harness_rss_kib(h);
		}
	}
	assert_true(wait_labeled_containers(h, 0));
	assert_int_equal(app_socket_dirs(h), 0);
	harness_sleep(h, 500);
	int fds_after = harness_fd_count(h);
	long rss_after = harness_rss_kib(h);
	printf("# %d cycles: fds %d -> %d, RSS %ld -> %ld KiB\n", cycles, fds,
		fds_after, rss, rss_after);
	assert_true(fds_after <= fds + 2);
	assert_true(rss_after <= rss + 8192);
	assert_int_equal(harness_stop(h), 0);
}

/* The user's override narrows what the manifest asks for; pocketctl info
 * shows the result. */
static void test_override_narrows(void **state) {
	write_app("asks", "Permissions=network,clipboard\nInstances=multi\n", "");
	struct harness *h = start_session(NULL);
	char path[512], cmd[2048];
	// The harness gives the compositor XDG_CONFIG_HOME = its runtime dir.
	snprintf(path, sizeof(path), "%s/pocketwl/apps", harness_runtime_dir(h));
	// The hand-written file widens only for the store it names by key.
	char *key_json = run_output("'%s' info asks --store '%s' --json",
		getenv("POCKETCTL"), store_path());
	struct json_object *key_info = json_tokener_parse(key_json);
	free(key_json);
	assert_non_null(key_info);
	char key[32];
	snprintf(key, sizeof(key), "%s", jstr(key_info, "store_key"));
	json_object_put(key_info);
	assert_int_equal(strlen(key), 16);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && printf '[permissions]\\n"
		"store = %s\\ndeny = network\\ngranted = clipboard\\n' > "
		"'%s/asks.ini'", path, key, path);
	assert_int_equal(system(cmd), 0);
	// Nothing left to consent to: no --yes needed.
	struct json_object *reply = harness_ipc(h, "{\"command\":\"launch\","
		"\"app\":\"asks\"}");
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
	struct json_object *c = inspect_running(h, "asks", "clipboard");
	assert_string_equal(jstr(json_object_object_get(c, "HostConfig"),
		"NetworkMode"), "none");
	json_object_put(c);
	// pocketctl info says the same, from the same files.
	char *out = run_output("XDG_CONFIG_HOME='%s' '%s' info asks --store '%s' "
		"--json", harness_runtime_dir(h), getenv("POCKETCTL"), store_path());
	struct json_object *info = json_tokener_parse(out);
	free(out);
	assert_non_null(info);
	assert_string_equal(jstr(info, "asked"), "clipboard,network");
	assert_string_equal(jstr(info, "deny"), "network");
	assert_string_equal(jstr(info, "effective"), "clipboard");
	assert_string_equal(jstr(info, "needs_consent"), "");
	json_object_put(info);
	// In the session, pocketctl apps shows it running, its image there.
	out = run_output("XDG_RUNTIME_DIR='%s' WAYLAND_DISPLAY='%s' '%s' apps "
		"--json", harness_runtime_dir(h), harness_display(h),
		getenv("POCKETCTL"));
	struct json_object *apps = json_tokener_parse(out);
	free(out);
	assert_non_null(apps);
	bool seen = false;
	for (size_t i = 0; i < json_object_array_length(apps); i++) {
		struct json_object *a = json_object_array_get_idx(apps, i);
		if (!strcmp(jstr(a, "id"), "asks")) {
			seen = true;
			assert_string_equal(jstr(a, "state"), "running");
			assert_true(jbool(a, "image_present"));
		}
	}
	assert_true(seen);
	json_object_put(apps);
	// A broken override is refused, naming the file and line.
	snprintf(cmd, sizeof(cmd), "printf '[permissions]\\nallow = teleport\\n'"
		" > '%s/pocketwl/apps/asks.ini'", harness_runtime_dir(h));
	assert_int_equal(system(cmd), 0);
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"asks\"}");
	assert_false(jbool(reply, "ok"));
	assert_non_null(strstr(jstr(reply, "error"), "asks.ini:2: [permissions] "
		"allow: unknown permission 'teleport'"));
	json_object_put(reply);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

/* A store unplugged while its app runs: the app is stopped, the user is
 * told, and its data is there when the disk comes back. */
static void test_store_unplugged_stops_apps(void **state) {
	char media[300], disk[300], cmd[4096];
	snprintf(media, sizeof(media), "%s/media", root);
	snprintf(disk, sizeof(disk), "%s/disk", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usb' '%s' && '%s' store init "
		"'%s' --name USB >/dev/null && mount --bind '%s' '%s/usb'", media,
		disk, getenv("POCKETCTL"), disk, disk, media);
	assert_int_equal(system(cmd), 0);
	char manifest[512];
	snprintf(manifest, sizeof(manifest), "%s/usb/apps/usbapp.desktop", media);
	char text[1024];
	snprintf(text, sizeof(text), "[Desktop Entry]\nName=USB app\n"
		"[X-Pocket]\nImage=" IMAGE "\nCommand=sh -c \"echo kept > "
		"$HOME/note.txt; exec pwl-test-client --app-id usbapp\"\n"
		"Env=ASAN_OPTIONS=detect_leaks=0;PATH=/bin\n");
	write_file(manifest, text);
	char config[400];
	snprintf(config, sizeof(config), "[stores]\nmount-root = %s\n", media);
	struct harness *h = start_session(config);
	struct json_object *reply = NULL;
	for (int i = 0; i < 50; i++) {
		json_object_put(reply);
		reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":"
			"\"usbapp\"}");
		if (jbool(reply, "ok")) {
			break;
		}
		harness_sleep(h, 100); // the store appears within a second
	}
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
	json_object_put(app_window(h, "usbapp"));
	// Pulled out: the system unmounts it (lazily, it is busy) and removes
	// the mount point, as udisks does.
	snprintf(cmd, sizeof(cmd), "umount -l '%s/usb' && rmdir '%s/usb'", media,
		media);
	assert_int_equal(system(cmd), 0);
	struct json_object *rec = wait_state(h, "usbapp", "exited");
	assert_non_null(strstr(jstr(rec, "error"), "its store"));
	assert_non_null(strstr(jstr(rec, "error"), "was removed"));
	json_object_put(rec);
	assert_true(harness_wait_no_window(h, "usbapp", WAIT_MS));
	assert_true(wait_labeled_containers(h, 0));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "Stopping usbapp: its store"));
	free(log);
	// Plugged in again: the store is back, with the app's data.
	snprintf(cmd, sizeof(cmd), "mkdir '%s/usb' && mount --bind '%s' '%s/usb'",
		media, disk, media);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "grep -q kept '%s/usb/data/usbapp/note.txt'",
		media);
	assert_int_equal(system(cmd), 0);
	for (int i = 0; i < 50; i++) {
		reply = harness_ipc(h, "{\"command\":\"stores\"}");
		bool back = strstr(json_object_to_json_string(reply), "usb") != NULL;
		json_object_put(reply);
		if (back) {
			break;
		}
		assert_true(i < 49);
		harness_sleep(h, 100);
	}
	assert_int_equal(harness_stop(h), 0);
	snprintf(cmd, sizeof(cmd), "umount -l '%s/usb'", media);
	assert_int_equal(system(cmd), 0);
}

/* The panel: a click on an app launches it into its container, the row
 * gets its running dot, the task list its window; an app whose archive is
 * corrupt shows the reason in words, and the others still launch. */
static bool panel_hit(struct test_client *c, const char *prefix, int *x,
		int *y) {
	char line[512];
	int w, hh;
	if (!client_wait_line(c, prefix, WAIT_MS, line, sizeof(line))) {
		return false;
	}
	return sscanf(line + strlen(prefix), "%d %d %d %d", x, y, &w, &hh) == 4;
}

static int panel_menu_top(struct test_client *c) {
	char line[128];
	int w, hh;
	assert_true(client_wait_line(c, "menu 420 ", WAIT_MS, line, sizeof(line)));
	assert_int_equal(sscanf(line, "menu %d %d", &w, &hh), 2);
	return 720 - 32 - hh;
}

/* The real panel, reporting what it draws, with its launcher open. */
static struct test_client *spawn_panel_with_menu(struct harness *h) {
	setenv("POCKET_PANEL_DEBUG", "1", 1);
	const char *argv[] = { getenv("POCKET_PANEL"), NULL };
	struct test_client *panel = client_spawn(h, argv);
	assert_non_null(panel);
	assert_true(client_wait_line(panel, "bar hit 1", WAIT_MS, NULL, 0));
	json_object_put(harness_ipc(h, "{\"command\":\"menu\"}"));
	return panel;
}

static void test_panel_launches(void **state) {
	write_app("demo", "", "--color ff0000ff --size 200x100");
	// An app whose archive is corrupt and whose image the engine lacks.
	char path[512];
	snprintf(path, sizeof(path), "%s/images/bad.tar", store_path());
	write_file(path, "this is not an image archive");
	write_app("bad", "Archive=images/bad.tar\nArchiveSHA256="
		"0000000000000000000000000000000000000000000000000000000000000000\n"
		"Image=pwl-missing:1\n", "");
	struct harness *h = start_session(NULL);
	struct test_client *panel = spawn_panel_with_menu(h);
	int top = panel_menu_top(panel);
	int x, y;
	assert_true(panel_hit(panel, "menu hit 3 bad ", &x, &y));
	int bad_y = y;
	assert_true(panel_hit(panel, "menu hit 3 demo ", &x, &y));
	harness_sleep(h, 300);
	harness_click(h, x + 100, top + y + 20, BTN_LEFT);
	// Launched by the click: the window comes, labeled as the app's.
	struct json_object *w = app_window(h, "demo");
	assert_string_equal(jstr(w, "app"), "demo");
	json_object_put(w);
	assert_true(client_wait_line(panel, "state demo 4 0 1", WAIT_MS, NULL,
		0));
	// The running dot, green, at the row's right end.
	assert_true(harness_wait_pixel(h, 420 - 17, top + y + 22, 0x50c878,
		WAIT_MS));
	// The task list has the window, under the app's name.
	int tx, ty;
	assert_true(panel_hit(panel, "bar hit 2 demo ", &tx, &ty));

	// The corrupt one: the reason, in words, in the error colour.
	harness_click(h, x + 100, top + bad_y + 20, BTN_LEFT);
	assert_true(client_wait_line(panel, "state bad 6", WAIT_MS, NULL, 0));
	bool red = false;
	for (int i = 0; i < 50 && !red; i++) {
		struct image img;
		assert_true(harness_screenshot(h, 0, &img));
		for (int yy = top + bad_y + 24; yy < top + bad_y + 40 && !red; yy++) {
			for (int xx = 52; xx < 400 && !red; xx++) {
				red = image_rgb(&img, xx, yy) == 0xe06c75;
			}
		}
		image_finish(&img);
		if (!red) {
			harness_sleep(h, 100);
		}
	}
	assert_true(red);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "Launch of bad failed"));
	free(log);
	// Clicking the task entry focuses its window.
	struct test_client *other = client_spawn_test(h, "--app-id host-win");
	assert_true(client_wait_line(other, "mapped", WAIT_MS, NULL, 0));
	w = harness_wait_window(h, "demo", WAIT_MS);
	assert_false(jbool(w, "focused"));
	json_object_put(w);
	harness_key(h, NULL, KEY_ESC); // close the menu
	harness_sleep(h, 300);
	harness_click(h, tx + 10, 720 - 32 + ty + 5, BTN_LEFT);
	bool focused = false;
	for (int i = 0; i < 50 && !focused; i++) {
		w = harness_wait_window(h, "demo", WAIT_MS);
		focused = jbool(w, "focused");
		json_object_put(w);
		if (!focused) {
			harness_sleep(h, 100);
		}
	}
	assert_true(focused);

	// Right-click on a task entry: the window of a host client has no app
	// to act on; the app's opens the menu at its row with Stop and Purge,
	// and Stop stops it.
	int hx, hy;
	assert_true(panel_hit(panel, "bar hit 2 host-win ", &hx, &hy));
	harness_click(h, hx + 10, 720 - 32 + hy + 5, BTN_RIGHT);
	harness_sleep(h, 300);
	assert_false(client_saw(panel, "actions"));
	assert_true(panel_hit(panel, "bar hit 2 demo ", &tx, &ty));
	harness_click(h, tx + 10, 720 - 32 + ty + 5, BTN_RIGHT);
	assert_true(client_wait_line(panel, "actions demo", WAIT_MS, NULL, 0));
	top = panel_menu_top(panel);
	int sx, sy;
	assert_true(panel_hit(panel, "menu hit 4 demo ", &sx, &sy));
	harness_sleep(h, 300);
	harness_click(h, sx + 5, top + sy + 5, BTN_LEFT);
	assert_true(harness_wait_no_window(h, "demo", WAIT_MS));
	assert_true(client_wait_line(panel, "state demo 0", WAIT_MS, NULL, 0));
	client_free(other);
	client_free(panel);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

static char *kiosk_status(struct harness *h) {
	struct json_object *reply = harness_ipc(h, "{\"command\":\"kiosk\"}");
	assert_true(jbool(reply, "ok"));
	char *status = strdup(jstr(json_object_object_get(reply, "kiosk"),
		"status"));
	json_object_put(reply);
	return status;
}

static bool is_fullscreen_undecorated(struct json_object *w) {
	return jbool(w, "fullscreen") && !jbool(w, "decorated") &&
		jint(w, "geometry.x") == 0 && jint(w, "geometry.y") == 0 &&
		jint(w, "geometry.width") == 1280 && jint(w, "geometry.height") == 720;
}

static bool spans_two_outputs(struct json_object *w) {
	return jbool(w, "fullscreen") && jint(w, "geometry.width") == 2560 &&
		jint(w, "geometry.height") == 720;
}

static bool wait_rgb(struct harness *h, int out, int x, int y,
		uint32_t rgb, bool want) {
	for (int i = 0; i < 50; i++) {
		struct image img;
		assert_true(harness_screenshot(h, out, &img));
		bool is = image_rgb(&img, x, y) == rgb;
		image_finish(&img);
		if (is == want) {
			return true;
		}
		harness_sleep(h, 100);
	}
	return false;
}

/* The admin combo ends a kiosk session, cleanly: the compositor exits
 * by itself, with status 0, and leaves no container behind. */
static void end_kiosk_with_admin_combo(struct harness *h) {
	harness_key(h, "Control,Mod1,Shift", KEY_ESC);
	for (int i = 0; i < 100 && harness_compositor_alive(h); i++) {
		harness_sleep(h, 100);
	}
	assert_false(harness_compositor_alive(h));
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

/* Two outputs: one window over both (span), or the app on the first and
 * the same picture on the second (mirror); a second output of another
 * size and shape, plugged in while the app runs, shows the whole picture,
 * scaled and letterboxed. */
static void test_kiosk_two_outputs(void **state) {
	write_app("demo", "", "--color ff00c000");
	static const char *const modes[] = { "span", "mirror", "mirror",
		"mirror" };
	// 2: the second output is plugged in later; 3: it is there from the
	// start with a configured mode (wlroots' headless backend announces
	// its outputs last first: HEADLESS-2 is the leftmost, the primary).
	for (int mode = 0; mode < 4; mode++) {
		char config[2048];
		snprintf(config, sizeof(config), "[stores]\npath = %s\n"
			"[containers]\nengine = %s\n[kiosk]\napp = demo\n"
			"outputs = %s\n%s", store_path(), getenv("ENGINE_ADDRESS"),
			modes[mode], mode == 3 ? "[output HEADLESS-1]\n"
			"mode = 1920x1200\n" : "");
		struct harness_options o = { .config = config,
			.outputs = mode == 2 ? 1 : 2 };
		struct harness *h = harness_start(&o);
		assert_non_null(h);
		struct json_object *w = harness_wait_window_where(h, "demo",
			mode ? is_fullscreen_undecorated : spans_two_outputs, WAIT_MS);
		if (!w) {
			struct json_object *all = harness_ipc(h, "{\"command\":"
				"\"windows\"}");
			fail_msg("%s: no window as expected: %s", modes[mode],
				json_object_to_json_string(all));
		}
		json_object_put(w);
		if (mode == 2) {
			struct json_object *r = harness_ipc(h, "{\"command\":"
				"\"create-output\",\"width\":1920,\"height\":1200}");
			assert_true(jbool(r, "ok"));
			json_object_put(r);
		}
		// Both outputs show the app's colour.
		for (int out = 0; out < 2; out++) {
			if (!wait_rgb(h, out, 640, 360, 0x00c000, true)) {
				struct image img;
				assert_true(harness_screenshot(h, out, &img));
				// What is there instead, for whoever reads the failure.
				fprintf(stderr, "output %d: %dx%d, centre %06x, (100,100) "
					"%06x, (960,600) %06x\n", out, img.width, img.height,
					image_rgb(&img, 640, 360), image_rgb(&img, 100, 100),
					image_rgb(&img, 960, 600));
				image_finish(&img);
				fail_msg("output %d does not show the kiosk app (%s)", out,
					modes[mode]);
			}
		}
		if (mode >= 2) {
			// 1280x720 on 1920x1200: scale 1.5, 60 px bars above and
			// below; the picture's corners are on screen.
			assert_true(wait_rgb(h, 1, 5, 65, 0x00c000, true));
			assert_true(wait_rgb(h, 1, 1914, 1134, 0x00c000, true));
			assert_true(wait_rgb(h, 1, 960, 30, 0x00c000, false));
			assert_true(wait_rgb(h, 1, 960, 1170, 0x00c000, false));
			char *log = harness_log(h);
			assert_non_null(strstr(log, mode == 2 ?
				"Kiosk: output HEADLESS-2 mirrors HEADLESS-1 at scale 1.500" :
				"Kiosk: output HEADLESS-1 mirrors HEADLESS-2 at scale 1.500"));
			free(log);
		}
		assert_int_equal(harness_stop(h), 0);
	}
	assert_int_equal(labeled_containers(), 0);
}

static void test_kiosk_restarts_app(void **state) {
	write_app("demo", "", "--color ff00c000");
	struct harness *h = start_session("[kiosk]\napp = demo\n");
	struct json_object *w = harness_wait_window_where(h, "demo",
		is_fullscreen_undecorated, WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00c000, WAIT_MS));
	char *status = kiosk_status(h);
	assert_string_equal(status, "");
	free(status);
	// Keybindings are off: Super+Shift+E would have ended the session.
	harness_key(h, "Logo,Shift", KEY_E);
	harness_sleep(h, 300);
	assert_true(harness_compositor_alive(h));

	// The app dies: the status screen says so, then it comes back.
	struct json_object *rec = wait_state(h, "demo", "running");
	kill_container(jstr(rec, "container"));
	json_object_put(rec);
	assert_true(harness_wait_no_window(h, "demo", WAIT_MS));
	// The window may go before the engine reports the exit.
	bool said = false;
	for (int i = 0; i < 50 && !said; i++) {
		status = kiosk_status(h);
		said = strstr(status, "demo stopped: exited with status 137");
		free(status);
		if (!said) {
			harness_sleep(h, 50);
		}
	}
	assert_true(said);
	// The plain status screen, not the app's green.
	assert_true(harness_wait_pixel(h, 20, 20, 0x14171c, WAIT_MS));
	w = harness_wait_window_where(h, "demo", is_fullscreen_undecorated,
		WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00c000, WAIT_MS));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "starting it again in 1000 ms"));
	free(log);

	// The engine restarts under it (Docker takes its containers along):
	// the app is up again, fullscreen.
	assert_int_equal(system(getenv("ENGINE_RESTART")), 0);
	w = harness_wait_window_where(h, "demo", is_fullscreen_undecorated,
		30000);
	assert_non_null(w);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00c000, 30000));

	end_kiosk_with_admin_combo(h);
}

/* ---- hostile stores (issue 13): each attack, then what it must not do ---- */

/* Names, modes, owners and contents below `dir`: equal before and after
 * an attack when nothing there changed. */
static char *tree_state(const char *dir) {
	char *out = run_output("cd '%s' && { find . -printf '%%p %%m %%u %%s\\n' "
		"| sort; find . -type f -exec sha256sum {} + | sort; }", dir);
	assert_non_null(out);
	return out;
}

static int pocketctl_says(char **out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Runs pocketctl with the arguments; its output (stderr too) in *out. */
static int pocketctl_says(char **out, const char *fmt, ...) {
	char args[4096], cmd[4400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), "'%s' %s 2>&1; echo \"status=$?\"",
		getenv("POCKETCTL"), args);
	*out = run_output("%s", cmd);
	assert_non_null(*out);
	char *st = strstr(*out, "status=");
	return st ? (int)strtol(st + 7, NULL, 10) : -1;
}

static void test_hostile_data_dirs(void **state) {
	(void)state;
	struct harness *h = start_session(NULL);
	char victim[512], cmd[2048];
	snprintf(victim, sizeof(victim), "%s/victim", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/secret' '%s/evil' && echo keep "
		"> '%s/secret/file'", victim, victim, victim);
	assert_int_equal(system(cmd), 0);
	const char *runtime = harness_runtime_dir(h);
	const char *how[] = { "data/evil -> a victim folder",
		"data/evil -> $XDG_RUNTIME_DIR", "data -> a victim folder" };
	for (int i = 0; i < 3; i++) {
		printf("# attack: %s\n", how[i]);
		write_app("evil", "", "--size 50x50");
		snprintf(cmd, sizeof(cmd), "cd '%s' && rm -rf data/evil && "
			"mkdir -p data && %s", store_path(), i == 0 ?
			"ln -s ../../victim data/evil" : i == 1 ? "true" :
			"mv data data.real && ln -s ../victim data");
		assert_int_equal(system(cmd), 0);
		if (i == 1) {
			char link[600];
			snprintf(link, sizeof(link), "%s/data/evil", store_path());
			assert_int_equal(symlink(runtime, link), 0);
		}
		char *before = tree_state(victim);
		char *runtime_before = run_output("stat -c '%%a %%u' '%s'", runtime);
		launch(h, "evil");
		struct json_object *rec = wait_state(h, "evil", "failed");
		const char *error = rec ? jstr(rec, "error") : NULL;
		assert_non_null(error);
		printf("# refused: %s\n", error ? error : "-");
		assert_non_null(strstr(error, "is a symbolic link"));
		assert_non_null(strstr(error, i == 2 ? "/data:" : "/data/evil:"));
		json_object_put(rec);
		assert_int_equal(labeled_containers(), 0);
		// pocketctl's data commands refuse the same links.
		char *out;
		assert_int_equal(pocketctl_says(&out, "data rm evil --store '%s' --yes",
			store_path()), 1);
		assert_non_null(strstr(out, "symbolic link"));
		free(out);
		char tar[600];
		snprintf(tar, sizeof(tar), "%s/export.tar", root);
		assert_int_equal(pocketctl_says(&out, "data export evil '%s' --store "
			"'%s'", tar, store_path()), 1);
		free(out);
		assert_int_equal(access(tar, F_OK), -1);
		char *after = tree_state(victim);
		assert_string_equal(before, after);
		char *runtime_after = run_output("stat -c '%%a %%u' '%s'", runtime);
		assert_string_equal(runtime_before, runtime_after);
		char probe[600];
		snprintf(probe, sizeof(probe), "%s/hello.txt", runtime);
		assert_int_equal(access(probe, F_OK), -1);
		free(before);
		free(after);
		free(runtime_before);
		free(runtime_after);
		snprintf(cmd, sizeof(cmd), "cd '%s' && if [ -L data ]; then rm data "
			"&& mv data.real data; fi; rm -f data/evil", store_path());
		assert_int_equal(system(cmd), 0);
	}
	assert_int_equal(harness_stop(h), 0);
}

/* The image id an engine gives `image`, or "" (caller frees). */
static char *image_id_of(const char *image) {
	char path[512];
	snprintf(path, sizeof(path), "/images/%s/json", image);
	struct json_object *obj = engine_get(path);
	char *id = strdup(obj && jstr(obj, "Id") ? jstr(obj, "Id") : "");
	json_object_put(obj);
	return id;
}

static void write_archived_app(const char *id, const char *image,
		const char *archive, const char *client_args) {
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "sha256sum '%s/%s' | cut -c1-64", store_path(),
		archive);
	char *sha = run_output("%s", cmd);
	assert_non_null(sha);
	sha[64] = '\0';
	char keys[1024];
	snprintf(keys, sizeof(keys), "Archive=%s\nArchiveSHA256=%s\n", archive,
		sha);
	free(sha);
	write_app(id, keys, client_args);
	// write_app names IMAGE: this app's own image instead.
	char path[512];
	snprintf(path, sizeof(path), "sed -i 's|^Image=.*|Image=%s|' '%s/apps/"
		"%s.desktop'", image, store_path(), id);
	assert_int_equal(system(path), 0);
}

static void test_archive_cannot_take_another_apps_image(void **state) {
	(void)state;
	char cmd[4096];
	// The good app's archive: the engine's own export of its image.
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/images' && curl -sf "
		"--unix-socket '%s' 'http://localhost/v1.41/images/" IMAGE "/get' -o "
		"'%s/images/good.tar'", store_path(), engine_sock, store_path());
	assert_int_equal(system(cmd), 0);
	char *good_id = image_id_of(IMAGE);
	assert_true(strlen(good_id) > 0);
	// The attacker's: another image (its config changed) that also tags
	// the good app's image name, spelled as the engine spells it.
	snprintf(cmd, sizeof(cmd), "python3 - '%s/images/good.tar' "
		"'%s/images/evil.tar' <<'PY'\n"
		"import hashlib, io, json, sys, tarfile\n"
		"src = tarfile.open(sys.argv[1]); files = {}\n"
		"for m in src.getmembers():\n"
		"    files[m.name] = (m, src.extractfile(m).read() if m.isfile() else None)\n"
		"man = json.loads(files['manifest.json'][1])\n"
		"cfg = json.loads(files[man[0]['Config']][1])\n"
		"cfg.setdefault('config', {})['Labels'] = {'evil': 'yes'}\n"
		"raw = json.dumps(cfg).encode(); name = hashlib.sha256(raw).hexdigest() + '.json'\n"
		"good_tag = man[0]['RepoTags'][0]\n"
		"man[0]['Config'] = name; man[0]['RepoTags'] = ['pwl-evil:latest', good_tag]\n"
		"out = tarfile.open(sys.argv[2], 'w')\n"
		"def add(n, data):\n"
		"    ti = tarfile.TarInfo(n); ti.size = len(data); out.addfile(ti, io.BytesIO(data))\n"
		"for n, (m, data) in files.items():\n"
		"    if n in ('manifest.json', 'repositories') or n == man[0]['Config'] or n.endswith('.json') and data and b'rootfs' in data: continue\n"
		"    if m.isfile(): add(n, data)\n"
		"    else: out.addfile(m)\n"
		"add(name, raw); add('manifest.json', json.dumps(man).encode()); out.close()\n"
		"PY", store_path(), store_path());
	assert_int_equal(system(cmd), 0);
	write_archived_app("good", IMAGE, "images/good.tar", "--size 60x60");
	write_archived_app("evil", "pwl-evil:latest", "images/evil.tar",
		"--size 60x60");
	struct harness *h = start_session(NULL);
	launch(h, "evil");
	struct json_object *rec = wait_state(h, "evil", "failed");
	printf("# refused: %s\n", jstr(rec, "error"));
	assert_non_null(strstr(jstr(rec, "error"), "would tag"));
	assert_non_null(strstr(jstr(rec, "error"), "pwl-launch:latest"));
	assert_non_null(strstr(jstr(rec, "error"), "engine was left unchanged"));
	json_object_put(rec);
	char *now = image_id_of(IMAGE);
	assert_string_equal(now, good_id); // the good app's image is its own
	free(now);
	now = image_id_of("pwl-evil:latest");
	assert_string_equal(now, "");
	free(now);

	// Loaded behind pocketwl's back (another tool, another session): the
	// name now means the attacker's image. The good app is not fooled.
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X POST -H "
		"'Content-Type: application/x-tar' --data-binary @'%s/images/evil.tar' "
		"http://localhost/v1.41/images/load >/dev/null", engine_sock,
		store_path());
	assert_int_equal(system(cmd), 0);
	now = image_id_of(IMAGE);
	assert_string_not_equal(now, good_id);
	free(now);
	launch(h, "good");
	json_object_put(app_window(h, "good"));
	struct json_object *c = inspect_running(h, "good", NULL);
	const char *ran = jstr(c, "Image");
	printf("# the good app runs %.19s, the name pointed at another image\n",
		ran);
	assert_non_null(ran);
	assert_non_null(strstr(good_id, strncmp(ran, "sha256:", 7) ? ran :
		ran + 7));
	json_object_put(c);
	assert_int_equal(harness_stop(h), 0);
	snprintf(cmd, sizeof(cmd), "curl -sf --unix-socket '%s' -X DELETE "
		"'http://localhost/v1.41/images/pwl-evil:latest?force=1' >/dev/null; "
		"rm -f '%s'/apps/good.desktop '%s'/apps/evil.desktop", engine_sock,
		store_path(), store_path());
	assert_int_equal(system(cmd), 0);
	now = image_id_of(IMAGE);
	assert_string_equal(now, good_id); // loading good.tar put it back
	free(now);
	free(good_id);
}

/* Launches `app` and waits for its failure; returns the error (free it),
 * checking on the way that the session kept answering. */
static char *launch_refused(struct harness *h, const char *app,
		long *slowest) {
	launch(h, app);
	for (int i = 0; i < WAIT_MS / 100; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct json_object *reply = harness_ipc(h, "{\"command\":\"logs\","
			"\"app\":\"%s\"}", app);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000;
		*slowest = ms > *slowest ? ms : *slowest;
		assert_non_null(reply);
		struct json_object *rec = json_object_object_get(reply, "launch");
		if (rec && jstr(rec, "state") && !strcmp(jstr(rec, "state"),
				"failed")) {
			char *error = strdup(jstr(rec, "error"));
			json_object_put(reply);
			printf("# %s refused: %s\n", app, error);
			return error;
		}
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	fail_msg("%s was not refused", app);
	return NULL;
}

static void test_hostile_store_files(void **state) {
	(void)state;
	char cmd[4096];
	write_app("demo", "", "--color ff0000ff --size 200x100");
	// Archives that are a FIFO, a link to /dev/zero and a sparse 3 GiB
	// file (zeros: the tar ends at once, then goes on and on).
	const char *sha = "ArchiveSHA256=00000000000000000000000000000000000000"
		"00000000000000000000000000\n";
	char keys[512];
	snprintf(keys, sizeof(keys), "Archive=images/fifo.tar\n%s", sha);
	write_app("fifoimg", keys, "");
	snprintf(keys, sizeof(keys), "Archive=images/zero.tar\n%s", sha);
	write_app("zeroimg", keys, "");
	snprintf(keys, sizeof(keys), "Archive=images/big.tar\n%s", sha);
	write_app("bigimg", keys, "");
	snprintf(cmd, sizeof(cmd), "cd '%s' && sed -i '/^Name=/a Icon=fifo' "
		"apps/demo.desktop && sed -i 's/^Image=.*/Image=pwl-none:1/' "
		"apps/fifoimg.desktop apps/zeroimg.desktop apps/bigimg.desktop && "
		"mkdir -p icons images && mkfifo icons/fifo.png apps/fifo.desktop "
		"images/fifo.tar && ln -s /dev/zero apps/zero.desktop && ln -s "
		"/dev/zero images/zero.tar && truncate -s 2G apps/huge.desktop && "
		"truncate -s 3G images/big.tar", store_path());
	assert_int_equal(system(cmd), 0);
	char media[300], disk[300];
	snprintf(media, sizeof(media), "%s/media3", root);
	snprintf(disk, sizeof(disk), "%s/disk3", root);
	char config[400];
	snprintf(config, sizeof(config), "[stores]\nmount-root = %s\n", media);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' '%s'", media, disk);
	assert_int_equal(system(cmd), 0);
	struct harness *h = start_session(config);
	// The panel reads the store through the compositor and opens icons:
	// it comes up, lists the app, and its click still launches it.
	struct test_client *panel = spawn_panel_with_menu(h);
	int top = panel_menu_top(panel);
	int x, y;
	assert_true(panel_hit(panel, "menu hit 3 demo ", &x, &y));
	harness_sleep(h, 300);
	harness_click(h, x + 100, top + y + 20, BTN_LEFT);
	json_object_put(app_window(h, "demo"));
	long slowest = 0;
	char *error = launch_refused(h, "fifoimg", &slowest);
	assert_non_null(strstr(error, "images/fifo.tar: is not a regular file "
		"(a FIFO)"));
	free(error);
	error = launch_refused(h, "zeroimg", &slowest);
	assert_non_null(strstr(error, "images/zero.tar: is a symbolic link"));
	free(error);
	error = launch_refused(h, "bigimg", &slowest);
	assert_non_null(strstr(error, "images/big.tar"));
	assert_non_null(strstr(error, "after its end"));
	free(error);

	// Plugged in while the session runs: a disk with the same traps.
	snprintf(cmd, sizeof(cmd), "'%s' store init '%s' --name Traps >/dev/null "
		"&& cd '%s' && mkfifo apps/fifo.desktop && ln -s /dev/zero "
		"apps/zero.desktop && truncate -s 2G apps/huge.desktop && for i in "
		"$(seq 2000); do printf '[Desktop Entry]\\nName=A\\n[X-Pocket]\\n"
		"Image=a\\n' > apps/a$i.desktop; done && mkdir '%s/usb' && mount "
		"--bind '%s' '%s/usb'", getenv("POCKETCTL"), disk, disk, media, disk,
		media);
	assert_int_equal(system(cmd), 0);
	bool seen = false;
	for (int i = 0; i < 50 && !seen; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct json_object *reply = harness_ipc(h, "{\"command\":\"stores\"}");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000;
		slowest = ms > slowest ? ms : slowest;
		seen = reply && strstr(json_object_to_json_string(reply), "/usb");
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	assert_true(seen);
	// The panel hears of it, reads it through the compositor, and still
	// serves input: its launcher opens and its click launches.
	assert_true(client_wait_line(panel, "menu hit 3 a1 ", WAIT_MS, NULL, 0));
	assert_true(client_running(panel));
	printf("# slowest answer of the session through all of it: %ld ms\n",
		slowest);
	assert_true(slowest < 2000);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "icons/fifo.png: is not a regular file"));
	assert_null(strstr(log, "watchdog: the event loop"));
	free(log);
	// pocketctl store check names each culprit.
	char *out;
	assert_int_equal(pocketctl_says(&out, "store check '%s'", store_path()),
		1);
	printf("# store check:\n%s", out);
	assert_non_null(strstr(out, "apps/fifo.desktop: is not a regular file"));
	assert_non_null(strstr(out, "apps/zero.desktop: is a symbolic link"));
	assert_non_null(strstr(out, "apps/huge.desktop: is 2147483648 bytes"));
	assert_non_null(strstr(out, "images/fifo.tar: is not a regular file"));
	free(out);
	client_free(panel);
	assert_int_equal(harness_stop(h), 0);
	snprintf(cmd, sizeof(cmd), "umount -l '%s/usb'; cd '%s' && rm -f "
		"icons/fifo.png apps/fifo.desktop apps/zero.desktop apps/huge.desktop "
		"apps/fifoimg.desktop apps/zeroimg.desktop apps/bigimg.desktop "
		"images/fifo.tar images/zero.tar images/big.tar", media, store_path());
	assert_int_equal(system(cmd), 0);
}

static void test_app_floods_its_output(void **state) {
	(void)state;
	char path[512], script[512];
	snprintf(path, sizeof(path), "%s/apps/flood.desktop", store_path());
	// 300 MB in lines of 1000 bytes, then one last line; the script sits
	// in the app's data (its home) to keep the manifest line short.
	snprintf(script, sizeof(script), "%s/data/flood", store_path());
	mkdir(script, 0777);
	chmod(script, 0777);
	snprintf(script, sizeof(script), "%s/data/flood/flood.sh", store_path());
	write_file(script, "l=xxxxxxxxxx; l=$l$l$l$l$l$l$l$l$l$l\n"
		"l=$l$l$l$l$l$l$l$l$l$l\n"
		"busybox yes $l | busybox head -c 300000000\n"
		"echo LAST-LINE-OF-FLOOD\n");
	write_file(path, "[Desktop Entry]\nType=Application\nName=Flood\n\n"
		"[X-Pocket]\nImage=" IMAGE "\nCommand=sh /home/pocket/flood.sh\n"
		"Env=PATH=/bin\n");
	struct harness *h = start_session(NULL);
	launch(h, "flood");
	// The session answers all along; the app ends by itself.
	long worst = 0;
	bool ended = false;
	for (int i = 0; i < 1800 && !ended; i++) {
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		struct json_object *reply = harness_ipc(h, "{\"command\":\"logs\","
			"\"app\":\"flood\"}");
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000;
		worst = ms > worst ? ms : worst;
		assert_non_null(reply);
		struct json_object *rec = json_object_object_get(reply, "launch");
		ended = rec && jstr(rec, "state") &&
			!strcmp(jstr(rec, "state"), "exited");
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	assert_true(ended);
	printf("# slowest answer while the app printed 300 MB: %ld ms\n", worst);
	assert_true(worst < 2000);
	char *logs = wait_saved_logs(h, "flood");
	assert_non_null(strstr(logs, "LAST-LINE-OF-FLOOD"));
	assert_true(strlen(logs) <= 256 * 1024);
	free(logs);
	char *log = harness_log(h);
	assert_null(strstr(log, "watchdog: the event loop"));
	free(log);
	assert_int_equal(harness_stop(h), 0);
	unlink(path);
}

static void test_runtime_dir_is_private(void **state) {
	(void)state;
	char path[512], script[512];
	snprintf(script, sizeof(script), "%s/data/rt", store_path());
	mkdir(script, 0777);
	chmod(script, 0777);
	snprintf(script, sizeof(script), "%s/data/rt/rt.sh", store_path());
	write_file(script, "busybox ln -s / /run/pocket/evil && echo planted\n"
		"busybox dd if=/dev/zero of=/run/pocket/fill bs=1M count=8 && "
		"echo filled\n"
		"touch /run/pocket/wayland-0 || echo socket-read-only\n"
		"exec pwl-test-client --app-id rt --size 80x80\n");
	snprintf(path, sizeof(path), "%s/apps/rt.desktop", store_path());
	write_file(path, "[Desktop Entry]\nType=Application\nName=rt\n\n"
		"[X-Pocket]\nImage=" IMAGE "\nCommand=sh /home/pocket/rt.sh\n"
		"Env=ASAN_OPTIONS=detect_leaks=0;PATH=/bin\n");
	struct harness *h = start_session(NULL);
	launch(h, "rt");
	struct json_object *w = app_window(h, "rt");
	json_object_put(w);
	struct json_object *rec = wait_state(h, "rt", "running");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/pocketwl/%s/%s", harness_runtime_dir(h),
		harness_display(h), jstr(rec, "instance"));
	json_object_put(rec);
	// On the host: the socket and nothing else.
	char *listing = run_output("ls -A '%s'", dir);
	printf("# host side of the app's runtime dir: %s", listing);
	assert_string_equal(listing, "wayland-0\n");
	free(listing);
	struct json_object *reply = harness_ipc(h, "{\"command\":\"stop\","
		"\"app\":\"rt\"}");
	json_object_put(reply);
	char *logs = wait_saved_logs(h, "rt");
	assert_non_null(strstr(logs, "planted"));
	assert_non_null(strstr(logs, "filled"));
	assert_non_null(strstr(logs, "socket-read-only"));
	free(logs);
	assert_int_equal(access(dir, F_OK), -1); // removed after the container
	assert_int_equal(harness_stop(h), 0);
	unlink(path);
}

/* The key of a store, as pocketctl info reports it for one of its apps. */
static void store_key_of(const char *store, const char *app, char key[32]) {
	char *out = run_output("'%s' info %s --store '%s' --json",
		getenv("POCKETCTL"), app, store);
	struct json_object *info = out ? json_tokener_parse(out) : NULL;
	free(out);
	assert_non_null(info);
	snprintf(key, 32, "%s", jstr(info, "store_key"));
	json_object_put(info);
	assert_int_equal(strlen(key), 16);
}

/* The window the compositor gives to `app` (its "app", not the client's
 * own app_id, which both twins set alike). */
static struct json_object *window_of(struct harness *h, const char *app) {
	for (int i = 0; i < WAIT_MS / 100; i++) {
		struct json_object *reply = harness_ipc(h, "{\"command\":"
			"\"windows\"}");
		struct json_object *list = reply ? json_object_object_get(reply,
			"windows") : NULL;
		for (size_t k = 0; list && k < json_object_array_length(list); k++) {
			struct json_object *w = json_object_array_get_idx(list, k);
			if (jstr(w, "app") && !strcmp(jstr(w, "app"), app)) {
				json_object_get(w);
				json_object_put(reply);
				return w;
			}
		}
		json_object_put(reply);
		harness_sleep(h, 100);
	}
	fail_msg("no window of %s", app);
	return NULL;
}

static void test_same_id_from_two_stores(void **state) {
	(void)state;
	char media[300], disk[300], cmd[4096];
	snprintf(media, sizeof(media), "%s/media2", root);
	snprintf(disk, sizeof(disk), "%s/disk2", root);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/usb' '%s' && '%s' store init "
		"'%s' --name Stranger >/dev/null && mount --bind '%s' '%s/usb'", media,
		disk, getenv("POCKETCTL"), disk, disk, media);
	assert_int_equal(system(cmd), 0);
	// The user's own app "twin", and a stranger's disk offering the same
	// id with the same name.
	write_app("twin", "Permissions=clipboard\n", "--size 90x90");
	snprintf(cmd, sizeof(cmd), "cp '%s/apps/twin.desktop' '%s/usb/apps/'",
		store_path(), media);
	assert_int_equal(system(cmd), 0);
	char mine[32], theirs[32];
	store_key_of(store_path(), "twin", mine);
	store_key_of(disk, "twin", theirs);
	assert_string_not_equal(mine, theirs);
	char config[400];
	snprintf(config, sizeof(config), "[stores]\nmount-root = %s\n", media);
	struct harness *h = start_session(config);
	// The user granted clipboard to their own twin.
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/pocketwl/apps/%s' && printf "
		"'[permissions]\\ngranted = clipboard\\n' > '%s/pocketwl/apps/%s/"
		"twin.ini'", harness_runtime_dir(h), mine, harness_runtime_dir(h),
		mine);
	assert_int_equal(system(cmd), 0);
	// Once the disk is seen, the plain id is ambiguous: both are named.
	struct json_object *reply = NULL;
	for (int i = 0; i < 50; i++) {
		json_object_put(reply);
		reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"twin\"}");
		if (!jbool(reply, "ok") && strstr(jstr(reply, "error"), "2 stores")) {
			break;
		}
		harness_sleep(h, 100);
	}
	printf("# %s\n", jstr(reply, "error"));
	assert_non_null(strstr(jstr(reply, "error"), "2 stores offer 'twin'"));
	assert_non_null(strstr(jstr(reply, "error"), mine));
	assert_non_null(strstr(jstr(reply, "error"), theirs));
	json_object_put(reply);
	// The user's own: granted, no question.
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"twin@%s\"}",
		mine);
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
	// The stranger's: the grant is not theirs; consent is asked again.
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"twin@%s\"}",
		theirs);
	assert_false(jbool(reply, "ok"));
	assert_non_null(strstr(jstr(reply, "error"), "asks for: clipboard"));
	json_object_put(reply);
	reply = harness_ipc(h, "{\"command\":\"launch\",\"app\":\"twin@%s\","
		"\"yes\":true}", theirs);
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
	char name_mine[64], name_theirs[64];
	snprintf(name_mine, sizeof(name_mine), "twin@%s", mine);
	snprintf(name_theirs, sizeof(name_theirs), "twin@%s", theirs);
	struct json_object *a = window_of(h, name_mine);
	struct json_object *b = window_of(h, name_theirs);
	printf("# labels: '%s' %s, '%s' %s\n", jstr(a, "label"),
		jstr(a, "label_color"), jstr(b, "label"), jstr(b, "label_color"));
	assert_non_null(strstr(jstr(b, "label"), "Stranger"));
	assert_non_null(strstr(jstr(a, "label"), "Launch"));
	assert_string_not_equal(jstr(a, "label_color"), jstr(b, "label_color"));
	json_object_put(a);
	json_object_put(b);
	// The panel lists both, never one for the other.
	struct test_client *panel = spawn_panel_with_menu(h);
	char line[128];
	snprintf(line, sizeof(line), "menu hit 3 %s ", name_mine);
	assert_true(client_wait_line(panel, line, WAIT_MS, NULL, 0));
	snprintf(line, sizeof(line), "menu hit 3 %s ", name_theirs);
	assert_true(client_wait_line(panel, line, WAIT_MS, NULL, 0));
	client_free(panel);
	assert_int_equal(harness_stop(h), 0);

	// A kiosk of "twin" runs the user's, never the stranger's, even when
	// only the stranger's disk offers it.
	snprintf(cmd, sizeof(cmd), "mv '%s/apps/twin.desktop' '%s/twin.aside'",
		store_path(), root);
	assert_int_equal(system(cmd), 0);
	snprintf(config, sizeof(config), "[stores]\nmount-root = %s\n[kiosk]\n"
		"app = twin\n", media);
	h = start_session(config);
	harness_sleep(h, 2500);
	reply = harness_ipc(h, "{\"command\":\"ps\",\"all\":true}");
	struct json_object *apps = json_object_object_get(reply, "apps");
	printf("# kiosk, only the stranger's twin there: %s\n",
		json_object_to_json_string(apps));
	assert_int_equal(json_object_array_length(apps), 0);
	json_object_put(reply);
	reply = harness_ipc(h, "{\"command\":\"kiosk\"}");
	struct json_object *kiosk = json_object_object_get(reply, "kiosk");
	printf("# kiosk status: %s\n", jstr(kiosk, "status"));
	assert_non_null(strstr(jstr(kiosk, "status"), "configured in [stores] "
		"path"));
	json_object_put(reply);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
	snprintf(cmd, sizeof(cmd), "mv '%s/twin.aside' '%s/apps/twin.desktop'; "
		"rm -f '%s/apps/twin.desktop'; umount -l '%s/usb'", root, store_path(),
		store_path(), media);
	assert_int_equal(system(cmd), 0);
}

/* An ordinary user's session with rootless Podman (run-engine.sh
 * podman-user): the app runs as the user (keep-id), its data files are
 * the user's on the host, its socket directory is the user's and closed
 * to others, and the session says the engine is rootless. */
/* Ending the session is quick: an app that answers SIGTERM (after one
 * last roundtrip, as foot does) exits at once with its own status, where
 * it used to wait, unanswered, for the stop timeout's SIGKILL. */
static void test_session_end_is_quick(void **state) {
	(void)state;
	write_app("quick", "", "--roundtrip-on-term --size 60x60");
	struct harness *h = start_session(NULL);
	launch(h, "quick");
	json_object_put(app_window(h, "quick"));
	json_object_put(wait_state(h, "quick", "running"));
	json_object_put(harness_ipc(h, "{\"command\":\"quit\"}"));
	for (int i = 0; i < 150 && harness_compositor_alive(h); i++) {
		usleep(100 * 1000);
	}
	char *log = harness_log(h);
	const char *line = strstr(log, "exited with status");
	printf("# %.100s\n", line ? line : "(no exit in the log)");
	assert_non_null(strstr(log, "App quick (quick-1) exited with status 0 "
		"after a stop"));
	free(log);
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

/* doc/kiosk.md's setup as written, but for systemd: the user's own
 * rootless Podman where its podman.socket would be
 * ($XDG_RUNTIME_DIR/podman/podman.sock), ~/.config/pocketwl/config.ini
 * naming the store, and the kiosk unit's command, pocketwl-session --kiosk
 * ID. The app comes up fullscreen, comes back when killed, and the admin
 * combination ends the session with status 0 and nothing left. */
static void test_kiosk_guide_setup(void **state) {
	(void)state;
	write_app("org.example.Sign", "", "--color ff00c000");
	char rt[] = "/tmp/pwl-kiosk-XXXXXX";
	assert_non_null(mkdtemp(rt));
	char path[512], text[1024];
	snprintf(path, sizeof(path), "%s/podman", rt);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/podman/podman.sock", rt);
	assert_int_equal(symlink(engine_sock, path), 0);
	snprintf(path, sizeof(path), "%s/pocketwl", rt);
	assert_int_equal(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/pocketwl/config.ini", rt);
	snprintf(text, sizeof(text), "[stores]\npath = %s\n", store_path());
	write_file(path, text);
	// The installed layout: pocketwl and pocketctl on PATH.
	char env[2200], bindir[1024], ctldir[1024];
	snprintf(bindir, sizeof(bindir), "%s", getenv("POCKETWL"));
	*strrchr(bindir, '/') = '\0';
	snprintf(ctldir, sizeof(ctldir), "%s", getenv("POCKETCTL"));
	*strrchr(ctldir, '/') = '\0';
	snprintf(env, sizeof(env), "PATH=%s:%s:/usr/sbin:/usr/bin:/sbin:/bin",
		bindir, ctldir);
	const char *argv[] = { getenv("POCKETWL_SESSION"), "--kiosk",
		"org.example.Sign", NULL };
	assert_non_null(argv[0]);
	struct harness_options o = { .runtime_dir = rt, .argv = argv,
		.extra_env = env };
	struct harness *h = harness_start(&o);
	assert_non_null(h);
	struct json_object *w = harness_wait_window_where(h, "org.example.Sign",
		is_fullscreen_undecorated, WAIT_MS);
	if (!w) {
		char *log = harness_log(h);
		fail_msg("no kiosk window; log:\n%s", log);
	}
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00c000, WAIT_MS));
	// Found by itself where the guide's podman.socket puts it.
	char *log = harness_log(h);
	snprintf(text, sizeof(text), "Container engine at unix://%s/podman/"
		"podman.sock", rt);
	assert_non_null(strstr(log, text));
	free(log);
	struct json_object *rec = wait_state(h, "org.example.Sign", "running");
	kill_container(jstr(rec, "container"));
	json_object_put(rec);
	assert_true(harness_wait_no_window(h, "org.example.Sign", WAIT_MS));
	w = harness_wait_window_where(h, "org.example.Sign",
		is_fullscreen_undecorated, WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	end_kiosk_with_admin_combo(h);
}

static void test_ordinary_user_launch(void **state) {
	(void)state;
	write_app("mine", "", "--color 00ff00ff --size 120x80");
	write_app("gfx", "Permissions=gpu\n", "--size 50x50");
	struct harness *h = start_session(NULL);
	launch(h, "mine");
	json_object_put(app_window(h, "mine"));
	struct json_object *rec = wait_state(h, "mine", "running");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/pocketwl/%s/%s", harness_runtime_dir(h),
		harness_display(h), jstr(rec, "instance"));
	json_object_put(rec);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_uid, getuid());
	assert_int_equal(st.st_mode & 0777, 0700);
	struct json_object *engine = harness_ipc(h, "{\"command\":\"engine\"}");
	struct json_object *e = json_object_object_get(engine, "engine");
	printf("# engine: %s\n", json_object_to_json_string(e));
	bool rootless = !strncmp(getenv("ENGINE_NAME"), "podman-", 7);
	assert_int_equal(jbool(e, "rootless"), rootless);
	assert_string_equal(jstr(e, "mode"), rootless ? "rootless Podman" :
		"rootful Docker");
	// What is reported is what the engine does: the container's limits
	// as the engine holds them.
	struct json_object *c = inspect_running(h, "mine", NULL);
	struct json_object *hc = json_object_object_get(c, "HostConfig");
	long long memory = json_object_get_int64(json_object_object_get(hc,
		"Memory"));
	printf("# HostConfig.Memory %lld, limits_enforced %d\n", memory,
		jbool(e, "limits_enforced"));
	assert_int_equal(memory == 4096LL << 20, jbool(e, "limits_enforced"));
	assert_int_equal(jbool(e, "gpu_groups"), !rootless);
	json_object_put(c);
	// pocketctl info says the same in words, and names what asks for gpu.
	char cmd[2048], out[4096];
	snprintf(cmd, sizeof(cmd), "POCKETWL_SOCK='%s/pocketwl.%s.sock' '%s' "
		"info gfx --store '%s' 2>&1", harness_runtime_dir(h),
		harness_display(h), getenv("POCKETCTL"), store_path());
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	pclose(p);
	printf("# pocketctl info gfx:\n%s", out);
	assert_non_null(strstr(out, jbool(e, "limits_enforced") ?
		"memory and pid limits: enforced" :
		"memory and pid limits: NOT enforced"));
	assert_non_null(strstr(out, rootless ? "gpu: NOT available" :
		"gpu: device groups passed"));
	json_object_put(engine);
	// The panel's consent for gpu says what will not be in force.
	struct test_client *panel = spawn_panel_with_menu(h);
	char want[128];
	snprintf(want, sizeof(want), "engine 1 '%s' ", rootless ?
		"rootless Podman" : "rootful Docker");
	assert_true(client_saw(panel, want) ||
		client_wait_line(panel, want, WAIT_MS, NULL, 0));
	int top = panel_menu_top(panel);
	int x, y;
	assert_true(panel_hit(panel, "menu hit 3 gfx ", &x, &y));
	harness_click(h, x + 100, top + y + 20, BTN_LEFT);
	// The consent view (its Allow once button), not a launch.
	assert_true(panel_hit(panel, "menu hit 7 gfx ", &x, &y));
	harness_sleep(h, 300);
	assert_int_equal(client_saw(panel, "consent note gfx 'gpu: not "
		"available"), rootless);
	client_free(panel);
	struct json_object *reply = harness_ipc(h, "{\"command\":\"stop\","
		"\"app\":\"mine\"}");
	json_object_put(reply);
	char *logs = wait_saved_logs(h, "mine");
	snprintf(want, sizeof(want), "uid=%u", (unsigned)getuid());
	assert_non_null(strstr(logs, want));
	assert_non_null(strstr(logs, "CapEff:\t0000000000000000"));
	free(logs);
	char path[600];
	snprintf(path, sizeof(path), "%s/data/mine/hello.txt", store_path());
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, getuid()); // the user's file on the host
	assert_int_equal(harness_stop(h), 0);
	assert_int_equal(labeled_containers(), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_launch_hardened_labeled),
		cmocka_unit_test(test_gpu_render_nodes),
		cmocka_unit_test(test_crash_and_grace),
		cmocka_unit_test(test_single_instance_and_consent),
		cmocka_unit_test(test_orphans_removed_at_start),
		cmocka_unit_test(test_leftovers_removed),
		cmocka_unit_test(test_launch_loads_archive),
		cmocka_unit_test(test_engine_restart),
		cmocka_unit_test(test_kiosk_restarts_app),
		cmocka_unit_test(test_kiosk_two_outputs),
		cmocka_unit_test(test_panel_launches),
		cmocka_unit_test(test_override_narrows),
		cmocka_unit_test(test_store_unplugged_stops_apps),
		cmocka_unit_test(test_cycles_leave_nothing),
		cmocka_unit_test(test_hostile_data_dirs),
		cmocka_unit_test(test_archive_cannot_take_another_apps_image),
		cmocka_unit_test(test_hostile_store_files),
		cmocka_unit_test(test_app_floods_its_output),
		cmocka_unit_test(test_runtime_dir_is_private),
		cmocka_unit_test(test_same_id_from_two_stores),
		cmocka_unit_test(test_session_end_is_quick),
	};
	if (getenv("PWL_TEST_FILTER")) {
		cmocka_set_test_filter(getenv("PWL_TEST_FILTER"));
	}
	if (getuid() != 0) {
		// An ordinary user's session: every test that needs no mount
		// (USB stores are bind mounts made by the test) and no device
		// node, as such a user runs them.
		const struct CMUnitTest user_tests[] = {
			cmocka_unit_test(test_ordinary_user_launch),
			cmocka_unit_test(test_session_end_is_quick),
			cmocka_unit_test(test_kiosk_guide_setup),
			cmocka_unit_test(test_crash_and_grace),
			cmocka_unit_test(test_single_instance_and_consent),
			cmocka_unit_test(test_launch_loads_archive),
			cmocka_unit_test(test_kiosk_restarts_app),
			cmocka_unit_test(test_panel_launches),
			cmocka_unit_test(test_override_narrows),
			cmocka_unit_test(test_cycles_leave_nothing),
			cmocka_unit_test(test_hostile_data_dirs),
			cmocka_unit_test(test_archive_cannot_take_another_apps_image),
			cmocka_unit_test(test_app_floods_its_output),
			cmocka_unit_test(test_runtime_dir_is_private),
			cmocka_unit_test(test_orphans_removed_at_start),
			cmocka_unit_test(test_leftovers_removed),
		};
		return cmocka_run_group_tests_name("launch-user", user_tests, setup,
			teardown);
	}
	return cmocka_run_group_tests_name("launch", tests, setup, teardown);
}
