#ifndef PWL_IPC_CLIENT_H
#define PWL_IPC_CLIENT_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** The control socket path: $POCKETWL_SOCK, else derived from
 * $XDG_RUNTIME_DIR and $WAYLAND_DISPLAY. Returns NULL with *error set. */
char *ipc_client_socket_path(const char **error);

/** Sends one request and waits (at most timeout_ms) for its reply.
 * Returns the reply, or NULL with a message in `err`. */
struct json_object *ipc_client_request(const char *path,
	struct json_object *request, int timeout_ms, char *err, size_t err_len);

/* A connection that stays open: requests, their replies and, after
 * {"command": "subscribe"}, events ({"event": ...}) in between. */
struct ipc_connection;
struct ipc_connection *ipc_connection_open(const char *path, char *err,
	size_t err_len);
void ipc_connection_close(struct ipc_connection *conn); // accepts NULL
bool ipc_connection_send(struct ipc_connection *conn,
	struct json_object *request);
/** The next line as JSON; NULL on timeout (err says so), close or error. */
struct json_object *ipc_connection_next(struct ipc_connection *conn,
	int timeout_ms, char *err, size_t err_len);

/* Fields of a reply, with defaults for missing or mistyped ones. */
const char *json_str(struct json_object *obj, const char *key); // or NULL
int64_t json_num(struct json_object *obj, const char *key); // or 0
bool json_flag(struct json_object *obj, const char *key); // or false

#endif
