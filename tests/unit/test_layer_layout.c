#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/layer_layout.h"

static const struct wlr_box full = { 0, 0, 1280, 720 };

static void assert_box(struct wlr_box b, int x, int y, int w, int h) {
	assert_int_equal(b.x, x);
	assert_int_equal(b.y, y);
	assert_int_equal(b.width, w);
	assert_int_equal(b.height, h);
}

static void test_top_bar_exclusive(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_TOP | LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT,
		.exclusive_zone = 30,
		.desired_height = 30,
	};
	assert_true(layer_place(&req, &full, &usable, &out));
	assert_box(out, 0, 0, 1280, 30);
	assert_box(usable, 0, 30, 1280, 690);
}

static void test_bottom_bar_with_margin(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_BOTTOM | LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT,
		.exclusive_zone = 40,
		.margin_bottom = 5, .margin_left = 10, .margin_right = 10,
		.desired_height = 40,
	};
	assert_true(layer_place(&req, &full, &usable, &out));
	assert_box(out, 10, 675, 1260, 40);
	assert_box(usable, 0, 0, 1280, 675);
}

static void test_left_dock(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_LEFT | LAYER_ANCHOR_TOP | LAYER_ANCHOR_BOTTOM,
		.exclusive_zone = 64,
		.desired_width = 64,
	};
	assert_true(layer_place(&req, &full, &usable, &out));
	assert_box(out, 0, 0, 64, 720);
	assert_box(usable, 64, 0, 1216, 720);
}

static void test_second_surface_respects_first(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request bar = {
		.anchor = LAYER_ANCHOR_TOP | LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT,
		.exclusive_zone = 30, .desired_height = 30,
	};
	assert_true(layer_place(&bar, &full, &usable, &out));
	struct layer_request side = {
		.anchor = LAYER_ANCHOR_RIGHT | LAYER_ANCHOR_TOP | LAYER_ANCHOR_BOTTOM,
		.exclusive_zone = 100, .desired_width = 100,
	};
	assert_true(layer_place(&side, &full, &usable, &out));
	assert_box(out, 1180, 30, 100, 690);
	assert_box(usable, 0, 30, 1180, 690);
}

static void test_zone_minus_one_ignores_others(void **state) {
	struct wlr_box usable = { 0, 30, 1280, 690 }, out;
	struct layer_request wallpaper = {
		.anchor = LAYER_ANCHOR_TOP | LAYER_ANCHOR_BOTTOM | LAYER_ANCHOR_LEFT |
			LAYER_ANCHOR_RIGHT,
		.exclusive_zone = -1,
	};
	assert_true(layer_place(&wallpaper, &full, &usable, &out));
	assert_box(out, 0, 0, 1280, 720);
	assert_box(usable, 0, 30, 1280, 690);
}

static void test_centered_when_unanchored(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = { .desired_width = 200, .desired_height = 100 };
	assert_true(layer_place(&req, &full, &usable, &out));
	assert_box(out, 540, 310, 200, 100);
}

static void test_corner_zone_does_not_shrink(void **state) {
	// Anchored to two adjacent edges: the zone applies to no edge.
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_TOP | LAYER_ANCHOR_LEFT,
		.exclusive_zone = 50, .desired_width = 50, .desired_height = 50,
	};
	assert_true(layer_place(&req, &full, &usable, &out));
	assert_box(out, 0, 0, 50, 50);
	assert_box(usable, 0, 0, 1280, 720);
}

static void test_no_area_is_refused(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT | LAYER_ANCHOR_TOP,
		.margin_left = 700, .margin_right = 700, .desired_height = 20,
	};
	assert_false(layer_place(&req, &full, &usable, &out));
}

static void test_huge_sizes_do_not_overflow(void **state) {
	struct wlr_box usable = full, out;
	struct layer_request req = {
		.anchor = LAYER_ANCHOR_TOP, .exclusive_zone = 0x7fffffff,
		.desired_width = 0xffffffff, .desired_height = 0xffffffff,
		.margin_top = 0x7fffffff,
	};
	layer_place(&req, &full, &usable, &out);
	assert_true(usable.height >= 0);
	assert_true(usable.width >= 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_top_bar_exclusive),
		cmocka_unit_test(test_bottom_bar_with_margin),
		cmocka_unit_test(test_left_dock),
		cmocka_unit_test(test_second_surface_respects_first),
		cmocka_unit_test(test_zone_minus_one_ignores_others),
		cmocka_unit_test(test_centered_when_unanchored),
		cmocka_unit_test(test_corner_zone_does_not_shrink),
		cmocka_unit_test(test_no_area_is_refused),
		cmocka_unit_test(test_huge_sizes_do_not_overflow),
	};
	return cmocka_run_group_tests_name("layer_layout", tests, NULL, NULL);
}
