#ifndef PWL_SEAT_H
#define PWL_SEAT_H

#include <stdbool.h>
#include <stdint.h>
#include <wayland-server-core.h>
#include <wlr/util/box.h>

#include "util/input_serials.h"

struct pwl_server;
struct pwl_view;
struct wlr_surface;
struct wlr_layer_surface_v1;

enum pwl_cursor_mode {
	PWL_CURSOR_PASSTHROUGH,
	PWL_CURSOR_MOVE,
	PWL_CURSOR_RESIZE,
};

struct pwl_seat {
	struct pwl_server *server;
	struct wlr_seat *wlr_seat;
	struct wlr_cursor *cursor;
	struct wlr_xcursor_manager *xcursor_manager;
	bool cursor_hidden; // after idle (autohide), or before any pointer use
	int cursor_autohide_s; // 0: never
	struct wl_event_source *cursor_autohide; // may be NULL
	const char *cursor_image; // name last set, NULL when a client's
	struct wl_list keyboards; // pwl_keyboard.link
	struct wl_list pointers; // pwl_pointer.link

	struct pwl_view *focused_view; // may be NULL
	/* A top or overlay layer surface asking for exclusive keyboard focus
	 * keeps it until it unmaps; views cannot take it meanwhile. */
	struct wlr_layer_surface_v1 *exclusive_layer; // may be NULL
	struct wlr_layer_surface_v1 *focused_layer; // may be NULL

	/* Interactive move and resize. */
	enum pwl_cursor_mode mode;
	struct pwl_view *grab_view; // may be NULL
	double grab_x, grab_y;
	struct wlr_box grab_box;
	uint32_t resize_edges;

	struct wlr_pointer_constraint_v1 *active_constraint; // may be NULL
	/* The user's recent key and button events, by client: what a
	 * selection must show (seat_note_user_serial). */
	struct input_serials input_serials;
	struct wlr_scene_node *drag_icon; // may be NULL
	struct wlr_surface *cursor_surface; // a client's cursor; may be NULL
	struct wl_listener cursor_surface_destroy;

	struct wl_listener cursor_motion;
	struct wl_listener cursor_motion_absolute;
	struct wl_listener cursor_button;
	struct wl_listener cursor_axis;
	struct wl_listener cursor_frame;
	struct wl_listener request_set_cursor;
	struct wl_protocol_logger *protocol_logger; // drag data before a drop
	struct wl_listener keyboard_focus_change;
	struct wl_listener request_set_selection;
	struct wl_listener request_set_primary_selection;
	struct wl_listener request_start_drag;
	struct wl_listener start_drag;
	struct wl_listener drag_icon_destroy;
	struct wl_listener constraint_destroy;
};

struct pwl_seat *seat_create(struct pwl_server *server);
/** Replaces a client cursor and hides a drag icon bigger than 256x256
 * (called before each frame). */
void seat_cap_client_images(struct pwl_seat *seat);
/** A key or button event with `serial` went to `client`. */
void seat_note_user_serial(struct pwl_seat *seat, struct wl_client *client,
	uint32_t serial);
void seat_destroy(struct pwl_seat *seat);

void seat_handle_new_input(struct wl_listener *listener, void *data);
void seat_handle_new_virtual_keyboard(struct wl_listener *listener,
	void *data);
void seat_handle_new_virtual_pointer(struct wl_listener *listener, void *data);

/** Gives keyboard focus to a view and raises it (unless an exclusive layer
 * surface holds the keyboard). `view` may be NULL to clear focus. */
void seat_focus_view(struct pwl_seat *seat, struct pwl_view *view);
void seat_focus_layer(struct pwl_seat *seat, struct wlr_layer_surface_v1 *layer);

void seat_view_unmapped(struct pwl_seat *seat, struct pwl_view *view);
void seat_view_resized(struct pwl_seat *seat, struct pwl_view *view);
void seat_layer_unmapped(struct pwl_seat *seat,
	struct wlr_layer_surface_v1 *layer);

/* cursor.c */
void cursor_init(struct pwl_seat *seat);
void cursor_finish(struct pwl_seat *seat);
/** Re-evaluates what is under the cursor (after windows moved or appeared). */
void cursor_rebase(struct pwl_seat *seat, uint32_t time_msec);
void cursor_begin_move(struct pwl_seat *seat, struct pwl_view *view);
void cursor_begin_resize(struct pwl_seat *seat, struct pwl_view *view,
	uint32_t edges);
void cursor_end_grab(struct pwl_seat *seat);
void seat_handle_new_constraint(struct wl_listener *listener, void *data);
void seat_update_cursor_theme(struct pwl_seat *seat);

/** Hides the cursor (kiosk) or shows it again, re-entering the surface
 * under it so that its client sets its own cursor. */
void seat_set_cursor_hidden(struct pwl_seat *seat, bool hidden);
/** Hides the cursor until the pointer moves, and again `seconds` after it
 * stopped (touch kiosks); 0 turns it off. */
void seat_set_cursor_autohide(struct pwl_seat *seat, int seconds);

#endif
