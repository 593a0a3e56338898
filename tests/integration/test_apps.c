#include "common.h"

#include <errno.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wayland-client.h>

static void set_path(struct sockaddr_un *addr, const char *path) {
	size_t len = strlen(path);
	assert_true(len < sizeof(addr->sun_path));
	memcpy(addr->sun_path, path, len + 1);
}

/* Where the window of app_id has its content's top-left corner. */
static void window_origin(struct harness *h, const char *app_id, int *x,
		int *y) {
	struct json_object *w = window(h, app_id);
	*x = jint(w, "geometry.x");
	*y = jint(w, "geometry.y");
	json_object_put(w);
}

static const char *const privileged[] = {
	"zwlr_layer_shell_v1", "zwlr_screencopy_manager_v1",
	"zwlr_export_dmabuf_manager_v1", "zwlr_data_control_manager_v1",
	"zwp_virtual_keyboard_manager_v1", "zwlr_virtual_pointer_manager_v1",
	"zwlr_foreign_toplevel_manager_v1", "zwlr_gamma_control_manager_v1",
	"org_kde_kwin_idle",
};

static void check_globals(struct test_client *c, bool app) {
	assert_int_equal(client_wait_exit(c, WAIT_MS), 0);
	// Everyone gets the basics.
	assert_true(client_saw(c, "global wl_compositor"));
	assert_true(client_saw(c, "global xdg_wm_base"));
	assert_true(client_saw(c, "global wl_seat"));
	for (size_t i = 0; i < sizeof(privileged) / sizeof(*privileged); i++) {
		char line[128];
		snprintf(line, sizeof(line), "global %s", privileged[i]);
		assert_int_equal(client_saw(c, line), !app);
	}
}

/* The globals an app may see: the allow-list, as the test reads the
 * compositor's promise (doc/robustness.md). */
static const char *const app_allowed[] = {
	"wl_compositor", "wl_subcompositor", "wl_shm", "wl_seat", "wl_output",
	"wl_data_device_manager", "zwp_primary_selection_device_manager_v1",
	"xdg_wm_base", "zxdg_decoration_manager_v1", "zxdg_output_manager_v1",
	"wp_viewporter", "wp_presentation", "xdg_activation_v1",
	"zwp_idle_inhibit_manager_v1", "wl_drm", "zwp_linux_dmabuf_v1",
	"zwp_relative_pointer_manager_v1", "zwp_pointer_constraints_v1",
};

/* Every "global X" line the client printed names an allowed interface. */
static void assert_only_allowed(struct test_client *c) {
	const char *text = client_text(c);
	for (const char *p = text; p && *p; p = strchr(p, '\n') ?
			strchr(p, '\n') + 1 : NULL) {
		if (strncmp(p, "global ", 7)) {
			continue;
		}
		const char *name = p + 7;
		size_t len = strcspn(name, "\n");
		bool ok = false;
		for (size_t i = 0; i < sizeof(app_allowed) / sizeof(*app_allowed);
				i++) {
			ok = ok || (strlen(app_allowed[i]) == len &&
				!strncmp(app_allowed[i], name, len));
		}
		if (!ok) {
			fail_msg("an app client was offered %.*s", (int)len, name);
		}
	}
}

static void test_app_clients_see_only_safe_globals(void **state) {
	struct harness *h = start(NULL);
	struct test_client *host = client_spawn_test(h, "--exit-after 300");
	check_globals(host, false);
	// The session's clipboard, once (the apps' private one is not for
	// host clients).
	assert_int_equal(client_count(host, "global wl_data_device_manager"), 1);
	assert_int_equal(client_count(host,
		"global zwp_primary_selection_device_manager_v1"), 1);
	client_free(host);

	char *dir = harness_app_create(h, "plain", NULL, NULL, 0);
	assert_non_null(dir);
	struct test_client *app = client_spawn_test_app(h, dir, "--exit-after 300");
	check_globals(app, true);
	assert_only_allowed(app);
	// No clipboard permission: a clipboard all the same (its own: real
	// clients refuse to start without one), once.
	assert_int_equal(client_count(app, "global wl_data_device_manager"), 1);
	assert_int_equal(client_count(app,
		"global zwp_primary_selection_device_manager_v1"), 1);
	// No pointer permission: no relative pointer, no pointer constraints
	// (risky in wlroots 0.15.1; doc/robustness.md).
	assert_false(client_saw(app, "global zwp_relative_pointer_manager_v1"));
	assert_false(client_saw(app, "global zwp_pointer_constraints_v1"));
	client_free(app);
	free(dir);
	// pocketctl instances --json says what the app's clients were offered.
	struct json_object *reply = harness_ipc(h, "{\"command\":\"instances\"}");
	struct json_object *apps = json_object_object_get(reply, "apps");
	struct json_object *plain = NULL;
	for (size_t i = 0; i < json_object_array_length(apps); i++) {
		struct json_object *a = json_object_array_get_idx(apps, i);
		if (!strcmp(json_object_get_string(json_object_object_get(a, "app")),
				"plain")) {
			plain = a;
		}
	}
	assert_non_null(plain);
	const char *offered = json_object_to_json_string(
		json_object_object_get(plain, "globals"));
	printf("# plain was offered: %s\n", offered);
	assert_non_null(strstr(offered, "\"wl_compositor\""));
	assert_non_null(strstr(offered, "\"wl_data_device_manager\""));
	assert_null(strstr(offered, "screencopy"));
	assert_null(strstr(offered, "layer_shell"));
	assert_string_equal(json_object_get_string(json_object_object_get(plain,
		"clipboard")), "private");
	json_object_put(reply);

	dir = harness_app_create(h, "clippy", "clipboard,pointer", NULL, 0);
	app = client_spawn_test_app(h, dir, "--exit-after 300");
	check_globals(app, true);
	assert_only_allowed(app);
	assert_int_equal(client_count(app, "global wl_data_device_manager"), 1);
	assert_true(client_saw(app, "global zwp_relative_pointer_manager_v1"));
	assert_true(client_saw(app, "global zwp_pointer_constraints_v1"));
	client_free(app);
	free(dir);

	// wayland-info, a real client, agrees.
	dir = harness_app_create(h, "info", NULL, NULL, 0);
	const char *argv[] = { "wayland-info", NULL };
	struct test_client *info = client_spawn_app(h, dir, argv);
	assert_int_equal(client_wait_exit(info, WAIT_MS), 0);
	assert_true(client_saw(info, "interface: 'wl_compositor'"));
	assert_false(client_saw(info, "interface: 'zwlr_screencopy_manager_v1'"));
	assert_false(client_saw(info, "interface: 'zwlr_layer_shell_v1'"));
	client_free(info);
	free(dir);
	stop(h);
}

