/*
 * The engine client against a real engine: ENGINE_ADDRESS names a Docker
 * or Podman socket started by run-engine.sh, TEST_ROOTFS a tar of a tiny
 * rootfs (busybox) to import as the test image.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "engine.h"
#include "discovery.h"
#include "engine_json.h"
#include "engine_ops.h"
#include "events.h"
#include "image.h"
#include "sha256.h"
#include "spec.h"

#define IMAGE "pwl-test:latest"

struct call {
	bool done;
	long status;
	char *body;
	size_t body_len;
	char *error;
	uint64_t progress_sent, progress_total;
	int lines;
	struct engine_event die;
};

static struct wl_event_loop *loop;
static struct engine *engine;

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void on_done(void *data, const struct engine_response *res) {
	struct call *call = data;
	call->done = true;
	call->status = res->status;
	call->body = malloc(res->body_len + 1);
	memcpy(call->body, res->body, res->body_len + 1);
	call->body_len = res->body_len;
	call->error = res->error ? strdup(res->error) : NULL;
}

static void on_progress(void *data, uint64_t sent, uint64_t total) {
	struct call *call = data;
	call->progress_sent = sent;
	call->progress_total = total;
}

static void on_line(void *data, const char *line, size_t len) {
	struct call *call = data;
	struct engine_event event;
	call->lines++;
	if (engine_parse_event(line, len, &event) &&
			event.kind == ENGINE_EVENT_DIE) {
		call->die = event;
	}
}

/* Runs the loop until the call completes (or the time is up). */
static void wait_for(struct call *call, int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	while (!call->done && now_ms() < deadline) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_true(call->done);
}

/* Log bodies carry the engines' binary stream headers: no strstr. */
static bool contains(const char *buf, size_t len, const char *needle) {
	size_t n = strlen(needle);
	for (size_t i = 0; i + n <= len; i++) {
		if (!memcmp(buf + i, needle, n)) {
			return true;
		}
	}
	return false;
}

static void call_reset(struct call *call) {
	free(call->body);
	free(call->error);
	memset(call, 0, sizeof(*call));
}

static void request(struct call *call, const char *method, const char *path,
		const char *body) {
	call_reset(call);
	assert_non_null(engine_request(engine, method, path, body, on_done, call));
	wait_for(call, 30000);
	if (call->error) {
		fprintf(stderr, "%s %s: %s\n", method, path, call->error);
	}
}

static int setup(void **state) {
	loop = wl_event_loop_create();
	char error[256];
	engine = engine_create(loop, getenv("ENGINE_ADDRESS"), error,
		sizeof(error));
	if (!engine) {
		fprintf(stderr, "%s\n", error);
		return -1;
	}
	return 0;
}

static int teardown(void **state) {
	engine_destroy(engine);
	wl_event_loop_destroy(loop);
	return 0;
}

static void test_ping_and_negotiate(void **state) {
	struct call call = { 0 };
	request(&call, "GET", "//_ping", NULL);
	assert_null(call.error);
	assert_string_equal(call.body, "OK");
	request(&call, "GET", "//version", NULL);
	assert_null(call.error);
	struct engine_version_info info;
	char error[256], version[16];
	assert_true(engine_parse_version(call.body, strlen(call.body), &info,
		error, sizeof(error)));
	assert_true(engine_choose_api_version(&info, version, sizeof(version),
		error, sizeof(error)));
	// Docker 20.10 serves 1.41; Podman 4.3 says 1.41 too.
	assert_string_equal(version, "1.41");
	engine_set_api_version(engine, version);
	fprintf(stderr, "engine %s %s, API %s\n", info.podman ? "podman" :
		"docker", info.version, version);
	call_reset(&call);
}

static void test_import_image_with_progress(void **state) {
	FILE *f = fopen(getenv("TEST_ROOTFS"), "rb");
	assert_non_null(f);
	struct stat st;
	fstat(fileno(f), &st);
	struct call call = { 0 };
	assert_non_null(engine_upload(engine, "POST",
		"/images/create?fromSrc=-&repo=pwl-test&tag=latest", f,
		(uint64_t)st.st_size, "application/x-tar", on_progress, on_done,
		&call));
	wait_for(&call, 60000);
	fclose(f);
	assert_null(call.error);
	assert_int_equal(call.progress_total, (uint64_t)st.st_size);
	assert_int_equal(call.progress_sent, (uint64_t)st.st_size);
	request(&call, "GET", "/images/" IMAGE "/json", NULL);
	assert_null(call.error);
	assert_non_null(strstr(call.body, "\"Id\""));
	call_reset(&call);
}

