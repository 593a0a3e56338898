#include "apps/panel_proc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "desktop/server.h"
#include "util/spawn.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
#define STABLE_S 30

struct pwl_panel_proc {
	struct pwl_server *server;
	char *command;
	pid_t pid;
	time_t started;
	int backoff_ms;
	struct wl_event_source *restart;
};

static void handle_exit(void *data, pid_t pid, int status);

static void start(struct pwl_panel_proc *proc) {
	// exec: the shell becomes the panel, so its pid and death are the
	// panel's own.
	char command[4200];
	snprintf(command, sizeof(command), "exec %s", proc->command);
	proc->pid = spawn_shell(command);
	proc->started = time(NULL);
	if (proc->pid > 0) {
		spawn_watch(proc->pid, handle_exit, proc);
	}
	wlr_log(WLR_INFO, "Panel started: %s (pid %d)", proc->command,
		(int)proc->pid);
}

static int handle_restart(void *data) {
	start(data);
	return 0;
}

struct pwl_panel_proc *panel_proc_create(struct pwl_server *server,
		const char *command) {
	struct pwl_panel_proc *proc = calloc(1, sizeof(*proc));
	if (!proc || !(proc->command = strdup(command))) {
		free(proc);
		return NULL;
	}
	proc->server = server;
	proc->backoff_ms = BACKOFF_MIN_MS;
	proc->restart = wl_event_loop_add_timer(server->loop, handle_restart,
		proc);
	if (!proc->restart) {
		free(proc->command);
		free(proc);
		return NULL;
	}
	start(proc);
	return proc;
}

static void handle_exit(void *data, pid_t pid, int status) {
	struct pwl_panel_proc *proc = data;
	(void)pid;
	proc->pid = 0;
	if (time(NULL) - proc->started >= STABLE_S) {
		proc->backoff_ms = BACKOFF_MIN_MS;
	}
	if (WIFSIGNALED(status)) {
		wlr_log(WLR_ERROR, "The panel died of signal %d; starting it again "
			"in %d ms", WTERMSIG(status), proc->backoff_ms);
	} else {
		wlr_log(WLR_ERROR, "The panel exited with status %d; starting it "
			"again in %d ms", WEXITSTATUS(status), proc->backoff_ms);
	}
	wl_event_source_timer_update(proc->restart, proc->backoff_ms);
	proc->backoff_ms = proc->backoff_ms * 2 > BACKOFF_MAX_MS ?
		BACKOFF_MAX_MS : proc->backoff_ms * 2;
}

void panel_proc_destroy(struct pwl_panel_proc *proc) {
	if (!proc) {
		return;
	}
	// The panel goes with its connection when the session ends.
	if (proc->pid > 0) {
		spawn_unwatch(proc->pid);
	}
	wl_event_source_remove(proc->restart);
	free(proc->command);
	free(proc);
}
