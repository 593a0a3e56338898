#include "harness.h"

#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <linux/input-event-codes.h>
#include <png.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>
#include <xkbcommon/xkbcommon.h>

#include "ipc_client.h"
#include "virtual-keyboard-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"
#include "wlr-screencopy-unstable-v1-client-protocol.h"
#include "wlr-virtual-pointer-unstable-v1-client-protocol.h"

#define MAX_OUTPUTS 8

struct harness {
	pid_t pid;
	int status; // valid once reaped
	bool reaped;
	char dir[256];
	char log_path[320];
	char ipc_path[320];

	struct wl_display *display;
	struct wl_registry *registry;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct wl_output *outputs[MAX_OUTPUTS];
	int noutputs;
	struct zwlr_screencopy_manager_v1 *screencopy;
	struct zwlr_virtual_pointer_manager_v1 *pointer_manager;
	struct zwp_virtual_keyboard_manager_v1 *keyboard_manager;
	struct zwlr_virtual_pointer_v1 *pointer;
	struct zwp_virtual_keyboard_v1 *keyboard;
	struct xkb_keymap *keymap;
	uint32_t time_ms;
};

struct test_client {
	pid_t pid;
	int out_fd;
	int status;
	bool reaped;
	char *text; // all stdout so far
	size_t len, cap;
	size_t scan; // where client_wait_line continues from
};

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void sleep_ms(int ms) {
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static const char *compositor_path(void) {
	const char *path = getenv("PWL_BIN");
	return path ? path : PWL_BIN_DEFAULT;
}

const char *harness_runtime_dir(struct harness *h) {
	return h->dir;
}

const char *harness_display(struct harness *h) {
	return "wayland-0";
}

bool harness_compositor_alive(struct harness *h) {
	if (h->reaped) {
		return false;
	}
	int status;
	pid_t r = waitpid(h->pid, &status, WNOHANG);
	if (r == h->pid) {
		h->reaped = true;
		h->status = status;
		return false;
	}
	return true;
}

char *harness_log(struct harness *h) {
	FILE *f = fopen(h->log_path, "r");
	if (!f) {
		return strdup("");
	}
	size_t cap = 65536, len = 0;
	char *text = malloc(cap);
	size_t n;
	while (text && (n = fread(text + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (len + 1 >= cap) {
			char *bigger = realloc(text, cap * 2);
			if (!bigger) {
				break;
			}
			text = bigger;
			cap *= 2;
		}
	}
	fclose(f);
	if (text) {
		text[len] = '\0';
	}
	return text;
}

struct json_object *harness_ipc(struct harness *h, const char *fmt, ...) {
	char text[4096];
	va_list args;
	va_start(args, fmt);
	vsnprintf(text, sizeof(text), fmt, args);
	va_end(args);
	enum json_tokener_error jerr;
	struct json_object *request = json_tokener_parse_verbose(text, &jerr);
	if (!request) {
		fprintf(stderr, "harness: bad request %s\n", text);
		return NULL;
	}
	char err[256];
	struct json_object *reply = ipc_client_request(h->ipc_path, request, 5000,
		err, sizeof(err));
	json_object_put(request);
	if (!reply) {
		fprintf(stderr, "harness: ipc: %s\n", err);
	}
	return reply;
}

/* Wayland side of the harness: a host client with the test tools. */

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	struct harness *h = data;
	if (!strcmp(interface, wl_shm_interface.name)) {
		h->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (!strcmp(interface, wl_seat_interface.name) && !h->seat) {
		h->seat = wl_registry_bind(registry, name, &wl_seat_interface, 1);
	} else if (!strcmp(interface, wl_output_interface.name) &&
			h->noutputs < MAX_OUTPUTS) {
		h->outputs[h->noutputs++] = wl_registry_bind(registry, name,
			&wl_output_interface, 1);
	} else if (!strcmp(interface, zwlr_screencopy_manager_v1_interface.name)) {
		h->screencopy = wl_registry_bind(registry, name,
			&zwlr_screencopy_manager_v1_interface, 1);
	} else if (!strcmp(interface,
			zwlr_virtual_pointer_manager_v1_interface.name)) {
		h->pointer_manager = wl_registry_bind(registry, name,
			&zwlr_virtual_pointer_manager_v1_interface, 1);
	} else if (!strcmp(interface,
			zwp_virtual_keyboard_manager_v1_interface.name)) {
		h->keyboard_manager = wl_registry_bind(registry, name,
			&zwp_virtual_keyboard_manager_v1_interface, 1);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static int connect_wayland(struct harness *h) {
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(h->dir) + sizeof("/wayland-0") > sizeof(addr.sun_path)) {
		return -1;
	}
	memcpy(addr.sun_path, h->dir, strlen(h->dir));
	memcpy(addr.sun_path + strlen(h->dir), "/wayland-0", sizeof("/wayland-0"));
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	return fd;
}

static int create_shm_fd(size_t size) {
	char name[64];
	static int counter;
	snprintf(name, sizeof(name), "/pwl-harness-%d-%d", (int)getpid(),
		counter++);
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0) {
		return -1;
	}
	shm_unlink(name);
	if (ftruncate(fd, (off_t)size) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static bool setup_keyboard(struct harness *h) {
	struct xkb_context *ctx = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	struct xkb_rule_names names = { .layout = "us" };
	h->keymap = xkb_keymap_new_from_names(ctx, &names, 0);
	xkb_context_unref(ctx);
	if (!h->keymap) {
		return false;
	}
	char *text = xkb_keymap_get_as_string(h->keymap, XKB_KEYMAP_FORMAT_TEXT_V1);
	size_t size = strlen(text) + 1;
	int fd = create_shm_fd(size);
	if (fd < 0) {
		free(text);
		return false;
	}
	void *map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED) {
		close(fd);
		free(text);
		return false;
	}
	memcpy(map, text, size);
	munmap(map, size);
	free(text);
	h->keyboard = zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(
		h->keyboard_manager, h->seat);
	zwp_virtual_keyboard_v1_keymap(h->keyboard, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1,
		fd, (uint32_t)size);
	close(fd);
	return true;
}

static bool connect_client(struct harness *h) {
	int fd = connect_wayland(h);
	if (fd < 0) {
		return false;
	}
	h->display = wl_display_connect_to_fd(fd);
	if (!h->display) {
		return false;
	}
	h->registry = wl_display_get_registry(h->display);
	wl_registry_add_listener(h->registry, &registry_listener, h);
	wl_display_roundtrip(h->display);
	if (!h->shm || !h->seat || !h->screencopy || !h->pointer_manager ||
			!h->keyboard_manager) {
		fprintf(stderr, "harness: compositor lacks test globals\n");
		return false;
	}
	h->pointer = zwlr_virtual_pointer_manager_v1_create_virtual_pointer(
		h->pointer_manager, h->seat);
	if (!setup_keyboard(h)) {
		return false;
	}
	return wl_display_roundtrip(h->display) >= 0;
}

static bool write_file(const char *path, const char *text) {
	FILE *f = fopen(path, "w");
	if (!f) {
		return false;
	}
	fputs(text, f);
	return fclose(f) == 0;
}

static void exec_compositor(struct harness *h, const struct harness_options *o,
		const char *config_path) {
	// A test that dies must not leave its compositor behind.
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	int log = open(h->log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (log >= 0) {
		dup2(log, STDOUT_FILENO);
		dup2(log, STDERR_FILENO);
		close(log);
	}
	setenv("XDG_RUNTIME_DIR", h->dir, 1);
	setenv("WLR_BACKENDS", "headless", 1);
	setenv("WLR_RENDERER", "pixman", 1);
	setenv("WLR_LIBINPUT_NO_DEVICES", "1", 1);
	char outputs[16];
	snprintf(outputs, sizeof(outputs), "%d", o->outputs > 0 ? o->outputs : 1);
	setenv("WLR_HEADLESS_OUTPUTS", outputs, 1);
	setenv("XDG_CONFIG_HOME", h->dir, 1);
	// PWL_COMPOSITOR_ASAN_OPTIONS: for debugging a crash, e.g.
	// "handle_segv=0" lets pocketwl print the requests that led to it.
	const char *asan = getenv("PWL_COMPOSITOR_ASAN_OPTIONS");
	setenv("ASAN_OPTIONS", asan ? asan : "detect_leaks=1", 1);
	setenv("LSAN_OPTIONS", "suppressions=" PWL_LSAN_SUPP, 1);
	setenv("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1", 1);
	unsetenv("WAYLAND_DISPLAY");
	unsetenv("DISPLAY");
	unsetenv("POCKETWL_SOCK");
	if (o->extra_env) {
		char *copy = strdup(o->extra_env);
		char *eq = copy ? strchr(copy, '=') : NULL;
		if (eq) {
			*eq = '\0';
			setenv(copy, eq + 1, 1);
		}
		free(copy);
	}
	if (o->argv) {
		execv(o->argv[0], (char *const *)o->argv);
		_exit(127);
	}
	// PWL_WRAP: a command the compositor runs under, words split at
	// spaces ("valgrind --error-exitcode=97 -q"): the memory errors that
	// happen inside uninstrumented libraries show only there.
	const char *argv[32];
	int argc = 0;
	char *wrap = getenv("PWL_WRAP") ? strdup(getenv("PWL_WRAP")) : NULL;
	for (char *save = NULL, *word = wrap ? strtok_r(wrap, " ", &save) : NULL;
			word && argc < 24; word = strtok_r(NULL, " ", &save)) {
		argv[argc++] = word;
	}
	argv[argc++] = compositor_path();
	argv[argc++] = "-d";
	if (config_path) {
		argv[argc++] = "--config";
		argv[argc++] = config_path;
	}
	argv[argc] = NULL;
	execvp(argv[0], (char *const *)argv);
	_exit(127);
}

struct harness *harness_start(const struct harness_options *options) {
	struct harness_options defaults = { 0 };
	const struct harness_options *o = options ? options : &defaults;
	struct harness *h = calloc(1, sizeof(*h));
	if (!h) {
		return NULL;
	}
	snprintf(h->dir, sizeof(h->dir), "%s",
		o->runtime_dir ? o->runtime_dir : "/tmp/pwl-test-XXXXXX");
	if (!o->runtime_dir && !mkdtemp(h->dir)) {
		free(h);
		return NULL;
	}
	snprintf(h->log_path, sizeof(h->log_path), "%s/compositor.log", h->dir);
	snprintf(h->ipc_path, sizeof(h->ipc_path), "%s/pocketwl.wayland-0.sock",
		h->dir);
	char config_path[320] = "";
	if (o->config) {
		snprintf(config_path, sizeof(config_path), "%s/test-config.ini",
			h->dir);
		if (!write_file(config_path, o->config)) {
			free(h);
			return NULL;
		}
	}

	h->pid = fork();
	if (h->pid == 0) {
		exec_compositor(h, o, o->config ? config_path : NULL);
	}
	if (h->pid < 0) {
		free(h);
		return NULL;
	}

	// Ready when the IPC answers (under valgrind much later).
	long deadline = now_ms() + (getenv("PWL_WRAP") ? 90000 : 15000);
	while (now_ms() < deadline) {
		if (!harness_compositor_alive(h)) {
			break;
		}
		if (access(h->ipc_path, F_OK) == 0) {
			struct json_object *reply = harness_ipc(h,
				"{\"command\":\"version\"}");
			if (reply) {
				json_object_put(reply);
				if (connect_client(h)) {
					// wlroots 0.15 draws the software cursor into
					// screencopy frames: park it in the top-right corner,
					// where tests do not look.
					harness_pointer_move(h, 100000, 0);
					return h;
				}
				break;
			}
		}
		sleep_ms(20);
	}
	char *log = harness_log(h);
	fprintf(stderr, "harness: compositor did not come up; log:\n%s\n", log);
	free(log);
	harness_stop(h);
	return NULL;
}

int harness_signal_and_wait(struct harness *h, int sig) {
	if (harness_compositor_alive(h)) {
		kill(h->pid, sig);
	}
	long deadline = now_ms() + 10000;
	while (harness_compositor_alive(h) && now_ms() < deadline) {
		sleep_ms(10);
	}
	if (!h->reaped || !WIFEXITED(h->status)) {
		return -1;
	}
	return WEXITSTATUS(h->status);
}

static bool log_has_sanitizer_report(struct harness *h) {
	char *log = harness_log(h);
	// Besides the usual reports: LeakSanitizer's own failure ("has
	// encountered a fatal error") and a runtime CHECK both exit with 1.
	bool found = log && (strstr(log, "ERROR: AddressSanitizer") ||
		strstr(log, "ERROR: LeakSanitizer") || strstr(log, "runtime error:") ||
		strstr(log, "Sanitizer has encountered a fatal error") ||
		strstr(log, "Sanitizer: CHECK failed") ||
		// valgrind's memcheck (PWL_WRAP)
		strstr(log, "Invalid read of size") ||
		strstr(log, "Invalid write of size") ||
		strstr(log, "Invalid free()") ||
		strstr(log, "uninitialised value"));
	if (found) {
		fprintf(stderr, "harness: sanitizer report in the compositor log:\n%s\n",
			log);
	}
	free(log);
	return found;
}

static void print_log_tail(struct harness *h, int lines) {
	char *log = harness_log(h);
	if (!log) {
		return;
	}
	const char *start = log + strlen(log);
	for (int n = 0; start > log && n <= lines; ) {
		start--;
		if (*start == '\n') {
			n++;
		}
	}
	fprintf(stderr, "harness: the compositor log ends:\n%s\n", start);
	free(log);
}

static void remove_tree(const char *path) {
	DIR *dir = opendir(path);
	if (dir) {
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
				continue;
			}
			char child[1024];
			snprintf(child, sizeof(child), "%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(child, &st) == 0 && S_ISDIR(st.st_mode)) {
				remove_tree(child);
			} else {
				unlink(child);
			}
		}
		closedir(dir);
	}
	rmdir(path);
}

int harness_stop(struct harness *h) {
	if (!h) {
		return -1;
	}
	if (h->keyboard) {
		zwp_virtual_keyboard_v1_destroy(h->keyboard);
	}
	if (h->pointer) {
		zwlr_virtual_pointer_v1_destroy(h->pointer);
	}
	for (int i = 0; i < h->noutputs; i++) {
		wl_output_destroy(h->outputs[i]);
	}
	if (h->screencopy) {
		zwlr_screencopy_manager_v1_destroy(h->screencopy);
	}
	if (h->pointer_manager) {
		zwlr_virtual_pointer_manager_v1_destroy(h->pointer_manager);
	}
	if (h->keyboard_manager) {
		wl_proxy_destroy((struct wl_proxy *)h->keyboard_manager);
	}
	if (h->shm) {
		wl_shm_destroy(h->shm);
	}
	if (h->seat) {
		wl_seat_destroy(h->seat);
	}
	if (h->registry) {
		wl_registry_destroy(h->registry);
	}
	if (h->display) {
		wl_display_flush(h->display);
		wl_display_disconnect(h->display);
	}
	if (h->keymap) {
		xkb_keymap_unref(h->keymap);
	}
	int result = -1;
	if (harness_compositor_alive(h)) {
		kill(h->pid, SIGTERM);
		long deadline = now_ms() + (getenv("PWL_WRAP") ? 60000 : 10000);
		while (harness_compositor_alive(h) && now_ms() < deadline) {
			sleep_ms(10);
		}
		if (!h->reaped) {
			fprintf(stderr, "harness: compositor hangs on SIGTERM\n");
			kill(h->pid, SIGKILL);
			waitpid(h->pid, NULL, 0);
			h->reaped = true;
			h->status = -1;
		}
	}
	if (h->reaped && h->status != -1 && WIFEXITED(h->status)) {
		result = WEXITSTATUS(h->status);
	} else if (h->reaped && h->status != -1 && WIFSIGNALED(h->status)) {
		fprintf(stderr, "harness: compositor died of signal %d\n",
			WTERMSIG(h->status));
	}
	if (log_has_sanitizer_report(h)) {
		result = -1;
	}
	if (result != 0) {
		// CI shows only what the test printed: the log's end says why.
		print_log_tail(h, 40);
	}
	if (result != 0 || getenv("PWL_KEEP_LOGS")) {
		fprintf(stderr, "harness: compositor log kept in %s\n", h->log_path);
	} else {
		remove_tree(h->dir);
	}
	free(h);
	return result;
}

/* Clients */

static void client_read(struct test_client *c, int timeout_ms) {
	if (c->out_fd < 0) {
		return;
	}
	struct pollfd pfd = { c->out_fd, POLLIN, 0 };
	if (poll(&pfd, 1, timeout_ms) <= 0) {
		return;
	}
	if (c->len + 4097 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8192;
		while (cap < c->len + 4097) {
			cap *= 2;
		}
		char *text = realloc(c->text, cap);
		if (!text) {
			return;
		}
		c->text = text;
		c->cap = cap;
		c->text[c->len] = '\0'; // whatever read() below finds
	}
	ssize_t n = read(c->out_fd, c->text + c->len, 4096);
	if (n <= 0) {
		close(c->out_fd);
		c->out_fd = -1;
		return;
	}
	c->len += n;
	c->text[c->len] = '\0';
}

static struct test_client *spawn_in(struct harness *h, const char *dir,
		const char *const argv[]);

struct test_client *client_spawn(struct harness *h, const char *const argv[]) {
	return spawn_in(h, h->dir, argv);
}

struct test_client *client_spawn_app(struct harness *h, const char *app_dir,
		const char *const argv[]) {
	return spawn_in(h, app_dir, argv);
}

static struct test_client *spawn_in(struct harness *h, const char *dir,
		const char *const argv[]) {
	int pipefd[2];
	if (pipe(pipefd) < 0) {
		return NULL;
	}
	struct test_client *c = calloc(1, sizeof(*c));
	if (!c) {
		close(pipefd[0]);
		close(pipefd[1]);
		return NULL;
	}
	c->pid = fork();
	if (c->pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(pipefd[0]);
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[1]);
		setenv("XDG_RUNTIME_DIR", dir, 1);
		setenv("WAYLAND_DISPLAY", "wayland-0", 1);
		setenv("HOME", h->dir, 1);
		setenv("XDG_CONFIG_HOME", h->dir, 1);
		// Clients are tools here; only the compositor's leaks matter.
		setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
		unsetenv("DISPLAY");
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pipefd[1]);
	c->out_fd = pipefd[0];
	return c;
}

static struct test_client *spawn_test(struct harness *h, const char *dir,
		const char *args) {
	const char *argv[64];
	int n = 0;
	const char *bin = getenv("PWL_TEST_CLIENT");
	argv[n++] = bin ? bin : PWL_TEST_CLIENT_DEFAULT;
	char *copy = strdup(args ? args : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok && n < 63;
			tok = strtok_r(NULL, " ", &save)) {
		argv[n++] = tok;
	}
	argv[n] = NULL;
	struct test_client *c = spawn_in(h, dir, argv);
	free(copy);
	return c;
}

struct test_client *client_spawn_test(struct harness *h, const char *args) {
	return spawn_test(h, h->dir, args);
}

struct test_client *client_spawn_test_app(struct harness *h,
		const char *app_dir, const char *args) {
	return spawn_test(h, app_dir, args);
}

char *harness_app_create(struct harness *h, const char *name,
		const char *permissions, char *instance, size_t instance_len) {
	struct json_object *r = harness_ipc(h, "{\"command\":\"app-create\","
		"\"app\":\"%s\",\"permissions\":\"%s\"}", name,
		permissions ? permissions : "");
	struct json_object *inst = NULL;
	char *dir = NULL;
	if (r && json_object_object_get_ex(r, "instance", &inst)) {
		dir = strdup(json_object_get_string(
			json_object_object_get(inst, "dir")));
		if (instance) {
			snprintf(instance, instance_len, "%s", json_object_get_string(
				json_object_object_get(inst, "instance")));
		}
	} else if (r) {
		fprintf(stderr, "harness: app-create: %s\n",
			json_object_to_json_string(r));
	}
	json_object_put(r);
	return dir;
}

bool client_wait_line(struct test_client *c, const char *prefix,
		int timeout_ms, char *line, size_t line_len) {
	long deadline = now_ms() + timeout_ms;
	size_t plen = strlen(prefix);
	for (;;) {
		// Look at every complete line after the last match.
		while (c->text && c->scan < c->len) {
			char *start = c->text + c->scan;
			char *nl = memchr(start, '\n', c->len - c->scan);
			if (!nl) {
				break;
			}
			c->scan = nl - c->text + 1;
			if ((size_t)(nl - start) >= plen && !strncmp(start, prefix, plen)) {
				if (line) {
					size_t n = nl - start;
					if (n >= line_len) {
						n = line_len - 1;
					}
					memcpy(line, start, n);
					line[n] = '\0';
				}
				return true;
			}
		}
		long left = deadline - now_ms();
		if (left <= 0 || (c->out_fd < 0 && c->scan >= c->len)) {
			return false;
		}
		client_read(c, (int)(left < 100 ? left : 100));
	}
}

bool client_saw(struct test_client *c, const char *prefix) {
	client_read(c, 0);
	if (!c->text) {
		return false;
	}
	size_t plen = strlen(prefix);
	for (const char *p = c->text; p && *p;) {
		if (!strncmp(p, prefix, plen)) {
			return true;
		}
		p = strchr(p, '\n');
		if (p) {
			p++;
		}
	}
	return false;
}

int client_count(struct test_client *c, const char *line) {
	client_read(c, 0);
	int n = 0;
	size_t len = strlen(line);
	for (const char *p = c->text; p && *p;) {
		if (!strncmp(p, line, len) && (p[len] == '\n' || !p[len])) {
			n++;
		}
		p = strchr(p, '\n');
		if (p) {
			p++;
		}
	}
	return n;
}

const char *client_text(struct test_client *c) {
	client_read(c, 0);
	return c->text ? c->text : "";
}

pid_t client_pid(struct test_client *c) {
	return c->pid;
}

bool client_running(struct test_client *c) {
	if (c->reaped) {
		return false;
	}
	int status;
	if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
		c->reaped = true;
		c->status = status;
		return false;
	}
	return true;
}

int client_wait_exit(struct test_client *c, int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	while (client_running(c)) {
		if (now_ms() > deadline) {
			return -1;
		}
		client_read(c, 10);
	}
	while (c->out_fd >= 0) {
		client_read(c, 100);
	}
	if (WIFEXITED(c->status)) {
		return WEXITSTATUS(c->status);
	}
	return 128 + WTERMSIG(c->status);
}

void client_kill(struct test_client *c, int sig) {
	if (client_running(c)) {
		kill(c->pid, sig);
	}
}

void client_free(struct test_client *c) {
	if (!c) {
		return;
	}
	if (client_running(c)) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, &c->status, 0);
	}
	if (c->out_fd >= 0) {
		close(c->out_fd);
	}
	free(c->text);
	free(c);
}

