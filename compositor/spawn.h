#ifndef PWL_SPAWN_H
#define PWL_SPAWN_H

#include <stdbool.h>
#include <sys/types.h>

/** Runs `command` with /bin/sh -c, detached from the compositor. */
pid_t spawn_shell(const char *command);
/** Runs argv[0] with argv, detached; argv is NULL-terminated. */
pid_t spawn_argv(char *const argv[]);

#endif
