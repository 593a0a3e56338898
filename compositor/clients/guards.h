#ifndef PWL_GUARDS_H
#define PWL_GUARDS_H

/* Checks on client requests that wlroots 0.15.1 would trust to its own
 * peril, made before wlroots sees them (a protocol logger runs before each
 * request is dispatched). See doc/robustness.md for what is covered. */
#include <stdbool.h>

struct pwl_clients;

bool guards_init(struct pwl_clients *clients);
void guards_finish(struct pwl_clients *clients);
/** Writes the last client requests to stderr (signal-safe): for crash and
 * watchdog reports. */
void guards_report_recent(void);

#endif
