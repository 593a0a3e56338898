#include "common.h"

#define BAR "--layer 2 --anchor top,left,right --zone 30 --size 100x30 " \
	"--color ffff00ff --app-id bar"

static void test_exclusive_zone_shrinks_maximized_area(void **state) {
	struct harness *h = start(NULL);
	struct test_client *bar = client_spawn_test(h, BAR);
	assert_true(client_wait_line(bar, "configure 1280 30", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(bar, "mapped", WAIT_MS, NULL, 0));
	assert_true(harness_wait_pixel(h, 640, 15, 0xff00ff, WAIT_MS));

	struct json_object *r = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *o = json_object_array_get_idx(
		json_object_object_get(r, "outputs"), 0);
	assert_int_equal(jint(o, "usable_area.y"), 30);
	assert_int_equal(jint(o, "usable_area.height"), 690);
	json_object_put(r);

	struct test_client *c = map_client(h,
		"--app-id max --color ff00ff00 --maximize", "max");
	assert_true(client_wait_line(c, "configure 1280 690 maximized", WAIT_MS,
		NULL, 0));
	struct json_object *w = window(h, "max");
	assert_int_equal(jint(w, "geometry.y"), 30);
	assert_int_equal(jint(w, "geometry.height"), 690);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 31, 0x00ff00, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640, 29, 0xff00ff, WAIT_MS));

	// The bar goes away: the maximized window grows into its place.
	client_free(bar);
	assert_true(client_wait_line(c, "configure 1280 720 maximized", WAIT_MS,
		NULL, 0));
	assert_true(harness_wait_pixel(h, 640, 15, 0x00ff00, WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_fullscreen_covers_the_panel(void **state) {
	struct harness *h = start(NULL);
	struct test_client *bar = client_spawn_test(h, BAR);
	assert_true(client_wait_line(bar, "mapped", WAIT_MS, NULL, 0));
	struct test_client *c = map_client(h,
		"--app-id fs --color ff00ffff --fullscreen", "fs");
	assert_true(client_wait_line(c, "configure 1280 720 fullscreen", WAIT_MS,
		NULL, 0));
	assert_true(harness_wait_pixel(h, 640, 15, 0x00ffff, WAIT_MS));
	assert_true(harness_wait_pixel(h, 0, 719, 0x00ffff, WAIT_MS));
	client_free(c);
	assert_true(harness_wait_pixel(h, 640, 15, 0xff00ff, WAIT_MS));
	client_free(bar);
	stop(h);
}

static void test_all_four_layers_stack(void **state) {
	struct harness *h = start(NULL);
	const char *args[] = {
		"--layer 0 --anchor top,bottom,left,right --color ff101010 "
			"--app-id bg",
		"--layer 1 --size 400x400 --color ff202020 --app-id bottom",
		"--layer 2 --size 300x300 --color ff303030 --app-id top",
		"--layer 3 --size 200x200 --color ff404040 --app-id overlay",
	};
	struct test_client *clients[4];
	for (int i = 0; i < 4; i++) {
		clients[i] = client_spawn_test(h, args[i]);
		assert_true(client_wait_line(clients[i], "mapped", WAIT_MS, NULL, 0));
	}
	// A window sits between bottom and top.
	struct test_client *win = map_client(h,
		"--app-id mid --color ffff0000 --size 350x350", "mid");
	assert_true(harness_wait_pixel(h, 10, 10, 0x101010, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640 - 190, 360, 0x202020, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640 - 160, 360, 0xff0000, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640 - 140, 360, 0x303030, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640, 360, 0x404040, WAIT_MS));
	for (int i = 0; i < 4; i++) {
		client_free(clients[i]);
	}
	client_free(win);
	stop(h);
}

static void test_exclusive_keyboard_layer(void **state) {
	struct harness *h = start(NULL);
	struct test_client *win = map_client(h,
		"--app-id under --color ffff0000 --size 200x100", "under");
	assert_true(client_wait_line(win, "keyboard-enter", WAIT_MS, NULL, 0));
	struct test_client *lock = client_spawn_test(h,
		"--layer 3 --size 100x100 --keyboard exclusive --app-id lock");
	assert_true(client_wait_line(lock, "keyboard-enter", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(win, "keyboard-leave", WAIT_MS, NULL, 0));
	// Clicking the window does not steal the keyboard from the layer.
	harness_click(h, 545, 315, BTN_LEFT);
	harness_key(h, NULL, KEY_X);
	assert_true(client_wait_line(lock, "key 45 pressed", WAIT_MS, NULL, 0));
	assert_false(client_saw(win, "key 45"));
	client_free(lock);
	assert_true(client_wait_line(win, "keyboard-enter", WAIT_MS, NULL, 0));
	client_free(win);
	stop(h);
}

static void test_unplaceable_layer_surface_is_closed(void **state) {
	struct harness *h = start(NULL);
	// Margins wider than the output leave no area: closed, nobody else hurt.
	struct test_client *bad = client_spawn_test(h,
		"--layer 2 --anchor top,left,right --size 10x30 --zone 2000000000");
	assert_true(client_wait_line(bad, "mapped", WAIT_MS, NULL, 0));
	struct json_object *r = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *o = json_object_array_get_idx(
		json_object_object_get(r, "outputs"), 0);
	// A huge zone is clamped; the usable area never goes negative.
	assert_true(jint(o, "usable_area.height") >= 0);
	json_object_put(r);
	struct test_client *zero = client_spawn_test(h, "--layer 2 --size 0x0");
	assert_int_equal(client_wait_exit(zero, WAIT_MS), 3);
	assert_true(harness_compositor_alive(h));
	struct test_client *ok = map_client(h, "--app-id fine", "fine");
	client_free(ok);
	client_free(zero);
	client_free(bad);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exclusive_zone_shrinks_maximized_area),
		cmocka_unit_test(test_fullscreen_covers_the_panel),
		cmocka_unit_test(test_all_four_layers_stack),
		cmocka_unit_test(test_exclusive_keyboard_layer),
		cmocka_unit_test(test_unplaceable_layer_surface_is_closed),
	};
	return RUN_GROUP("layers", tests);
}
