#ifndef PWL_WATCHDOG_H
#define PWL_WATCHDOG_H

/* If the event loop stops turning (a handler stuck in a loop, a deadlock)
 * for [general] watchdog seconds (default 5), pocketwl says where it was
 * (a backtrace of the main thread and the last client requests) and exits
 * with status 3, so that its session or unit starts it again; the next
 * start removes the orphaned app containers and sockets. */
struct wl_event_loop;
struct pwl_watchdog;

struct pwl_watchdog *watchdog_start(struct wl_event_loop *loop, int seconds);
void watchdog_stop(struct pwl_watchdog *watchdog); // accepts NULL

#endif
