#ifndef PWL_TEST_HARNESS_H
#define PWL_TEST_HARNESS_H

/*
 * Drives a real pocketwl, headless, like a user would: it starts the
 * compositor in a private XDG_RUNTIME_DIR, talks to its IPC, runs clients,
 * reads the screen through wlr-screencopy and sends input through the
 * virtual pointer and keyboard protocols.
 */
#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct harness;

struct harness_options {
	const char *config; // config file text; may be NULL
	int outputs; // headless outputs at start (default 1)
	const char *extra_env; // "NAME=value" for the compositor; may be NULL
	const char *runtime_dir; // an existing XDG_RUNTIME_DIR; may be NULL
	/* A command that ends up exec'ing pocketwl (pocketwl-session ...)
	 * instead of pocketwl itself; with config NULL it reads the config
	 * from XDG_CONFIG_HOME, the runtime dir. May be NULL. */
	const char *const *argv;
};

struct harness *harness_start(const struct harness_options *options);
/** SIGTERMs the compositor and waits; returns its exit status (or -1 if
 * it crashed or hung), and fails if the log has sanitizer reports. */
int harness_stop(struct harness *h);
bool harness_compositor_alive(struct harness *h);
/** Sends `sig` and waits (10 s at most) for the compositor to exit; returns
 * its exit status, or -1 if it hung or died of a signal. The runtime dir
 * is kept for inspection until harness_stop. */
int harness_signal_and_wait(struct harness *h, int sig);
const char *harness_runtime_dir(struct harness *h);
const char *harness_display(struct harness *h);
/** Whole compositor log so far (caller frees). */
char *harness_log(struct harness *h);

/** Sends a JSON request built from printf-style text; returns the reply
 * (caller puts) or NULL. */
struct json_object *harness_ipc(struct harness *h, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Clients, with their stdout read line by line. */
struct test_client;
struct test_client *client_spawn(struct harness *h, const char *const argv[]);
/** Shortcut for the bundled pwl-test-client with extra arguments. */
struct test_client *client_spawn_test(struct harness *h, const char *args);
/** The same, as an app client: XDG_RUNTIME_DIR is the app's socket dir. */
struct test_client *client_spawn_app(struct harness *h, const char *app_dir,
	const char *const argv[]);
struct test_client *client_spawn_test_app(struct harness *h,
	const char *app_dir, const char *args);
/** Creates an app instance through the IPC; returns its socket directory
 * (caller frees) and its instance name in `instance`. */
char *harness_app_create(struct harness *h, const char *name,
	const char *permissions, char *instance, size_t instance_len);
/** Waits for a stdout line starting with `prefix`; copies it to `line`. */
bool client_wait_line(struct test_client *c, const char *prefix,
	int timeout_ms, char *line, size_t line_len);
/** True if any line so far started with `prefix`. */
bool client_saw(struct test_client *c, const char *prefix);
/** How many lines so far are exactly `line`. */
int client_count(struct test_client *c, const char *line);
/** Everything the client printed so far (the harness owns it). */
const char *client_text(struct test_client *c);
pid_t client_pid(struct test_client *c);
/** Waits for the client to exit; returns its status or -1 on timeout. */
int client_wait_exit(struct test_client *c, int timeout_ms);
bool client_running(struct test_client *c);
void client_kill(struct test_client *c, int sig);
void client_free(struct test_client *c); // kills if still running

/* Windows as the compositor reports them. */
/** Waits for a window with this app_id; returns its JSON (caller puts). */
struct json_object *harness_wait_window(struct harness *h, const char *app_id,
	int timeout_ms);
/** Waits until `pred` holds for the window's JSON, re-reading it. */
struct json_object *harness_wait_window_where(struct harness *h,
	const char *app_id, bool (*pred)(struct json_object *w),
	int timeout_ms);
bool harness_wait_no_window(struct harness *h, const char *app_id,
	int timeout_ms);
int jint(struct json_object *obj, const char *path); // "geometry.x"
bool jbool(struct json_object *obj, const char *key);

/* The screen. */
struct image {
	int width, height;
	uint32_t *pixels; // 0xAARRGGBB, row-major, top row first
};
/** Captures output `index` through wlr-screencopy. */
bool harness_screenshot(struct harness *h, int index, struct image *img);
uint32_t image_rgb(const struct image *img, int x, int y); // 0x00RRGGBB
bool image_write_png(const struct image *img, const char *path);
void image_finish(struct image *img);
/** Waits until the pixel at (x, y) of output 0 has colour rgb. */
bool harness_wait_pixel(struct harness *h, int x, int y, uint32_t rgb,
	int timeout_ms);

/* Input, through virtual devices. */
void harness_pointer_move(struct harness *h, double x, double y);
void harness_pointer_button(struct harness *h, uint32_t button, bool pressed);
void harness_click(struct harness *h, double x, double y, uint32_t button);
/** Presses and releases an evdev key with the named modifiers held
 * ("Logo", "Shift", "Control", "Mod1"; comma separated, may be NULL). */
void harness_key(struct harness *h, const char *mods, uint32_t key);
void harness_modifiers(struct harness *h, const char *mods);
/** Processes events for a while (lets the compositor work). */
void harness_sleep(struct harness *h, int ms);
/** A roundtrip with the compositor: every request sent has been handled. */
bool harness_roundtrip(struct harness *h);

/** The toplevels a host shell sees through wlr-foreign-toplevel, as
 * "app_id\ttitle" lines (caller frees), in the order announced. */
char *harness_foreign_toplevels(struct harness *h);

/** Counts open fds of the compositor process. */
int harness_fd_count(struct harness *h);
/** The fd count once it is back to `want` or at most `timeout_ms` later:
 * clients that just hung up are reaped on the compositor's next turns. A
 * count that stays higher is printed fd by fd, for whoever reads why. */
int harness_fd_count_settled(struct harness *h, int want, int timeout_ms);
/** Resident memory of the compositor in KiB. */
long harness_rss_kib(struct harness *h);

#endif
