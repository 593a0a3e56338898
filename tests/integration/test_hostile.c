/* Hostile clients: the request sequences known to crash wlroots 0.15.1
 * compositors, a protocol fuzzer through the main socket and through an
 * app socket, malformed wire data on a raw socket, and the watchdog. The
 * compositor must live through all of it, keep serving the others, and
 * end with no sanitizer report (stop() checks the log). */
#include <fcntl.h>
#include <errno.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common.h"

static void assert_serving(struct harness *h) {
	assert_true(harness_compositor_alive(h));
	struct json_object *reply = harness_ipc(h, "{\"command\":\"version\"}");
	assert_non_null(reply);
	assert_true(jbool(reply, "ok"));
	json_object_put(reply);
}

static void test_known_crash_sequences(void **state) {
	// refused: the compositor must end the client with a protocol error
	// (the guard saw it), not just live through it.
	static const struct { const char *name; bool refused; } cases[] = {
		{ "keymap-short", false }, // keymap shorter than its size
		{ "keymap-unterminated", false }, // ... or without a NUL
		{ "popup-self-parent", true }, // unbounded recursion in wlroots
		{ "toplevel-after-surface-destroy", true }, // NULL role
		{ "decoration-after-surface-destroy", true },
		{ "subsurface-parent-destroyed", true }, // sibling search in NULL
		{ "second-xdg-surface", true }, // the first toplevel orphaned
		{ "pointer-inert", false }, // relative pointer on an inert one
		{ "layer-zero-size", true },
		{ "teardown-many", false }, // many live objects, then gone
		// Role-less xdg_surfaces (use-after-free in wlroots 0.15.1, seen
		// only by valgrind or a plain build):
		{ "popup-roleless-parent", true }, // freed parent, popup on its list
		{ "popup-parent-role-gone", true },
		{ "popup-roleless-parent-teardown", false },
		{ "second-xdg-surface-roleless", true }, // role data taken along
		{ "decoration-uncommitted", false }, // listening on freed memory
		{ "decoration-uncommitted-teardown", false },
		{ "layer-popup-unmapped", true }, // on an unmapped layer surface
		{ "parentless-popup-grab", false }, // plain fuzz, app socket, seed 107
		{ "popup-grab-twice", false }, // linked twice into the grab list
	};
	struct harness *h = start(NULL);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[] = { PWL_HOSTILE_CLIENT, "--case", cases[i].name,
			NULL };
		struct test_client *c = client_spawn(h, argv);
		assert_non_null(c);
		int status = client_wait_exit(c, WAIT_MS * 4);
		bool refused = client_saw(c, "error ");
		client_free(c);
		if (!harness_compositor_alive(h)) {
			fail_msg("pocketwl died on the sequence '%s'", cases[i].name);
		}
		assert_int_equal(status, 0);
		if (cases[i].refused && !refused) {
			fail_msg("the sequence '%s' was accepted", cases[i].name);
		}
		assert_serving(h);
	}
	// And an ordinary client is still served.
	client_free(map_client(h, "--app-id after", "after"));
	stop(h);
}

static int env_int(const char *name, int fallback) {
	const char *value = getenv(name);
	char *end;
	long n = value ? strtol(value, &end, 10) : 0;
	return value && *end == '\0' && n > 0 && n <= 3600 ? (int)n : fallback;
}

static void run_fuzz(bool app_socket) {
	int seconds = env_int("PWL_FUZZ_SECONDS", 10);
	int seeds = env_int("PWL_FUZZ_SEEDS", 3);
	// Each suite its own seeds (the same ones every run: a failure can
	// be replayed with --seed).
	int first = env_int("PWL_FUZZ_FIRST_SEED", 1);
	struct harness *h = start(NULL);
	char *dir = app_socket ? harness_app_create(h, "fuzz", NULL, NULL, 0) :
		NULL;
	for (int seed = first; seed < first + seeds; seed++) {
		char seed_text[16], seconds_text[16];
		snprintf(seed_text, sizeof(seed_text), "%d", seed);
		snprintf(seconds_text, sizeof(seconds_text), "%d", seconds);
		const char *argv[] = { PWL_FUZZ_CLIENT, "--seed", seed_text,
			"--seconds", seconds_text, NULL };
		struct test_client *c = app_socket ?
			client_spawn_app(h, dir, argv) : client_spawn(h, argv);
		assert_non_null(c);
		char line[256] = "";
		bool done = client_wait_line(c, "fuzz done", (seconds + 30) * 1000,
			line, sizeof(line));
		int status = client_wait_exit(c, 5000);
		client_free(c);
		fprintf(stderr, "%s socket: %s\n", app_socket ? "app" : "main",
			line);
		if (!harness_compositor_alive(h)) {
			fail_msg("pocketwl died under fuzz seed %d (%s socket)", seed,
				app_socket ? "app" : "main");
		}
		// 3: the compositor went away; 4: it stopped answering.
		assert_true(done);
		assert_int_equal(status, 0);
		assert_serving(h);
	}
	free(dir);
	client_free(map_client(h, "--app-id after", "after"));
	stop(h);
}

static void test_fuzz_main_socket(void **state) {
	run_fuzz(false);
}

static void test_fuzz_app_socket(void **state) {
	run_fuzz(true);
}

/* ---- malformed wire data ---- */

static int raw_connect(struct harness *h) {
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/%s",
		harness_runtime_dir(h), harness_display(h));
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(fd >= 0);
	assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
	return fd;
}

