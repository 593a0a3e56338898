#ifndef PWL_PANEL_PROC_H
#define PWL_PANEL_PROC_H

/* The panel's process ([panel] command): started with the session and
 * started again when it dies, after 1 s doubling to 30 s (reset once it
 * ran 30 s), so that a crashing panel cannot spin. The new panel gets the
 * same state: the compositor sends it everything when it binds. */
#include <sys/types.h>

struct pwl_server;
struct pwl_panel_proc;

struct pwl_panel_proc *panel_proc_create(struct pwl_server *server,
	const char *command);
void panel_proc_destroy(struct pwl_panel_proc *proc); // accepts NULL

#endif
