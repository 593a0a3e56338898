/* pocket-panel against the real compositor, headless: what it shows (read
 * back through screencopy), what clicks and keys on it do (through the
 * virtual pointer and keyboard), its memory under many state changes, and
 * its restart by the compositor. The panel prints where it drew what when
 * POCKET_PANEL_DEBUG is set; the tests click there. Launching into real
 * containers is in tests/engine/test_launch.c. */
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common.h"

#define OUTPUT_H 720
#define BAR_H 32
#define DARK_BUTTON 0x2b303b

static char store[256];

static void write_file(const char *path, const char *text) {
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A fixture store: an app with a PNG icon, one without (a letter tile),
 * one asking for a permission, and a broken manifest. */
static int setup(void **state) {
	snprintf(store, sizeof(store), "/tmp/pwl-panel-XXXXXX");
	assert_non_null(mkdtemp(store));
	char path[512];
	const char *dirs[] = { "apps", "icons", "images", "data" };
	for (int i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", store, dirs[i]);
		mkdir(path, 0755);
	}
	snprintf(path, sizeof(path), "%s/pocket-store.ini", store);
	write_file(path, "[store]\nname = Panel test\nformat = 1\n");
	snprintf(path, sizeof(path), "%s/apps/org.test.Red.desktop", store);
	write_file(path, "[Desktop Entry]\nName=Red\nIcon=red\nComment=A red "
		"icon\n[X-Pocket]\nImage=none:1\n");
	snprintf(path, sizeof(path), "%s/apps/org.test.Tile.desktop", store);
	write_file(path, "[Desktop Entry]\nName=Tile\n[X-Pocket]\nImage=none:1\n");
	snprintf(path, sizeof(path), "%s/apps/org.test.Asks.desktop", store);
	write_file(path, "[Desktop Entry]\nName=Asks\n[X-Pocket]\nImage=none:1\n"
		"Permissions=network\n");
	snprintf(path, sizeof(path), "%s/apps/broken.desktop", store);
	write_file(path, "[Desktop Entry]\nName=Broken\n[X-Pocket]\n"
		"Image=none:1\nInstances=sometimes\n");
	// A 64x64 pure red icon; the panel scales it to 32x32.
	struct image icon = { 64, 64, calloc(64 * 64, 4) };
	for (int i = 0; i < 64 * 64; i++) {
		icon.pixels[i] = 0xffff0000;
	}
	snprintf(path, sizeof(path), "%s/icons/red.png", store);
	assert_true(image_write_png(&icon, path));
	image_finish(&icon);
	return 0;
}

static int teardown(void **state) {
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", store);
	return system(cmd);
}

static struct harness *start_with_store(const char *extra) {
	char config[1024];
	// An engine address nothing listens on: launches wait for it.
	snprintf(config, sizeof(config), "[stores]\npath = %s\n[containers]\n"
		"engine = unix:///nonexistent/engine.sock\n%s", store,
		extra ? extra : "");
	struct harness_options o = { .config = config };
	return start(&o);
}

static struct test_client *spawn_panel(struct harness *h, const char *args) {
	setenv("POCKET_PANEL_DEBUG", "1", 1);
	// ASan's quarantine would hide (or fake) growth in the memory test.
	setenv("ASAN_OPTIONS", "detect_leaks=0:quarantine_size_mb=0", 1);
	const char *argv[4] = { PWL_PANEL, NULL, NULL, NULL };
	if (args) {
		argv[1] = args;
	}
	struct test_client *c = client_spawn(h, argv);
	assert_non_null(c);
	assert_true(client_wait_line(c, "bar hit 1", WAIT_MS, NULL, 0));
	// These sessions have no engine: once the panel knows, its launcher
	// has the notice above the rows, and rows stay where they are drawn.
	assert_true(client_saw(c, "engine 2 ") ||
		client_wait_line(c, "engine 2 ", WAIT_MS, NULL, 0));
	return c;
}

/* The position of a hit the panel reported: "WHAT hit KIND ID X Y W H". */
static bool find_hit(struct test_client *c, const char *what, int kind,
		const char *id, int *x, int *y, int *w, int *hh) {
	char prefix[256], line[512];
	snprintf(prefix, sizeof(prefix), "%s hit %d %s ", what, kind, id);
	if (!client_wait_line(c, prefix, WAIT_MS, line, sizeof(line))) {
		return false;
	}
	return sscanf(line + strlen(prefix), "%d %d %d %d", x, y, w, hh) == 4;
}

/* The menu sits bottom-left, above the bar: its surface's top on screen. */
static int menu_top(struct test_client *c) {
	char line[128];
	assert_true(client_wait_line(c, "menu 420 ", WAIT_MS, line, sizeof(line)));
	int w, h;
	assert_int_equal(sscanf(line, "menu %d %d", &w, &h), 2);
	return OUTPUT_H - BAR_H - h;
}

static void open_menu(struct harness *h) {
	json_object_put(harness_ipc(h, "{\"command\":\"menu\"}"));
}

static void test_bar_and_launcher_show_the_store(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	// The bar at the bottom, its exclusive zone honoured.
	assert_true(harness_wait_pixel(h, 40, OUTPUT_H - 6, DARK_BUTTON,
		WAIT_MS));
	struct json_object *out = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *o = json_object_array_get_idx(
		json_object_object_get(out, "outputs"), 0);
	assert_int_equal(jint(o, "usable_area.height"), OUTPUT_H - BAR_H);
	json_object_put(out);

	open_menu(h);
	int x, y, w, hh;
	int top = menu_top(panel);
	// The rows where the panel says it drew them (below the engine
	// notice: this session has no engine).
	assert_true(find_hit(panel, "menu", 3, "org.test.Asks", &x, &y, &w, &hh));
	assert_true(find_hit(panel, "menu", 3, "org.test.Red", &x, &y, &w, &hh));
	int red_row = top + y;
	assert_true(find_hit(panel, "menu", 3, "org.test.Tile", &x, &y, &w, &hh));
	int tile_row = top + y;
	harness_sleep(h, 200);
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	char *keep = getenv("PWL_PANEL_SHOT");
	if (keep) {
		image_write_png(&img, keep);
	}
	// Rows are sorted by name: Asks, Red, Tile. Red's icon is red.
	assert_int_equal(image_rgb(&img, 26, red_row + 22), 0xff0000);
	// Tile has a letter tile: a coloured square with a white letter.
	uint32_t tile = image_rgb(&img, 12, tile_row + 8);
	assert_true(tile != 0xff0000 && tile != 0x1c1f26 && tile != 0);
	int white = 0, text = 0;
	for (int yy = tile_row + 6; yy < tile_row + 38; yy++) {
		for (int xx = 10; xx < 42; xx++) {
			white += image_rgb(&img, xx, yy) == 0xffffff;
		}
		// The name "Tile" is drawn: light pixels right of the icon.
		for (int xx = 52; xx < 120; xx++) {
			text += (image_rgb(&img, xx, yy) & 0xff) > 0xa0;
		}
	}
	assert_true(white > 10);
	assert_true(text > 20);
	image_finish(&img);
	// The broken manifest is not listed; the others are.
	assert_false(client_saw(panel, "menu hit 3 broken"));
	client_free(panel);
	stop(h);
}

static void test_keyboard_filter_and_super(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	// The Super key alone opens the launcher.
	harness_key(h, NULL, KEY_LEFTMETA);
	assert_true(client_wait_line(panel, "menu open", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(panel, "menu hit 3 org.test.Tile", WAIT_MS,
		NULL, 0));
	harness_sleep(h, 200);
	// Typing filters; Down and Enter pick.
	harness_key(h, NULL, KEY_T);
	harness_key(h, NULL, KEY_I);
	assert_true(client_wait_line(panel, "filter 'ti' selected 0", WAIT_MS,
		NULL, 0));
	assert_true(client_wait_line(panel, "menu 420 ", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_BACKSPACE);
	harness_key(h, NULL, KEY_BACKSPACE);
	harness_key(h, NULL, KEY_DOWN);
	assert_true(client_wait_line(panel, "filter '' selected 1", WAIT_MS,
		NULL, 0));
	harness_key(h, NULL, KEY_ENTER);
	// Row 1 is Red: launched (it waits for an engine that is not there).
	assert_true(client_wait_line(panel, "launch org.test.Red 0", WAIT_MS,
		NULL, 0));
	assert_true(client_wait_line(panel, "state org.test.Red 1", WAIT_MS,
		NULL, 0));
	harness_key(h, NULL, KEY_ESC);
	assert_true(client_wait_line(panel, "menu closed", WAIT_MS, NULL, 0));
	client_free(panel);
	stop(h);
}

static void test_consent_always_is_remembered(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	open_menu(h);
	int x, y, w, hh;
	int top = menu_top(panel);
	assert_true(find_hit(panel, "menu", 3, "org.test.Asks", &x, &y, &w, &hh));
	harness_sleep(h, 200);
	harness_click(h, x + 100, top + y + 20, BTN_LEFT);
	// The consent view instead of a launch.
	int bx, by, bw, bh;
	assert_true(find_hit(panel, "menu", 7, "org.test.Asks", &bx, &by, &bw,
		&bh));
	assert_false(client_saw(panel, "launch org.test.Asks"));
	harness_sleep(h, 200);
	harness_click(h, bx + 5, top + by + 5, BTN_LEFT);
	assert_true(client_wait_line(panel, "launch org.test.Asks 2", WAIT_MS,
		NULL, 0));
	// Remembered in the override of that store's app (the harness's config
	// home): apps/<store key>/<id>.ini, granting what the panel showed.
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "grep -q '^granted = network$' "
		"'%s'/pocketwl/apps/*/org.test.Asks.ini 2>/dev/null",
		harness_runtime_dir(h));
	int found = -1;
	for (int i = 0; i < 50 && (found = system(cmd)) != 0; i++) {
		harness_sleep(h, 100);
	}
	assert_int_equal(found, 0);
	client_free(panel);
	stop(h);
}

static void test_task_list_focuses(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	struct test_client *a = map_client(h, "--app-id first --title one",
		"first");
	struct test_client *b = map_client(h, "--app-id second --title two",
		"second");
	int x, y, w, hh, x2, y2, w2, hh2;
	assert_true(find_hit(panel, "bar", 2, "first", &x, &y, &w, &hh));
	assert_true(find_hit(panel, "bar", 2, "second", &x2, &y2, &w2, &hh2));
	assert_true(x2 > x);
	struct json_object *win = window(h, "second");
	assert_true(jbool(win, "focused"));
	json_object_put(win);
	harness_sleep(h, 200);
	harness_click(h, x + 10, OUTPUT_H - BAR_H + y + 5, BTN_LEFT);
	for (int i = 0; i < 50; i++) {
		win = window(h, "first");
		bool focused = jbool(win, "focused");
		json_object_put(win);
		if (focused) {
			break;
		}
		assert_true(i < 49);
		harness_sleep(h, 100);
	}
	client_free(a);
	client_free(b);
	client_free(panel);
	stop(h);
}

static long rss_kib(pid_t pid) {
	char path[64], line[256];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	long kib = -1;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6)) {
			kib = atol(line + 6);
		}
	}
	if (f) {
		fclose(f);
	}
	return kib;
}

