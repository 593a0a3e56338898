#ifndef PWL_APP_H
#define PWL_APP_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <wayland-server-core.h>

#include "clients/object_limits.h"
#include "permissions.h"

struct pwl_clients;
struct pwl_launch;

/* The store's permission bits, under the compositor's names. */
enum pwl_permission {
	PWL_PERM_CLIPBOARD = MANIFEST_PERM_CLIPBOARD,
	PWL_PERM_NETWORK = MANIFEST_PERM_NETWORK,
	PWL_PERM_GPU = MANIFEST_PERM_GPU,
	PWL_PERM_AUDIO = MANIFEST_PERM_AUDIO,
	PWL_PERM_POINTER = MANIFEST_PERM_POINTER, // relative pointer, constraints
};

/* An app instance: a private Wayland socket whose every client is this
 * app's. The compositor accepts on it itself, so a client's identity is
 * known from its first byte and never taken from what it says. */
struct pwl_app {
	struct wl_list link; // pwl_clients.apps
	struct pwl_clients *layer; // the clients layer that made it
	char *name; // the app's id, e.g. "org.example.Editor"
	/* What its label says: the name, and for an app of a plugged-in
	 * store, that store's name too. */
	char *label;
	char *instance; // unique in this session: "<name>-<n>"
	char *dir; // bind-mounted as the app's XDG_RUNTIME_DIR
	char *socket_path; // dir/wayland-0
	uint32_t permissions; // enum pwl_permission
	float color[4]; // label colour
	pid_t pid; // process started with the instance; 0 if none
	void *owner; // who made it (a store launch, apps/launch.c); may be NULL
	/* Where the desktop keeps its windows: nowhere in particular, or
	 * fullscreen on the primary output or across all (kiosk apps). */
	enum pwl_app_pin {
		PWL_PIN_NONE,
		PWL_PIN_PRIMARY,
		PWL_PIN_ALL,
	} pin;

	struct {
		struct wl_signal destroy;
	} events;

	/* Its private clipboard and primary selection (app_clipboard.c), for
	 * an app without the clipboard permission: [0] clipboard,
	 * [1] primary. */
	struct wl_resource *private_source[2];
	struct wl_list private_devices[2];
	uint32_t private_serial;
	/* The interfaces its clients were offered so far (the global
	 * filter's answers; names are the interfaces' own strings). */
	const char *offered[48];
	int noffered;

	int listen_fd;
	struct wl_event_source *source;
	struct wl_list clients; // pwl_app_client.link
	int nclients;
	struct object_counts objects; // all its clients' (object_limits.c)
	/* Its first window may take keyboard focus: the user asked for the
	 * app (every instance is made for a launch, a run or the kiosk)
	 * until this time (CLOCK_MONOTONIC, ms); 0 once used. */
	int64_t focus_grant_until_ms;
};

struct pwl_app_client {
	struct wl_list link; // pwl_app.clients
	struct pwl_app *app;
	struct wl_client *client;
	int nsurfaces;
	struct object_counts objects; // object_limits.c
	struct wl_listener destroy;
	struct wl_listener resource_created;
};

/** Creates the instance's socket directory (owned by `uid`, mode 0700)
 * and starts accepting. Returns NULL with `error` filled on failure. */
struct pwl_app *app_create(struct pwl_clients *clients, const char *name,
	uint32_t permissions, uid_t uid, char *error, size_t error_len);
/** Whether the app's launch still lets a window take focus (a look; it
 * stays). */
bool app_has_focus_grant(const struct pwl_app *app);
/** Whether the app's launch still lets a window take focus; true once. */
bool app_take_focus_grant(struct pwl_app *app);
/** Disconnects the app's clients, removes its socket and directory. */
void app_destroy(struct pwl_app *app); // accepts NULL
struct pwl_app *app_find(struct pwl_clients *clients, const char *instance);
/** The app a client connected through, or NULL for host clients. */
struct pwl_app *app_from_client(struct wl_client *client);

/** Ends instances whose process `pid` exited. */
/** The instance ends with process `pid` (pocketctl run). */
bool app_watch_process(struct pwl_app *app, pid_t pid);

/** Sets up the global filter and the per-client limits; removes what a
 * crashed session left under $XDG_RUNTIME_DIR/pocketwl/<display>. */
bool apps_init(struct pwl_clients *clients);
void apps_finish(struct pwl_clients *clients);

/** An app of a plugged-in store: its label names the store and its colour
 * comes from `color_seed` (the store's key and the id), never from the
 * user's [app NAME] colour, which is for the user's own stores. */
void app_set_store(struct pwl_app *app, const char *store_name,
	const char *color_seed);

#endif