/* Windows */

int jint(struct json_object *obj, const char *path) {
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	char *save = NULL;
	struct json_object *cur = obj;
	for (char *key = strtok_r(buf, ".", &save); key && cur;
			key = strtok_r(NULL, ".", &save)) {
		struct json_object *next = NULL;
		json_object_object_get_ex(cur, key, &next);
		cur = next;
	}
	return cur ? json_object_get_int(cur) : -99999;
}

bool jbool(struct json_object *obj, const char *key) {
	struct json_object *value;
	return json_object_object_get_ex(obj, key, &value) &&
		json_object_get_boolean(value);
}

static struct json_object *find_window(struct harness *h, const char *app_id) {
	struct json_object *reply = harness_ipc(h, "{\"command\":\"windows\"}");
	if (!reply) {
		return NULL;
	}
	struct json_object *list, *found = NULL;
	if (json_object_object_get_ex(reply, "windows", &list)) {
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *w = json_object_array_get_idx(list, i);
			struct json_object *id;
			if (json_object_object_get_ex(w, "app_id", &id) &&
					!strcmp(json_object_get_string(id), app_id)) {
				found = json_object_get(w);
				break;
			}
		}
	}
	json_object_put(reply);
	return found;
}

struct json_object *harness_wait_window_where(struct harness *h,
		const char *app_id, bool (*pred)(struct json_object *w),
		int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	do {
		struct json_object *w = find_window(h, app_id);
		if (w && (!pred || pred(w))) {
			return w;
		}
		json_object_put(w);
		harness_sleep(h, 20);
	} while (now_ms() < deadline);
	return NULL;
}

