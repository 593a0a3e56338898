#include "common.h"

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static bool exists(struct harness *h, const char *name) {
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", harness_runtime_dir(h), name);
	struct stat st;
	return stat(path, &st) == 0;
}

static void check_clean_exit(int sig) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h, "--app-id s", "s");
	assert_true(exists(h, "wayland-0"));
	assert_true(exists(h, "wayland-0.lock"));
	assert_true(exists(h, "pocketwl.wayland-0.sock"));
	assert_int_equal(harness_signal_and_wait(h, sig), 0);
	// Clients were told (their connection closed), files are gone.
	assert_true(client_wait_exit(c, WAIT_MS) >= 0);
	assert_false(exists(h, "wayland-0"));
	assert_false(exists(h, "wayland-0.lock"));
	assert_false(exists(h, "pocketwl.wayland-0.sock"));
	client_free(c);
	stop(h);
}

static void test_sigterm_ends_cleanly(void **state) {
	check_clean_exit(SIGTERM);
}

static void test_sigint_ends_cleanly(void **state) {
	check_clean_exit(SIGINT);
}

static int run(const char *cmd, char *out, size_t out_len) {
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(out, 1, out_len - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void test_config_errors_name_file_and_line(void **state) {
	const char *bad =
		"[keyboard]\n"
		"repeat-rate = fast\n"
		"[general]\n"
		"cursor-size = 32\n"
		"bogus = 1\n";
	struct harness_options o = { .config = bad };
	struct harness *h = start(&o);
	// The session runs with the good lines, and says what was wrong.
	char *log = harness_log(h);
	assert_non_null(strstr(log, "test-config.ini:2: [keyboard] repeat-rate: "
		"'fast' is not a rate"));
	assert_non_null(strstr(log, "test-config.ini:5: [general] bogus: "
		"unknown key"));
	free(log);

	char cmd[1024], out[4096];
	snprintf(cmd, sizeof(cmd), "%s --check-config --config "
		"%s/test-config.ini 2>&1", getenv("POCKETWL"), harness_runtime_dir(h));
	assert_int_equal(run(cmd, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "test-config.ini:2:"));
	assert_non_null(strstr(out, "test-config.ini:5:"));
	snprintf(cmd, sizeof(cmd), "printf '[general]\\ncursor-size = 30\\n' > "
		"%s/good.ini && %s --check-config --config %s/good.ini 2>&1",
		harness_runtime_dir(h), getenv("POCKETWL"), harness_runtime_dir(h));
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	snprintf(cmd, sizeof(cmd), "%s --check-config --config /nonexistent.ini "
		"2>&1", getenv("POCKETWL"));
	assert_int_equal(run(cmd, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "/nonexistent.ini"));
	stop(h);
}

static void test_startup_commands_run(void **state) {
	struct harness_options o = {
		.config = "[startup]\nexec = touch \"$XDG_RUNTIME_DIR/started\"\n",
	};
	struct harness *h = start(&o);
	bool found = false;
	for (int i = 0; i < 100 && !found; i++) {
		found = exists(h, "started");
		harness_sleep(h, 20);
	}
	assert_true(found);
	stop(h);
}

static int ipc_connect(struct harness *h) {
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s",
		harness_runtime_dir(h));
	size_t len = strlen(addr.sun_path);
	snprintf(addr.sun_path + len, sizeof(addr.sun_path) - len,
		"/pocketwl.wayland-0.sock");
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

static void test_ipc_rejects_bad_requests(void **state) {
	struct harness *h = start(NULL);
	struct json_object *r = harness_ipc(h, "{\"command\":\"nope\"}");
	assert_false(jbool(r, "ok"));
	assert_string_equal(json_object_get_string(
		json_object_object_get(r, "error")), "unknown command 'nope'");
	json_object_put(r);
	r = harness_ipc(h, "{\"command\":\"focus\",\"id\":\"x\"}");
	assert_false(jbool(r, "ok"));
	json_object_put(r);
	r = harness_ipc(h, "{\"command\":\"close\",\"id\":999}");
	assert_false(jbool(r, "ok"));
	json_object_put(r);
	r = harness_ipc(h, "[1,2]");
	assert_false(jbool(r, "ok"));
	json_object_put(r);
	r = harness_ipc(h, "{\"command\":\"spawn\",\"argv\":[1]}");
	assert_false(jbool(r, "ok"));
	json_object_put(r);

	// Not JSON at all, on a raw socket: a JSON error line comes back.
	int fd = ipc_connect(h);
	assert_int_equal(write(fd, "hello\n", 6), 6);
	char buf[512] = "";
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "\"ok\":false"));
	assert_non_null(strstr(buf, "not JSON"));
	close(fd);

	// Half a request, then gone.
	fd = ipc_connect(h);
	assert_int_equal(write(fd, "{\"command\":\"win", 16), 16);
	close(fd);
	// A line longer than the limit: an error, then the door.
	fd = ipc_connect(h);
	char *big = malloc(100000);
	memset(big, 'a', 100000);
	ssize_t sent = write(fd, big, 100000);
	assert_true(sent > 0);
	free(big);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = '\0';
	assert_non_null(strstr(buf, "longer than"));
	close(fd);

	r = harness_ipc(h, "{\"command\":\"version\"}");
	assert_true(jbool(r, "ok"));
	json_object_put(r);
	stop(h);
}

