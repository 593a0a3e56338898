#include "common.h"

#include <sys/stat.h>
#include <unistd.h>

static bool is_focused(struct json_object *w) {
	return jbool(w, "focused");
}

static void test_keys_reach_only_the_focused_client(void **state) {
	struct harness *h = start(NULL);
	struct test_client *a = map_client(h,
		"--app-id ka --color ff00ff00 --size 400x300", "ka");
	struct test_client *b = map_client(h,
		"--app-id kb --color ff0000ff --size 200x100", "kb");
	assert_true(client_wait_line(b, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_A);
	assert_true(client_wait_line(b, "key 30 pressed", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(b, "key 30 released", WAIT_MS, NULL, 0));

	// Focus moves to the other window with a click; keys follow.
	harness_click(h, 450, 220, BTN_LEFT);
	struct json_object *w = harness_wait_window_where(h, "ka", is_focused,
		WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	assert_true(client_wait_line(b, "keyboard-leave", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_B);
	assert_true(client_wait_line(a, "key 48 pressed", WAIT_MS, NULL, 0));
	harness_sleep(h, 200);
	assert_false(client_saw(b, "key 48"));
	client_free(a);
	client_free(b);
	stop(h);
}

static void test_super_shift_e_quits(void **state) {
	struct harness *h = start(NULL);
	harness_key(h, "Mod4,Shift", KEY_E);
	for (int i = 0; i < 250 && harness_compositor_alive(h); i++) {
		harness_sleep(h, 20);
	}
	assert_false(harness_compositor_alive(h));
	// Ended by itself with status 0.
	stop(h);
}

static void test_bindings_from_config(void **state) {
	char config[512];
	// The marker file tells that the bound command ran.
	snprintf(config, sizeof(config),
		"[keybindings]\n"
		"Super+Return = spawn touch \"$XDG_RUNTIME_DIR/spawned\"\n"
		"Super+m = maximize\n"
		"Super+q = close\n");
	struct harness_options o = { .config = config };
	struct harness *h = start(&o);
	char marker[512];
	snprintf(marker, sizeof(marker), "%s/spawned", harness_runtime_dir(h));
	harness_key(h, "Mod4", KEY_ENTER);
	struct stat st;
	bool found = false;
	for (int i = 0; i < 100 && !found; i++) {
		found = stat(marker, &st) == 0;
		harness_sleep(h, 20);
	}
	assert_true(found);

	struct test_client *c = map_client(h,
		"--app-id kbind --color ffffffff --size 200x100", "kbind");
	harness_key(h, "Mod4", KEY_M);
	assert_true(client_wait_line(c, "configure 1280 720 maximized", WAIT_MS,
		NULL, 0));
	harness_key(h, "Mod4", KEY_Q);
	assert_true(client_wait_line(c, "close", WAIT_MS, NULL, 0));
	// The bindings never reached the client.
	assert_false(client_saw(c, "key 50"));
	assert_false(client_saw(c, "key 16"));
	client_free(c);
	stop(h);
}

static void test_pointer_enters_and_buttons(void **state) {
	struct harness *h = start(NULL);
	struct test_client *c = map_client(h,
		"--app-id ptr --color ff808080 --size 200x100", "ptr");
	harness_pointer_move(h, 560, 330);
	char line[64];
	assert_true(client_wait_line(c, "pointer-enter", WAIT_MS, line,
		sizeof(line)));
	assert_string_equal(line, "pointer-enter 20 20");
	harness_pointer_button(h, BTN_RIGHT, true);
	harness_pointer_button(h, BTN_RIGHT, false);
	assert_true(client_wait_line(c, "button 273 pressed", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(c, "button 273 released", WAIT_MS, NULL, 0));
	harness_pointer_move(h, 100, 100);
	assert_true(client_wait_line(c, "pointer-leave", WAIT_MS, NULL, 0));
	client_free(c);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_reach_only_the_focused_client),
		cmocka_unit_test(test_super_shift_e_quits),
		cmocka_unit_test(test_bindings_from_config),
		cmocka_unit_test(test_pointer_enters_and_buttons),
	};
	return RUN_GROUP("input", tests);
}
