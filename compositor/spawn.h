#ifndef PWL_SPAWN_H
#define PWL_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/** Runs `command` with /bin/sh -c, detached from the compositor. */
pid_t spawn_shell(const char *command);
/** Runs argv[0] with argv, detached; argv is NULL-terminated. */
pid_t spawn_argv(char *const argv[]);

/** Runs argv as an app client: its XDG_RUNTIME_DIR is the app's socket
 * directory, and it gets nothing that would reach the host session (no
 * POCKETWL_SOCK, no DISPLAY). */
pid_t spawn_app(char *const argv[], const char *runtime_dir);

#endif
