#ifndef PWL_IDLE_H
#define PWL_IDLE_H

struct pwl_server;

/* Idle notification (KDE idle, for screen lockers) and idle-inhibit: while
 * any inhibitor lives, the session does not go idle. */
struct pwl_idle *idle_create(struct pwl_server *server);
void idle_destroy(struct pwl_idle *idle);

#endif
