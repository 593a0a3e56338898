#ifndef PWL_LAUNCH_H
#define PWL_LAUNCH_H

/* Launching a store app: image, socket, hardened container, start; then
 * following it until it exits. Asynchronous end to end: every step is a
 * callback on the event loop. The panel, pocketctl and kiosk mode all go
 * through launch_app(). */
#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <wayland-server-core.h>

struct pwl_server;
struct pwl_app;
struct json_object;

enum pwl_launch_state {
	PWL_LAUNCH_WAITING, // for the engine
	PWL_LAUNCH_LOADING, // checking or loading the image
	PWL_LAUNCH_STARTING, // creating and starting the container
	PWL_LAUNCH_RUNNING, // started (its window may not be up yet)
	PWL_LAUNCH_STOPPING,
	PWL_LAUNCH_EXITED, // ran and ended (exit_code)
	PWL_LAUNCH_FAILED, // never ran (error)
};

struct pwl_launch_options {
	bool consent; // the user agreed to the permissions (--yes, kiosk)
	/* The panel: the user agreed to `consented` (what the panel showed
	 * them), not to whatever the manifest asks now. */
	bool consent_limited;
	uint32_t consented;
	bool kiosk; // fullscreen everywhere, no frame
	bool configured_only; // only [stores] path stores, never plugged-in ones
};

struct pwl_launch {
	struct wl_list link; // pwl_server.launches
	struct pwl_server *server;
	char *app_id;
	char *name; // the manifest's Name
	char *store; // path of the store it came from
	char store_key[17]; // the store's identity (store.h)
	char display[100]; // "id", or "id@key" while two stores offer the id
	char qualified[100]; // always "id@key"
	char *store_name; // the store's [store] name
	bool mounted; // from a plugged-in store
	char image_id[80]; // "sha256:...", once the image is there
	char *instance; // the app instance's name, once made
	uint32_t permissions; // effective
	struct pwl_launch_options options;
	enum pwl_launch_state state;
	char error[512]; // FAILED, or why it stopped
	int exit_code; // EXITED; -1 unknown
	uint64_t progress_done, progress_total;
	bool progress_loading; // false: checking the checksum
	bool ready; // its first window is up
	int windows;
	char container_id[80];
	double latency_ms; // request to first window; 0 until then

	struct timespec t_request, t_image, t_created, t_started;
	time_t started_wall;
	struct image_ensure *ensure;
	struct engine_request *request;
	struct pwl_app *app;
	struct wl_listener app_destroy;
	struct wl_event_source *grace; // stop after the last window closed
	char *logs; // what the container printed, kept after it exited
};

/** Starts launching `what` ("ID" or "ID@STORE-KEY", stores.h). A
 * single-instance app already running is focused and its launch
 * returned. NULL with `error` filled when it cannot even start (unknown
 * or ambiguous app, invalid manifest, consent needed...). */
struct pwl_launch *launch_app(struct pwl_server *server, const char *what,
	const struct pwl_launch_options *options, char *error, size_t error_len);
/** Stops the app (SIGTERM, then SIGKILL after the stop timeout). */
void launch_stop(struct pwl_launch *launch);
/** The launch of an instance, or the newest launch of an app named as
 * "id@key", as its display name, or by its plain id. */
struct pwl_launch *launch_find(struct pwl_server *server, const char *what);
struct json_object *launch_json(struct pwl_launch *launch);

bool launch_active(const struct pwl_launch *launch);

/** Follows the desktop's views (first window, last window closed), the
 * stores (a store pulled out stops its apps) and the engine link. */
bool launches_init(struct pwl_server *server);
/** Frees every launch and stops following; may be called twice. */
void launches_finish(struct pwl_server *server);

#endif
