#include "desktop/view.h"

#include <stdlib.h>
#include <time.h>
#include <wlr/types/wlr_foreign_toplevel_management_v1.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_seat.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "desktop/label.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/ssd.h"
#include "util/focus_policy.h"
#include "util/clock.h"

const char *view_title(struct pwl_view *view) {
	const char *title = view->impl->get_title(view);
	return title ? title : "";
}

const char *view_app_id(struct pwl_view *view) {
	const char *app_id = view->impl->get_app_id(view);
	return app_id ? app_id : "";
}

static const char *view_identity(struct pwl_view *view) {
	return view->app ? view->app->name : view_app_id(view);
}

struct pwl_view *view_from_id(struct pwl_server *server, uint32_t id) {
	struct pwl_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (view->id == id) {
			return view;
		}
	}
	return NULL;
}

void view_get_frame_box(struct pwl_view *view, struct wlr_box *box) {
	struct pwl_ssd_extents ext = ssd_extents(view->ssd);
	box->x = view->x - ext.left;
	box->y = view->y - ext.top;
	box->width = view->width + ext.left + ext.right;
	box->height = view->height + ext.top + ext.bottom;
}

struct pwl_output *view_output(struct pwl_view *view) {
	if (view->fullscreen && view->fullscreen_output) {
		return view->fullscreen_output;
	}
	struct pwl_server *server = view->server;
	if (!view->mapped) {
		return output_focused(server);
	}
	double cx = view->x + view->width / 2.0;
	double cy = view->y + view->height / 2.0;
	struct pwl_output *output = output_at(server, cx, cy);
	if (!output) {
		double nx, ny;
		wlr_output_layout_closest_point(server->output_layout, NULL, cx, cy,
			&nx, &ny);
		output = output_at(server, nx, ny);
	}
	return output;
}

/* The content node already shifts the surface by the window geometry's
 * offset (client-side shadows), so the tree's origin is the geometry's. */
static void update_position(struct pwl_view *view) {
	wlr_scene_node_set_position(&view->tree->node, view->x, view->y);
}

void view_move(struct pwl_view *view, int x, int y) {
	view->x = x;
	view->y = y;
	update_position(view);
	if (view->impl->moved) {
		view->impl->moved(view);
	}
}

void view_move_resize(struct pwl_view *view, int x, int y, int w, int h) {
	view_move(view, x, y);
	if (w > 0 && h > 0 && (w != view->width || h != view->height)) {
		view->impl->configure(view, w, h);
	}
}

/* The area a maximized view may cover, content only. */
static struct wlr_box maximized_box(struct pwl_view *view,
		struct pwl_output *output) {
	struct pwl_ssd_extents ext = ssd_extents(view->ssd);
	struct wlr_box area = output->usable_area;
	return (struct wlr_box){
		.x = area.x + ext.left,
		.y = area.y + ext.top,
		.width = area.width - ext.left - ext.right,
		.height = area.height - ext.top - ext.bottom,
	};
}

static void apply_maximized(struct pwl_view *view) {
	struct pwl_output *output = view_output(view);
	if (!output) {
		return;
	}
	struct wlr_box box = maximized_box(view, output);
	view_move_resize(view, box.x, box.y, box.width, box.height);
}

bool view_pinned_box(struct pwl_view *view, struct wlr_box *box) {
	enum pwl_app_pin pin = view->app ? view->app->pin : PWL_PIN_NONE;
	struct pwl_server *server = view->server;
	if (pin == PWL_PIN_ALL) {
		struct wlr_box *all = wlr_output_layout_get_box(
			server->output_layout, NULL);
		if (!all || wlr_box_empty(all)) {
			return false;
		}
		*box = *all;
		return true;
	}
	struct pwl_output *first = pin == PWL_PIN_PRIMARY ?
		output_primary(server) : NULL;
	if (!first) {
		return false;
	}
	*box = first->box;
	return true;
}

static void apply_fullscreen(struct pwl_view *view) {
	struct wlr_box pinned;
	if (view_pinned_box(view, &pinned)) {
		// A pinned window goes where its pin says, whatever outputs came
		// or went: all of them, or the primary.
		view_move_resize(view, pinned.x, pinned.y, pinned.width,
			pinned.height);
		return;
	}
	struct pwl_output *output = view->fullscreen_output;
	if (!output) {
		output = view_output(view);
	}
	if (!output) {
		return;
	}
	view->fullscreen_output = output;
	view_move_resize(view, output->box.x, output->box.y, output->box.width,
		output->box.height);
}

