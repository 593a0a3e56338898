#include "desktop/seat.h"

#include <linux/input-event-codes.h>
#include <math.h>
#include <pixman.h>
#include <stdlib.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/types/wlr_input_device.h>
#include <wlr/types/wlr_keyboard.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_pointer.h>
#include <wlr/types/wlr_pointer_constraints_v1.h>
#include <wlr/types/wlr_relative_pointer_v1.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xcursor_manager.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/edges.h>
#include <wlr/util/log.h>

#include "desktop/output.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/config.h"

#define MIN_VIEW_SIZE 32

/* What the cursor points at. */
struct hit {
	struct wlr_scene_node *node; // may be NULL
	struct wlr_surface *surface; // may be NULL
	double sx, sy;
	struct pwl_view *view; // may be NULL
	struct wlr_layer_surface_v1 *layer; // may be NULL
	enum pwl_node_type part; // valid when view or layer is set
};

static void hit_test(struct pwl_seat *seat, double lx, double ly,
		struct hit *hit) {
	*hit = (struct hit){ 0 };
	struct wlr_scene_node *node = wlr_scene_node_at(
		&seat->server->scene->node, lx, ly, &hit->sx, &hit->sy);
	hit->node = node;
	if (!node) {
		return;
	}
	if (node->type == WLR_SCENE_NODE_SURFACE) {
		hit->surface = wlr_scene_surface_from_node(node)->surface;
	}
	for (struct wlr_scene_node *n = node; n; n = n->parent) {
		struct pwl_node_descriptor *desc = n->data;
		if (!desc) {
			continue;
		}
		hit->part = desc->type;
		if (desc->type == PWL_NODE_LAYER_SURFACE) {
			hit->layer = desc->data;
		} else {
			hit->view = desc->data;
		}
		return;
	}
}

static void set_cursor_image(struct pwl_seat *seat, const char *name) {
	if (seat->cursor_image == name || seat->cursor_hidden) {
		return;
	}
	seat->cursor_image = name;
	wlr_xcursor_manager_set_cursor_image(seat->xcursor_manager, name,
		seat->cursor);
}

void seat_update_cursor_theme(struct pwl_seat *seat) {
	if (!seat) {
		return;
	}
	struct pwl_output *output;
	wl_list_for_each(output, &seat->server->outputs, link) {
		wlr_xcursor_manager_load(seat->xcursor_manager,
			output->wlr_output->scale);
	}
	const char *name = seat->cursor_image;
	seat->cursor_image = NULL;
	if (name) {
		set_cursor_image(seat, name);
	}
}

static void deactivate_constraint(struct pwl_seat *seat) {
	if (!seat->active_constraint) {
		return;
	}
	wlr_pointer_constraint_v1_send_deactivated(seat->active_constraint);
	wl_list_remove(&seat->constraint_destroy.link);
	wl_list_init(&seat->constraint_destroy.link);
	seat->active_constraint = NULL;
}

static void handle_constraint_destroy(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, constraint_destroy);
	wl_list_remove(&seat->constraint_destroy.link);
	wl_list_init(&seat->constraint_destroy.link);
	seat->active_constraint = NULL;
}

/* A constraint applies while its surface has pointer focus. */
static void update_constraint(struct pwl_seat *seat,
		struct wlr_surface *surface) {
	struct wlr_pointer_constraint_v1 *constraint = NULL;
	if (surface) {
		constraint = wlr_pointer_constraints_v1_constraint_for_surface(
			seat->server->pointer_constraints, surface, seat->wlr_seat);
	}
	if (constraint == seat->active_constraint) {
		return;
	}
	deactivate_constraint(seat);
	if (!constraint) {
		return;
	}
	seat->active_constraint = constraint;
	seat->constraint_destroy.notify = handle_constraint_destroy;
	wl_signal_add(&constraint->events.destroy, &seat->constraint_destroy);
	wlr_pointer_constraint_v1_send_activated(constraint);
}

void seat_handle_new_constraint(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_constraint);
	struct pwl_seat *seat = server->seat;
	struct wlr_pointer_constraint_v1 *constraint = data;
	if (constraint->surface ==
			seat->wlr_seat->pointer_state.focused_surface) {
		update_constraint(seat, constraint->surface);
	}
}