static void test_pocketctl_commands(void **state) {
	struct harness *h = start(NULL);
	struct test_client *a = map_client(h, "--app-id ca --size 300x200", "ca");
	struct test_client *b = map_client(h, "--app-id cb --size 100x100", "cb");
	struct json_object *w = window(h, "ca");
	int id = jint(w, "id");
	json_object_put(w);
	char cmd[1024], out[8192];
	const char *ctl = getenv("POCKETCTL");
	const char *dir = harness_runtime_dir(h);

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s WAYLAND_DISPLAY=wayland-0 "
		"POCKETWL_SOCK= %s windows --json", dir, ctl);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	struct json_object *list = json_tokener_parse(out);
	assert_non_null(list);
	assert_int_equal(json_object_array_length(
		json_object_object_get(list, "windows")), 2);
	json_object_put(list);

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s focus %d", dir, ctl, id);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	w = window(h, "ca");
	assert_true(jbool(w, "focused"));
	json_object_put(w);

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s close %d", dir, ctl, id);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	assert_true(client_wait_line(a, "close", WAIT_MS, NULL, 0));
	assert_true(harness_wait_no_window(h, "ca", WAIT_MS));

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s close 4242 2>&1", dir,
		ctl);
	assert_int_equal(run(cmd, out, sizeof(out)), 1);
	assert_non_null(strstr(out, "no window with id 4242"));

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s outputs", dir, ctl);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	assert_non_null(strstr(out, "HEADLESS-1"));
	assert_non_null(strstr(out, "1280x720+0+0"));

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s spawn -- %s "
		"--app-id spawned", dir, ctl, getenv("PWL_TEST_CLIENT") ?
		getenv("PWL_TEST_CLIENT") : PWL_TEST_CLIENT_DEFAULT);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	w = window(h, "spawned");
	json_object_put(w);

	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s %s quit", dir, ctl);
	assert_int_equal(run(cmd, out, sizeof(out)), 0);
	assert_int_equal(harness_signal_and_wait(h, 0), 0);
	client_free(a);
	client_free(b);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sigterm_ends_cleanly),
		cmocka_unit_test(test_sigint_ends_cleanly),
		cmocka_unit_test(test_config_errors_name_file_and_line),
		cmocka_unit_test(test_startup_commands_run),
		cmocka_unit_test(test_ipc_rejects_bad_requests),
		cmocka_unit_test(test_pocketctl_commands),
	};
	return RUN_GROUP("session", tests);
}
