/* A new window takes the keyboard only when the user asked for its app
 * or the app holds focus already. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/focus_policy.h"

static void test_new_windows(void **state) {
	// The shell's own clients: as they ask.
	assert_true(focus_new_window(&(struct new_window){ .from_app = false }));
	// An app: a launch's first window, or a dialog of the focused app.
	assert_true(focus_new_window(&(struct new_window){ .from_app = true,
		.launch_grant = true }));
	assert_true(focus_new_window(&(struct new_window){ .from_app = true,
		.app_has_focus = true }));
	// Nothing to steal from.
	assert_true(focus_new_window(&(struct new_window){ .from_app = true,
		.nothing_focused = true }));
	// Otherwise: behind, urgent.
	assert_false(focus_new_window(&(struct new_window){ .from_app = true }));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_windows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
