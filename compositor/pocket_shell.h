#ifndef PWL_POCKET_SHELL_H
#define PWL_POCKET_SHELL_H

/* zpocket_shell_v1 (protocols/pocket-shell-unstable-v1.xml): the panel's
 * view of the store apps, their states and the stores, with launch, stop,
 * purge and consent. Host clients only (app.c hides zpocket_*). */
#include <stdbool.h>

struct pwl_server;
struct pwl_pocket_shell;

struct pwl_pocket_shell *pocket_shell_create(struct pwl_server *server);
void pocket_shell_destroy(struct pwl_pocket_shell *shell); // accepts NULL
/** A store appeared or went away: shells get the new app list. */
void pocket_shell_stores_changed(struct pwl_pocket_shell *shell,
	const char *path, bool present);
/** The Super key alone: shells open or close their launcher. */
void pocket_shell_menu(struct pwl_pocket_shell *shell);

#endif
