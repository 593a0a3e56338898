#include "common.h"

static void test_placeholder_input(void **state) {
	struct harness *h = start(NULL);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder_input),
	};
	return RUN_GROUP("input", tests);
}