static void pointer_focus(struct pwl_seat *seat, struct hit *hit,
		uint32_t time_msec) {
	struct wlr_seat *wlr_seat = seat->wlr_seat;
	if (!hit->surface) {
		set_cursor_image(seat, "left_ptr");
		wlr_seat_pointer_notify_clear_focus(wlr_seat);
		update_constraint(seat, NULL);
		return;
	}
	if (wlr_seat->pointer_state.focused_surface != hit->surface) {
		// The client sets its own cursor on enter.
		seat->cursor_image = NULL;
	}
	wlr_seat_pointer_notify_enter(wlr_seat, hit->surface, hit->sx, hit->sy);
	if (time_msec) {
		wlr_seat_pointer_notify_motion(wlr_seat, time_msec, hit->sx, hit->sy);
	}
	update_constraint(seat, hit->surface);
}

void cursor_rebase(struct pwl_seat *seat, uint32_t time_msec) {
	if (seat->mode != PWL_CURSOR_PASSTHROUGH) {
		return;
	}
	struct hit hit;
	hit_test(seat, seat->cursor->x, seat->cursor->y, &hit);
	pointer_focus(seat, &hit, time_msec);
}

static void process_move(struct pwl_seat *seat) {
	struct pwl_view *view = seat->grab_view;
	view_move(view,
		seat->grab_box.x + (int)lround(seat->cursor->x - seat->grab_x),
		seat->grab_box.y + (int)lround(seat->cursor->y - seat->grab_y));
}

static void process_resize(struct pwl_seat *seat) {
	struct wlr_box box = seat->grab_box;
	int dx = (int)lround(seat->cursor->x - seat->grab_x);
	int dy = (int)lround(seat->cursor->y - seat->grab_y);
	int left = box.x, top = box.y;
	int right = box.x + box.width, bottom = box.y + box.height;
	if (seat->resize_edges & WLR_EDGE_LEFT) {
		left = box.x + dx;
		if (left > right - MIN_VIEW_SIZE) {
			left = right - MIN_VIEW_SIZE;
		}
	} else if (seat->resize_edges & WLR_EDGE_RIGHT) {
		right = box.x + box.width + dx;
		if (right < left + MIN_VIEW_SIZE) {
			right = left + MIN_VIEW_SIZE;
		}
	}
	if (seat->resize_edges & WLR_EDGE_TOP) {
		top = box.y + dy;
		if (top > bottom - MIN_VIEW_SIZE) {
			top = bottom - MIN_VIEW_SIZE;
		}
	} else if (seat->resize_edges & WLR_EDGE_BOTTOM) {
		bottom = box.y + box.height + dy;
		if (bottom < top + MIN_VIEW_SIZE) {
			bottom = top + MIN_VIEW_SIZE;
		}
	}
	view_move_resize(seat->grab_view, left, top, right - left, bottom - top);
}

/* Applies a pointer constraint to a relative motion: a locked pointer does
 * not move, a confined one stays inside its region. */
static bool constrain_motion(struct pwl_seat *seat, double dx, double dy) {
	struct wlr_pointer_constraint_v1 *constraint = seat->active_constraint;
	if (!constraint) {
		return true;
	}
	if (constraint->type == WLR_POINTER_CONSTRAINT_V1_LOCKED) {
		return false;
	}
	struct wlr_seat_pointer_state *ps = &seat->wlr_seat->pointer_state;
	double sx = ps->sx + dx, sy = ps->sy + dy;
	return pixman_region32_contains_point(&constraint->region,
		(int)sx, (int)sy, NULL);
}

static int handle_cursor_autohide(void *data) {
	seat_set_cursor_hidden(data, true);
	return 0;
}

void seat_set_cursor_autohide(struct pwl_seat *seat, int seconds) {
	if (!seat->cursor_autohide && seconds > 0) {
		seat->cursor_autohide = wl_event_loop_add_timer(seat->server->loop,
			handle_cursor_autohide, seat);
	}
	seat->cursor_autohide_s = seconds;
	if (seconds > 0) {
		// Touch-only machines never move a pointer: hidden until one does.
		seat_set_cursor_hidden(seat, true);
	} else if (seat->cursor_autohide) {
		wl_event_source_timer_update(seat->cursor_autohide, 0);
	}
}

void seat_set_cursor_hidden(struct pwl_seat *seat, bool hidden) {
	if (seat->cursor_hidden == hidden) {
		return;
	}
	seat->cursor_hidden = hidden;
	if (hidden) {
		wlr_cursor_set_image(seat->cursor, NULL, 0, 0, 0, 0, 0, 0);
		seat->cursor_image = NULL;
		return;
	}
	// Clients set their cursor on enter: enter again.
	wlr_seat_pointer_notify_clear_focus(seat->wlr_seat);
	set_cursor_image(seat, "left_ptr");
	struct hit hit;
	hit_test(seat, seat->cursor->x, seat->cursor->y, &hit);
	pointer_focus(seat, &hit, 0);
}

