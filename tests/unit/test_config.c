#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <wlr/types/wlr_keyboard.h>

#include "util/config.h"

static bool parse_text(struct pwl_config *config, const char *text) {
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	assert_non_null(f);
	bool ok = config_parse(config, f, "test.ini");
	fclose(f);
	return ok;
}

static struct pwl_keybinding *find_binding(struct pwl_config *config,
		enum pwl_action action) {
	struct pwl_keybinding *b;
	wl_list_for_each(b, &config->keybindings, link) {
		if (b->action == action) {
			return b;
		}
	}
	return NULL;
}

static void test_defaults(void **state) {
	struct pwl_config config;
	config_init(&config);
	assert_int_equal(config.keyboard.repeat_rate, 25);
	assert_int_equal(config.keyboard.repeat_delay, 600);
	assert_true(config.ssd);
	// Super+Shift+E quits even with no config file; Super+F gives the
	// focused window fullscreen (the user's way; an app's own request
	// needs the user's input first).
	assert_int_equal(wl_list_length(&config.keybindings), 2);
	struct pwl_keybinding *b = find_binding(&config, PWL_ACTION_QUIT);
	assert_non_null(b);
	assert_int_equal(b->modifiers, WLR_MODIFIER_LOGO | WLR_MODIFIER_SHIFT);
	assert_int_equal(b->sym, XKB_KEY_e);
	b = find_binding(&config, PWL_ACTION_FULLSCREEN);
	assert_non_null(b);
	assert_int_equal(b->modifiers, WLR_MODIFIER_LOGO);
	assert_int_equal(b->sym, XKB_KEY_f);
	config_finish(&config);
}

static void test_valid_file(void **state) {
	struct pwl_config config;
	config_init(&config);
	const char *text =
		"[general]\n"
		"cursor-size = 32\n"
		"server-side-decorations = no\n"
		"[keyboard]\n"
		"layout = de\n"
		"variant = nodeadkeys\n"
		"repeat-rate = 40\n"
		"[output HEADLESS-1]\n"
		"scale = 2\n"
		"mode = 1920x1080@60\n"
		"position = 100,0\n"
		"[keybindings]\n"
		"Super+Return = spawn foot --server\n"
		"Ctrl+Alt+q = close\n"
		"[startup]\n"
		"exec = foot\n"
		"exec = weston-terminal\n"
		"[panel]\n"
		"command = pocket-panel\n";
	assert_true(parse_text(&config, text));
	assert_int_equal(config.errors_len, 0);
	assert_int_equal(config.cursor_size, 32);
	assert_false(config.ssd);
	assert_string_equal(config.keyboard.layout, "de");
	assert_string_equal(config.keyboard.variant, "nodeadkeys");
	assert_int_equal(config.keyboard.repeat_rate, 40);
	struct pwl_output_config *oc = config_find_output(&config, "HEADLESS-1");
	assert_non_null(oc);
	assert_true(oc->scale == 2.0f);
	assert_int_equal(oc->width, 1920);
	assert_int_equal(oc->height, 1080);
	assert_int_equal(oc->refresh_mhz, 60000);
	assert_true(oc->has_position);
	assert_int_equal(oc->x, 100);
	assert_int_equal(config.startup_len, 2);
	assert_string_equal(config.startup[1], "weston-terminal");
	assert_string_equal(config.panel_command, "pocket-panel");
	assert_int_equal(wl_list_length(&config.keybindings), 4);
	struct pwl_keybinding *b = find_binding(&config, PWL_ACTION_SPAWN);
	assert_non_null(b);
	assert_string_equal(b->command, "foot --server");
	assert_int_equal(b->sym, XKB_KEY_Return);
	config_finish(&config);
}

/* Each bad line is reported as file:line, and the good lines still apply. */
static void test_errors_have_line_numbers(void **state) {
	struct pwl_config config;
	config_init(&config);
	const char *text =
		"[keyboard]\n"           // 1
		"repeat-rate = fast\n"   // 2
		"layout = fr\n"          // 3
		"[output X]\n"           // 4
		"scale = 99\n"           // 5
		"mode = big\n"           // 6
		"[keybindings]\n"        // 7
		"Hyper+Nope = close\n"   // 8
		"Super+x = explode\n"    // 9
		"[mystery]\n"            // 10
		"a = b\n"                // 11
		"[general]\n"            // 12
		"colour = blue\n"        // 13
		"xwayland = maybe\n";    // 14
	assert_false(parse_text(&config, text));
	assert_string_equal(config.keyboard.layout, "fr");
	assert_int_equal(config.keyboard.repeat_rate, 25);
	const char *expected[] = {
		"test.ini:2: [keyboard] repeat-rate: 'fast' is not a rate",
		"test.ini:5: [output X] scale: '99' is not a scale",
		"test.ini:6: [output X] mode: 'big' is not a mode",
		"test.ini:8: [keybindings] Hyper+Nope: unknown key combination",
		"test.ini:9: [keybindings] Super+x: unknown action 'explode'",
		"test.ini:11: [mystery] a: unknown section",
		"test.ini:13: [general] colour: unknown key",
		"test.ini:14: [general] xwayland: 'maybe' is not a boolean",
	};
	assert_int_equal(config.errors_len, sizeof(expected) / sizeof(*expected));
	for (size_t i = 0; i < config.errors_len; i++) {
		assert_non_null(strstr(config.errors[i], expected[i]));
	}
	config_finish(&config);
}

