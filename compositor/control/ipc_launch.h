#ifndef PWL_IPC_LAUNCH_H
#define PWL_IPC_LAUNCH_H

/* IPC commands for store apps: launch, stop, ps, logs, engine. */
#include <json-c/json.h>

struct pwl_server;

struct json_object *ipc_cmd_launch(struct pwl_server *server,
	struct json_object *request);
struct json_object *ipc_cmd_stop(struct pwl_server *server,
	struct json_object *request);
struct json_object *ipc_cmd_ps(struct pwl_server *server,
	struct json_object *request);
struct json_object *ipc_cmd_logs(struct pwl_server *server,
	struct json_object *request);
struct json_object *ipc_cmd_engine(struct pwl_server *server,
	struct json_object *request);

struct json_object *ipc_cmd_kiosk(struct pwl_server *server,
	struct json_object *request);

/** Opens or closes the shell's launcher (as the Super key does). */
struct json_object *ipc_cmd_menu(struct pwl_server *server,
	struct json_object *request);

#endif
