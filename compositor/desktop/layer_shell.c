#include "desktop/layer_shell.h"

#include <stdlib.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/xdg_shell.h"
#include "util/layer_layout.h"

static enum pwl_scene_layer scene_layer(enum zwlr_layer_shell_v1_layer layer) {
	switch (layer) {
	case ZWLR_LAYER_SHELL_V1_LAYER_BACKGROUND:
		return PWL_LAYER_BACKGROUND;
	case ZWLR_LAYER_SHELL_V1_LAYER_BOTTOM:
		return PWL_LAYER_BOTTOM;
	case ZWLR_LAYER_SHELL_V1_LAYER_TOP:
		return PWL_LAYER_TOP;
	case ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY:
		return PWL_LAYER_OVERLAY;
	}
	return PWL_LAYER_TOP;
}

static struct layer_request request_from(
		const struct wlr_layer_surface_v1_state *state) {
	return (struct layer_request){
		.anchor = state->anchor,
		.exclusive_zone = state->exclusive_zone,
		.margin_top = (int32_t)state->margin.top,
		.margin_right = (int32_t)state->margin.right,
		.margin_bottom = (int32_t)state->margin.bottom,
		.margin_left = (int32_t)state->margin.left,
		.desired_width = state->desired_width,
		.desired_height = state->desired_height,
	};
}

/* One pass over one layer: surfaces with an exclusive zone first so that
 * the others are placed in what remains. */
static void arrange_layer(struct pwl_output *output,
		enum zwlr_layer_shell_v1_layer layer, struct wlr_box *usable,
		bool exclusive) {
	struct pwl_server *server = output->server;
	struct pwl_layer_surface *ls, *tmp;
	wl_list_for_each_safe(ls, tmp, &server->layer_surfaces, link) {
		struct wlr_layer_surface_v1 *wlr = ls->wlr_layer_surface;
		if (ls->output != output || wlr->current.layer != layer ||
				(wlr->current.exclusive_zone > 0) != exclusive) {
			continue;
		}
		if (ls->closing) {
			continue;
		}
		struct layer_request req = request_from(&wlr->current);
		struct wlr_box box;
		if (!layer_place(&req, &output->box, usable, &box)) {
			wlr_log(WLR_ERROR, "Layer surface '%s' has no area "
				"(%ux%u with margins in %dx%d): closing it",
				wlr->namespace, req.desired_width, req.desired_height,
				output->box.width, output->box.height);
			ls->closing = true;
			continue;
		}
		ls->box = box;
		wlr_scene_node_set_position(&ls->tree->node, box.x, box.y);
		wlr_layer_surface_v1_configure(wlr, box.width, box.height);
	}
}

/* Places every surface of the output; surfaces that cannot be placed are
 * only flagged, so that no list is changed under the loops. */
static void arrange(struct pwl_output *output) {
	struct wlr_box usable = output->box;
	static const enum zwlr_layer_shell_v1_layer order[] = {
		ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY,
		ZWLR_LAYER_SHELL_V1_LAYER_TOP,
		ZWLR_LAYER_SHELL_V1_LAYER_BOTTOM,
		ZWLR_LAYER_SHELL_V1_LAYER_BACKGROUND,
	};
	for (size_t i = 0; i < 4; i++) {
		arrange_layer(output, order[i], &usable, true);
	}
	for (size_t i = 0; i < 4; i++) {
		arrange_layer(output, order[i], &usable, false);
	}
	bool changed = usable.x != output->usable_area.x ||
		usable.y != output->usable_area.y ||
		usable.width != output->usable_area.width ||
		usable.height != output->usable_area.height;
	output->usable_area = usable;
	if (changed) {
		views_fit_outputs(output->server);
	}
}

/* Each destroy re-arranges the output (handle_destroy), so look again
 * from the start after every one. */
static void close_flagged(struct pwl_server *server) {
	for (;;) {
		struct pwl_layer_surface *ls, *found = NULL;
		wl_list_for_each(ls, &server->layer_surfaces, link) {
			if (ls->closing) {
				found = ls;
				break;
			}
		}
		if (!found) {
			return;
		}
		found->closing = false;
		wlr_layer_surface_v1_destroy(found->wlr_layer_surface);
	}
}

void layer_shell_arrange(struct pwl_output *output) {
	arrange(output);
	close_flagged(output->server);
}

void layer_shell_output_gone(struct pwl_output *output) {
	struct pwl_layer_surface *ls, *tmp;
	wl_list_for_each_safe(ls, tmp, &output->server->layer_surfaces, link) {
		if (ls->output == output) {
			ls->output = NULL;
			ls->wlr_layer_surface->output = NULL;
			wlr_layer_surface_v1_destroy(ls->wlr_layer_surface);
		}
	}
}

/* The protocol forbids a zero size on an axis not anchored to both edges;
 * wlroots 0.15.1 does not check it, so we do (the client is disconnected). */
static bool check_size(struct wlr_layer_surface_v1 *wlr) {
	const uint32_t horiz = ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT;
	const uint32_t vert = ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM;
	const struct wlr_layer_surface_v1_state *s = &wlr->current;
	if ((s->desired_width == 0 && (s->anchor & horiz) != horiz) ||
			(s->desired_height == 0 && (s->anchor & vert) != vert)) {
		wl_resource_post_error(wlr->resource,
			ZWLR_LAYER_SURFACE_V1_ERROR_INVALID_SIZE,
			"zero size requested without anchoring both opposite edges");
		return false;
	}
	return true;
}