static void test_memory_flat_under_state_changes(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	open_menu(h);
	long before = 0;
	// Each launch and stop is two state changes the panel draws; the
	// first 200 warm up caches (glyphs, ASan's allocator), then 1000 more
	// must not grow it.
	for (int i = 0; i < 700; i++) {
		json_object_put(harness_ipc(h, "{\"command\":\"launch\","
			"\"app\":\"org.test.Tile\"}"));
		json_object_put(harness_ipc(h, "{\"command\":\"stop\","
			"\"app\":\"org.test.Tile\"}"));
		if (i == 200) {
			harness_sleep(h, 300);
			before = rss_kib(client_pid(panel));
		}
		if (i % 100 == 0) {
			fprintf(stderr, "panel RSS at %d: %ld KiB\n", i,
				rss_kib(client_pid(panel)));
		}
	}
	harness_sleep(h, 500);
	assert_true(client_running(panel));
	long after = rss_kib(client_pid(panel));
	fprintf(stderr, "panel RSS over 1000 state changes: %ld -> %ld KiB\n",
		before, after);
	assert_true(before > 0);
	assert_true(after - before < 1024);
	client_free(panel);
	stop(h);
}

static void test_compositor_restarts_a_crashed_panel(void **state) {
	char extra[512], config[1024];
	snprintf(extra, sizeof(extra), "[panel]\ncommand = %s\n", PWL_PANEL);
	snprintf(config, sizeof(config), "[stores]\npath = %s\n[containers]\n"
		"engine = unix:///nonexistent/engine.sock\n%s", store, extra);
	// The panel inherits the compositor's output: its debug lines land
	// in the compositor's log.
	struct harness_options o = { .config = config,
		.extra_env = "POCKET_PANEL_DEBUG=1" };
	struct harness *h = start(&o);
	assert_true(harness_wait_pixel(h, 40, OUTPUT_H - 6, DARK_BUTTON,
		WAIT_MS));
	// Some state to find again: an app waiting for its engine.
	json_object_put(harness_ipc(h, "{\"command\":\"launch\","
		"\"app\":\"org.test.Tile\"}"));
	harness_sleep(h, 300);
	char cmd[256];
	// SIGABRT, as a failed assertion would (ASan turns a SIGSEGV into an
	// exit with status 1, which is a crash too but reads differently).
	snprintf(cmd, sizeof(cmd), "pkill -ABRT -f '^%s'", PWL_PANEL);
	assert_int_equal(system(cmd), 0);
	// Gone from the screen, then back (1 s backoff).
	assert_true(harness_wait_pixel(h, 40, OUTPUT_H - 6, 0x000000, WAIT_MS));
	assert_true(harness_wait_pixel(h, 40, OUTPUT_H - 6, DARK_BUTTON,
		WAIT_MS));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "The panel died of signal 6; starting it "
		"again in 1000 ms"));
	// The new panel was told the same state when it bound.
	char *restart = strstr(log, "The panel died");
	assert_non_null(strstr(restart, "state org.test.Tile 1 "));
	free(log);
	// Killed again right away: the backoff doubles.
	assert_int_equal(system(cmd), 0);
	harness_sleep(h, 500);
	log = harness_log(h);
	assert_non_null(strstr(log, "starting it again in 2000 ms"));
	free(log);
	stop(h);
}