static void process_motion(struct pwl_seat *seat, uint32_t time_msec) {
	wlr_idle_notify_activity(seat->server->idle, seat->wlr_seat);
	if (seat->cursor_autohide_s > 0 && seat->cursor_autohide) {
		seat_set_cursor_hidden(seat, false);
		wl_event_source_timer_update(seat->cursor_autohide,
			seat->cursor_autohide_s * 1000);
	}
	if (seat->drag_icon) {
		wlr_scene_node_set_position(seat->drag_icon, seat->cursor->x,
			seat->cursor->y);
	}
	switch (seat->mode) {
	case PWL_CURSOR_MOVE:
		process_move(seat);
		return;
	case PWL_CURSOR_RESIZE:
		process_resize(seat);
		return;
	case PWL_CURSOR_PASSTHROUGH:
		break;
	}
	struct hit hit;
	hit_test(seat, seat->cursor->x, seat->cursor->y, &hit);
	pointer_focus(seat, &hit, time_msec);
}

static void handle_motion(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, cursor_motion);
	struct wlr_event_pointer_motion *event = data;
	wlr_relative_pointer_manager_v1_send_relative_motion(
		seat->server->relative_pointer, seat->wlr_seat,
		(uint64_t)event->time_msec * 1000, event->delta_x, event->delta_y,
		event->unaccel_dx, event->unaccel_dy);
	if (seat->mode != PWL_CURSOR_PASSTHROUGH ||
			constrain_motion(seat, event->delta_x, event->delta_y)) {
		wlr_cursor_move(seat->cursor, event->device, event->delta_x,
			event->delta_y);
	}
	process_motion(seat, event->time_msec);
}

static void handle_motion_absolute(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat =
		wl_container_of(listener, seat, cursor_motion_absolute);
	struct wlr_event_pointer_motion_absolute *event = data;
	double lx, ly;
	wlr_cursor_absolute_to_layout_coords(seat->cursor, event->device,
		event->x, event->y, &lx, &ly);
	double dx = lx - seat->cursor->x, dy = ly - seat->cursor->y;
	wlr_relative_pointer_manager_v1_send_relative_motion(
		seat->server->relative_pointer, seat->wlr_seat,
		(uint64_t)event->time_msec * 1000, dx, dy, dx, dy);
	if (seat->mode != PWL_CURSOR_PASSTHROUGH ||
			constrain_motion(seat, dx, dy)) {
		wlr_cursor_warp_closest(seat->cursor, event->device, lx, ly);
	}
	process_motion(seat, event->time_msec);
}

void cursor_begin_move(struct pwl_seat *seat, struct pwl_view *view) {
	if (!view || !view->mapped || view->fullscreen) {
		return;
	}
	if (view->maximized) {
		view_set_maximized(view, false);
	}
	seat->mode = PWL_CURSOR_MOVE;
	seat->grab_view = view;
	seat->grab_x = seat->cursor->x;
	seat->grab_y = seat->cursor->y;
	seat->grab_box = (struct wlr_box){ view->x, view->y, view->width,
		view->height };
	set_cursor_image(seat, "grabbing");
	wlr_seat_pointer_notify_clear_focus(seat->wlr_seat);
}

void cursor_begin_resize(struct pwl_seat *seat, struct pwl_view *view,
		uint32_t edges) {
	if (!view || !view->mapped || view->fullscreen || view->maximized ||
			edges == WLR_EDGE_NONE) {
		return;
	}
	seat->mode = PWL_CURSOR_RESIZE;
	seat->grab_view = view;
	seat->grab_x = seat->cursor->x;
	seat->grab_y = seat->cursor->y;
	seat->grab_box = (struct wlr_box){ view->x, view->y, view->width,
		view->height };
	seat->resize_edges = edges;
	if (view->impl->set_resizing) {
		view->impl->set_resizing(view, true);
	}
	set_cursor_image(seat, wlr_xcursor_get_resize_name(edges));
	wlr_seat_pointer_notify_clear_focus(seat->wlr_seat);
}

void cursor_end_grab(struct pwl_seat *seat) {
	if (seat->mode == PWL_CURSOR_RESIZE && seat->grab_view &&
			seat->grab_view->impl->set_resizing) {
		seat->grab_view->impl->set_resizing(seat->grab_view, false);
	}
	seat->mode = PWL_CURSOR_PASSTHROUGH;
	seat->grab_view = NULL;
	seat->cursor_image = NULL;
	cursor_rebase(seat, 0);
}

