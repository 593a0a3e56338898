#ifndef PWL_GLOBAL_POLICY_H
#define PWL_GLOBAL_POLICY_H

/* Which globals an app's clients see: an allow-list, so that a global
 * added to the compositor later stays invisible to apps until someone
 * puts it here. Pure: no server, no clients. */
#include <stdbool.h>
#include <stdint.h>

/** Whether an app with `permissions` (enum pwl_permission) sees globals
 * of `interface`. */
bool app_global_allowed(uint32_t permissions, const char *interface);
/** The clipboard and primary selection managers: every app sees one,
 * the session's with the clipboard permission and its own private one
 * without (clients/app_clipboard.h). */
bool global_is_selection(const char *interface);

#endif