struct json_object *harness_wait_window(struct harness *h, const char *app_id,
		int timeout_ms) {
	return harness_wait_window_where(h, app_id, NULL, timeout_ms);
}

bool harness_wait_no_window(struct harness *h, const char *app_id,
		int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	do {
		struct json_object *w = find_window(h, app_id);
		if (!w) {
			return true;
		}
		json_object_put(w);
		harness_sleep(h, 20);
	} while (now_ms() < deadline);
	return false;
}

/* Screen */

struct capture {
	struct harness *h;
	struct wl_buffer *buffer;
	void *data;
	size_t size;
	uint32_t format, width, height, stride;
	bool done, failed, y_invert;
};

static void frame_buffer(void *data, struct zwlr_screencopy_frame_v1 *frame,
		uint32_t format, uint32_t width, uint32_t height, uint32_t stride) {
	struct capture *cap = data;
	cap->format = format;
	cap->width = width;
	cap->height = height;
	cap->stride = stride;
	cap->size = (size_t)stride * height;
	int fd = create_shm_fd(cap->size);
	if (fd < 0) {
		cap->failed = true;
		return;
	}
	cap->data = mmap(NULL, cap->size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	struct wl_shm_pool *pool = wl_shm_create_pool(cap->h->shm, fd,
		(int32_t)cap->size);
	cap->buffer = wl_shm_pool_create_buffer(pool, 0, width, height, stride,
		format);
	wl_shm_pool_destroy(pool);
	close(fd);
	zwlr_screencopy_frame_v1_copy(frame, cap->buffer);
}

static void frame_flags(void *data, struct zwlr_screencopy_frame_v1 *frame,
		uint32_t flags) {
	struct capture *cap = data;
	cap->y_invert = flags & ZWLR_SCREENCOPY_FRAME_V1_FLAGS_Y_INVERT;
}

static void frame_ready(void *data, struct zwlr_screencopy_frame_v1 *frame,
		uint32_t sec_hi, uint32_t sec_lo, uint32_t nsec) {
	struct capture *cap = data;
	cap->done = true;
}

static void frame_failed(void *data, struct zwlr_screencopy_frame_v1 *frame) {
	struct capture *cap = data;
	cap->failed = true;
}

static const struct zwlr_screencopy_frame_v1_listener frame_listener = {
	.buffer = frame_buffer,
	.flags = frame_flags,
	.ready = frame_ready,
	.failed = frame_failed,
};

static void refresh_outputs(struct harness *h) {
	// Outputs may have been plugged since we connected.
	wl_display_roundtrip(h->display);
}

bool harness_screenshot(struct harness *h, int index, struct image *img) {
	refresh_outputs(h);
	if (index < 0 || index >= h->noutputs) {
		return false;
	}
	struct capture cap = { .h = h };
	struct zwlr_screencopy_frame_v1 *frame =
		zwlr_screencopy_manager_v1_capture_output(h->screencopy, 0,
			h->outputs[index]);
	zwlr_screencopy_frame_v1_add_listener(frame, &frame_listener, &cap);
	long deadline = now_ms() + 5000;
	while (!cap.done && !cap.failed && now_ms() < deadline) {
		if (wl_display_roundtrip(h->display) < 0) {
			break;
		}
	}
	zwlr_screencopy_frame_v1_destroy(frame);
	bool ok = cap.done && cap.data && cap.data != MAP_FAILED &&
		(cap.format == WL_SHM_FORMAT_XRGB8888 ||
		cap.format == WL_SHM_FORMAT_ARGB8888);
	if (ok) {
		img->width = (int)cap.width;
		img->height = (int)cap.height;
		img->pixels = malloc((size_t)cap.width * cap.height * 4);
		for (uint32_t y = 0; img->pixels && y < cap.height; y++) {
			uint32_t src_y = cap.y_invert ? cap.height - 1 - y : y;
			memcpy(img->pixels + (size_t)y * cap.width,
				(char *)cap.data + (size_t)src_y * cap.stride,
				(size_t)cap.width * 4);
		}
		ok = img->pixels != NULL;
	}
	if (cap.buffer) {
		wl_buffer_destroy(cap.buffer);
	}
	if (cap.data && cap.data != MAP_FAILED) {
		munmap(cap.data, cap.size);
	}
	return ok;
}

uint32_t image_rgb(const struct image *img, int x, int y) {
	if (x < 0 || y < 0 || x >= img->width || y >= img->height) {
		return 0xff000000; // impossible colour, never matches
	}
	return img->pixels[(size_t)y * img->width + x] & 0x00ffffff;
}

void image_finish(struct image *img) {
	free(img->pixels);
	img->pixels = NULL;
}

bool image_write_png(const struct image *img, const char *path) {
	FILE *f = fopen(path, "wb");
	if (!f) {
		return false;
	}
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
		NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	if (!info || setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		fclose(f);
		return false;
	}
	png_init_io(png, f);
	png_set_IHDR(png, info, img->width, img->height, 8, PNG_COLOR_TYPE_RGB,
		PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
		PNG_FILTER_TYPE_DEFAULT);
	png_write_info(png, info);
	unsigned char *row = malloc((size_t)img->width * 3);
	for (int y = 0; row && y < img->height; y++) {
		for (int x = 0; x < img->width; x++) {
			uint32_t p = img->pixels[(size_t)y * img->width + x];
			row[x * 3] = (p >> 16) & 0xff;
			row[x * 3 + 1] = (p >> 8) & 0xff;
			row[x * 3 + 2] = p & 0xff;
		}
		png_write_row(png, row);
	}
	free(row);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return fclose(f) == 0;
}

bool harness_wait_pixel(struct harness *h, int x, int y, uint32_t rgb,
		int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	uint32_t last = 0;
	do {
		struct image img;
		if (harness_screenshot(h, 0, &img)) {
			last = image_rgb(&img, x, y);
			image_finish(&img);
			if (last == rgb) {
				return true;
			}
		}
		harness_sleep(h, 30);
	} while (now_ms() < deadline);
	fprintf(stderr, "harness: pixel %d,%d is %06x, expected %06x\n", x, y,
		last, rgb);
	return false;
}

/* Input */

static void layout_extent(struct harness *h, int *w, int *ht) {
	*w = 1;
	*ht = 1;
	struct json_object *reply = harness_ipc(h, "{\"command\":\"outputs\"}");
	struct json_object *list;
	if (reply && json_object_object_get_ex(reply, "outputs", &list)) {
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *o = json_object_array_get_idx(list, i);
			int right = jint(o, "box.x") + jint(o, "box.width");
			int bottom = jint(o, "box.y") + jint(o, "box.height");
			*w = right > *w ? right : *w;
			*ht = bottom > *ht ? bottom : *ht;
		}
	}
	json_object_put(reply);
}