static void save_geometry(struct pwl_view *view) {
	if (!view->maximized && !view->fullscreen) {
		view->saved = (struct wlr_box){
			.x = view->x, .y = view->y,
			.width = view->width, .height = view->height,
		};
	}
}

static void restore_geometry(struct pwl_view *view) {
	if (view->saved.width > 0 && view->saved.height > 0) {
		view_move_resize(view, view->saved.x, view->saved.y,
			view->saved.width, view->saved.height);
	} else {
		// A view that started maximized or fullscreen has no size of its
		// own yet: let the client choose one.
		view->impl->configure(view, 0, 0);
	}
}

void view_set_maximized(struct pwl_view *view, bool maximized) {
	if (view->fullscreen) {
		// Leaving fullscreen restores this state later.
		view->maximized = maximized;
		view->impl->set_maximized(view, maximized);
		return;
	}
	if (maximized == view->maximized) {
		// The client still expects a configure in reply.
		view->impl->configure(view, view->width, view->height);
		return;
	}
	save_geometry(view);
	view->maximized = maximized;
	view->impl->set_maximized(view, maximized);
	if (view->toplevel_handle) {
		wlr_foreign_toplevel_handle_v1_set_maximized(view->toplevel_handle,
			maximized);
	}
	if (maximized) {
		apply_maximized(view);
	} else {
		restore_geometry(view);
	}
}

void view_set_fullscreen(struct pwl_view *view, bool fullscreen,
		struct pwl_output *output) {
	struct wlr_box pinned;
	if (!fullscreen && view_pinned_box(view, &pinned)) {
		// A pinned app stays fullscreen whatever it asks.
		view->impl->configure(view, view->width, view->height);
		return;
	}
	if (fullscreen == view->fullscreen) {
		if (fullscreen && output && output != view->fullscreen_output) {
			view->fullscreen_output = output;
			apply_fullscreen(view);
		} else {
			view->impl->configure(view, view->width, view->height);
		}
		return;
	}
	save_geometry(view);
	view->fullscreen = fullscreen;
	view->fullscreen_output = fullscreen ? output : NULL;
	view->impl->set_fullscreen(view, fullscreen);
	if (view->toplevel_handle) {
		wlr_foreign_toplevel_handle_v1_set_fullscreen(view->toplevel_handle,
			fullscreen);
	}
	struct pwl_server *server = view->server;
	enum pwl_scene_layer layer =
		fullscreen ? PWL_LAYER_FULLSCREEN : PWL_LAYER_VIEWS;
	wlr_scene_node_reparent(&view->tree->node, &server->layers[layer]->node);
	ssd_set_visible(view->ssd, !fullscreen);
	if (fullscreen) {
		apply_fullscreen(view);
		if (view->mapped) {
			label_show_fullscreen(view);
		}
	} else {
		label_hide(view);
		if (view->maximized) {
			apply_maximized(view);
		} else {
			restore_geometry(view);
		}
	}
}

void view_set_activated(struct pwl_view *view, bool activated) {
	if (activated) {
		view->urgent = false;
	}
	view->impl->set_activated(view, activated);
	if (view->toplevel_handle) {
		wlr_foreign_toplevel_handle_v1_set_activated(view->toplevel_handle,
			activated);
	}
	ssd_update(view->ssd);
}

void view_set_ssd(struct pwl_view *view, bool ssd) {
	view->wants_ssd = ssd;
	if (!view->mapped) {
		return;
	}
	// The decoration's kind changes: build it again.
	ssd_destroy(view->ssd);
	view->ssd = NULL;
	if (ssd || view->app) {
		view->ssd = ssd_create(view);
		ssd_set_visible(view->ssd, !view->fullscreen);
	}
	if (view->maximized && !view->fullscreen) {
		apply_maximized(view);
	}
}

void view_set_urgent(struct pwl_view *view, bool urgent) {
	if (view->urgent != urgent) {
		view->urgent = urgent;
		ssd_update(view->ssd);
	}
}

/* Subsurfaces stay inside their window: wlroots 0.15's scene does not
 * clip, so a subsurface placed or sized past the surface it belongs to
 * (over the frame, the title bar, another window) is not shown at all
 * until it fits again. Its box is its position along the subsurface
 * chain, against the chain's root surface (the window's, or a popup's). */