static void test_binding_a_hidden_global_is_an_error(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "guesser", NULL, NULL, 0);
	struct test_client *good = map_client(h, "--app-id bystander", "bystander");
	struct test_client *bad = client_spawn_test_app(h, dir, "--bind-hidden");
	assert_int_equal(client_wait_exit(bad, WAIT_MS), 3);
	assert_true(client_saw(bad, "protocol-error wl_registry"));
	assert_true(harness_compositor_alive(h));
	assert_true(client_running(good));
	// The app's socket still serves the app's well-behaved clients.
	struct test_client *ok = client_spawn_test_app(h, dir,
		"--app-id fine --size 100x100");
	assert_true(client_wait_line(ok, "mapped", WAIT_MS, NULL, 0));
	client_free(ok);
	client_free(bad);
	client_free(good);
	free(dir);
	stop(h);
}

static void test_app_windows_are_labeled(void **state) {
	struct harness_options o = {
		.config = "[app painted]\ncolor = #ff8000\n",
	};
	struct harness *h = start(&o);
	char *dir = harness_app_create(h, "painted", NULL, NULL, 0);
	// It claims to be someone else; the compositor knows better.
	struct test_client *c = client_spawn_test_app(h, dir,
		"--app-id org.host.Terminal --color ff0000ff --size 200x100");
	assert_true(client_wait_line(c, "mapped", WAIT_MS, NULL, 0));
	struct json_object *w = window(h, "org.host.Terminal");
	assert_string_equal(json_object_get_string(
		json_object_object_get(w, "trust")), "app");
	assert_string_equal(json_object_get_string(
		json_object_object_get(w, "app")), "painted");
	int x = jint(w, "geometry.x"), y = jint(w, "geometry.y");
	json_object_put(w);
	// The frame is outside the client's own pixels, in the app's colour.
	assert_true(harness_wait_pixel(h, x - 2, y + 50, 0xff8000, WAIT_MS));
	assert_true(harness_wait_pixel(h, x + 50, y - 2, 0xff8000, WAIT_MS));
	assert_true(harness_wait_pixel(h, x + 50, y + 50, 0x0000ff, WAIT_MS));

	// Another app gets another colour, derived from its name.
	char *dir2 = harness_app_create(h, "another", NULL, NULL, 0);
	struct test_client *c2 = client_spawn_test_app(h, dir2,
		"--app-id x2 --color ff0000ff --size 100x60");
	assert_true(client_wait_line(c2, "mapped", WAIT_MS, NULL, 0));
	int x2, y2;
	window_origin(h, "x2", &x2, &y2);
	harness_sleep(h, 100);
	uint32_t other = pixel_at(h, x2 - 2, y2 + 30);
	assert_true(other != 0xff8000 && other != 0x000000 && other != 0x0000ff);

	// The shell's task list gets the identity the compositor knows.
	char *tl = harness_foreign_toplevels(h);
	assert_non_null(tl);
	assert_non_null(strstr(tl, "painted\t"));
	assert_null(strstr(tl, "org.host.Terminal"));
	free(tl);

	// Server-side title bars say whose window it is.
	struct test_client *c3 = client_spawn_test_app(h, dir2,
		"--app-id x3 --title Bank --ssd --size 100x60");
	assert_true(client_wait_line(c3, "mapped", WAIT_MS, NULL, 0));
	w = window(h, "x3");
	assert_true(jbool(w, "decorated"));
	json_object_put(w);
	client_free(c3);
	client_free(c2);
	client_free(c);
	free(dir2);
	free(dir);
	stop(h);
}

