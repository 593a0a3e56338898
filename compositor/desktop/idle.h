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

/** Inhibitors alive, and those that count now. */
int idle_inhibitors(struct pwl_idle *idle);
int idle_counting_inhibitors(struct pwl_idle *idle);

#endif