static bool subsurface_fits(struct wlr_surface *surface) {
	int x = 0, y = 0;
	struct wlr_surface *root = surface;
	for (int depth = 0; wlr_surface_is_subsurface(root) && depth < 64;
			depth++) {
		struct wlr_subsurface *sub = wlr_subsurface_from_wlr_surface(root);
		if (!sub || !sub->parent) {
			return false;
		}
		x += sub->current.x;
		y += sub->current.y;
		root = sub->parent;
	}
	return x >= 0 && y >= 0 &&
		(int64_t)x + surface->current.width <= root->current.width &&
		(int64_t)y + surface->current.height <= root->current.height;
}

/* A popup's surface within its window's area plus POPUP_MARGIN (layout
 * coordinates). */
static bool popup_fits(struct pwl_view *view, struct wlr_scene_node *node,
		struct wlr_surface *surface) {
	// The coordinates whatever the node's state (it may be the one we
	// disabled: its own verdict must not flip with it).
	int x, y;
	wlr_scene_node_coords(node, &x, &y);
	return x >= view->x - POPUP_MARGIN && y >= view->y - POPUP_MARGIN &&
		(int64_t)x + surface->current.width <=
			(int64_t)view->x + view->width + POPUP_MARGIN &&
		(int64_t)y + surface->current.height <=
			(int64_t)view->y + view->height + POPUP_MARGIN;
}

static void contain_node(struct pwl_view *view, struct wlr_scene_node *node) {
	if (node->type == WLR_SCENE_NODE_SURFACE) {
		struct wlr_surface *surface = wlr_scene_surface_from_node(node)->surface;
		bool popup = wlr_surface_is_xdg_surface(surface) &&
			surface != view->surface;
		if (wlr_surface_is_subsurface(surface) || popup) {
			bool fits = popup ? popup_fits(view, node, surface) :
				subsurface_fits(surface);
			if (node->state.enabled != fits) {
				if (!fits) {
					wlr_log(WLR_INFO, "App %s: a %s of %dx%d reaches "
						"outside its window: not shown", view->app->name,
						popup ? "popup" : "subsurface",
						surface->current.width, surface->current.height);
				}
				wlr_scene_node_set_enabled(node, fits);
			}
		}
		return;
	}
	struct wlr_scene_node *child;
	wl_list_for_each(child, &node->state.children, state.link) {
		contain_node(view, child);
	}
}

void views_contain_subsurfaces(struct pwl_server *server) {
	struct pwl_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (view->app && view->mapped && view->content) {
			contain_node(view, view->content);
		}
	}
}

#define FULLSCREEN_INPUT_MAX_AGE_MS 5000

bool view_fullscreen_request_allowed(struct pwl_view *view) {
	struct wlr_box pinned;
	if (!view->app || view_pinned_box(view, &pinned)) {
		return true;
	}
	bool allowed;
	if (!view->mapped) {
		allowed = app_has_focus_grant(view->app);
	} else {
		struct wl_client *client = wl_resource_get_client(
			view->surface->resource);
		struct wlr_seat_client *focused =
			view->server->seat->wlr_seat->keyboard_state.focused_client;
		allowed = focused && focused->client == client &&
			input_serials_recent(&view->server->seat->input_serials, client,
				monotonic_ms(), FULLSCREEN_INPUT_MAX_AGE_MS);
	}
	if (!allowed) {
		wlr_log(WLR_INFO, "App %s: fullscreen refused (no user action; "
			"Super+F makes it fullscreen)", view->app->name);
	}
	return allowed;
}

void view_close(struct pwl_view *view) {
	view->impl->close(view);
}

void view_raise(struct pwl_view *view) {
	wlr_scene_node_raise_to_top(&view->tree->node);
	wl_list_remove(&view->link);
	wl_list_insert(&view->server->views, &view->link);
}

static void handle_toplevel_request_activate(struct wl_listener *listener,
		void *data) {
	struct pwl_view *view =
		wl_container_of(listener, view, toplevel_request_activate);
	seat_focus_view(view->server->seat, view);
}

static void handle_toplevel_request_close(struct wl_listener *listener,
		void *data) {
	struct pwl_view *view =
		wl_container_of(listener, view, toplevel_request_close);
	view_close(view);
}

static void handle_toplevel_request_maximize(struct wl_listener *listener,
		void *data) {
	struct pwl_view *view =
		wl_container_of(listener, view, toplevel_request_maximize);
	struct wlr_foreign_toplevel_handle_v1_maximized_event *event = data;
	view_set_maximized(view, event->maximized);
}

static void handle_toplevel_request_fullscreen(struct wl_listener *listener,
		void *data) {
	struct pwl_view *view =
		wl_container_of(listener, view, toplevel_request_fullscreen);
	struct wlr_foreign_toplevel_handle_v1_fullscreen_event *event = data;
	view_set_fullscreen(view, event->fullscreen,
		output_from_wlr(event->output));
}

