#include "clients/watchdog.h"

#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "clients/guards.h"

#define BEAT_MS 500
#define EXIT_STATUS 3

struct pwl_watchdog {
	int seconds;
	atomic_uint beats; // bumped by a timer on the event loop
	atomic_bool stop;
	pthread_t thread, main_thread;
	struct wl_event_source *timer;
};

static int handle_beat(void *data) {
	struct pwl_watchdog *w = data;
	atomic_fetch_add(&w->beats, 1);
	wl_event_source_timer_update(w->timer, BEAT_MS);
	return 0;
}

/* Runs on the main thread, wherever it is stuck: says where. */
static void handle_where(int sig) {
	static const char head[] = "pocketwl: watchdog: the main thread is "
		"here (backtrace):\n";
	if (write(STDERR_FILENO, head, sizeof(head) - 1) < 0) {
		// Nothing better to do in a signal handler.
	}
	void *frames[64];
	int n = backtrace(frames, 64);
	backtrace_symbols_fd(frames, n, STDERR_FILENO);
}

static void sleep_ms(long ms) {
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static void *watch(void *data) {
	struct pwl_watchdog *w = data;
	unsigned last = atomic_load(&w->beats);
	long still_ms = 0;
	while (!atomic_load(&w->stop)) {
		sleep_ms(BEAT_MS);
		unsigned now = atomic_load(&w->beats);
		still_ms = now == last ? still_ms + BEAT_MS : 0;
		last = now;
		if (still_ms < (long)w->seconds * 1000) {
			continue;
		}
		char msg[160];
		snprintf(msg, sizeof(msg), "pocketwl: watchdog: the event loop has "
			"not turned for %d s; ending with status %d\n", w->seconds,
			EXIT_STATUS);
		if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
			// stderr is gone; exit anyway.
		}
		pthread_kill(w->main_thread, SIGUSR2);
		sleep_ms(300); // let the backtrace be written
		guards_report_recent();
		_exit(EXIT_STATUS);
	}
	return NULL;
}

struct pwl_watchdog *watchdog_start(struct wl_event_loop *loop, int seconds) {
	if (seconds <= 0) {
		return NULL;
	}
	struct pwl_watchdog *w = calloc(1, sizeof(*w));
	if (!w) {
		return NULL;
	}
	w->seconds = seconds;
	w->main_thread = pthread_self();
	w->timer = wl_event_loop_add_timer(loop, handle_beat, w);
	struct sigaction sa = { .sa_handler = handle_where };
	sigemptyset(&sa.sa_mask);
	if (!w->timer || sigaction(SIGUSR2, &sa, NULL) < 0) {
		if (w->timer) {
			wl_event_source_remove(w->timer);
		}
		free(w);
		return NULL;
	}
	wl_event_source_timer_update(w->timer, BEAT_MS);
	// The thread must not take signals meant for the main loop's fds.
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	int err = pthread_create(&w->thread, NULL, watch, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err) {
		wl_event_source_remove(w->timer);
		free(w);
		return NULL;
	}
	wlr_log(WLR_DEBUG, "Watchdog: %d s", seconds);
	return w;
}

void watchdog_stop(struct pwl_watchdog *w) {
	if (!w) {
		return;
	}
	atomic_store(&w->stop, true);
	pthread_join(w->thread, NULL);
	wl_event_source_remove(w->timer);
	free(w);
}
