#ifndef PWL_IDLE_H
#define PWL_IDLE_H

#include <stdbool.h>

struct pwl_server;
struct pwl_idle;
struct wlr_surface;

/* Idle notification (KDE idle, for screen lockers) and idle-inhibit: while
 * an inhibitor's surface is shown, the session does not go idle. */
struct pwl_idle *idle_create(struct pwl_server *server);
void idle_destroy(struct pwl_idle *idle);
/** Whether an inhibitor on `surface` counts: a mapped window, subsurface
 * or layer surface with content, on an output. */
bool idle_inhibitor_counts(struct wlr_surface *surface);
/** Inhibitors alive, and those that count now. */
int idle_inhibitors(struct pwl_idle *idle);
int idle_counting_inhibitors(struct pwl_idle *idle);

#endif