static void test_container_lifecycle(void **state) {
	struct call events = { 0 };
	// Podman's event stream sends no headers until the first event; it
	// must not hold anything up.
	struct engine_request *stream = engine_stream(engine,
		"/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D",
		on_line, on_done, &events);
	assert_non_null(stream);

	struct call call = { 0 };
	const char *spec = "{\"Image\":\"" IMAGE "\",\"HostConfig\":"
		"{\"NetworkMode\":\"none\"},\"Cmd\":[\"/bin/sh\",\"-c\","
		"\"echo hello $GREETING; exit 3\"],\"Env\":[\"GREETING=pocket\"],"
		"\"Labels\":{\"io.pocketwl.test\":\"1\"}}";
	request(&call, "POST", "/containers/create?name=pwl-lifecycle", spec);
	assert_null(call.error);
	char id[80], error[256];
	assert_true(engine_parse_id(call.body, strlen(call.body), id, sizeof(id),
		error, sizeof(error)));
	char path[256];
	snprintf(path, sizeof(path), "/containers/%s/start", id);
	request(&call, "POST", path, NULL);
	assert_null(call.error);

	// The exit is seen through the events stream.
	long deadline = now_ms() + 20000;
	while (events.die.kind != ENGINE_EVENT_DIE && now_ms() < deadline) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_int_equal(events.die.kind, ENGINE_EVENT_DIE);
	assert_int_equal(strncmp(events.die.id, id, 12), 0);
	assert_int_equal(events.die.exit_code, 3);
	engine_request_cancel(stream);

	snprintf(path, sizeof(path), "/containers/%s/wait", id);
	request(&call, "POST", path, NULL);
	int status = -1;
	assert_true(engine_parse_wait(call.body, strlen(call.body), &status,
		error, sizeof(error)));
	assert_int_equal(status, 3);

	snprintf(path, sizeof(path), "/containers/%s/logs?stdout=1", id);
	request(&call, "GET", path, NULL);
	assert_null(call.error);
	assert_true(contains(call.body, call.body_len, "hello pocket"));

	snprintf(path, sizeof(path), "/containers/%s?force=1", id);
	request(&call, "DELETE", path, NULL);
	assert_null(call.error);
	snprintf(path, sizeof(path), "/containers/%s/json", id);
	request(&call, "GET", path, NULL);
	assert_int_equal(call.status, 404);
	// The engine's own words come through.
	assert_non_null(strstr(call.error, "HTTP 404"));
	call_reset(&call);
	call_reset(&events);
}

static void test_export_and_load(void **state) {
	char archive[] = "/tmp/pwl-image-XXXXXX";
	int fd = mkstemp(archive);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w+b");
	struct call call = { 0 };
	assert_non_null(engine_download(engine, "/images/" IMAGE "/get", f,
		on_done, &call));
	wait_for(&call, 60000);
	assert_null(call.error);
	fflush(f);
	struct stat st;
	fstat(fd, &st);
	assert_true(st.st_size > 1000000);

	request(&call, "DELETE", "/images/" IMAGE "?force=1", NULL);
	assert_null(call.error);
	rewind(f);
	call_reset(&call);
	assert_non_null(engine_upload(engine, "POST", "/images/load", f,
		(uint64_t)st.st_size, "application/x-tar", on_progress, on_done,
		&call));
	wait_for(&call, 60000);
	assert_null(call.error);
	request(&call, "GET", "/images/" IMAGE "/json", NULL);
	assert_null(call.error);
	fclose(f);
	unlink(archive);

	// Not an image: refused with the engine's message, nothing changes.
	f = tmpfile();
	fputs("this is not a tar archive", f);
	rewind(f);
	call_reset(&call);
	assert_non_null(engine_upload(engine, "POST", "/images/load", f, 25,
		"application/x-tar", NULL, on_done, &call));
	wait_for(&call, 30000);
	assert_non_null(call.error);
	fprintf(stderr, "bad archive: %s\n", call.error);
	fclose(f);
	call_reset(&call);
}

struct ticker {
	struct wl_event_source *source;
	long last;
	long max_gap;
	int ticks;
};

static int tick(void *data) {
	struct ticker *t = data;
	long now = now_ms();
	if (t->last && now - t->last > t->max_gap) {
		t->max_gap = now - t->last;
	}
	t->last = now;
	t->ticks++;
	wl_event_source_timer_update(t->source, 16);
	return 0;
}

