#include "common.h"

#include <signal.h>
#include <unistd.h>

static void test_weston_simple_shm_runs_10s(void **state) {
	struct harness *h = start(NULL);
	const char *argv[] = { "weston-simple-shm", NULL };
	struct test_client *c = client_spawn(h, argv);
	assert_non_null(c);
	// weston-simple-shm aborts with "Both buffers busy" when a compositor
	// holds both of its buffers.
	harness_sleep(h, 10000);
	assert_true(client_running(c));
	assert_true(harness_compositor_alive(h));
	client_kill(c, SIGTERM);
	client_free(c);
	stop(h);
}

static void test_client_killed_mid_frame(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id victim --animate --size 400x300", "victim");
	harness_sleep(h, 300);
	client_kill(c, SIGKILL);
	assert_true(harness_wait_no_window(h, "victim", WAIT_MS));
	assert_true(harness_compositor_alive(h));
	assert_true(harness_wait_pixel(h, 640, 360, 0x000000, WAIT_MS));
	struct test_client *next = map_client(h,
		"--app-id next --color ff00ff00", "next");
	assert_true(harness_wait_pixel(h, 640, 360, 0x00ff00, WAIT_MS));
	client_free(next);
	client_free(c);
	stop(h);
}

static void test_truncated_shm_pool_is_that_clients_error(void **state) {
	struct harness *h = start(NULL);
	struct test_client *good = map_client(h,
		"--app-id good --color ff0000ff --size 100x100", "good");
	struct test_client *bad = client_spawn_test(h,
		"--app-id bad --truncate-shm --size 300x300");
	assert_int_equal(client_wait_exit(bad, WAIT_MS), 3);
	assert_true(client_saw(bad, "protocol-error"));
	assert_true(harness_compositor_alive(h));
	assert_true(client_running(good));
	assert_true(harness_wait_pixel(h, 640, 360, 0x0000ff, WAIT_MS));
	client_free(bad);
	client_free(good);
	stop(h);
}

static void test_flooder_dropped_staller_kept(void **state) {
	struct harness *h = start(NULL);
	struct test_client *staller = map_client(h,
		"--app-id staller --size 200x100 --stall 500", "staller");
	struct test_client *flooder = client_spawn_test(h,
		"--app-id flooder --flood");
	assert_true(client_wait_line(flooder, "disconnected", 20000, NULL, 0));
	assert_true(client_wait_line(staller, "resumed", WAIT_MS, NULL, 0));
	harness_sleep(h, 200);
	assert_true(client_running(staller));
	struct json_object *w = window(h, "staller");
	json_object_put(w);
	// The staller is still served: it gets keys.
	harness_key(h, NULL, KEY_K);
	assert_true(client_wait_line(staller, "key 37 pressed", WAIT_MS, NULL, 0));
	client_free(flooder);
	client_free(staller);
	stop(h);
}

static void cycle_clients(struct harness *h, int n) {
	for (int i = 0; i < n; i++) {
		struct test_client *c = client_spawn_test(h,
			"--app-id cycle --size 64x64 --exit-after 1");
		assert_non_null(c);
		assert_int_equal(client_wait_exit(c, WAIT_MS), 0);
		client_free(c);
	}
	assert_true(harness_wait_no_window(h, "cycle", WAIT_MS));
}

static void test_200_clients_leave_nothing_behind(void **state) {
	// Without ASan's quarantine freed memory is reused, so resident memory
	// shows leaks (LeakSanitizer checks the rest at exit).
	struct harness_options o = {
		.extra_env = "ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=0",
	};
	struct harness *h = start(&o);
	cycle_clients(h, 30);
	harness_sleep(h, 200);
	int fds = harness_fd_count(h);
	long rss = harness_rss_kib(h);
	cycle_clients(h, 200);
	int fds_after = harness_fd_count_settled(h, fds, 3000);
	long rss_after = harness_rss_kib(h);
	fprintf(stderr, "200 clients: fds %d -> %d, rss %ld -> %ld KiB\n", fds,
		fds_after, rss, rss_after);
	assert_int_equal(fds_after, fds);
	assert_true(rss_after - rss < 2048);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weston_simple_shm_runs_10s),
		cmocka_unit_test(test_client_killed_mid_frame),
		cmocka_unit_test(test_truncated_shm_pool_is_that_clients_error),
		cmocka_unit_test(test_flooder_dropped_staller_kept),
		cmocka_unit_test(test_200_clients_leave_nothing_behind),
	};
	return RUN_GROUP("robustness", tests);
}