/* Super+drag: edges nearest to the cursor. */
static uint32_t nearest_edges(struct pwl_view *view, double lx, double ly) {
	uint32_t edges = 0;
	edges |= lx < view->x + view->width / 2.0 ? WLR_EDGE_LEFT : WLR_EDGE_RIGHT;
	edges |= ly < view->y + view->height / 2.0 ? WLR_EDGE_TOP : WLR_EDGE_BOTTOM;
	return edges;
}

static bool super_held(struct pwl_seat *seat) {
	struct wlr_keyboard *keyboard = wlr_seat_get_keyboard(seat->wlr_seat);
	return keyboard &&
		(wlr_keyboard_get_modifiers(keyboard) & WLR_MODIFIER_LOGO);
}

/* Returns true when the compositor consumed the press. */
static bool handle_press(struct pwl_seat *seat, uint32_t button) {
	struct hit hit;
	hit_test(seat, seat->cursor->x, seat->cursor->y, &hit);
	if (hit.layer) {
		if (hit.layer->current.keyboard_interactive !=
				ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_NONE) {
			seat_focus_layer(seat, hit.layer);
		}
		return false;
	}
	if (!hit.view) {
		return false;
	}
	seat_focus_view(seat, hit.view);
	if (super_held(seat)) {
		if (button == BTN_LEFT) {
			cursor_begin_move(seat, hit.view);
		} else if (button == BTN_RIGHT) {
			cursor_begin_resize(seat, hit.view, nearest_edges(hit.view,
				seat->cursor->x, seat->cursor->y));
		}
		return true;
	}
	switch (hit.part) {
	case PWL_NODE_SSD_CLOSE:
		view_close(hit.view);
		return true;
	case PWL_NODE_SSD_TITLE:
		if (button == BTN_LEFT) {
			cursor_begin_move(seat, hit.view);
		}
		return true;
	case PWL_NODE_SSD_BORDER:
		cursor_begin_resize(seat, hit.view, nearest_edges(hit.view,
			seat->cursor->x, seat->cursor->y));
		return true;
	default:
		return false;
	}
}

/* A button event's serial (0: none was sent) is the user's, for the
 * client under the pointer. */
static void note_button(struct pwl_seat *seat, uint32_t serial) {
	struct wlr_seat_client *focused =
		seat->wlr_seat->pointer_state.focused_client;
	if (serial && focused) {
		seat_note_user_serial(seat, focused->client, serial);
	}
}

static void handle_button(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, cursor_button);
	struct wlr_event_pointer_button *event = data;
	wlr_idle_notify_activity(seat->server->idle, seat->wlr_seat);

	if (event->state == WLR_BUTTON_RELEASED) {
		if (seat->mode != PWL_CURSOR_PASSTHROUGH) {
			cursor_end_grab(seat);
			return;
		}
		note_button(seat, wlr_seat_pointer_notify_button(seat->wlr_seat,
			event->time_msec, event->button, event->state));
		return;
	}
	if (seat->mode != PWL_CURSOR_PASSTHROUGH) {
		return;
	}
	if (!handle_press(seat, event->button)) {
		note_button(seat, wlr_seat_pointer_notify_button(seat->wlr_seat,
			event->time_msec, event->button, event->state));
	}
}

static void handle_axis(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, cursor_axis);
	struct wlr_event_pointer_axis *event = data;
	wlr_idle_notify_activity(seat->server->idle, seat->wlr_seat);
	wlr_seat_pointer_notify_axis(seat->wlr_seat, event->time_msec,
		event->orientation, event->delta, event->delta_discrete,
		event->source);
}

static void handle_frame(struct wl_listener *listener, void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, cursor_frame);
	wlr_seat_pointer_notify_frame(seat->wlr_seat);
}

static void handle_request_set_cursor(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat = wl_container_of(listener, seat, request_set_cursor);
	struct wlr_seat_pointer_request_set_cursor_event *event = data;
	// Only the client under the pointer may set the cursor, and not while
	// we are moving or resizing.
	if (seat->mode != PWL_CURSOR_PASSTHROUGH || seat->cursor_hidden ||
			event->seat_client !=
			seat->wlr_seat->pointer_state.focused_client) {
		return;
	}
	seat->cursor_image = NULL;
	wlr_cursor_set_surface(seat->cursor, event->surface, event->hotspot_x,
		event->hotspot_y);
	// Watched for its size from now on (seat_cap_client_images).
	wl_list_remove(&seat->cursor_surface_destroy.link);
	wl_list_init(&seat->cursor_surface_destroy.link);
	seat->cursor_surface = event->surface;
	if (event->surface) {
		wl_signal_add(&event->surface->events.destroy,
			&seat->cursor_surface_destroy);
	}
}

