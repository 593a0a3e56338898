#ifndef PWL_OBJECT_LIMITS_H
#define PWL_OBJECT_LIMITS_H

/* Caps on what an app's clients keep alive: shm pools and their total
 * size, regions, positioners, data sources, activation tokens,
 * subsurfaces, buffers and callbacks, per client and per app instance
 * (all its clients together). Going over is the client's end (no_memory)
 * and a log line naming the app, so one greedy app hits its cap long
 * before the compositor runs out of mappings or memory for everyone. */
#include <stdint.h>
#include <wayland-server-core.h>

struct pwl_app_client;
struct pwl_clients;

enum object_kind {
	OBJ_SHM_POOL,
	OBJ_REGION,
	OBJ_POSITIONER,
	OBJ_DATA_SOURCE,
	OBJ_ACTIVATION_TOKEN,
	OBJ_SUBSURFACE,
	OBJ_BUFFER,
	OBJ_CALLBACK,
	OBJ_KINDS,
};

struct object_counts {
	int count[OBJ_KINDS];
	int64_t shm_bytes;
};

/** Starts counting what the app client creates. */
void object_limits_watch(struct pwl_app_client *ac);
/** The client is going: its objects no longer count for its app. */
void object_limits_client_gone(struct pwl_app_client *ac);
/** wl_shm.create_pool and wl_shm_pool.resize, seen before dispatch: the
 * sizes the pools will have. */
void object_limits_shm_request(struct pwl_clients *clients,
	struct wl_resource *resource, const char *request, int32_t size);

#endif
