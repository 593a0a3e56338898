#ifndef PWL_TEST_COMMON_H
#define PWL_TEST_COMMON_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <linux/input-event-codes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define WAIT_MS 5000

/* Starts a compositor for one test; fails the test if it does not come up. */
static inline struct harness *start(const struct harness_options *o) {
	struct harness *h = harness_start(o);
	assert_non_null(h);
	return h;
}

/* Ends the session: it must exit 0 with no sanitizer report. */
static inline void stop(struct harness *h) {
	assert_int_equal(harness_stop(h), 0);
}

/* Runs the test client and waits until its window is on screen. */
static inline struct test_client *map_client(struct harness *h,
		const char *args, const char *app_id) {
	struct test_client *c = client_spawn_test(h, args);
	assert_non_null(c);
	assert_true(client_wait_line(c, "mapped", WAIT_MS, NULL, 0));
	struct json_object *w = harness_wait_window(h, app_id, WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	return c;
}

static inline struct json_object *window(struct harness *h, const char *app_id) {
	struct json_object *w = harness_wait_window(h, app_id, WAIT_MS);
	assert_non_null(w);
	return w;
}

static inline uint32_t pixel_at(struct harness *h, int x, int y) {
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	uint32_t rgb = image_rgb(&img, x, y);
	image_finish(&img);
	return rgb;
}

/* Runs a group; PWL_TEST_FILTER=pattern runs only the matching tests. */
#define RUN_GROUP(name, tests) \
	(getenv("PWL_TEST_FILTER") ? \
		(cmocka_set_test_filter(getenv("PWL_TEST_FILTER")), 0) : 0, \
	cmocka_run_group_tests_name(name, tests, NULL, NULL))

#endif