static void send_words(int fd, const uint32_t *words, size_t n, int nfds) {
	struct iovec iov = { (void *)words, n * 4 };
	char control[CMSG_SPACE(sizeof(int) * 4)];
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1 };
	if (nfds > 0) {
		memset(control, 0, sizeof(control));
		msg.msg_control = control;
		msg.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nfds);
		struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
		cmsg->cmsg_level = SOL_SOCKET;
		cmsg->cmsg_type = SCM_RIGHTS;
		cmsg->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nfds);
		int *fds = (int *)CMSG_DATA(cmsg);
		for (int i = 0; i < nfds; i++) {
			fds[i] = open("/dev/null", O_RDONLY | O_CLOEXEC);
		}
	}
	assert_true(sendmsg(fd, &msg, MSG_NOSIGNAL) >= 0);
	if (nfds > 0) {
		int *fds = (int *)CMSG_DATA(CMSG_FIRSTHDR(&msg));
		for (int i = 0; i < nfds; i++) {
			close(fds[i]);
		}
	}
}

/* The compositor hangs up on us: read until EOF (errors may come first). */
static bool disconnected(int fd) {
	struct timeval tv = { 5, 0 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	char buf[4096];
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			return true;
		}
		if (n < 0) {
			return false; // timed out: still connected
		}
	}
}

#define HEADER(id, opcode, size) (id), ((uint32_t)(size) << 16 | (opcode))

/* Sends one message on a connection of its own: the compositor must hang
 * up on it. */
static void expect_disconnect(struct harness *h, const uint32_t *words,
		size_t n) {
	int fd = raw_connect(h);
	send_words(fd, words, n, 0);
	assert_true(disconnected(fd));
	close(fd);
}

static void test_malformed_wire_data(void **state) {
	struct harness *h = start(NULL);
	struct test_client *good = map_client(h, "--app-id good --animate",
		"good");
	int fds_before = harness_fd_count(h);
	// An opcode wl_display does not have.
	uint32_t bad_opcode[] = { HEADER(1, 42, 8) };
	expect_disconnect(h, bad_opcode, 2);
	// An object that does not exist.
	uint32_t no_object[] = { HEADER(999, 0, 12), 2 };
	expect_disconnect(h, no_object, 3);
	// A size smaller than a header, and one larger than the buffer.
	uint32_t tiny[] = { HEADER(1, 0, 4) };
	expect_disconnect(h, tiny, 2);
	int fd = raw_connect(h);
	uint32_t huge[] = { HEADER(1, 0, 0xfff0), 2 };
	send_words(fd, huge, 3, 0);
	close(fd); // truncated: the rest never comes
	// A message cut short, then the connection gone mid-message.
	fd = raw_connect(h);
	uint32_t cut[] = { HEADER(1, 1, 64), 2, 3 };
	send_words(fd, cut, 3, 0);
	close(fd);
	// Fds nobody asked for, and a create_pool without its fd: bind wl_shm
	// by its global name (the first registry event names it).
	fd = raw_connect(h);
	uint32_t sync_with_fds[] = { HEADER(1, 0, 12), 2 };
	send_words(fd, sync_with_fds, 3, 3);
	uint32_t registry[] = { HEADER(1, 1, 12), 3 };
	send_words(fd, registry, 3, 0);
	// wl_registry.bind(name 1, "wl_shm", 1, new id 4): the first global is
	// wl_shm in pocketwl; whatever it is, the bind or the request after
	// it is an error, and the connection must just end.
	uint32_t bind[] = { HEADER(3, 0, 8 + 4 + 4 + 8 + 4 + 4), 1, 7,
		0x735f6c77, 0x6d68 /* "wl_shm\0\0" */, 1, 4 };
	send_words(fd, bind, sizeof(bind) / 4, 0);
	uint32_t pool_without_fd[] = { HEADER(4, 0, 16), 5, 4096 };
	send_words(fd, pool_without_fd, 4, 0);
	assert_true(disconnected(fd));
	close(fd);

	// The well-behaved client was served all along, and nothing leaked.
	assert_true(client_running(good));
	assert_serving(h);
	harness_sleep(h, 300);
	assert_true(harness_fd_count(h) <= fds_before);
	client_free(good);
	stop(h);
}

/* ---- the watchdog ---- */

static void test_watchdog_ends_a_stuck_compositor(void **state) {
	struct harness_options o = {
		.config = "[general]\nwatchdog = 2\n",
		.extra_env = "POCKETWL_DEBUG_IPC=1",
	};
	struct harness *h = start(&o);
	// Ask for a 20 s stall; the watchdog must end it after about 2 s.
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "POCKETWL_SOCK='%s/pocketwl.%s.sock' '%s' raw "
		"'{\"command\":\"debug-hang\",\"seconds\":20}' >/dev/null 2>&1 &",
		harness_runtime_dir(h), harness_display(h), getenv("POCKETCTL"));
	assert_int_equal(system(cmd), 0);
	int status = harness_signal_and_wait(h, 0);
	assert_int_equal(status, 3);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "watchdog: the event loop has not turned for "
		"2 s"));
	assert_non_null(strstr(log, "watchdog: the main thread is here"));
	assert_non_null(strstr(log, "cmd_debug_hang") ?
		strstr(log, "cmd_debug_hang") : strstr(log, "pocketwl("));
	free(log);
	harness_stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_crash_sequences),
		cmocka_unit_test(test_malformed_wire_data),
		cmocka_unit_test(test_fuzz_main_socket),
		cmocka_unit_test(test_fuzz_app_socket),
		cmocka_unit_test(test_watchdog_ends_a_stuck_compositor),
	};
	return RUN_GROUP("hostile", tests);
}