void harness_pointer_move(struct harness *h, double x, double y) {
	int w, ht;
	layout_extent(h, &w, &ht);
	x = x < w - 1 ? x : w - 1;
	y = y < ht - 1 ? y : ht - 1;
	h->time_ms += 10;
	zwlr_virtual_pointer_v1_motion_absolute(h->pointer, h->time_ms,
		(uint32_t)x, (uint32_t)y, (uint32_t)w, (uint32_t)ht);
	zwlr_virtual_pointer_v1_frame(h->pointer);
	harness_roundtrip(h);
}

void harness_pointer_button(struct harness *h, uint32_t button, bool pressed) {
	h->time_ms += 10;
	zwlr_virtual_pointer_v1_button(h->pointer, h->time_ms, button,
		pressed ? WL_POINTER_BUTTON_STATE_PRESSED :
		WL_POINTER_BUTTON_STATE_RELEASED);
	zwlr_virtual_pointer_v1_frame(h->pointer);
	harness_roundtrip(h);
}

void harness_click(struct harness *h, double x, double y, uint32_t button) {
	harness_pointer_move(h, x, y);
	harness_pointer_button(h, button, true);
	harness_pointer_button(h, button, false);
}

static uint32_t mod_mask(struct harness *h, const char *mods) {
	uint32_t mask = 0;
	if (!mods) {
		return 0;
	}
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", mods);
	char *save = NULL;
	for (char *m = strtok_r(buf, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
		xkb_mod_index_t idx = xkb_keymap_mod_get_index(h->keymap, m);
		if (idx != XKB_MOD_INVALID) {
			mask |= 1u << idx;
		}
	}
	return mask;
}

void harness_modifiers(struct harness *h, const char *mods) {
	zwp_virtual_keyboard_v1_modifiers(h->keyboard, mod_mask(h, mods), 0, 0, 0);
	harness_roundtrip(h);
}

void harness_key(struct harness *h, const char *mods, uint32_t key) {
	// Virtual keyboards do not derive modifiers from keys: send them.
	if (mods) {
		harness_modifiers(h, mods);
	}
	h->time_ms += 10;
	zwp_virtual_keyboard_v1_key(h->keyboard, h->time_ms, key,
		WL_KEYBOARD_KEY_STATE_PRESSED);
	h->time_ms += 10;
	zwp_virtual_keyboard_v1_key(h->keyboard, h->time_ms, key,
		WL_KEYBOARD_KEY_STATE_RELEASED);
	if (mods) {
		harness_modifiers(h, NULL);
	}
	harness_roundtrip(h);
}

bool harness_roundtrip(struct harness *h) {
	return h->display && wl_display_roundtrip(h->display) >= 0;
}

void harness_sleep(struct harness *h, int ms) {
	long deadline = now_ms() + ms;
	while (now_ms() < deadline) {
		wl_display_flush(h->display);
		struct pollfd pfd = { wl_display_get_fd(h->display), POLLIN, 0 };
		long left = deadline - now_ms();
		if (poll(&pfd, 1, left > 0 ? (int)left : 0) > 0) {
			if (wl_display_dispatch(h->display) < 0) {
				// The compositor is gone: just wait out the time.
				left = deadline - now_ms();
				if (left > 0) {
					sleep_ms((int)left);
				}
				return;
			}
		}
	}
}

/* Foreign toplevels, through a connection of its own so that the
 * harness's main one stays simple. */
struct toplevel_list {
	char text[8192];
	char app_id[256], title[256];
	bool done;
};

static void tl_title(void *data, struct zwlr_foreign_toplevel_handle_v1 *t,
		const char *title) {
	struct toplevel_list *l = data;
	snprintf(l->title, sizeof(l->title), "%s", title);
}

static void tl_app_id(void *data, struct zwlr_foreign_toplevel_handle_v1 *t,
		const char *app_id) {
	struct toplevel_list *l = data;
	snprintf(l->app_id, sizeof(l->app_id), "%s", app_id);
}

static void tl_output_enter(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *t, struct wl_output *o) {
}

static void tl_output_leave(void *data,
		struct zwlr_foreign_toplevel_handle_v1 *t, struct wl_output *o) {
}

static void tl_state(void *data, struct zwlr_foreign_toplevel_handle_v1 *t,
		struct wl_array *state) {
}

static void tl_done(void *data, struct zwlr_foreign_toplevel_handle_v1 *t) {
	struct toplevel_list *l = data;
	size_t len = strlen(l->text);
	snprintf(l->text + len, sizeof(l->text) - len, "%s\t%s\n", l->app_id,
		l->title);
	zwlr_foreign_toplevel_handle_v1_destroy(t);
}

static void tl_closed(void *data, struct zwlr_foreign_toplevel_handle_v1 *t) {
}

static void tl_parent(void *data, struct zwlr_foreign_toplevel_handle_v1 *t,
		struct zwlr_foreign_toplevel_handle_v1 *parent) {
}

static const struct zwlr_foreign_toplevel_handle_v1_listener tl_listener = {
	.title = tl_title,
	.app_id = tl_app_id,
	.output_enter = tl_output_enter,
	.output_leave = tl_output_leave,
	.state = tl_state,
	.done = tl_done,
	.closed = tl_closed,
	.parent = tl_parent,
};

static void manager_toplevel(void *data,
		struct zwlr_foreign_toplevel_manager_v1 *m,
		struct zwlr_foreign_toplevel_handle_v1 *t) {
	zwlr_foreign_toplevel_handle_v1_add_listener(t, &tl_listener, data);
}

static void manager_finished(void *data,
		struct zwlr_foreign_toplevel_manager_v1 *m) {
}

static const struct zwlr_foreign_toplevel_manager_v1_listener
		manager_listener = {
	.toplevel = manager_toplevel,
	.finished = manager_finished,
};

struct tl_registry {
	struct zwlr_foreign_toplevel_manager_v1 *manager;
};

static void tl_global(void *data, struct wl_registry *registry, uint32_t name,
		const char *interface, uint32_t version) {
	struct tl_registry *r = data;
	if (!strcmp(interface, zwlr_foreign_toplevel_manager_v1_interface.name)) {
		r->manager = wl_registry_bind(registry, name,
			&zwlr_foreign_toplevel_manager_v1_interface, 2);
	}
}

static const struct wl_registry_listener tl_registry_listener = {
	.global = tl_global,
	.global_remove = registry_global_remove,
};

char *harness_foreign_toplevels(struct harness *h) {
	int fd = connect_wayland(h);
	struct wl_display *d = fd >= 0 ? wl_display_connect_to_fd(fd) : NULL;
	if (!d) {
		return NULL;
	}
	struct tl_registry r = { 0 };
	struct wl_registry *registry = wl_display_get_registry(d);
	wl_registry_add_listener(registry, &tl_registry_listener, &r);
	wl_display_roundtrip(d);
	struct toplevel_list *list = calloc(1, sizeof(*list));
	char *text = NULL;
	if (r.manager && list) {
		zwlr_foreign_toplevel_manager_v1_add_listener(r.manager,
			&manager_listener, list);
		wl_display_roundtrip(d);
		wl_display_roundtrip(d);
		text = strdup(list->text);
		zwlr_foreign_toplevel_manager_v1_destroy(r.manager);
	}
	free(list);
	wl_registry_destroy(registry);
	wl_display_disconnect(d);
	return text;
}

int harness_fd_count(struct harness *h) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)h->pid);
	DIR *dir = opendir(path);
	if (!dir) {
		return -1;
	}
	int n = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] != '.') {
			n++;
		}
	}
	closedir(dir);
	return n;
}

static void print_fds(struct harness *h) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)h->pid);
	DIR *dir = opendir(path);
	struct dirent *e;
	while (dir && (e = readdir(dir))) {
		char link[384], target[256];
		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(link, sizeof(link), "%s/%s", path, e->d_name);
		ssize_t n = readlink(link, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		fprintf(stderr, "harness: compositor fd %s -> %s\n", e->d_name,
			target);
	}
	if (dir) {
		closedir(dir);
	}
}

int harness_fd_count_settled(struct harness *h, int want, int timeout_ms) {
	long deadline = now_ms() + timeout_ms;
	int n = harness_fd_count(h);
	while (n > want && now_ms() < deadline) {
		harness_sleep(h, 50);
		n = harness_fd_count(h);
	}
	if (n > want) {
		print_fds(h);
	}
	return n;
}

long harness_rss_kib(struct harness *h) {
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)h->pid);
	FILE *f = fopen(path, "r");
	if (!f) {
		return -1;
	}
	char line[256];
	long kib = -1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VmRSS:", 6)) {
			kib = strtol(line + 6, NULL, 10);
		}
	}
	fclose(f);
	return kib;
}