static void create_toplevel_handle(struct pwl_view *view) {
	struct pwl_server *server = view->server;
	view->toplevel_handle =
		wlr_foreign_toplevel_handle_v1_create(server->foreign_toplevel_manager);
	if (!view->toplevel_handle) {
		return;
	}
	struct wlr_foreign_toplevel_handle_v1 *handle = view->toplevel_handle;
	view->toplevel_request_activate.notify = handle_toplevel_request_activate;
	wl_signal_add(&handle->events.request_activate,
		&view->toplevel_request_activate);
	view->toplevel_request_close.notify = handle_toplevel_request_close;
	wl_signal_add(&handle->events.request_close,
		&view->toplevel_request_close);
	view->toplevel_request_maximize.notify = handle_toplevel_request_maximize;
	wl_signal_add(&handle->events.request_maximize,
		&view->toplevel_request_maximize);
	view->toplevel_request_fullscreen.notify =
		handle_toplevel_request_fullscreen;
	wl_signal_add(&handle->events.request_fullscreen,
		&view->toplevel_request_fullscreen);

	wlr_foreign_toplevel_handle_v1_set_title(handle, view_title(view));
	wlr_foreign_toplevel_handle_v1_set_app_id(handle, view_identity(view));
	struct pwl_output *output = view_output(view);
	if (output) {
		wlr_foreign_toplevel_handle_v1_output_enter(handle, output->wlr_output);
	}
}

static void destroy_toplevel_handle(struct pwl_view *view) {
	if (!view->toplevel_handle) {
		return;
	}
	wl_list_remove(&view->toplevel_request_activate.link);
	wl_list_remove(&view->toplevel_request_close.link);
	wl_list_remove(&view->toplevel_request_maximize.link);
	wl_list_remove(&view->toplevel_request_fullscreen.link);
	wlr_foreign_toplevel_handle_v1_destroy(view->toplevel_handle);
	view->toplevel_handle = NULL;
}

void view_init(struct pwl_view *view, struct pwl_server *server,
		const struct pwl_view_impl *impl, struct wlr_surface *surface) {
	view->server = server;
	view->impl = impl;
	view->surface = surface;
	view->id = ++server->next_view_id;
	view->wants_ssd = false;
	view->app = surface ?
		app_from_client(wl_resource_get_client(surface->resource)) : NULL;
	wl_list_init(&view->link);
	view->node_desc.type = PWL_NODE_VIEW;
	view->node_desc.data = view;
}

/* New windows open centred in the usable area of the output under the
 * cursor, clamped so that their title bar is reachable. */
static void place_initial(struct pwl_view *view) {
	struct pwl_output *output = output_focused(view->server);
	if (!output) {
		view_move(view, 0, 0);
		return;
	}
	struct wlr_box area = output->usable_area;
	struct pwl_ssd_extents ext = ssd_extents(view->ssd);
	int x = area.x + (area.width - view->width) / 2;
	int y = area.y + (area.height - view->height) / 2;
	if (y - ext.top < area.y) {
		y = area.y + ext.top;
	}
	if (x - ext.left < area.x) {
		x = area.x + ext.left;
	}
	view_move(view, x, y);
}

