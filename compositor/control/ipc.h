#ifndef PWL_IPC_H
#define PWL_IPC_H

#include <json-c/json.h>

struct pwl_server;

/* The control socket: line-delimited JSON requests and replies. Each
 * request is an object with a "command" and its arguments; each reply has
 * "ok" and either the result or "error". Its path is exported to children
 * as POCKETWL_SOCK. */
struct pwl_ipc;
struct pwl_ipc *ipc_create(struct pwl_server *server);
void ipc_destroy(struct pwl_ipc *ipc); // accepts NULL

/** Sends an event ({"event": ...}) to every client that sent
 * {"command": "subscribe"}. A subscriber that does not read is dropped. */
void ipc_broadcast(struct pwl_ipc *ipc, struct json_object *event);

/** Runs one request; returns a new reply object (never NULL). Exposed so
 * that commands can be tested without a socket. */
struct json_object *ipc_handle_request(struct pwl_server *server,
	const char *line);

#endif
