/* A selection (or a grab) counts as the user's only with the serial of
 * a recent key or button event that went to the same client. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/input_serials.h"

static int a, b; // two clients, by address

static void test_only_the_client_it_went_to(void **state) {
	struct input_serials s = { 0 };
	input_serials_add(&s, &a, 100, 1000);
	assert_true(input_serials_allow(&s, &a, 100, 1500, 10000));
	assert_false(input_serials_allow(&s, &b, 100, 1500, 10000));
	assert_false(input_serials_allow(&s, &a, 101, 1500, 10000));
	assert_false(input_serials_allow(&s, NULL, 100, 1500, 10000));
}

static void test_young_only(void **state) {
	struct input_serials s = { 0 };
	input_serials_add(&s, &a, 7, 1000);
	assert_true(input_serials_allow(&s, &a, 7, 11000, 10000));
	assert_false(input_serials_allow(&s, &a, 7, 11001, 10000));
	assert_false(input_serials_allow(&s, &a, 7, 999, 10000)); // clock back
}

static void test_recent_input(void **state) {
	struct input_serials s = { 0 };
	assert_false(input_serials_recent(&s, &a, 0, 5000));
	input_serials_add(&s, &a, 9, 1000);
	assert_true(input_serials_recent(&s, &a, 6000, 5000));
	assert_false(input_serials_recent(&s, &a, 6001, 5000));
	assert_false(input_serials_recent(&s, &b, 1000, 5000));
}

static void test_forgotten_and_overwritten(void **state) {
	struct input_serials s = { 0 };
	input_serials_add(&s, &a, 1, 0);
	input_serials_add(&s, &b, 2, 0);
	input_serials_forget(&s, &a);
	assert_false(input_serials_allow(&s, &a, 1, 0, 10));
	assert_true(input_serials_allow(&s, &b, 2, 0, 10));
	for (uint32_t i = 0; i < INPUT_SERIALS; i++) {
		input_serials_add(&s, &a, 1000 + i, 0);
	}
	assert_false(input_serials_allow(&s, &b, 2, 0, 10)); // pushed out
	assert_true(input_serials_allow(&s, &a, 1000, 0, 10));
	input_serials_add(&s, NULL, 5, 0); // ignored
	assert_true(input_serials_allow(&s, &a, 1000, 0, 10));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_only_the_client_it_went_to),
		cmocka_unit_test(test_young_only),
		cmocka_unit_test(test_recent_input),
		cmocka_unit_test(test_forgotten_and_overwritten),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
