#include "util/spawn.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wlr/util/log.h>

/* Children must not inherit the compositor's blocked or ignored signals,
 * which libwayland's signal fds rely on. */
static void reset_signals(void) {
	sigset_t set;
	sigemptyset(&set);
	sigprocmask(SIG_SETMASK, &set, NULL);
	signal(SIGPIPE, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

static pid_t spawn(char *const argv[], const char *app_runtime_dir) {
	if (!argv || !argv[0]) {
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		wlr_log_errno(WLR_ERROR, "fork failed");
		return -1;
	}
	if (pid == 0) {
		reset_signals();
		setsid();
		if (app_runtime_dir) {
			setenv("XDG_RUNTIME_DIR", app_runtime_dir, 1);
			setenv("WAYLAND_DISPLAY", "wayland-0", 1);
			unsetenv("POCKETWL_SOCK");
			unsetenv("DISPLAY");
			unsetenv("WAYLAND_SOCKET");
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	wlr_log(WLR_DEBUG, "Spawned %s as pid %d", argv[0], (int)pid);
	return pid;
}

pid_t spawn_argv(char *const argv[]) {
	return spawn(argv, NULL);
}

pid_t spawn_app(char *const argv[], const char *runtime_dir) {
	return spawn(argv, runtime_dir);
}

pid_t spawn_shell(const char *command) {
	char *argv[] = { "/bin/sh", "-c", (char *)command, NULL };
	return spawn_argv(argv);
}

struct watched {
	struct watched *next;
	pid_t pid;
	spawn_exit_fn fn;
	void *data;
};

static struct watched *watched; // a short list: the panel, run instances

bool spawn_watch(pid_t pid, spawn_exit_fn fn, void *data) {
	struct watched *w = calloc(1, sizeof(*w));
	if (!w) {
		return false;
	}
	*w = (struct watched){ watched, pid, fn, data };
	watched = w;
	return true;
}

void spawn_unwatch(pid_t pid) {
	for (struct watched **w = &watched; *w; w = &(*w)->next) {
		if ((*w)->pid == pid) {
			struct watched *gone = *w;
			*w = gone->next;
			free(gone);
			return;
		}
	}
}

void spawn_reap(void) {
	pid_t pid;
	int status;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		for (struct watched **w = &watched; *w; w = &(*w)->next) {
			if ((*w)->pid == pid) {
				struct watched *gone = *w;
				*w = gone->next;
				gone->fn(gone->data, pid, status);
				free(gone);
				break;
			}
		}
	}
}