static void test_limits_disconnect_only_the_offender(void **state) {
	struct harness_options o = {
		.config = "[limits]\nclients-per-app = 2\nsurfaces-per-client = 20\n"
			"shm-pool-mib = 16\n",
	};
	struct harness *h = start(&o);
	char *dir = harness_app_create(h, "greedy", NULL, NULL, 0);
	struct test_client *a = client_spawn_test_app(h, dir, "--app-id g1");
	struct test_client *b = client_spawn_test_app(h, dir, "--app-id g2");
	assert_true(client_wait_line(a, "mapped", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(b, "mapped", WAIT_MS, NULL, 0));
	struct test_client *third = client_spawn_test_app(h, dir, "--app-id g3");
	assert_true(client_wait_exit(third, WAIT_MS) != 0);
	assert_false(client_saw(third, "mapped"));
	client_free(third);
	client_free(b);

	struct test_client *many = client_spawn_test_app(h, dir,
		"--app-id many --surfaces 50");
	assert_int_equal(client_wait_exit(many, WAIT_MS), 3);
	client_free(many);
	struct test_client *big = client_spawn_test_app(h, dir,
		"--app-id big --shm-pool-mib 64");
	assert_int_equal(client_wait_exit(big, WAIT_MS), 3);
	client_free(big);
	// Host clients have no such limits.
	struct test_client *host = client_spawn_test(h,
		"--app-id host --surfaces 50 --shm-pool-mib 64");
	assert_true(client_wait_line(host, "mapped", WAIT_MS, NULL, 0));
	client_free(host);

	assert_true(client_running(a));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App greedy (greedy-1): refusing a connection"));
	assert_non_null(strstr(log, "App greedy (greedy-1): more than 20 surfaces"));
	assert_non_null(strstr(log, "over the 16 MiB limit"));
	free(log);
	client_free(a);
	free(dir);
	stop(h);
}

/* One app holding objects without end (shm pools: a mapping each, until
 * vm.max_map_count refuses everyone's; regions: memory) hits its cap and
 * is disconnected, and an animating client keeps getting frames. */
static void test_object_caps_end_only_the_greedy_client(void **state) {
	struct harness *h = start(NULL);
	struct test_client *anim = client_spawn_test(h,
		"--app-id anim --size 100x100 --animate");
	assert_true(client_wait_line(anim, "mapped", WAIT_MS, NULL, 0));
	char *dir = harness_app_create(h, "greedy", NULL, NULL, 0);
	const char *cases[][2] = {
		{ "pools-flood", "more than 512 shm pools in one client" },
		{ "regions-flood", "more than 4096 regions in one client" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *argv[] = { PWL_HOSTILE_CLIENT, "--case", cases[i][0],
			NULL };
		struct test_client *c = client_spawn_app(h, dir, argv);
		assert_int_equal(client_wait_exit(c, 60000), 0);
		char line[64] = "";
		const char *made = strstr(client_text(c), "made ");
		snprintf(line, sizeof(line), "%s", made ? made : "");
		printf("# %s: %s", cases[i][0], line);
		assert_true(client_saw(c, "error "));
		long n = made ? strtol(made + 5, NULL, 10) : -1;
		assert_true(n >= 0 && n < 10000); // stopped early, by the cap
		client_free(c);
		char *log = harness_log(h);
		assert_non_null(strstr(log, cases[i][1]));
		free(log);
		// The others keep being served: an animating window gets its
		// frames (about 60 a second headless), and the first one lives.
		struct test_client *probe = client_spawn_test(h,
			"--app-id probe --size 64x64 --animate --exit-after 1000");
		char frames[64] = "";
		assert_true(client_wait_line(probe, "frames ", WAIT_MS, frames,
			sizeof(frames)));
		printf("# after %s, a new window got %s\n", cases[i][0], frames);
		assert_true(strtol(frames + 7, NULL, 10) >= 20);
		client_free(probe);
		assert_true(client_running(anim));
	}
	// After it all, the app may connect again (its counts went back).
	struct test_client *again = client_spawn_test_app(h, dir,
		"--app-id again --size 50x50");
	assert_true(client_wait_line(again, "mapped", WAIT_MS, NULL, 0));
	client_free(again);
	client_free(anim);
	free(dir);
	stop(h);
}

static void test_1000_app_connections_leave_nothing(void **state) {
	struct harness_options o = {
		.extra_env = "ASAN_OPTIONS=detect_leaks=1:quarantine_size_mb=0",
	};
	struct harness *h = start(&o);
	char *dir = harness_app_create(h, "churn", NULL, NULL, 0);
	char path[512];
	snprintf(path, sizeof(path), "%s/wayland-0", dir);
	int fds = 0;
	long rss = 0;
	for (int i = 0; i < 1100; i++) {
		if (i == 100) {
			harness_sleep(h, 100);
			fds = harness_fd_count(h);
			rss = harness_rss_kib(h);
		}
		struct sockaddr_un addr = { .sun_family = AF_UNIX };
		set_path(&addr, path);
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		assert_int_equal(connect(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
		struct wl_display *d = wl_display_connect_to_fd(fd);
		assert_non_null(d);
		assert_true(wl_display_roundtrip(d) >= 0);
		wl_display_disconnect(d);
	}
	int fds_after = harness_fd_count_settled(h, fds, 3000);
	long rss_after = harness_rss_kib(h);
	fprintf(stderr, "1000 app connections: fds %d -> %d, rss %ld -> %ld KiB\n",
		fds, fds_after, rss, rss_after);
	assert_int_equal(fds_after, fds);
	assert_true(rss_after - rss < 2048);
	struct json_object *r = harness_ipc(h, "{\"command\":\"instances\"}");
	struct json_object *apps = json_object_object_get(r, "apps");
	assert_int_equal(jint(json_object_array_get_idx(apps, 0), "clients"), 0);
	json_object_put(r);
	free(dir);
	stop(h);
}

static void test_socket_is_private(void **state) {
	struct harness *h = start(NULL);
	char instance[128];
	char *dir = harness_app_create(h, "private", NULL, instance,
		sizeof(instance));
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(st.st_uid, getuid());
	char path[512];
	snprintf(path, sizeof(path), "%s/wayland-0", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	// Another user cannot connect.
	pid_t pid = fork();
	if (pid == 0) {
		if (getuid() == 0 && setgid(65534) == 0 && setuid(65534) == 0) {
			struct sockaddr_un addr = { .sun_family = AF_UNIX };
			set_path(&addr, path);
			int fd = socket(AF_UNIX, SOCK_STREAM, 0);
			int r = connect(fd, (struct sockaddr *)&addr, sizeof(addr));
			_exit(r < 0 && errno == EACCES ? 0 : 1);
		}
		// Not root: the mode bits above are what keeps others out.
		_exit(getuid() == 0 ? 1 : 0);
	}
	int status;
	waitpid(pid, &status, 0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);

	// The instance ends: socket and directory go, its clients too.
	struct test_client *c = client_spawn_test_app(h, dir, "--app-id p");
	assert_true(client_wait_line(c, "mapped", WAIT_MS, NULL, 0));
	struct json_object *r = harness_ipc(h,
		"{\"command\":\"app-destroy\",\"instance\":\"%s\"}", instance);
	assert_true(jbool(r, "ok"));
	json_object_put(r);
	assert_true(client_wait_exit(c, WAIT_MS) >= 0);
	assert_true(harness_wait_no_window(h, "p", WAIT_MS));
	assert_int_equal(stat(dir, &st), -1);
	client_free(c);
	free(dir);
	stop(h);
}

static void test_run_ends_with_its_process(void **state) {
	struct harness *h = start(NULL);
	struct json_object *r = harness_ipc(h, "{\"command\":\"run\","
		"\"app\":\"runner\",\"argv\":[\"sh\",\"-c\",\"sleep 0.3\"]}");
	assert_true(jbool(r, "ok"));
	char dir[512];
	snprintf(dir, sizeof(dir), "%s", json_object_get_string(
		json_object_object_get(json_object_object_get(r, "instance"), "dir")));
	json_object_put(r);
	struct stat st;
	assert_int_equal(stat(dir, &st), 0);
	bool gone = false;
	for (int i = 0; i < 100 && !gone; i++) {
		harness_sleep(h, 20);
		gone = stat(dir, &st) != 0;
	}
	assert_true(gone);
	r = harness_ipc(h, "{\"command\":\"run\",\"app\":\"bad/name\","
		"\"argv\":[\"true\"]}");
	assert_false(jbool(r, "ok"));
	json_object_put(r);
	r = harness_ipc(h, "{\"command\":\"run\",\"app\":\"x\","
		"\"permissions\":\"root\",\"argv\":[\"true\"]}");
	assert_false(jbool(r, "ok"));
	assert_non_null(strstr(json_object_get_string(
		json_object_object_get(r, "error")), "'root'"));
	json_object_put(r);
	stop(h);
}

static void test_stale_dirs_cleaned_at_start(void **state) {
	// What a crashed session on this display left behind.
	char dir[] = "/tmp/pwl-stale-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char stale[256];
	snprintf(stale, sizeof(stale), "%s/pocketwl", dir);
	assert_int_equal(mkdir(stale, 0700), 0);
	snprintf(stale, sizeof(stale), "%s/pocketwl/wayland-0", dir);
	assert_int_equal(mkdir(stale, 0700), 0);
	snprintf(stale, sizeof(stale), "%s/pocketwl/wayland-0/ghost-1", dir);
	assert_int_equal(mkdir(stale, 0700), 0);
	// Links planted in it (an app could once write there): the removal
	// takes the links, never what they point at.
	char victim[64], cmd[2048];
	snprintf(victim, sizeof(victim), "%s-victim", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s/sub' && echo keep > '%s/sub/f' "
		"&& ln -s '%s' '%s/to-victim' && ln -s '%s/sub/f' '%s/to-file'",
		victim, victim, victim, stale, victim, stale);
	assert_int_equal(system(cmd), 0);
	struct harness_options o = { .runtime_dir = dir };
	struct harness *h = start(&o);
	struct stat st;
	assert_int_equal(stat(stale, &st), -1);
	snprintf(cmd, sizeof(cmd), "grep -q keep '%s/sub/f'", victim);
	assert_int_equal(system(cmd), 0);
	stop(h);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", victim);
	assert_int_equal(system(cmd), 0);
}

static bool is_focused(struct json_object *w) {
	return jbool(w, "focused");
}

static bool is_urgent(struct json_object *w) {
	return jbool(w, "urgent");
}

static void test_activation_needs_a_user_action(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "pushy", NULL, NULL, 0);
	// Asks for focus out of the blue: it only gets marked urgent.
	struct test_client *pushy = client_spawn_test_app(h, dir,
		"--app-id pushy --size 200x100 --ssd --activate none "
		"--activate-delay 600");
	assert_true(client_wait_line(pushy, "mapped", WAIT_MS, NULL, 0));
	struct test_client *other = map_client(h,
		"--app-id other --size 300x200", "other");
	assert_true(client_wait_line(pushy, "activation-requested", WAIT_MS,
		NULL, 0));
	struct json_object *w = harness_wait_window_where(h, "pushy", is_urgent,
		WAIT_MS);
	assert_non_null(w);
	assert_false(jbool(w, "focused"));
	json_object_put(w);
	w = window(h, "other");
	assert_true(jbool(w, "focused"));
	json_object_put(w);
	client_free(pushy);
	client_free(other);

	// A token made from a click, used after the app lost focus: it no
	// longer counts (the user has moved on).
	struct test_client *polite = client_spawn_test_app(h, dir,
		"--app-id polite --size 200x100 --activate serial "
		"--activate-delay 500");
	assert_true(client_wait_line(polite, "mapped", WAIT_MS, NULL, 0));
	w = window(h, "polite");
	int id = jint(w, "id");
	json_object_put(w);
	other = map_client(h, "--app-id other2 --size 100x50", "other2");
	harness_click(h, 560, 320, BTN_LEFT); // in polite, outside other2
	assert_true(client_wait_line(polite, "button", WAIT_MS, NULL, 0));
	w = window(h, "other2");
	json_object_put(harness_ipc(h, "{\"command\":\"focus\",\"id\":%d}",
		jint(w, "id")));
	json_object_put(w);
	assert_true(client_wait_line(polite, "activation-requested", WAIT_MS,
		NULL, 0));
	w = harness_wait_window_where(h, "polite", is_urgent, WAIT_MS);
	assert_non_null(w);
	assert_int_equal(jint(w, "id"), id);
	assert_false(jbool(w, "focused"));
	json_object_put(w);
	client_free(polite);
	client_free(other);

	// Used while it still has focus, by the app itself: honoured (not
	// urgent, still focused).
	struct test_client *kept = client_spawn_test_app(h, dir,
		"--app-id kept --size 200x100 --activate serial "
		"--activate-delay 300");
	assert_true(client_wait_line(kept, "mapped", WAIT_MS, NULL, 0));
	w = harness_wait_window_where(h, "kept", is_focused, WAIT_MS);
	assert_non_null(w);
	int kx = jint(w, "geometry.x") + 100, ky = jint(w, "geometry.y") + 50;
	json_object_put(w);
	harness_click(h, kx, ky, BTN_LEFT);
	assert_true(client_wait_line(kept, "button", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(kept, "activation-requested", WAIT_MS,
		NULL, 0));
	harness_sleep(h, 200);
	w = window(h, "kept");
	assert_true(jbool(w, "focused"));
	assert_false(jbool(w, "urgent"));
	json_object_put(w);
	client_free(kept);
	free(dir);
	stop(h);
}

static void test_fullscreen_app_shows_its_label(void **state) {
	struct harness_options o = { .config = "[app film]\ncolor = #00c0ff\n" };
	struct harness *h = start(&o);
	char *dir = harness_app_create(h, "film", NULL, NULL, 0);
	struct test_client *c = client_spawn_test_app(h, dir,
		"--app-id film --fullscreen --color ffff0000");
	assert_true(client_wait_line(c, "mapped", WAIT_MS, NULL, 0));
	// For a moment a large label covers the top of the screen...
	assert_true(harness_wait_pixel(h, 640, 2, 0x00c0ff, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640, 26, 0x00c0ff, WAIT_MS));
	assert_true(harness_wait_pixel(h, 640, 400, 0xff0000, WAIT_MS));
	// ...then it shrinks to a marker that stays: 10 s later it is there.
	assert_true(harness_wait_pixel(h, 640, 26, 0xff0000, WAIT_MS));
	harness_sleep(h, 10000);
	// 160 x 16 at the top centre (560..720), text at its left.
	assert_int_equal(pixel_at(h, 700, 2), 0x00c0ff);
	assert_int_equal(pixel_at(h, 562, 13), 0x00c0ff);
	assert_int_equal(pixel_at(h, 640, 26), 0xff0000);
	client_free(c);
	free(dir);
	stop(h);
}

static bool is_fullscreen(struct json_object *w) {
	return jbool(w, "fullscreen");
}

/* Fullscreen covers the frame and the label, so it is the user's to give:
 * an app's own request counts as the first window of a launch, or while
 * it has focus within seconds of the user's input to it; Super+F always
 * gives it. */
static void test_fullscreen_needs_the_user(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "cover", NULL, NULL, 0);
	// Focused (the launch's first window), but no input from the user:
	// its later request is refused.
	struct test_client *c = client_spawn_test_app(h, dir,
		"--app-id cover --size 200x150 --color ff00ff00 "
		"--fullscreen-later 800");
	assert_true(client_wait_line(c, "keyboard-enter", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(c, "fullscreen-requested", WAIT_MS, NULL,
		0));
	harness_sleep(h, 300);
	struct json_object *w = window(h, "cover");
	assert_false(jbool(w, "fullscreen"));
	json_object_put(w);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App cover: fullscreen refused"));
	free(log);
	// A second window asking before it maps (no launch of its own): no.
	struct test_client *c2 = client_spawn_test_app(h, dir,
		"--app-id cover2 --size 100x100 --fullscreen");
	assert_true(client_wait_line(c2, "mapped", WAIT_MS, NULL, 0));
	harness_sleep(h, 200);
	w = window(h, "cover2");
	assert_false(jbool(w, "fullscreen"));
	json_object_put(w);
	client_free(c2);
	// The user's keybinding: granted, and the marker is there after 10 s.
	harness_key(h, "Mod4", KEY_F);
	w = harness_wait_window_where(h, "cover", is_fullscreen, WAIT_MS);
	assert_non_null(w);
	json_object_put(w);
	assert_true(harness_wait_pixel(h, 640, 400, 0x00ff00, WAIT_MS));
	harness_sleep(h, 10000);
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	uint32_t marker = image_rgb(&img, 700, 2), below = image_rgb(&img, 700, 26);
	image_finish(&img);
	assert_int_not_equal(marker, 0x00ff00); // the app's colour, not its own
	assert_int_equal(below, 0x00ff00);
	client_free(c);
	free(dir);
	stop(h);
}

static void test_clipboard_needs_focus_and_permission(void **state) {
	struct harness *h = start(NULL);
	struct test_client *host = client_spawn_test(h,
		"--app-id host --size 300x200 --clipboard-set secret");
	// A copy is the user's: a key press in the focused window.
	assert_true(client_wait_line(host, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(host, "clipboard-set secret", WAIT_MS,
		NULL, 0));

	char *allowed = harness_app_create(h, "reader", "clipboard", NULL, 0);
	struct test_client *reader = client_spawn_test_app(h, allowed,
		"--app-id reader --size 100x100 --clipboard-read");
	// Focused and allowed: it reads the selection.
	assert_true(client_wait_line(reader, "clipboard secret", WAIT_MS, NULL,
		0));

	// Without the permission: a clipboard of its own, focused or not;
	// the session's selection never reaches it.
	char *denied = harness_app_create(h, "snoop", NULL, NULL, 0);
	struct test_client *snoop = client_spawn_test_app(h, denied,
		"--app-id snoop --size 100x100 --clipboard-read");
	assert_true(client_wait_line(snoop, "mapped", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(snoop, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_sleep(h, 200);
	assert_false(client_saw(snoop, "error no data device"));
	assert_false(client_saw(snoop, "clipboard secret"));
	// What it copies stays inside the app: its other client pastes it,
	// nobody else sees it.
	struct test_client *snoop2 = client_spawn_test_app(h, denied,
		"--app-id snoop2 --size 80x80 --clipboard-set inside");
	assert_true(client_wait_line(snoop2, "keyboard-enter", WAIT_MS, NULL,
		0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(snoop2, "clipboard-set inside", WAIT_MS,
		NULL, 0));
	harness_sleep(h, 200);
	assert_false(client_saw(snoop, "clipboard inside")); // not focused
	struct json_object *sw = window(h, "snoop");
	json_object_put(harness_ipc(h, "{\"command\":\"focus\",\"id\":%d}",
		jint(sw, "id")));
	json_object_put(sw);
	assert_true(client_wait_line(snoop, "clipboard inside", WAIT_MS, NULL,
		0));

	// A new selection while the reader is in the background: not offered.
	struct test_client *host2 = client_spawn_test(h,
		"--app-id host2 --size 200x150 --clipboard-set secret2");
	assert_true(client_wait_line(host2, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(host2, "clipboard-set secret2", WAIT_MS,
		NULL, 0));
	harness_sleep(h, 300);
	assert_false(client_saw(reader, "clipboard secret2"));
	// Focused again, it may read it.
	struct json_object *w = window(h, "reader");
	json_object_put(harness_ipc(h, "{\"command\":\"focus\",\"id\":%d}",
		jint(w, "id")));
	json_object_put(w);
	assert_true(client_wait_line(reader, "clipboard secret2", WAIT_MS, NULL,
		0));
	assert_false(client_saw(reader, "clipboard inside"));
	assert_false(client_saw(host, "clipboard inside"));
	client_free(host2);
	client_free(snoop2);
	client_free(snoop);
	client_free(reader);
	client_free(host);
	free(allowed);
	free(denied);
	stop(h);
}

/* The session's selection changes only by the user: set by the client
 * with keyboard focus, with the serial of a key or button event it got
 * in the last seconds. A window that merely got focus (the keyboard
 * enter's serial) and one that lost it cannot take the clipboard. */
static void test_selection_only_by_the_user(void **state) {
	struct harness *h = start(NULL);
	struct test_client *host = client_spawn_test(h,
		"--app-id host --size 300x200 --clipboard-set first");
	assert_true(client_wait_line(host, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(host, "clipboard-set first", WAIT_MS, NULL,
		0));

	// Focus alone: the enter serial is refused.
	char *dir = harness_app_create(h, "grabby", "clipboard", NULL, 0);
	struct test_client *grabby = client_spawn_test_app(h, dir,
		"--app-id grabby --size 100x100 --clipboard-set stolen "
		"--clipboard-when enter");
	assert_true(client_wait_line(grabby, "clipboard-set stolen", WAIT_MS,
		NULL, 0));
	assert_true(client_wait_line(grabby, "clipboard-cancelled", WAIT_MS,
		NULL, 0));

	// A key serial kept for after focus has gone: refused too.
	struct test_client *late = client_spawn_test_app(h, dir,
		"--app-id late --size 100x100 --clipboard-set stolen2 "
		"--clipboard-when leave");
	assert_true(client_wait_line(late, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_X);
	assert_true(client_wait_line(late, "key ", WAIT_MS, NULL, 0));
	char *rdir = harness_app_create(h, "reader", "clipboard", NULL, 0);
	struct test_client *reader = client_spawn_test_app(h, rdir,
		"--app-id reader --size 100x100 --clipboard-read");
	assert_true(client_wait_line(late, "clipboard-set stolen2", WAIT_MS,
		NULL, 0));
	assert_true(client_wait_line(late, "clipboard-cancelled", WAIT_MS, NULL,
		0));
	// The reader, focused, gets the user's copy and nothing else.
	assert_true(client_wait_line(reader, "clipboard first", WAIT_MS, NULL,
		0));
	harness_sleep(h, 200);
	assert_false(client_saw(reader, "clipboard stolen"));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App grabby: the clipboard refused: its "
		"serial is not that of a recent key or button event"));
	assert_non_null(strstr(log, "App grabby: the clipboard refused: it does "
		"not have keyboard focus"));
	free(log);
	client_free(reader);
	client_free(late);
	client_free(grabby);
	client_free(host);
	free(rdir);
	free(dir);
	stop(h);
}

/* A window that draws its own decorations still wears its label, in
 * text, and nothing it draws reaches over its frame: a subsurface placed
 * over the title strip is not shown, one inside its window is. */
static void test_csd_window_label_cannot_be_covered(void **state) {
	struct harness_options o = { .config = "[app framed]\ncolor = #00c0ff\n" };
	struct harness *h = start(&o);
	char *dir = harness_app_create(h, "framed", NULL, NULL, 0);
	struct test_client *c = client_spawn_test_app(h, dir,
		"--app-id framed --size 200x100 --color ff000000 "
		"--subsurface -3,-27,206,40,ff00ff00");
	assert_true(client_wait_line(c, "subsurface ", WAIT_MS, NULL, 0));
	int x, y;
	window_origin(h, "framed", &x, &y);
	assert_true(harness_wait_pixel(h, x + 100, y + 50, 0x000000, WAIT_MS));
	harness_sleep(h, 200);
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	image_write_png(&img, "/tmp/pwl-csd-label.png");
	// The strip above the content: the app's colour, with white text at
	// its left ("[framed]"), framed in the same colour.
	assert_int_equal(image_rgb(&img, x + 180, y - 8), 0x00c0ff);
	assert_int_equal(image_rgb(&img, x + 100, y - 18), 0x00c0ff);
	int text = 0;
	for (int py = y - 15; py < y - 1; py++) {
		for (int px = x + 2; px < x + 80; px++) {
			uint32_t rgb = image_rgb(&img, px, py);
			text += (rgb & 0xff0000) > 0x800000; // red high: white-ish
		}
	}
	printf("# label text pixels: %d\n", text);
	assert_true(text > 20);
	// The subsurface would cover all of that; none of it is on screen.
	int green = 0;
	for (int py = y - 30; py < y + 16; py++) {
		for (int px = x - 6; px < x + 210; px++) {
			green += image_rgb(&img, px, py) == 0x00ff00;
		}
	}
	image_finish(&img);
	assert_int_equal(green, 0);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App framed: a subsurface of 206x40 reaches "
		"outside its window: not shown"));
	free(log);
	client_free(c);
	// A subsurface inside its window is shown as usual.
	c = client_spawn_test_app(h, dir, "--app-id inside --size 200x100 "
		"--color ff000000 --subsurface 10,10,20,20,ff00ff00");
	assert_true(client_wait_line(c, "subsurface ", WAIT_MS, NULL, 0));
	window_origin(h, "inside", &x, &y);
	assert_true(harness_wait_pixel(h, x + 15, y + 15, 0x00ff00, WAIT_MS));
	client_free(c);
	free(dir);
	stop(h);
}

/* How many sampled pixels of colour rgb lie outside `keep` (every 2nd). */
static int pixels_outside(struct harness *h, uint32_t rgb, int kx, int ky,
		int kw, int kh) {
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	int n = 0;
	for (int y = 0; y < img.height; y += 2) {
		for (int x = 0; x < img.width; x += 2) {
			bool inside = x >= kx && x < kx + kw && y >= ky && y < ky + kh;
			n += !inside && image_rgb(&img, x, y) == rgb;
		}
	}
	image_finish(&img);
	return n;
}

/* An app's popups stay near their window: one asked at -100000 is slid
 * into the window's area plus the margin, one as big as the output is
 * not shown. */
static void test_popups_stay_near_their_window(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "menus", NULL, NULL, 0);
	struct test_client *far = client_spawn_test_app(h, dir,
		"--app-id far --size 200x100 --color ff000000 "
		"--popup -100000,-100000,80,60,ffffff00");
	assert_true(client_wait_line(far, "popup-configure", WAIT_MS, NULL, 0));
	harness_sleep(h, 300);
	int x, y;
	window_origin(h, "far", &x, &y);
	int m = 200; // POPUP_MARGIN
	assert_int_equal(pixels_outside(h, 0xffff00, x - m, y - m, 200 + 2 * m,
		100 + 2 * m), 0);
	assert_true(pixels_outside(h, 0xffff00, 0, 0, 0, 0) > 100); // shown
	// It wears the app's colour: a frame around it, like its window's.
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	uint32_t app_rgb = image_rgb(&img, x - 2, y + 50); // the window's frame
	int framed = 0;
	for (int py = 0; py < img.height; py++) {
		for (int px = 0; px < img.width; px++) {
			if (image_rgb(&img, px, py) == 0xffff00 && px > 1 &&
					image_rgb(&img, px - 1, py) != 0xffff00) {
				framed += image_rgb(&img, px - 1, py) == app_rgb;
			}
		}
	}
	image_finish(&img);
	printf("# popup rows with the app's colour on their left: %d\n", framed);
	assert_true(framed >= 50); // every row of the 60-px popup, about
	client_free(far);

	struct test_client *huge = client_spawn_test_app(h, dir,
		"--app-id huge --size 200x100 --color ff000000 "
		"--popup 0,0,1280,720,ffffff00");
	assert_true(client_wait_line(huge, "popup-configure", WAIT_MS, NULL, 0));
	harness_sleep(h, 300);
	window_origin(h, "huge", &x, &y);
	int outside = pixels_outside(h, 0xffff00, x - m, y - m, 200 + 2 * m,
		100 + 2 * m);
	printf("# yellow outside the window area, huge popup: %d\n", outside);
	assert_int_equal(outside, 0);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App menus: a popup of"));
	free(log);
	client_free(huge);
	free(dir);
	stop(h);
}

/* A cursor is drawn over everything: a 4096x4096 one would cover the
 * screen and every label on it. Over 256x256 it is replaced by the
 * default cursor. */
static void test_giant_cursor_is_refused(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "pointy", NULL, NULL, 0);
	struct test_client *c = client_spawn_test_app(h, dir,
		"--app-id pointy --size 200x100 --color ff000000 --cursor 4096x4096");
	assert_true(client_wait_line(c, "mapped", WAIT_MS, NULL, 0));
	int x, y;
	window_origin(h, "pointy", &x, &y);
	harness_pointer_move(h, x + 20, y + 20);
	assert_true(client_wait_line(c, "cursor-set 4096x4096", WAIT_MS, NULL,
		0));
	harness_sleep(h, 300);
	struct image img;
	assert_true(harness_screenshot(h, 0, &img));
	int green = 0;
	for (int py = 0; py < img.height; py += 4) {
		for (int px = 0; px < img.width; px += 4) {
			green += image_rgb(&img, px, py) == 0x00ff00;
		}
	}
	image_finish(&img);
	printf("# green samples with a 4096x4096 cursor: %d\n", green);
	assert_int_equal(green, 0);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "A cursor of 4096x4096 (over 256): the "
		"default one instead"));
	free(log);
	client_free(c);
	free(dir);
	stop(h);
}

/* Focus only by the user: the first window of a launch may take the
 * keyboard; a later window of an app that does not hold focus maps
 * behind, urgent, and gets neither keys nor the selection. */
static void test_new_window_does_not_steal_focus(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "sneaky", "clipboard", NULL, 0);
	// The launch's first window: focused (the user asked for the app).
	struct test_client *first = client_spawn_test_app(h, dir,
		"--app-id sneaky1 --size 100x100");
	assert_true(client_wait_line(first, "keyboard-enter", WAIT_MS, NULL, 0));
	// The user goes on in another window and copies there.
	struct test_client *host = client_spawn_test(h,
		"--app-id host --size 300x200 --clipboard-set secret");
	assert_true(client_wait_line(host, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(host, "clipboard-set secret", WAIT_MS, NULL,
		0));
	// A window the app opens now, by itself: behind, urgent, no keys.
	struct test_client *late = client_spawn_test_app(h, dir,
		"--app-id sneaky2 --size 120x120 --clipboard-read");
	assert_true(client_wait_line(late, "mapped", WAIT_MS, NULL, 0));
	harness_sleep(h, 300);
	struct json_object *w = window(h, "sneaky2");
	assert_true(jbool(w, "urgent"));
	assert_false(jbool(w, "focused"));
	json_object_put(w);
	w = window(h, "host");
	assert_true(jbool(w, "focused"));
	json_object_put(w);
	harness_key(h, NULL, KEY_P);
	assert_true(client_wait_line(host, "key 25 pressed", WAIT_MS, NULL, 0));
	assert_false(client_saw(late, "keyboard-enter"));
	assert_false(client_saw(late, "key "));
	assert_false(client_saw(late, "clipboard secret"));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App sneaky: a new window without a user "
		"action maps behind, marked urgent"));
	free(log);
	// The user picks it (the panel's task list): now it has the keyboard
	// (and, allowed, the selection).
	w = window(h, "sneaky2");
	json_object_put(harness_ipc(h, "{\"command\":\"focus\",\"id\":%d}",
		jint(w, "id")));
	json_object_put(w);
	assert_true(client_wait_line(late, "keyboard-enter", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(late, "clipboard secret", WAIT_MS, NULL, 0));
	client_free(late);
	client_free(host);
	client_free(first);
	free(dir);
	stop(h);
}

/* A popup grab is the user's only with the serial of a key or button
 * event the client got: one made with the keyboard enter's serial is
 * dismissed. A click on another window ends any grab, and the keys go
 * where the title bar says. */
static void test_popup_grab_needs_the_users_serial(void **state) {
	struct harness *h = start(NULL);
	struct test_client *other = client_spawn_test(h,
		"--app-id other --size 600x400");
	assert_true(client_wait_line(other, "mapped", WAIT_MS, NULL, 0));
	char *dir = harness_app_create(h, "menus", NULL, NULL, 0);
	struct test_client *stale = client_spawn_test_app(h, dir,
		"--app-id stale --size 100x100 --popup 10,10,80,60 "
		"--popup-grab enter");
	assert_true(client_wait_line(stale, "popup-grab ", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(stale, "popup-done", WAIT_MS, NULL, 0));
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App menus: popup grab with serial"));
	free(log);

	// With a key press's serial the grab holds.
	struct test_client *menu = client_spawn_test_app(h, dir,
		"--app-id menu --size 100x100 --popup 10,10,80,60 --popup-grab key");
	assert_true(client_wait_line(menu, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_M);
	assert_true(client_wait_line(menu, "popup-grab ", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(menu, "popup-configure", WAIT_MS, NULL, 0));
	harness_sleep(h, 300);
	assert_false(client_saw(menu, "popup-done"));

	// The user clicks the other window: the menu goes, the keys follow.
	struct json_object *w = window(h, "other");
	harness_click(h, jint(w, "geometry.x") + 20, jint(w, "geometry.y") + 20,
		BTN_LEFT);
	json_object_put(w);
	assert_true(client_wait_line(menu, "popup-done", WAIT_MS, NULL, 0));
	assert_true(client_wait_line(other, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_O);
	assert_true(client_wait_line(other, "key 24 pressed", WAIT_MS, NULL, 0));
	harness_sleep(h, 100);
	assert_false(client_saw(menu, "key 24 pressed"));
	w = window(h, "other");
	assert_true(jbool(w, "focused"));
	json_object_put(w);
	client_free(menu);
	client_free(stale);
	client_free(other);
	free(dir);
	stop(h);
}

/* Drag-and-drop data is the target's only after the user drops it there:
 * a window the drag merely passes over reads nothing. */
static void test_drag_data_only_after_drop(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "dropzone", "clipboard", NULL, 0);
	struct test_client *target = client_spawn_test_app(h, dir,
		"--app-id dropzone --size 600x400 --drag-target");
	assert_true(client_wait_line(target, "mapped", WAIT_MS, NULL, 0));
	struct test_client *source = client_spawn_test(h,
		"--app-id source --size 100x100 --drag hello");
	assert_true(client_wait_line(source, "mapped", WAIT_MS, NULL, 0));
	int sx, sy;
	window_origin(h, "source", &sx, &sy);
	sx += 50;
	sy += 50;
	int tx, ty;
	window_origin(h, "dropzone", &tx, &ty);
	tx += 40;
	ty += 40;
	harness_pointer_move(h, sx, sy);
	harness_pointer_button(h, BTN_LEFT, true);
	assert_true(client_wait_line(source, "drag-started", WAIT_MS, NULL, 0));
	harness_pointer_move(h, tx, ty);
	harness_pointer_move(h, tx + 5, ty + 5);
	char line[128];
	assert_true(client_wait_line(target, "drag-hover-read ", WAIT_MS, line,
		sizeof(line)));
	printf("# hovering: %s\n", line);
	assert_string_equal(line, "drag-hover-read ''");
	harness_pointer_button(h, BTN_LEFT, false);
	assert_true(client_wait_line(target, "drag-drop-read ", WAIT_MS, line,
		sizeof(line)));
	printf("# dropped: %s\n", line);
	assert_string_equal(line, "drag-drop-read 'hello'");
	char *log = harness_log(h);
	assert_non_null(strstr(log, "App dropzone: read a drag's data before "
		"the drop: refused"));
	free(log);
	client_free(source);
	client_free(target);
	free(dir);
	stop(h);
}

/* Real clients, as an app without the clipboard permission: foot runs
 * (foot 1.13 exits at once without a data device manager), wl-paste
 * never gets the session's selection, and what wl-copy copies is pasted
 * inside the app only. */
static void test_real_clients_without_clipboard_permission(void **state) {
	struct harness *h = start(NULL);
	struct test_client *host = client_spawn_test(h,
		"--app-id host --size 300x200 --clipboard-set secret");
	// A copy is the user's: a key press in the focused window.
	assert_true(client_wait_line(host, "keyboard-enter", WAIT_MS, NULL, 0));
	harness_key(h, NULL, KEY_C);
	assert_true(client_wait_line(host, "clipboard-set secret", WAIT_MS,
		NULL, 0));
	char *dir = harness_app_create(h, "term", NULL, NULL, 0);
	assert_non_null(dir);
	const char *foot[] = { "foot", "sh", "-c", "sleep 60", NULL };
	struct test_client *term = client_spawn_app(h, dir, foot);
	struct json_object *w = harness_wait_window(h, "foot", WAIT_MS * 2);
	assert_non_null(w);
	json_object_put(w);
	assert_true(client_running(term));

	const char *paste[] = { "wl-paste", "--no-newline", NULL };
	struct test_client *p = client_spawn_app(h, dir, paste);
	if (client_wait_exit(p, 3000) < 0) {
		client_kill(p, SIGTERM); // waiting for a selection that never comes
		client_wait_exit(p, WAIT_MS);
	}
	printf("# wl-paste as the app, before: '%s'\n", client_text(p));
	assert_null(strstr(client_text(p), "secret"));
	client_free(p);

	const char *copy[] = { "wl-copy", "inside", NULL };
	struct test_client *c = client_spawn_app(h, dir, copy);
	int copied = client_wait_exit(c, WAIT_MS); // it forks to serve
	printf("# wl-copy: %d '%s'\n", copied, client_text(c));
	assert_int_equal(copied, 0);
	client_free(c);
	p = client_spawn_app(h, dir, paste);
	assert_int_equal(client_wait_exit(p, WAIT_MS), 0);
	assert_string_equal(client_text(p), "inside");
	client_free(p);

	// The session's selection is still the host's.
	char *allowed = harness_app_create(h, "reader", "clipboard", NULL, 0);
	struct test_client *reader = client_spawn_test_app(h, allowed,
		"--app-id reader --size 100x100 --clipboard-read");
	assert_true(client_wait_line(reader, "clipboard secret", WAIT_MS, NULL,
		0));
	assert_false(client_saw(reader, "clipboard inside"));
	client_free(reader);
	client_free(term);
	client_free(host);
	free(allowed);
	free(dir);
	stop(h);
}

/* An idle inhibitor keeps the session awake only while its surface is
 * shown: one on a role-less surface with no content does not count. */
static int idle_field(struct harness *h, const char *field) {
	struct json_object *reply = harness_ipc(h, "{\"command\":\"idle\"}");
	assert_non_null(reply);
	struct json_object *v;
	int n = json_object_object_get_ex(reply, field, &v) ?
		json_object_get_int(v) : -1;
	json_object_put(reply);
	return n;
}

static bool wait_idle_field(struct harness *h, const char *field, int want) {
	for (int i = 0; i < 50; i++) {
		if (idle_field(h, field) == want) {
			return true;
		}
		harness_sleep(h, 100);
	}
	return false;
}

static void test_idle_inhibitor_needs_a_shown_surface(void **state) {
	struct harness *h = start(NULL);
	char *dir = harness_app_create(h, "waker", NULL, NULL, 0);
	struct test_client *hidden = client_spawn_test_app(h, dir,
		"--app-id waker --inhibit-idle hidden --size 60x60");
	assert_true(client_wait_line(hidden, "mapped", WAIT_MS, NULL, 0));
	assert_true(wait_idle_field(h, "inhibitors", 1));
	harness_sleep(h, 1200); // past the compositor's recheck
	assert_int_equal(idle_field(h, "inhibiting"), 0);
	struct test_client *shown = client_spawn_test_app(h, dir,
		"--app-id waker2 --inhibit-idle window --size 60x60");
	assert_true(client_wait_line(shown, "mapped", WAIT_MS, NULL, 0));
	assert_true(wait_idle_field(h, "inhibitors", 2));
	assert_true(wait_idle_field(h, "inhibiting", 1));
	client_free(shown);
	assert_true(wait_idle_field(h, "inhibiting", 0));
	assert_true(wait_idle_field(h, "inhibitors", 1));
	client_free(hidden);
	assert_true(wait_idle_field(h, "inhibitors", 0));
	free(dir);
	stop(h);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_app_clients_see_only_safe_globals),
		cmocka_unit_test(test_binding_a_hidden_global_is_an_error),
		cmocka_unit_test(test_app_windows_are_labeled),
		cmocka_unit_test(test_limits_disconnect_only_the_offender),
		cmocka_unit_test(test_object_caps_end_only_the_greedy_client),
		cmocka_unit_test(test_1000_app_connections_leave_nothing),
		cmocka_unit_test(test_socket_is_private),
		cmocka_unit_test(test_run_ends_with_its_process),
		cmocka_unit_test(test_stale_dirs_cleaned_at_start),
		cmocka_unit_test(test_activation_needs_a_user_action),
		cmocka_unit_test(test_fullscreen_app_shows_its_label),
		cmocka_unit_test(test_clipboard_needs_focus_and_permission),
		cmocka_unit_test(test_real_clients_without_clipboard_permission),
		cmocka_unit_test(test_selection_only_by_the_user),
		cmocka_unit_test(test_drag_data_only_after_drop),
		cmocka_unit_test(test_csd_window_label_cannot_be_covered),
		cmocka_unit_test(test_giant_cursor_is_refused),
		cmocka_unit_test(test_popups_stay_near_their_window),
		cmocka_unit_test(test_new_window_does_not_steal_focus),
		cmocka_unit_test(test_fullscreen_needs_the_user),
		cmocka_unit_test(test_popup_grab_needs_the_users_serial),
		cmocka_unit_test(test_idle_inhibitor_needs_a_shown_surface),
	};
	return RUN_GROUP("apps", tests);
}
