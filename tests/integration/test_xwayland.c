#include "common.h"

#include <unistd.h>

/* Runs the X11 test client on the session's Xwayland display. */
static struct test_client *x11_client(struct harness *h, const char *color) {
	struct json_object *r = harness_ipc(h, "{\"command\":\"version\"}");
	struct json_object *display = json_object_object_get(r, "x_display");
	assert_non_null(display);
	char env[64];
	snprintf(env, sizeof(env), "DISPLAY=%s", json_object_get_string(display));
	json_object_put(r);
	const char *argv[] = { "env", env, PWL_X11_CLIENT, color, NULL };
	return client_spawn(h, argv);
}

static bool is_focused(struct json_object *w) {
	return jbool(w, "focused");
}

static void test_x11_window_maps_and_takes_input(void **state) {
	struct harness *h = start(NULL);
	struct test_client *x = x11_client(h, "00ff80");
	assert_non_null(x);
	// The first X client starts Xwayland: give it time.
	assert_true(client_wait_line(x, "mapped", 20000, NULL, 0));
	struct json_object *w = harness_wait_window_where(h, "pwl-x11",
		is_focused, WAIT_MS);
	assert_non_null(w);
	assert_string_equal(json_object_get_string(
		json_object_object_get(w, "title")), "X11 test window");
	int x0 = jint(w, "geometry.x"), y0 = jint(w, "geometry.y");
	assert_int_equal(jint(w, "geometry.width"), 200);
	assert_int_equal(x0, 540);
	assert_int_equal(y0, 310);
	int id = jint(w, "id");
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00ff80, WAIT_MS));

	harness_click(h, 600, 350, BTN_LEFT);
	assert_true(client_wait_line(x, "button 1", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_A);
	// X key codes are evdev codes + 8.
	assert_true(client_wait_line(x, "key 38", WAIT_MS, NULL, 0));

	json_object_put(harness_ipc(h, "{\"command\":\"close\",\"id\":%d}", id));
	assert_true(client_wait_line(x, "close", WAIT_MS, NULL, 0));
	assert_true(harness_wait_no_window(h, "pwl-x11", WAIT_MS));
	client_free(x);
	stop(h);
}

static void test_xwayland_off_by_config(void **state) {
	struct harness_options o = { .config = "[general]\nxwayland = false\n" };
	struct harness *h = start(&o);
	struct json_object *r = harness_ipc(h, "{\"command\":\"version\"}");
	assert_null(json_object_object_get(r, "x_display"));
	json_object_put(r);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x11_window_maps_and_takes_input),
		cmocka_unit_test(test_xwayland_off_by_config),
	};
	return RUN_GROUP("xwayland", tests);
}
