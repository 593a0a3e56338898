#include "common.h"

static bool is_focused(struct json_object *w) {
	return jbool(w, "focused");
}

static void test_window_maps_at_centre_with_its_colour(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id red --title Red --color ffff0000 --size 200x100", "red");
	struct json_object *w = window(h, "red");
	// Centred on the 1280x720 output.
	assert_int_equal(jint(w, "geometry.x"), 540);
	assert_int_equal(jint(w, "geometry.y"), 310);
	assert_int_equal(jint(w, "geometry.width"), 200);
	assert_int_equal(jint(w, "geometry.height"), 100);
	assert_true(jbool(w, "focused"));
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0xff0000, WAIT_MS));
	assert_true(harness_wait_pixel(h, 541, 311, 0xff0000, WAIT_MS));
	// Outside the window: the black background.
	assert_int_equal(pixel_at(h, 530, 300), 0x000000);

	// pocketctl lists it too.
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "POCKETWL_SOCK=%s/pocketwl.wayland-0.sock "
		"%s windows", harness_runtime_dir(h), getenv("POCKETCTL"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char out[4096] = "";
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "red"));
	assert_non_null(strstr(out, "200x100+540+310"));
	assert_non_null(strstr(out, "[focused]"));
	client_free(c);
	stop(h);
}

static void test_click_focuses_and_raises(void **state) {
	struct harness *h = start(NULL);
	struct test_client *a = map_client(h,
		"--app-id big --color ff00ff00 --size 400x300", "big");
	struct test_client *b = map_client(h,
		"--app-id small --color ff0000ff --size 200x100", "small");
	// The newer window is on top and focused.
	assert_true(harness_wait_pixel(h, 640, 360, 0x0000ff, WAIT_MS));
	struct json_object *w = window(h, "small");
	assert_true(jbool(w, "focused"));
	json_object_put(w);

	// Click the visible corner of the big window.
	harness_click(h, 450, 220, BTN_LEFT);
	w = harness_wait_window_where(h, "big", is_focused, WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 360, 0x00ff00, WAIT_MS));
	assert_true(client_wait_line(a, "button 272 pressed", WAIT_MS, NULL, 0));
	w = window(h, "small");
	assert_false(jbool(w, "focused"));
	json_object_put(w);
	client_free(a);
	client_free(b);
	stop(h);
}