static void test_syntax_error(void **state) {
	struct pwl_config config;
	config_init(&config);
	assert_false(parse_text(&config, "[general]\ncursor-size = 30\n[broken\n"));
	assert_int_equal(config.errors_len, 1);
	assert_string_equal(config.errors[0], "test.ini:3: syntax error");
	assert_int_equal(config.cursor_size, 30);
	config_finish(&config);
}

static void test_containers_and_kiosk(void **state) {
	struct pwl_config config;
	config_init(&config);
	assert_int_equal(config.containers.stop_grace_s, 5);
	assert_int_equal(config.containers.root_uid, 65534);
	assert_string_equal(config.containers.gpu_devices, "/dev/dri/renderD*");
	assert_null(config.kiosk.app);
	assert_true(parse_text(&config, "[containers]\n"
		"engine = unix:///run/podman/podman.sock\nmemory-mib = 512\n"
		"pids = 100\nstop-grace = -1\nstop-timeout = 2\nroot-uid = 1000\n"
		"gpu-devices = /dev/dri/renderD129\n"
		"[kiosk]\napp = org.example.Sign\nadmin = Ctrl+Alt+k\n"
		"outputs = span\nhide-cursor = 0\n"));
	assert_string_equal(config.containers.engine,
		"unix:///run/podman/podman.sock");
	assert_int_equal(config.containers.memory_mib, 512);
	assert_int_equal(config.containers.pids, 100);
	assert_int_equal(config.containers.stop_grace_s, -1);
	assert_int_equal(config.containers.stop_timeout_s, 2);
	assert_int_equal(config.containers.root_uid, 1000);
	assert_string_equal(config.containers.gpu_devices, "/dev/dri/renderD129");
	assert_string_equal(config.kiosk.app, "org.example.Sign");
	assert_int_equal(config.kiosk.admin_sym, XKB_KEY_k);
	assert_true(config.kiosk.span);
	assert_int_equal(config.kiosk.hide_cursor_s, 0);
	config_finish(&config);

	config_init(&config);
	assert_false(parse_text(&config, "[containers]\nengine = /run/x.sock\n"
		"pids = many\nroot-uid = 0\nswap = 1\n[kiosk]\noutputs = all\n"
		"admin = Ctrl+\n[containers]\ngpu-devices = renderD*\n"));
	const char *expected[] = {
		"test.ini:2: [containers] engine: '/run/x.sock' is not unix://",
		"test.ini:3: [containers] pids: 'many' is not a number",
		"test.ini:4: [containers] root-uid: '0' is not a number from 1",
		"test.ini:5: [containers] swap: unknown key",
		"test.ini:7: [kiosk] outputs: 'all' is not mirror or span",
		"test.ini:8: [kiosk] admin: 'Ctrl+' is not a key combination",
		"test.ini:10: [containers] gpu-devices: 'renderD*' is not an "
			"absolute path",
	};
	assert_int_equal(config.errors_len, 7);
	for (size_t i = 0; i < 7; i++) {
		assert_non_null(strstr(config.errors[i], expected[i]));
	}
	config_finish(&config);
}

static void test_long_line(void **state) {
	struct pwl_config config;
	config_init(&config);
	char text[1024], tail[500];
	memset(tail, 'x', sizeof(tail) - 1);
	tail[sizeof(tail) - 1] = '\0';
	snprintf(text, sizeof(text), "[startup]\nexec = %s\n[general]\n"
		"cursor-size = 40\n", tail);
	assert_false(parse_text(&config, text));
	assert_non_null(strstr(config.errors[0], "test.ini:2: line longer than"));
	assert_int_equal(config.cursor_size, 40);
	config_finish(&config);
}

static void test_missing_explicit_file(void **state) {
	struct pwl_config config;
	config_init(&config);
	assert_false(config_load(&config, "/nonexistent/pocketwl.ini"));
	assert_int_equal(config.errors_len, 1);
	assert_non_null(strstr(config.errors[0], "/nonexistent/pocketwl.ini"));
	config_finish(&config);
}

static void test_combo_parsing(void **state) {
	uint32_t mods;
	xkb_keysym_t sym;
	assert_true(config_parse_combo("Super+Shift+E", &mods, &sym));
	assert_int_equal(mods, WLR_MODIFIER_LOGO | WLR_MODIFIER_SHIFT);
	assert_int_equal(sym, XKB_KEY_e);
	assert_true(config_parse_combo("ctrl+alt+F1", &mods, &sym));
	assert_int_equal(sym, XKB_KEY_F1);
	assert_false(config_parse_combo("Super+a+b", &mods, &sym));
	assert_false(config_parse_combo("", &mods, &sym));
	assert_false(config_parse_combo("Super+", &mods, &sym));
}

static void test_later_binding_replaces(void **state) {
	struct pwl_config config;
	config_init(&config);
	assert_true(parse_text(&config,
		"[keybindings]\nSuper+Shift+e = close\n"));
	assert_int_equal(wl_list_length(&config.keybindings), 2);
	assert_null(find_binding(&config, PWL_ACTION_QUIT));
	struct pwl_keybinding *b = find_binding(&config, PWL_ACTION_CLOSE);
	assert_non_null(b);
	config_finish(&config);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_valid_file),
		cmocka_unit_test(test_errors_have_line_numbers),
		cmocka_unit_test(test_syntax_error),
		cmocka_unit_test(test_containers_and_kiosk),
		cmocka_unit_test(test_long_line),
		cmocka_unit_test(test_missing_explicit_file),
		cmocka_unit_test(test_combo_parsing),
		cmocka_unit_test(test_later_binding_replaces),
	};
	return cmocka_run_group_tests_name("config", tests, NULL, NULL);
}