/* While a large archive is streamed to the engine, a 16 ms timer on the
 * same loop keeps firing: the engine never blocks the loop. */
static void test_loop_never_blocks_during_a_load(void **state) {
	// A big image: the test rootfs plus 64 MiB of incompressible data.
	char dir[] = "/tmp/pwl-big-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "mkdir -p %s/root && tar -C %s/root -xf %s && "
		"head -c 67108864 /dev/urandom > %s/root/blob && "
		"tar -C %s/root -cf %s/big.tar .", dir, dir, getenv("TEST_ROOTFS"),
		dir, dir, dir);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "%s/big.tar", dir);
	FILE *f = fopen(cmd, "rb");
	assert_non_null(f);
	struct stat st;
	fstat(fileno(f), &st);

	struct ticker t = { 0 };
	t.source = wl_event_loop_add_timer(loop, tick, &t);
	wl_event_source_timer_update(t.source, 16);
	struct call call = { 0 };
	assert_non_null(engine_upload(engine, "POST",
		"/images/create?fromSrc=-&repo=pwl-big&tag=latest", f,
		(uint64_t)st.st_size, "application/x-tar", on_progress, on_done,
		&call));
	wait_for(&call, 120000);
	wl_event_source_remove(t.source);
	fclose(f);
	fprintf(stderr, "%lld MiB import: %d ticks, longest gap %ld ms\n",
		(long long)(st.st_size >> 20), t.ticks, t.max_gap);
	assert_null(call.error);
	assert_true(t.ticks > 5);
	assert_true(t.max_gap < 50);
	struct call del = { 0 };
	request(&del, "DELETE", "/images/pwl-big:latest?force=1", NULL);
	call_reset(&del);
	call_reset(&call);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* A socket that accepts and never answers: the request times out with an
 * error, and the loop keeps running. */
static void test_silent_engine_times_out(void **state) {
	char path[] = "/tmp/pwl-silent-XXXXXX";
	assert_non_null(mkdtemp(path));
	char sock[128];
	snprintf(sock, sizeof(sock), "%s/s.sock", path);
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fd, 4), 0);

	char address[160], error[256];
	snprintf(address, sizeof(address), "unix://%s", sock);
	struct engine *silent = engine_create(loop, address, error, sizeof(error));
	assert_non_null(silent);
	engine_set_timeout(silent, 500);
	struct call call = { 0 };
	long start = now_ms();
	assert_non_null(engine_request(silent, "GET", "//_ping", NULL, on_done,
		&call));
	wait_for(&call, 5000);
	assert_non_null(call.error);
	assert_true(now_ms() - start < 3000);
	assert_non_null(strstr(call.error, sock));
	fprintf(stderr, "silent engine: %s\n", call.error);
	call_reset(&call);
	assert_int_equal(engine_pending(silent), 0);
	engine_destroy(silent);
	close(fd);
	unlink(sock);
	rmdir(path);
}

static void test_missing_engine_is_a_clear_error(void **state) {
	char error[256];
	struct engine *none = engine_create(loop, "unix:///nonexistent/e.sock",
		error, sizeof(error));
	assert_non_null(none);
	struct call call = { 0 };
	assert_non_null(engine_request(none, "GET", "//_ping", NULL, on_done,
		&call));
	wait_for(&call, 5000);
	assert_non_null(call.error);
	assert_non_null(strstr(call.error, "/nonexistent/e.sock"));
	call_reset(&call);
	engine_destroy(none);
	assert_null(engine_create(loop, "http://x", error, sizeof(error)));
	assert_non_null(strstr(error, "not an engine address"));
}

