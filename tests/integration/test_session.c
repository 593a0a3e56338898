#include "common.h"

static void test_placeholder_session(void **state) {
	struct harness *h = start(NULL);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_placeholder_session),
	};
	return RUN_GROUP("session", tests);
}
