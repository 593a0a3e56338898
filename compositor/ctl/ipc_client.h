#ifndef PWL_IPC_CLIENT_H
#define PWL_IPC_CLIENT_H

#include <json-c/json.h>
#include <stddef.h>

/** The control socket path: $POCKETWL_SOCK, else derived from
 * $XDG_RUNTIME_DIR and $WAYLAND_DISPLAY. Returns NULL with *error set. */
char *ipc_client_socket_path(const char **error);

/** Sends one request and waits (at most timeout_ms) for its reply.
 * Returns the reply, or NULL with a message in `err`. */
struct json_object *ipc_client_request(const char *path,
	struct json_object *request, int timeout_ms, char *err, size_t err_len);

#endif