/* No engine answers: pocketctl launch says so at once, and on its timeout
 * that the engine is still missing (not "nothing from the session"). */
static void test_launch_without_engine_says_why(void **state) {
	struct harness *h = start_with_store(NULL);
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "POCKETWL_SOCK='%s/pocketwl.%s.sock' '%s' "
		"launch org.test.Red --timeout 2 2>&1", harness_runtime_dir(h),
		harness_display(h), getenv("POCKETCTL"));
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char out[8192];
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	int status = pclose(p);
	printf("# %s", out);
	assert_int_not_equal(status, 0);
	const char *now = strstr(out, "waiting for the container engine: ");
	assert_non_null(now);
	assert_non_null(strstr(now, "/nonexistent/engine.sock"));
	assert_non_null(strstr(out, "the container engine is still missing"));
	stop(h);
}

/* No engine: the panel says so on its own, in the bar and as a notice in
 * the launcher with the short reason and the command that fixes it. */
static void test_panel_says_the_engine_is_missing(void **state) {
	struct harness *h = start_with_store(NULL);
	struct test_client *panel = spawn_panel(h, NULL);
	const char *fix = getuid() == 0 ?
		"systemctl enable --now podman.socket (or docker)" :
		"systemctl --user enable --now podman.socket";
	char want[512];
	snprintf(want, sizeof(want), "engine 2 '' 0 'no container engine is "
		"running' '%s'", fix);
	assert_true(client_saw(panel, want));
	// The bar's chip, in the error colour, left of the clock.
	int x, y, w, hh;
	assert_true(find_hit(panel, "bar", 1, "engine", &x, &y, &w, &hh));
	assert_true(x > 100);
	assert_true(harness_wait_pixel(h, x + 3, OUTPUT_H - BAR_H + y + 2,
		0xe06c75, WAIT_MS));
	// Clicking it opens the launcher, which says why and the fix.
	harness_click(h, x + 3, OUTPUT_H - BAR_H + y + 2, BTN_LEFT);
	snprintf(want, sizeof(want), "notice 'no container engine is running' "
		"'Fix: %s'", fix);
	assert_true(client_wait_line(panel, want, WAIT_MS, NULL, 0));
	int top = menu_top(panel);
	assert_true(harness_wait_pixel(h, 10, top + 36 + 2, 0xe06c75, WAIT_MS));
	// The rows follow the notice.
	assert_true(find_hit(panel, "menu", 3, "org.test.Red", &x, &y, &w, &hh));
	assert_true(y >= 36 + 40);
	client_free(panel);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_panel_says_the_engine_is_missing,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_bar_and_launcher_show_the_store,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_keyboard_filter_and_super,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_consent_always_is_remembered,
			setup, teardown),
		cmocka_unit_test_setup_teardown(test_task_list_focuses, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_memory_flat_under_state_changes,
			setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_compositor_restarts_a_crashed_panel, setup, teardown),
		cmocka_unit_test_setup_teardown(test_launch_without_engine_says_why,
			setup, teardown),
	};
	return RUN_GROUP("panel", tests);
}
