#include "engine_cmd.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "discovery.h"
#include "engine.h"

struct result {
	bool done;
	struct engine *engine;
	char error[4700];
};

static void on_discovered(void *data, struct engine *engine,
		const char *error) {
	struct result *r = data;
	r->done = true;
	r->engine = engine;
	if (error) {
		snprintf(r->error, sizeof(r->error), "%s", error);
	}
}

/* pocketctl's blocking use of the asynchronous library: a loop of its own
 * turned until the answer is there. */
static struct engine *discover(struct wl_event_loop *loop,
		const char *address, char *error, size_t error_len) {
	struct result r = { 0 };
	engine_discover(loop, address, on_discovered, &r);
	while (!r.done) {
		wl_event_loop_dispatch(loop, -1);
	}
	if (!r.engine) {
		snprintf(error, error_len, "%s", r.error);
	}
	return r.engine;
}

static bool have_podman(void) {
	return system("command -v podman >/dev/null 2>&1") == 0;
}

/* A private Podman service for this user's session, on the socket that
 * discovery looks at. */
static bool start_podman(char *address, size_t len) {
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	if (!runtime || !runtime[0]) {
		fprintf(stderr, "pocketctl engine: XDG_RUNTIME_DIR is not set\n");
		return false;
	}
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/podman", runtime);
	mkdir(dir, 0700);
	snprintf(address, len, "unix://%s/podman.sock", dir);
	pid_t pid = fork();
	if (pid < 0) {
		return false;
	}
	if (pid == 0) {
		// Detached for good: nothing of ours (a pipe someone waits on)
		// stays open in the service; its output goes to a log.
		setsid();
		char log[4200];
		snprintf(log, sizeof(log), "%s/service.log", dir);
		if (!freopen("/dev/null", "r", stdin) ||
				!freopen(log, "a", stdout) || !freopen(log, "a", stderr)) {
			_exit(127);
		}
		execlp("podman", "podman", "system", "service", "--time=0", address,
			(char *)NULL);
		_exit(127);
	}
	fprintf(stderr, "pocketctl engine: started podman system service "
		"(pid %d) on %s, log in %s/service.log\n", (int)pid, address, dir);
	return true;
}

int engine_command(int argc, char *argv[]) {
	const char *address = NULL;
	bool start = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--engine") && i + 1 < argc) {
			address = argv[++i];
		} else if (!strcmp(argv[i], "--start")) {
			start = true;
		} else {
			fprintf(stderr, "pocketctl engine: usage: engine [--engine "
				"ADDRESS] [--start]\n");
			return 2;
		}
	}
	struct wl_event_loop *loop = wl_event_loop_create();
	if (!loop) {
		return 1;
	}
	char error[4700];
	struct engine *engine = discover(loop, address, error, sizeof(error));
	if (!engine && start && have_podman()) {
		char started[4200];
		if (start_podman(started, sizeof(started))) {
			for (int i = 0; i < 100 && !engine; i++) {
				struct timespec ts = { 0, 100000000L };
				nanosleep(&ts, NULL);
				engine = discover(loop, started, error, sizeof(error));
			}
		}
	} else if (!engine && start) {
		fprintf(stderr, "pocketctl engine: podman is not installed "
			"(apt-get install podman)\n");
	}
	int status = 0;
	if (engine) {
		// The mode decides how apps run as the user, and what is enforced.
		bool rootless = engine_is_rootless(engine);
		int cgroup = engine_cgroup_version(engine);
		printf("%s API %s (%s %s, cgroup v%d; memory and pid limits %s)\n",
			engine_address(engine), engine_api_version(engine),
			rootless ? "rootless" : "rootful",
			engine_is_podman(engine) ? "Podman" : "Docker", cgroup,
			!rootless || cgroup == 2 ? "enforced" : "not enforced");
		engine_destroy(engine);
	} else {
		fprintf(stderr, "pocketctl engine: %s\n", error);
		status = 1;
	}
	wl_event_loop_destroy(loop);
	return status;
}
