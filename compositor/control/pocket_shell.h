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
/* It follows the server's events: stores added and removed (shells get the
 * new app list), launches, and the user's request for the launcher. */
/** Shells open or close their launcher (Super alone, pocketctl menu). */
void pocket_shell_menu(struct pwl_pocket_shell *shell);

#endif