/* The hardened spec the launch path will use, on a real engine. */
static void test_hardened_spec(void **state) {
	char data[] = "/tmp/pwl-data-XXXXXX";
	assert_non_null(mkdtemp(data));
	const char *cmd[] = { "/bin/sh", "-c",
		"id -u > /data/uid; echo ok > /data/out; touch /etc/x 2>/dev/null "
		"&& echo writable > /data/root; touch /tmp/t && echo tmp > /data/tmp",
		NULL };
	const char *env[] = { "WAYLAND_DISPLAY=wayland-0", NULL };
	const char *tmpfs[] = { "/tmp", NULL };
	struct spec_bind binds[] = { { data, "/data", false } };
	struct spec_kv labels[] = { { "io.pocketwl.app", "test" } };
	struct container_spec spec = {
		.image = IMAGE, .command = cmd, .env = env, .user = "1234:1234",
		.binds = binds, .binds_len = 1, .tmpfs = tmpfs,
		.read_only_rootfs = true, .cap_drop_all = true,
		.no_new_privileges = true, .network_mode = "none",
		.labels = labels, .labels_len = 1, .memory_bytes = 256 << 20,
		.pids_limit = 128,
	};
	chmod(data, 0777);
	char error[256];
	char *json = spec_to_json(&spec, error, sizeof(error));
	assert_non_null(json);
	struct call call = { 0 };
	request(&call, "POST", "/containers/create?name=pwl-hardened", json);
	free(json);
	assert_null(call.error);
	char id[80];
	assert_true(engine_parse_id(call.body, call.body_len, id, sizeof(id),
		error, sizeof(error)));
	char path[256];
	snprintf(path, sizeof(path), "/containers/%s/start", id);
	request(&call, "POST", path, NULL);
	assert_null(call.error);
	snprintf(path, sizeof(path), "/containers/%s/wait", id);
	request(&call, "POST", path, NULL);
	assert_null(call.error);

	snprintf(path, sizeof(path), "/containers/%s/json", id);
	request(&call, "GET", path, NULL);
	assert_null(call.error);
	struct json_object *inspect = json_tokener_parse(call.body);
	struct json_object *hc = json_object_object_get(inspect, "HostConfig");
	assert_true(json_object_get_boolean(
		json_object_object_get(hc, "ReadonlyRootfs")));
	assert_string_equal(json_object_get_string(
		json_object_object_get(hc, "NetworkMode")), "none");
	assert_int_equal(json_object_get_int64(
		json_object_object_get(hc, "PidsLimit")), 128);
	assert_int_equal(json_object_get_int64(
		json_object_object_get(hc, "Memory")), 256 << 20);
	json_object_put(inspect);

	// What ran inside: our uid, the bind writable, the root not, /tmp yes.
	char file[256], buf[64] = "";
	snprintf(file, sizeof(file), "%s/uid", data);
	FILE *f = fopen(file, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	assert_string_equal(buf, "1234\n");
	snprintf(file, sizeof(file), "%s/root", data);
	assert_int_equal(access(file, F_OK), -1);
	snprintf(file, sizeof(file), "%s/tmp", data);
	assert_int_equal(access(file, F_OK), 0);

	snprintf(path, sizeof(path), "/containers/%s?force=1", id);
	request(&call, "DELETE", path, NULL);

	// A bind of a missing host path is an error, not a new directory.
	struct spec_bind missing[] = { { "/nonexistent/pwl-data", "/data",
		false } };
	spec.binds = missing;
	assert_null(spec_to_json(&spec, error, sizeof(error)));
	assert_string_equal(error,
		"bind source /nonexistent/pwl-data does not exist");
	assert_int_equal(access("/nonexistent/pwl-data", F_OK), -1);
	call_reset(&call);
	snprintf(file, sizeof(file), "rm -rf %s", data);
	assert_int_equal(system(file), 0);
}

struct found {
	bool done;
	struct engine *engine;
	char error[4800];
};

static void on_found(void *data, struct engine *e, const char *error) {
	struct found *f = data;
	f->done = true;
	f->engine = e;
	snprintf(f->error, sizeof(f->error), "%s", error ? error : "");
}

static void discover_with(struct found *f, const char *explicit_address) {
	memset(f, 0, sizeof(*f));
	engine_discover(loop, explicit_address, on_found, f);
	long deadline = now_ms() + 20000;
	while (!f->done && now_ms() < deadline) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_true(f->done);
}

/* A load can be cancelled: its callback never runs, nothing is left. */
static void test_cancel_a_load(void **state) {
	FILE *zero = fopen("/dev/zero", "rb");
	struct call call = { 0 };
	struct engine_request *req = engine_upload(engine, "POST",
		"/images/load", zero, 1ull << 40, "application/x-tar", on_progress,
		on_done, &call);
	assert_non_null(req);
	long until = now_ms() + 300;
	while (now_ms() < until) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_true(call.progress_sent > 0);
	engine_request_cancel(req);
	assert_int_equal(engine_pending(engine), 0);
	until = now_ms() + 300;
	while (now_ms() < until) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_false(call.done);
	fclose(zero);
	// The engine is fine.
	request(&call, "GET", "//_ping", NULL);
	assert_null(call.error);
	call_reset(&call);
}

static void test_tcp_address(void **state) {
	const char *tcp = getenv("ENGINE_TCP");
	if (!tcp) {
		// Only the Docker run listens on TCP; Podman's run checks the
		// address parsing alone.
		char error[256];
		struct engine *e = engine_create(loop, "tcp://127.0.0.1:1", error,
			sizeof(error));
		assert_non_null(e);
		engine_destroy(e);
		return;
	}
	// Without TLS the engine refuses us...
	struct found f;
	unsetenv("DOCKER_TLS_VERIFY");
	discover_with(&f, tcp);
	if (f.engine && !strcmp(engine_address(f.engine), tcp)) {
		fail_msg("a TLS-only engine answered plain HTTP");
	}
	engine_destroy(f.engine);
	// ...with the certificates from DOCKER_CERT_PATH it answers.
	setenv("DOCKER_TLS_VERIFY", "1", 1);
	setenv("DOCKER_CERT_PATH", getenv("ENGINE_CERTS"), 1);
	discover_with(&f, tcp);
	unsetenv("DOCKER_TLS_VERIFY");
	assert_non_null(f.engine);
	assert_string_equal(engine_address(f.engine), tcp);
	assert_string_equal(engine_api_version(f.engine), "1.41");
	engine_destroy(f.engine);
}

static void test_discovery(void **state) {
	struct found f;
	// $DOCKER_HOST is found and its API version negotiated.
	setenv("DOCKER_HOST", getenv("ENGINE_ADDRESS"), 1);
	discover_with(&f, "unix:///nonexistent/first.sock");
	assert_non_null(f.engine);
	assert_string_equal(engine_address(f.engine), getenv("ENGINE_ADDRESS"));
	assert_string_equal(engine_api_version(f.engine), "1.41");
	engine_destroy(f.engine);

	// Nothing answers: every place tried is named, with what to do.
	setenv("DOCKER_HOST", "unix:///nonexistent/docker-host.sock", 1);
	setenv("XDG_RUNTIME_DIR", "/nonexistent/runtime", 1);
	discover_with(&f, "unix:///nonexistent/explicit.sock");
	unsetenv("DOCKER_HOST");
	if (f.engine) {
		// A system engine answered at a standard place: fine, but then
		// this machine cannot show the error.
		fprintf(stderr, "a system engine answered at %s\n",
			engine_address(f.engine));
		engine_destroy(f.engine);
		return;
	}
	assert_non_null(strstr(f.error, "/nonexistent/explicit.sock"));
	assert_non_null(strstr(f.error, "/nonexistent/docker-host.sock"));
	assert_non_null(strstr(f.error,
		"/nonexistent/runtime/podman/podman.sock"));
	assert_non_null(strstr(f.error, "/var/run/docker.sock"));
	assert_non_null(strstr(f.error, "systemctl --user start podman.socket"));
	assert_non_null(strstr(f.error, "pocketctl engine --start"));
}

static void op(struct call *call, struct engine_request *req) {
	assert_non_null(req);
	wait_for(call, 30000);
}

static void test_typed_operations(void **state) {
	struct call call = { 0 };
	char error[256], id[80];
	const char *cmd[] = { "/bin/sh", "-c", "echo typed; sleep 1", NULL };
	struct spec_kv labels[] = { { "io.pocketwl.session", "typed-test" } };
	struct container_spec spec = { .image = IMAGE, .command = cmd,
		.labels = labels, .labels_len = 1, .network_mode = "none" };
	op(&call, engine_container_create(engine, "pwl-typed", &spec, on_done,
		&call, error, sizeof(error)));
	assert_null(call.error);
	assert_true(engine_parse_id(call.body, call.body_len, id, sizeof(id),
		error, sizeof(error)));
	call_reset(&call);
	op(&call, engine_container_list(engine, "io.pocketwl.session",
		"typed-test", on_done, &call, error, sizeof(error)));
	assert_null(call.error);
	assert_non_null(strstr(call.body, id));
	call_reset(&call);
	op(&call, engine_container_op(engine, "start", id, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	op(&call, engine_container_stop(engine, id, 1, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	op(&call, engine_container_op(engine, "wait", id, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	op(&call, engine_container_op(engine, "logs", id, on_done, &call, error,
		sizeof(error)));
	assert_true(contains(call.body, call.body_len, "typed"));
	call_reset(&call);
	// Killing a stopped container: the engine refuses, in its words.
	op(&call, engine_container_kill(engine, id, "SIGTERM", on_done, &call,
		error, sizeof(error)));
	assert_non_null(call.error);
	call_reset(&call);
	op(&call, engine_container_op(engine, "remove", id, on_done, &call,
		error, sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	op(&call, engine_container_list(engine, "io.pocketwl.session",
		"typed-test", on_done, &call, error, sizeof(error)));
	assert_null(strstr(call.body, id));
	call_reset(&call);
	op(&call, engine_image_inspect(engine, IMAGE, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	op(&call, engine_image_list(engine, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	// Names that could walk the API are refused before any request.
	assert_null(engine_image_inspect(engine, "../../containers/x", on_done,
		&call, error, sizeof(error)));
	assert_non_null(strstr(error, "is not an image"));
	assert_null(engine_container_op(engine, "start", "a b?c", on_done, &call,
		error, sizeof(error)));
	assert_null(engine_container_op(engine, "explode", "x", on_done, &call,
		error, sizeof(error)));
	assert_false(call.done);
}

struct ensured {
	bool done, loaded;
	char error[2048];
	char image_id[80];
	bool saw_checking, saw_loading;
};

static void ensure_progress(void *data, enum image_phase phase, uint64_t done,
		uint64_t total) {
	struct ensured *r = data;
	if (phase == IMAGE_PHASE_CHECKING) {
		r->saw_checking = true;
	} else {
		r->saw_loading = true;
	}
}

static void ensure_done(void *data, bool loaded, const char *image_id,
		const char *error) {
	struct ensured *r = data;
	r->done = true;
	r->loaded = loaded;
	snprintf(r->image_id, sizeof(r->image_id), "%s", image_id ? image_id : "");
	snprintf(r->error, sizeof(r->error), "%s", error ? error : "");
}

static void ensure(const char *store, const struct manifest *m,
		struct ensured *r) {
	memset(r, 0, sizeof(*r));
	struct image_ensure_listener l = { .progress = ensure_progress,
		.done = ensure_done, .data = r };
	assert_non_null(image_ensure(engine, loop, store, "0123456789abcdef", m,
		&l));
	long deadline = now_ms() + 60000;
	while (!r->done && now_ms() < deadline) {
		wl_event_loop_dispatch(loop, 50);
	}
	assert_true(r->done);
}

static bool image_present(void) {
	struct call call = { 0 };
	request(&call, "GET", "/images/" IMAGE "/json", NULL);
	bool present = call.error == NULL;
	call_reset(&call);
	return present;
}

/* Purge, reload from the store with the checksum checked; a truncated
 * archive is refused and the engine left unchanged. */
static void test_image_ensure_from_store(void **state) {
	char store[] = "/tmp/pwl-store-XXXXXX";
	assert_non_null(mkdtemp(store));
	char path[256];
	snprintf(path, sizeof(path), "%s/images", store);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/images/app.tar", store);
	FILE *f = fopen(path, "w+b");
	struct call call = { 0 };
	char error[256];
	op(&call, engine_image_export(engine, IMAGE, f, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	rewind(f);
	char sha[65];
	assert_true(sha256_file(f, sha));
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fclose(f);

	char *env[] = { NULL };
	struct manifest m = { .id = "app", .name = "App", .image = IMAGE,
		.archive = "images/app.tar", .env = env };
	snprintf(m.archive_sha256, sizeof(m.archive_sha256), "%s", sha);
	// Pins go to the state directory: a private one.
	char state_dir[300];
	snprintf(state_dir, sizeof(state_dir), "%s/state", store);
	setenv("XDG_STATE_HOME", state_dir, 1);
	struct ensured r;
	ensure(store, &m, &r);
	assert_string_equal(r.error, "");
	// Never loaded for this (store, app): loaded from the archive even
	// though the engine has an image of that name.
	assert_true(r.loaded);
	assert_int_equal(strlen(r.image_id), 71);
	assert_int_equal(strncmp(r.image_id, "sha256:", 7), 0);
	char first_id[80];
	snprintf(first_id, sizeof(first_id), "%s", r.image_id);
	ensure(store, &m, &r);
	assert_string_equal(r.error, "");
	assert_false(r.loaded); // pinned, and still there
	assert_string_equal(r.image_id, first_id);

	// A truncated copy with the right checksum in the manifest.
	snprintf(path, sizeof(path), "cd %s/images && head -c %ld app.tar > "
		"cut.tar", store, size / 2);
	assert_int_equal(system(path), 0);
	op(&call, engine_image_remove(engine, IMAGE, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
	m.archive = "images/cut.tar";
	ensure(store, &m, &r);
	assert_non_null(strstr(r.error, "corrupt or truncated"));
	assert_false(image_present());

	m.archive = "images/none.tar";
	ensure(store, &m, &r);
	assert_non_null(strstr(r.error, "plugged in"));

	// The good archive: its pin names an image the engine lost, so it is
	// loaded again, with progress.
	m.archive = "images/app.tar";
	ensure(store, &m, &r);
	assert_string_equal(r.error, "");
	assert_true(r.loaded);
	assert_true(r.saw_loading);
	assert_string_equal(r.image_id, first_id);
	assert_true(image_present());
	unsetenv("XDG_STATE_HOME");
	snprintf(path, sizeof(path), "rm -rf %s", store);
	assert_int_equal(system(path), 0);
}

struct watched {
	int lost, reconnected, starts, dies;
	int last_exit;
};

static void watched_event(void *data, const struct engine_event *event) {
	struct watched *w = data;
	if (event->kind == ENGINE_EVENT_START) {
		w->starts++;
	} else if (event->kind == ENGINE_EVENT_DIE) {
		w->dies++;
		w->last_exit = event->exit_code;
	}
}

static void watched_state(void *data, enum engine_watch_state state,
		const char *error) {
	struct watched *w = data;
	if (state == ENGINE_WATCH_LOST) {
		w->lost++;
		fprintf(stderr, "watch lost: %s\n", error ? error : "");
	} else {
		w->reconnected++;
	}
}

static void run_until(int *counter, int value, int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	while (*counter < value && now_ms() < deadline) {
		wl_event_loop_dispatch(loop, 50);
	}
}

static void run_container(const char *script) {
	struct call call = { 0 };
	char error[256], id[80];
	const char *cmd[] = { "/bin/sh", "-c", script, NULL };
	struct container_spec spec = { .image = IMAGE, .command = cmd,
		.auto_remove = true, .network_mode = "none" };
	op(&call, engine_container_create(engine, NULL, &spec, on_done, &call,
		error, sizeof(error)));
	assert_null(call.error);
	assert_true(engine_parse_id(call.body, call.body_len, id, sizeof(id),
		error, sizeof(error)));
	call_reset(&call);
	op(&call, engine_container_op(engine, "start", id, on_done, &call, error,
		sizeof(error)));
	assert_null(call.error);
	call_reset(&call);
}

/* The events stream survives an engine restart. */
static void test_events_survive_engine_restart(void **state) {
	struct watched w = { 0 };
	struct engine_watch_listener listener = {
		.event = watched_event, .state = watched_state, .data = &w,
	};
	struct engine_watch *watch = engine_watch_events(engine, loop, &listener);
	assert_non_null(watch);
	run_container("exit 7");
	run_until(&w.dies, 1, 20000);
	assert_int_equal(w.dies, 1);
	assert_int_equal(w.last_exit, 7);

	assert_int_equal(system(getenv("ENGINE_RESTART")), 0);
	run_until(&w.reconnected, 1, 40000);
	assert_true(w.lost >= 1);
	assert_int_equal(w.reconnected, 1);
	run_container("exit 9");
	run_until(&w.dies, 2, 20000);
	assert_int_equal(w.dies, 2);
	assert_int_equal(w.last_exit, 9);
	engine_watch_destroy(watch);
}

/* A tiny fake engine, for answers a real one cannot be made to give: it
 * accepts one connection, reads the request and sends `reply` as is. */
static pid_t fake_engine(const char *sock, const char *reply) {
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	memcpy(addr.sun_path, sock, strlen(sock) + 1);
	unlink(sock);
	assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	assert_int_equal(listen(fd, 4), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int c = accept(fd, NULL, NULL);
		char buf[4096];
		ssize_t n = read(c, buf, sizeof(buf));
		(void)n;
		ssize_t w = write(c, reply, strlen(reply));
		(void)w;
		close(c);
		_exit(0);
	}
	close(fd);
	return pid;
}

static void fake_request(const char *reply, struct call *call) {
	char sock[] = "/tmp/pwl-fake.sock";
	pid_t pid = fake_engine(sock, reply);
	char error[256];
	struct engine *fake = engine_create(loop, "unix:///tmp/pwl-fake.sock",
		error, sizeof(error));
	assert_non_null(fake);
	engine_set_api_version(fake, "1.41");
	memset(call, 0, sizeof(*call));
	assert_non_null(engine_request(fake, "POST", "/containers/create", "{}",
		on_done, call));
	wait_for(call, 10000);
	engine_destroy(fake);
	waitpid(pid, NULL, 0);
	unlink(sock);
}

static void test_malformed_answers(void **state) {
	struct call call;
	char id[80], error[256];
	// Truncated JSON with a 2xx: the parser says so.
	fake_request("HTTP/1.1 201 Created\r\nContent-Length: 6\r\n\r\n{\"Id\":",
		&call);
	if (call.error) {
		fprintf(stderr, "fake: %s\n", call.error);
	}
	assert_null(call.error);
	assert_false(engine_parse_id(call.body, call.body_len, id, sizeof(id),
		error, sizeof(error)));
	assert_non_null(strstr(error, "malformed JSON"));
	call_reset(&call);
	// The connection drops before the promised body.
	fake_request("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{}", &call);
	assert_non_null(call.error);
	call_reset(&call);
	// An error status with a non-JSON body.
	fake_request("HTTP/1.1 500 Oops\r\nContent-Length: 5\r\n\r\n<html>",
		&call);
	assert_non_null(call.error);
	assert_non_null(strstr(call.error, "HTTP 500"));
	call_reset(&call);
	// Not HTTP at all.
	fake_request("garbage\r\n\r\n", &call);
	assert_non_null(call.error);
	call_reset(&call);
}

/* The engine dies while a wait and an upload are under way: both end with
 * an error, and the loop goes on. Runs last: the engine is gone after. */
static void test_engine_killed_mid_request(void **state) {
	struct call call = { 0 };
	const char *spec = "{\"Image\":\"" IMAGE "\",\"HostConfig\":"
		"{\"NetworkMode\":\"none\"},\"Cmd\":[\"sleep\","
		"\"3\"],\"HostConfig\":{\"AutoRemove\":true}}";
	request(&call, "POST", "/containers/create?name=pwl-killed", spec);
	char id[80], error[256], path[256];
	assert_true(engine_parse_id(call.body, call.body_len, id, sizeof(id),
		error, sizeof(error)));
	snprintf(path, sizeof(path), "/containers/%s/start", id);
	request(&call, "POST", path, NULL);
	assert_null(call.error);

	struct call wait = { 0 }, upload = { 0 };
	snprintf(path, sizeof(path), "/containers/%s/wait", id);
	assert_non_null(engine_request(engine, "POST", path, NULL, on_done,
		&wait));
	// An endless upload: a pipe we keep feeding.
	FILE *zero = fopen("/dev/zero", "rb");
	assert_non_null(engine_upload(engine, "POST", "/images/load", zero,
		1ull << 40, "application/x-tar", NULL, on_done, &upload));
	long until = now_ms() + 500;
	while (now_ms() < until) {
		wl_event_loop_dispatch(loop, 50);
	}
	FILE *pidfile = fopen(getenv("ENGINE_PIDFILE"), "r");
	assert_non_null(pidfile);
	long pid_value = 0;
	assert_int_equal(fscanf(pidfile, "%ld", &pid_value), 1);
	fclose(pidfile);
	pid_t pid = (pid_t)pid_value;
	assert_int_equal(kill(pid, SIGKILL), 0);
	wait_for(&wait, 10000);
	wait_for(&upload, 10000);
	fprintf(stderr, "killed engine: wait: %s; upload: %s\n", wait.error,
		upload.error);
	assert_non_null(wait.error);
	assert_non_null(upload.error);
	assert_int_equal(engine_pending(engine), 0);
	fclose(zero);
	call_reset(&wait);
	call_reset(&upload);
	call_reset(&call);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_and_negotiate),
		cmocka_unit_test(test_import_image_with_progress),
		cmocka_unit_test(test_container_lifecycle),
		cmocka_unit_test(test_export_and_load),
		cmocka_unit_test(test_hardened_spec),
		cmocka_unit_test(test_typed_operations),
		cmocka_unit_test(test_image_ensure_from_store),
		cmocka_unit_test(test_loop_never_blocks_during_a_load),
		cmocka_unit_test(test_silent_engine_times_out),
		cmocka_unit_test(test_missing_engine_is_a_clear_error),
		cmocka_unit_test(test_discovery),
		cmocka_unit_test(test_tcp_address),
		cmocka_unit_test(test_cancel_a_load),
		cmocka_unit_test(test_malformed_answers),
		cmocka_unit_test(test_events_survive_engine_restart),
		cmocka_unit_test(test_engine_killed_mid_request),
	};
	const char *engine_name = getenv("ENGINE_NAME");
	char group[64];
	snprintf(group, sizeof(group), "engine-%s", engine_name ? engine_name :
		"?");
	return cmocka_run_group_tests_name(group, tests, setup, teardown);
}
