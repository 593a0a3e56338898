#ifndef PWL_CLIENTS_H
#define PWL_CLIENTS_H

/* What the clients layer knows of the session: the display, its loop, the
 * config, and the app instances (private sockets) it made. The desktop
 * embeds one in its server; nothing here knows windows, outputs or apps
 * of stores. */
#include <stdint.h>
#include <wayland-server-core.h>

struct input_serials;
struct pwl_config;
struct wlr_compositor;

struct pwl_clients {
	struct wl_display *display;
	struct wl_event_loop *loop;
	struct pwl_config *config;
	const char *socket; // the main socket's name, once it listens
	struct wlr_compositor *compositor; // new surfaces, for the limits
	struct wl_list apps; // pwl_app.link
	uint32_t next_app_serial;
	struct wl_protocol_logger *protocol_logger; // see app.c
	struct wl_protocol_logger *guard_logger; // see guards.c
	struct wl_listener app_new_surface; // see app.c
	struct wl_listener guard_new_surface; // see guards.c
	struct wl_global *private_data_manager; // see app_clipboard.c
	struct wl_global *private_primary_manager;
	struct wl_client *keyboard_focus; // told by the seat; may be NULL
	int32_t pending_pool_bytes; // wl_shm.create_pool being dispatched
	/* The user's recent key and button events, by client (the seat's;
	 * NULL before there is one): what a popup grab must show. */
	const struct input_serials *user_serials;
	/* The client whose set_selection (clipboard or primary) is being
	 * dispatched right now, from guards.c; NULL for any other request.
	 * wlroots' event does not say who asked. */
	struct {
		struct wl_client *client;
		uint32_t serial;
	} selection_request;
};

#endif
