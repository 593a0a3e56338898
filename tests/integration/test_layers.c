#include "common.h"

static void test_placeholder_layers(void **state) {
	struct harness *h = start(NULL);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder_layers),
	};
	return RUN_GROUP("layers", tests);
}