static void test_maximize_and_restore(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id m --color ffffff00 --size 300x200", "m");
	struct json_object *w = window(h, "m");
	int id = jint(w, "id");
	json_object_put(w);
	json_object_put(harness_ipc(h,
		"{\"command\":\"maximize\",\"id\":%d,\"enable\":true}", id));
	assert_true(client_wait_line(c, "configure 1280 720 maximized", WAIT_MS,
		NULL, 0));
	assert_true(harness_wait_pixel(h, 2, 2, 0xffff00, WAIT_MS));
	assert_true(harness_wait_pixel(h, 1270, 717, 0xffff00, WAIT_MS));
	json_object_put(harness_ipc(h,
		"{\"command\":\"maximize\",\"id\":%d,\"enable\":false}", id));
	assert_true(client_wait_line(c, "configure 300 200", WAIT_MS, NULL, 0));
	assert_true(harness_wait_pixel(h, 2, 2, 0x000000, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640, 360, 0xffff00, WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_fullscreen_request_before_map(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id f --color ff00ffff --size 100x100 --fullscreen", "f");
	assert_true(client_wait_line(c, "configure 1280 720", WAIT_MS, NULL, 0));
	assert_true(harness_wait_pixel(h, 0, 0, 0x00ffff, WAIT_MS));
	assert_true(harness_wait_pixel(h, 1279, 719, 0x00ffff, WAIT_MS));
	assert_true(harness_wait_pixel(h, 0, 719, 0x00ffff, WAIT_MS));
	struct json_object *w = window(h, "f");
	assert_true(jbool(w, "fullscreen"));
	json_object_put(w);
	client_free(c);
	stop(h);
}

static void test_popup_is_kept_on_screen(void **state) {
	struct harness *h = start(NULL);
	// Asks for a 200x150 popup anchored far right of a window at the
	// right edge of the screen; it must slide back onto the output.
	struct test_client *c = map_client(h,
		"--app-id p --color ff808080 --size 300x200 "
		"--popup 900,50,200,150,ffff00ff", "p");
	char line[128];
	assert_true(client_wait_line(c, "popup-configure", WAIT_MS, line,
		sizeof(line)));
	int x, y, w, ht;
	assert_int_equal(sscanf(line, "popup-configure %d %d %d %d", &x, &y, &w,
		&ht), 4);
	// Window at x=490: the popup's right edge must stay within 1280.
	assert_true(490 + x + w <= 1280);
	assert_true(harness_wait_pixel(h, 1279 - 5, 310 + y + 5, 0xff00ff,
		WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_server_side_title_bar_and_close(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id deco --title Hello --color ff00ff00 --size 300x200 --ssd",
		"deco");
	assert_true(client_saw(c, "decoration server"));
	struct json_object *w = window(h, "deco");
	assert_true(jbool(w, "decorated"));
	int x = jint(w, "geometry.x"), y = jint(w, "geometry.y");
	int width = jint(w, "geometry.width");
	// The frame is larger than the content by the title bar and border.
	assert_int_equal(jint(w, "frame.y"), y - 26);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, x + 10, y + 10, 0x00ff00, WAIT_MS));
	uint32_t title = pixel_at(h, x + 2, y - 12);
	assert_true(title != 0x000000 && title != 0x00ff00);
	// Another window takes focus: the title bar shows it is inactive.
	struct test_client *other = map_client(h,
		"--app-id other --color ff0000ff --size 100x100", "other");
	harness_sleep(h, 100);
	uint32_t inactive = pixel_at(h, x + 2, y - 12);
	assert_true(inactive != title && inactive != 0x000000);
	client_free(other);
	assert_true(harness_wait_pixel(h, x + 2, y - 12, title, WAIT_MS));

	// A click on the close button asks the client to close.
	harness_click(h, x + width - 12, y - 12, BTN_LEFT);
	assert_true(client_wait_line(c, "close", WAIT_MS, NULL, 0));
	assert_true(harness_wait_no_window(h, "deco", WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_super_drag_moves_window(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id mv --color ffff8000 --size 200x100", "mv");
	harness_pointer_move(h, 640, 360);
	harness_modifiers(h, "Mod4");
	harness_pointer_button(h, BTN_LEFT, true);
	harness_pointer_move(h, 700, 400);
	harness_pointer_move(h, 740, 410);
	harness_pointer_button(h, BTN_LEFT, false);
	harness_modifiers(h, NULL);
	struct json_object *w = window(h, "mv");
	assert_int_equal(jint(w, "geometry.x"), 640);
	assert_int_equal(jint(w, "geometry.y"), 360);
	json_object_put(w);
	// The client never saw the compositor's button press.
	assert_false(client_saw(c, "button"));
	assert_true(harness_wait_pixel(h, 835, 455, 0xff8000, WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_windows_survive_output_unplug(void **state) {
	struct harness_options o = { .outputs = 2 };
	struct harness *h = start(&o);
	// New windows open on the output under the cursor.
	harness_pointer_move(h, 100, 100);
	struct test_client *c = map_client(h,
		"--app-id hp --color ff0080ff --size 200x100", "hp");
	struct test_client *fs = map_client(h,
		"--app-id hpfs --color ff123456 --size 200x100 --fullscreen", "hpfs");
	struct json_object *w = window(h, "hp");
	char first[32], other[32];
	snprintf(first, sizeof(first), "%s", json_object_get_string(
		json_object_object_get(w, "output")));
	snprintf(other, sizeof(other), "%s",
		!strcmp(first, "HEADLESS-1") ? "HEADLESS-2" : "HEADLESS-1");
	json_object_put(w);
	w = window(h, "hpfs");
	assert_string_equal(json_object_get_string(
		json_object_object_get(w, "output")), first);
	json_object_put(w);

	struct json_object *r = harness_ipc(h,
		"{\"command\":\"remove-output\",\"name\":\"%s\"}", first);
	assert_true(jbool(r, "ok"));
	json_object_put(r);
	harness_sleep(h, 200);
	r = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *outputs = json_object_object_get(r, "outputs");
	assert_int_equal(json_object_array_length(outputs), 1);
	struct json_object *left = json_object_array_get_idx(outputs, 0);
	int ox = jint(left, "box.x"), oy = jint(left, "box.y");
	w = window(h, "hp");
	assert_string_equal(json_object_get_string(
		json_object_object_get(w, "output")), other);
	// Entirely on the remaining output.
	assert_true(jint(w, "geometry.x") >= ox);
	assert_true(jint(w, "geometry.x") + 200 <= ox + 1280);
	assert_true(jint(w, "geometry.y") >= oy);
	json_object_put(w);
	w = window(h, "hpfs");
	assert_true(jbool(w, "fullscreen"));
	assert_int_equal(jint(w, "geometry.x"), ox);
	assert_int_equal(jint(w, "geometry.y"), oy);
	assert_int_equal(jint(w, "geometry.width"), 1280);
	json_object_put(w);
	json_object_put(r);

	// Plug one in again: windows stay where they are and stay usable.
	r = harness_ipc(h, "{\"command\":\"create-output\",\"width\":800,"
		"\"height\":600}");
	assert_true(jbool(r, "ok"));
	json_object_put(r);
	assert_true(client_running(c));
	assert_true(client_running(fs));
	client_free(c);
	client_free(fs);
	stop(h);
}

static void test_presentation_feedback_is_real(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = client_spawn_test(h,
		"--app-id pres --animate --presentation --exit-after 1500");
	assert_int_equal(client_wait_exit(c, WAIT_MS), 0);
	char line[128];
	assert_true(client_wait_line(c, "presentation", 100, line, sizeof(line)));
	unsigned long long presented, discarded, mean;
	assert_int_equal(sscanf(line,
		"presentation presented=%llu discarded=%llu mean_us=%llu",
		&presented, &discarded, &mean), 3);
	// About 60 frames a second, each presented within a few refreshes.
	assert_true(presented > 30);
	assert_true(mean > 0 && mean < 100000);
	client_free(c);
	stop(h);
}

static void test_super_right_drag_resizes(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id rs --color ff00ff00 --size 200x100", "rs");
	// Bottom-right quarter of the window: that corner follows the pointer.
	harness_pointer_move(h, 700, 380);
	harness_modifiers(h, "Mod4");
	harness_pointer_button(h, BTN_RIGHT, true);
	harness_pointer_move(h, 750, 420);
	harness_pointer_move(h, 800, 460);
	harness_pointer_button(h, BTN_RIGHT, false);
	harness_modifiers(h, NULL);
	assert_true(client_wait_line(c, "configure 300 180", WAIT_MS, NULL, 0));
	struct json_object *w = window(h, "rs");
	assert_int_equal(jint(w, "geometry.x"), 540);
	assert_int_equal(jint(w, "geometry.y"), 310);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 835, 485, 0x00ff00, WAIT_MS));
	client_free(c);
	stop(h);
}

static void test_output_scale_from_config(void **state) {
	struct harness_options o = {
		.config = "[output HEADLESS-1]\nscale = 2\n",
	};
	struct harness *h = start(&o);
	struct json_object *r = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *out = json_object_array_get_idx(
		json_object_object_get(r, "outputs"), 0);
	assert_true(json_object_get_double(
		json_object_object_get(out, "scale")) == 2.0);
	// 1280x720 pixels at scale 2 is a 640x360 logical output.
	assert_int_equal(jint(out, "box.width"), 640);
	assert_int_equal(jint(out, "box.height"), 360);
	json_object_put(r);
	struct test_client *c = map_client(h,
		"--app-id hidpi --color ffff0000 --size 100x50", "hidpi");
	// Centred in logical space, drawn at twice the size in pixels.
	struct json_object *w = window(h, "hidpi");
	assert_int_equal(jint(w, "geometry.x"), 270);
	assert_int_equal(jint(w, "geometry.y"), 155);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 270 * 2 + 5, 155 * 2 + 5, 0xff0000,
		WAIT_MS));
	client_free(c);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_window_maps_at_centre_with_its_colour),
		cmocka_unit_test(test_click_focuses_and_raises),
		cmocka_unit_test(test_maximize_and_restore),
		cmocka_unit_test(test_fullscreen_request_before_map),
		cmocka_unit_test(test_popup_is_kept_on_screen),
		cmocka_unit_test(test_server_side_title_bar_and_close),
		cmocka_unit_test(test_super_drag_moves_window),
		cmocka_unit_test(test_windows_survive_output_unplug),
		cmocka_unit_test(test_presentation_feedback_is_real),
		cmocka_unit_test(test_super_right_drag_resizes),
		cmocka_unit_test(test_output_scale_from_config),
	};
	return RUN_GROUP("windows", tests);
}
