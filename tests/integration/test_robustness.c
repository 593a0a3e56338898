#include "common.h"

static void test_placeholder_robustness(void **state) {
	struct harness *h = start(NULL);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder_robustness),
	};
	return RUN_GROUP("robustness", tests);
}
