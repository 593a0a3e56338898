#ifndef POCKETCTL_ARGS_H
#define POCKETCTL_ARGS_H

/* pocketctl's one way to read a command's arguments (argv[0] is the
 * command): "--name VALUE" options, "--flag" flags, and positionals. */
#include <stdbool.h>

/** The value after `name`, or NULL. */
const char *arg_option(int argc, char *argv[], const char *name);
/** Whether `flag` is given. */
bool arg_flag(int argc, char *argv[], const char *flag);
/** The first argument that is not an option nor the value of one of
 * `with_value` (a NULL-terminated list of options taking a value; may be
 * NULL), or NULL. */
const char *arg_positional(int argc, char *argv[],
	const char *const *with_value);

#endif