void view_map(struct pwl_view *view) {
	struct pwl_server *server = view->server;
	struct wlr_box geo;
	view->impl->get_geometry(view, &geo);
	view->width = geo.width;
	view->height = geo.height;
	view->mapped = true;

	wl_list_insert(&server->views, &view->link);
	wlr_scene_node_set_enabled(&view->tree->node, true);
	struct wlr_box pinned;
	bool pin = view_pinned_box(view, &pinned);
	// App windows always wear their app's frame, decorated or not; a
	// pinned (kiosk) app wears none.
	if ((view->wants_ssd || view->app) && !pin) {
		view->ssd = ssd_create(view);
	}
	if (pin) {
		view_set_fullscreen(view, true, NULL);
		view_move_resize(view, pinned.x, pinned.y, pinned.width,
			pinned.height);
	} else if (view->fullscreen) {
		// Asked for before mapping; the geometry was set then.
		view->saved = (struct wlr_box){ 0 };
		view_move(view, view->x, view->y);
	} else if (view->maximized) {
		// The decoration is known only now: fit again.
		view->saved = (struct wlr_box){ 0 };
		apply_maximized(view);
	} else {
		place_initial(view);
	}
	ssd_set_visible(view->ssd, !view->fullscreen);
	if (view->fullscreen) {
		label_show_fullscreen(view);
	}
	create_toplevel_handle(view);
	struct pwl_seat *seat = server->seat;
	struct pwl_view *focused = seat->focused_view;
	struct new_window w = {
		.from_app = view->app != NULL,
		.launch_grant = view->app && app_take_focus_grant(view->app),
		.app_has_focus = view->app && focused && focused != view &&
			focused->app == view->app,
		.nothing_focused = !seat->wlr_seat->keyboard_state.focused_surface,
	};
	if (focus_new_window(&w)) {
		seat_focus_view(seat, view);
	} else {
		// Behind the window the user is in; the title bar tells.
		if (focused && focused != view) {
			wlr_scene_node_place_below(&view->tree->node,
				&focused->tree->node);
			wl_list_remove(&view->link);
			wl_list_insert(&focused->link, &view->link);
		}
		view_set_urgent(view, true);
		wlr_log(WLR_INFO, "App %s: a new window without a user action "
			"maps behind, marked urgent", view->app->name);
	}
	wl_signal_emit(&server->events.view_mapped, view);
	wlr_log(WLR_DEBUG, "View %u mapped: '%s' (%s) %dx%d at %d,%d", view->id,
		view_title(view), view_app_id(view), view->width, view->height,
		view->x, view->y);
}

void view_unmap(struct pwl_view *view) {
	if (!view->mapped) {
		return;
	}
	view->mapped = false;
	wlr_scene_node_set_enabled(&view->tree->node, false);
	wl_list_remove(&view->link);
	wl_list_init(&view->link);
	destroy_toplevel_handle(view);
	label_hide(view);
	ssd_destroy(view->ssd);
	view->ssd = NULL;
	seat_view_unmapped(view->server->seat, view);
	wl_signal_emit(&view->server->events.view_unmapped, view);
}

void view_finish(struct pwl_view *view) {
	view_unmap(view);
	label_hide(view);
	wl_list_remove(&view->link);
	if (view->tree) {
		wlr_scene_node_destroy(&view->tree->node);
		view->tree = NULL;
	}
}

void view_handle_commit(struct pwl_view *view) {
	if (!view->mapped) {
		return;
	}
	struct wlr_box geo;
	view->impl->get_geometry(view, &geo);
	bool resized = geo.width != view->width || geo.height != view->height;
	view->width = geo.width;
	view->height = geo.height;
	update_position(view);
	if (resized) {
		seat_view_resized(view->server->seat, view);
		ssd_update(view->ssd);
		if (view->fullscreen || view->maximized) {
			// A client that drew another size than asked stays where its
			// box begins; nothing to re-place.
			return;
		}
	}
}

void view_update_title(struct pwl_view *view) {
	if (view->toplevel_handle) {
		wlr_foreign_toplevel_handle_v1_set_title(view->toplevel_handle,
			view_title(view));
	}
	ssd_update(view->ssd);
}

void view_update_app_id(struct pwl_view *view) {
	if (view->toplevel_handle) {
		wlr_foreign_toplevel_handle_v1_set_app_id(view->toplevel_handle,
			view_identity(view));
	}
}

void views_fit_outputs(struct pwl_server *server) {
	struct pwl_view *view;
	wl_list_for_each(view, &server->views, link) {
		if (view->fullscreen) {
			// The output may be gone: view_output() then finds another.
			struct pwl_output *output;
			bool still_there = false;
			wl_list_for_each(output, &server->outputs, link) {
				still_there |= output == view->fullscreen_output;
			}
			if (!still_there) {
				view->fullscreen_output = NULL;
			}
			apply_fullscreen(view);
		} else if (view->maximized) {
			apply_maximized(view);
		} else {
			struct pwl_ssd_extents ext = ssd_extents(view->ssd);
			struct wlr_box frame;
			view_get_frame_box(view, &frame);
			if (wlr_output_layout_intersects(server->output_layout, NULL,
					&frame)) {
				continue;
			}
			struct pwl_output *output = view_output(view);
			if (!output) {
				continue; // no outputs left; the view waits
			}
			struct wlr_box area = output->usable_area;
			view_move(view, area.x + (area.width - view->width) / 2,
				area.y + ext.top +
				(area.height - view->height - ext.top) / 2);
		}
		if (view->toplevel_handle) {
			struct pwl_output *output = view_output(view);
			if (output) {
				wlr_foreign_toplevel_handle_v1_output_enter(
					view->toplevel_handle, output->wlr_output);
			}
		}
	}
}
