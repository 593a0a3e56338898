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

#endif