static void handle_map(struct wl_listener *listener, void *data) {
	struct pwl_layer_surface *ls = wl_container_of(listener, ls, map);
	struct wlr_layer_surface_v1 *wlr = ls->wlr_layer_surface;
	ls->mapped = true;
	wlr_scene_node_set_enabled(&ls->tree->node, true);
	if (wlr->current.keyboard_interactive ==
			ZWLR_LAYER_SURFACE_V1_KEYBOARD_INTERACTIVITY_EXCLUSIVE &&
			wlr->current.layer >= ZWLR_LAYER_SHELL_V1_LAYER_TOP) {
		seat_focus_layer(ls->server->seat, wlr);
	}
	cursor_rebase(ls->server->seat, 0);
}

static void handle_unmap(struct wl_listener *listener, void *data) {
	struct pwl_layer_surface *ls = wl_container_of(listener, ls, unmap);
	ls->mapped = false;
	wlr_scene_node_set_enabled(&ls->tree->node, false);
	seat_layer_unmapped(ls->server->seat, ls->wlr_layer_surface);
}

static void handle_commit(struct wl_listener *listener, void *data) {
	struct pwl_layer_surface *ls = wl_container_of(listener, ls, commit);
	struct wlr_layer_surface_v1 *wlr = ls->wlr_layer_surface;
	if (!ls->output || ls->closing || !check_size(wlr)) {
		return;
	}
	enum pwl_scene_layer layer = scene_layer(wlr->current.layer);
	if ((int)layer != ls->layer) {
		wlr_scene_node_reparent(&ls->tree->node,
			&ls->server->layers[layer]->node);
		ls->layer = layer;
	}
	if (wlr->current.committed != 0 || ls->mapped != wlr->mapped) {
		layer_shell_arrange(ls->output);
	}
}

static void handle_new_popup(struct wl_listener *listener, void *data) {
	struct pwl_layer_surface *ls = wl_container_of(listener, ls, new_popup);
	struct wlr_xdg_popup *popup = data;
	struct wlr_box constraint = { 0 };
	if (ls->output) {
		constraint = (struct wlr_box){
			.x = ls->output->box.x - ls->box.x,
			.y = ls->output->box.y - ls->box.y,
			.width = ls->output->box.width,
			.height = ls->output->box.height,
		};
	}
	xdg_popup_create(popup, ls->surface_node, constraint, NULL);
}

static void handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_layer_surface *ls = wl_container_of(listener, ls, destroy);
	struct pwl_output *output = ls->output;
	wl_list_remove(&ls->map.link);
	wl_list_remove(&ls->unmap.link);
	wl_list_remove(&ls->destroy.link);
	wl_list_remove(&ls->commit.link);
	wl_list_remove(&ls->new_popup.link);
	wl_list_remove(&ls->link);
	ls->wlr_layer_surface->data = NULL;
	wlr_scene_node_destroy(&ls->tree->node);
	free(ls);
	if (output) {
		layer_shell_arrange(output);
	}
}

void layer_shell_handle_new_surface(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, new_layer_surface);
	struct wlr_layer_surface_v1 *wlr = data;

	if (!check_size(wlr)) {
		return;
	}
	struct pwl_output *output = output_from_wlr(wlr->output);
	if (!output) {
		output = output_focused(server);
	}
	if (!output) {
		wlr_log(WLR_INFO, "No output for layer surface '%s'", wlr->namespace);
		wlr_layer_surface_v1_destroy(wlr);
		return;
	}
	wlr->output = output->wlr_output;

	struct pwl_layer_surface *ls = calloc(1, sizeof(*ls));
	if (!ls) {
		wlr_layer_surface_v1_destroy(wlr);
		return;
	}
	ls->server = server;
	ls->wlr_layer_surface = wlr;
	ls->output = output;
	ls->layer = scene_layer(wlr->pending.layer);
	ls->node_desc.type = PWL_NODE_LAYER_SURFACE;
	ls->node_desc.data = wlr;
	ls->tree = wlr_scene_tree_create(&server->layers[ls->layer]->node);
	ls->surface_node = ls->tree ?
		wlr_scene_subsurface_tree_create(&ls->tree->node, wlr->surface) : NULL;
	if (!ls->surface_node) {
		if (ls->tree) {
			wlr_scene_node_destroy(&ls->tree->node);
		}
		free(ls);
		wlr_layer_surface_v1_destroy(wlr);
		return;
	}
	ls->tree->node.data = &ls->node_desc;
	wlr_scene_node_set_enabled(&ls->tree->node, false);
	wlr->data = ls;

	ls->map.notify = handle_map;
	wl_signal_add(&wlr->events.map, &ls->map);
	ls->unmap.notify = handle_unmap;
	wl_signal_add(&wlr->events.unmap, &ls->unmap);
	ls->destroy.notify = handle_destroy;
	wl_signal_add(&wlr->events.destroy, &ls->destroy);
	ls->commit.notify = handle_commit;
	wl_signal_add(&wlr->surface->events.commit, &ls->commit);
	ls->new_popup.notify = handle_new_popup;
	wl_signal_add(&wlr->events.new_popup, &ls->new_popup);
	wl_list_insert(&server->layer_surfaces, &ls->link);

	// wlroots emits this on the initial commit, with the requested state
	// already current; the client now waits for its first configure.
	layer_shell_arrange(output);
}
