#ifndef PWL_LAYER_SHELL_H
#define PWL_LAYER_SHELL_H

#include <stdbool.h>
#include <wayland-server-core.h>
#include <wlr/util/box.h>

#include "desktop/view.h"

struct pwl_output;
struct pwl_server;

struct pwl_layer_surface {
	struct wl_list link; // pwl_server.layer_surfaces
	struct pwl_server *server;
	struct wlr_layer_surface_v1 *wlr_layer_surface;
	struct pwl_output *output; // may be NULL once its output is gone
	struct wlr_scene_tree *tree;
	struct wlr_scene_node *surface_node;
	struct pwl_node_descriptor node_desc;
	struct wlr_box box; // layout coordinates
	bool mapped;
	bool closing; // could not be placed; closed after arranging
	int layer; // the layer its tree currently sits in

	struct wl_listener map;
	struct wl_listener unmap;
	struct wl_listener destroy;
	struct wl_listener commit;
	struct wl_listener new_popup;
};

void layer_shell_handle_new_surface(struct wl_listener *listener, void *data);
/** Places the output's layer surfaces and recomputes its usable area. */
void layer_shell_arrange(struct pwl_output *output);
/** Closes the layer surfaces of an output that is going away. */
void layer_shell_output_gone(struct pwl_output *output);

#endif
