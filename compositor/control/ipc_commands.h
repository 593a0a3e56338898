#ifndef PWL_IPC_COMMANDS_H
#define PWL_IPC_COMMANDS_H

#include <json-c/json.h>

struct pwl_server;

/** A reply {"ok": false, "error": message}. */
struct json_object *ipc_error(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
/** Runs a command; `request` holds its arguments. Never returns NULL. */
struct json_object *ipc_run_command(struct pwl_server *server,
	const char *command, struct json_object *request);

/** The request's string argument `key`, or NULL. */
const char *ipc_arg_string(struct json_object *request, const char *key);

#endif
