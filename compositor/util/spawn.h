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

/* Children's ends: each owner registers its own child and hears of its
 * exit (like foot's reaper), so that the SIGCHLD handler knows no
 * subsystem. */
typedef void (*spawn_exit_fn)(void *data, pid_t pid, int status);
/** Calls `fn` once when `pid` exits. false when out of memory. */
bool spawn_watch(pid_t pid, spawn_exit_fn fn, void *data);
/** Forgets `pid` (its owner is going first). */
void spawn_unwatch(pid_t pid);
/** Reaps every child that exited (none lingers as a zombie), calling the
 * owners of watched ones. For the SIGCHLD handler. */
void spawn_reap(void);

#endif