static void handle_cursor_surface_destroy(struct wl_listener *listener,
		void *data) {
	struct pwl_seat *seat =
		wl_container_of(listener, seat, cursor_surface_destroy);
	wl_list_remove(&seat->cursor_surface_destroy.link);
	wl_list_init(&seat->cursor_surface_destroy.link);
	seat->cursor_surface = NULL;
}

/* A client's cursor or drag icon is drawn over everything, and wlroots
 * 0.15 draws any size: one bigger than CLIENT_IMAGE_MAX on a side could
 * cover other windows and their labels. Such a cursor is replaced by the
 * default one, such a drag icon is not shown. Checked before each frame
 * (a surface can grow at any commit). */
#define CLIENT_IMAGE_MAX 256

static bool image_too_big(struct wlr_surface *surface) {
	return surface->current.width > CLIENT_IMAGE_MAX ||
		surface->current.height > CLIENT_IMAGE_MAX;
}

void seat_cap_client_images(struct pwl_seat *seat) {
	if (!seat) {
		return;
	}
	if (seat->cursor_surface && image_too_big(seat->cursor_surface)) {
		struct wlr_surface *surface = seat->cursor_surface;
		handle_cursor_surface_destroy(&seat->cursor_surface_destroy, NULL);
		wlr_log(WLR_INFO, "A cursor of %dx%d (over %d): the default one "
			"instead", surface->current.width, surface->current.height,
			CLIENT_IMAGE_MAX);
		seat->cursor_image = NULL;
		set_cursor_image(seat, "left_ptr");
	}
	struct wlr_drag *drag = seat->wlr_seat->drag;
	if (seat->drag_icon && drag && drag->icon) {
		bool fits = !image_too_big(drag->icon->surface);
		if (seat->drag_icon->state.enabled != fits) {
			wlr_scene_node_set_enabled(seat->drag_icon, fits);
		}
	}
}

void cursor_init(struct pwl_seat *seat) {
	struct pwl_server *server = seat->server;
	struct pwl_config *config = server->config;
	seat->cursor = wlr_cursor_create();
	wlr_cursor_attach_output_layout(seat->cursor, server->output_layout);
	seat->xcursor_manager = wlr_xcursor_manager_create(config->cursor_theme,
		config->cursor_size);
	wlr_xcursor_manager_load(seat->xcursor_manager, 1);
	wl_list_init(&seat->constraint_destroy.link);

	seat->cursor_motion.notify = handle_motion;
	wl_signal_add(&seat->cursor->events.motion, &seat->cursor_motion);
	seat->cursor_motion_absolute.notify = handle_motion_absolute;
	wl_signal_add(&seat->cursor->events.motion_absolute,
		&seat->cursor_motion_absolute);
	seat->cursor_button.notify = handle_button;
	wl_signal_add(&seat->cursor->events.button, &seat->cursor_button);
	seat->cursor_axis.notify = handle_axis;
	wl_signal_add(&seat->cursor->events.axis, &seat->cursor_axis);
	seat->cursor_frame.notify = handle_frame;
	wl_signal_add(&seat->cursor->events.frame, &seat->cursor_frame);
	seat->cursor_surface_destroy.notify = handle_cursor_surface_destroy;
	wl_list_init(&seat->cursor_surface_destroy.link);
	seat->request_set_cursor.notify = handle_request_set_cursor;
	wl_signal_add(&seat->wlr_seat->events.request_set_cursor,
		&seat->request_set_cursor);
}

void cursor_finish(struct pwl_seat *seat) {
	deactivate_constraint(seat);
	wl_list_remove(&seat->constraint_destroy.link);
	wl_list_remove(&seat->cursor_motion.link);
	wl_list_remove(&seat->cursor_motion_absolute.link);
	wl_list_remove(&seat->cursor_button.link);
	wl_list_remove(&seat->cursor_axis.link);
	wl_list_remove(&seat->cursor_frame.link);
	wl_list_remove(&seat->request_set_cursor.link);
	wl_list_remove(&seat->cursor_surface_destroy.link);
	wlr_xcursor_manager_destroy(seat->xcursor_manager);
	wlr_cursor_destroy(seat->cursor);
}
