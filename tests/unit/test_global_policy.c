/* The globals an app may see: an allow-list, so that anything not on it
 * (a global added to the compositor later, a privileged one) is hidden. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "clients/app.h"
#include "clients/global_policy.h"

static void test_ordinary_globals_for_every_app(void **state) {
	const char *every[] = { "wl_compositor", "wl_shm", "wl_seat",
		"wl_output", "xdg_wm_base", "wl_data_device_manager",
		"zwp_primary_selection_device_manager_v1", "wp_viewporter" };
	for (size_t i = 0; i < sizeof(every) / sizeof(every[0]); i++) {
		assert_true(app_global_allowed(0, every[i]));
	}
}

static void test_privileged_and_unknown_globals_hidden(void **state) {
	const char *hidden[] = { "zwlr_layer_shell_v1",
		"zwlr_screencopy_manager_v1", "zwlr_data_control_manager_v1",
		"zwp_virtual_keyboard_manager_v1", "zwlr_virtual_pointer_manager_v1",
		"zwlr_foreign_toplevel_manager_v1", "zwlr_output_manager_v1",
		"zpocket_shell_v1", "org_kde_kwin_idle",
		// Not there today: hidden until someone decides otherwise.
		"ext_session_lock_manager_v1", "zwp_input_method_manager_v2",
		"wl_compositorX", "", NULL };
	uint32_t all = PWL_PERM_CLIPBOARD | PWL_PERM_NETWORK | PWL_PERM_GPU |
		PWL_PERM_AUDIO | PWL_PERM_POINTER;
	for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		assert_false(app_global_allowed(0, hidden[i]));
		assert_false(app_global_allowed(all, hidden[i]));
	}
}

static void test_pointer_extensions_need_the_permission(void **state) {
	assert_false(app_global_allowed(0, "zwp_relative_pointer_manager_v1"));
	assert_false(app_global_allowed(PWL_PERM_CLIPBOARD,
		"zwp_pointer_constraints_v1"));
	assert_true(app_global_allowed(PWL_PERM_POINTER,
		"zwp_relative_pointer_manager_v1"));
	assert_true(app_global_allowed(PWL_PERM_POINTER,
		"zwp_pointer_constraints_v1"));
}

static void test_selection_interfaces(void **state) {
	assert_true(global_is_selection("wl_data_device_manager"));
	assert_true(global_is_selection("zwp_primary_selection_device_manager_v1"));
	assert_false(global_is_selection("zwlr_data_control_manager_v1"));
	assert_false(global_is_selection(NULL));
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_globals_for_every_app),
		cmocka_unit_test(test_privileged_and_unknown_globals_hidden),
		cmocka_unit_test(test_pointer_extensions_need_the_permission),
		cmocka_unit_test(test_selection_interfaces),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
