#ifndef PWL_OUTPUT_H
#define PWL_OUTPUT_H

#include <time.h>
#include <wayland-server-core.h>
#include <wlr/util/box.h>

struct pwl_server;

struct pwl_output {
	struct wl_list link; // pwl_server.outputs
	struct pwl_server *server;
	struct wlr_output *wlr_output;
	struct wlr_scene_output *scene_output;

	/* The output's box in layout coordinates, and what is left of it after
	 * the exclusive zones of layer surfaces (also in layout coordinates). */
	struct wlr_box box;
	struct wlr_box usable_area;

	/* Presentation reports for backends that send none (headless). */
	struct wl_event_source *present_idle; // may be NULL
	struct timespec present_time;
	uint32_t present_seq;

	struct wl_listener frame;
	struct wl_listener commit;
	struct wl_listener destroy;
};

void output_handle_new(struct wl_listener *listener, void *data);
void output_handle_layout_change(struct wl_listener *listener, void *data);

/** The output at a layout point; may be NULL. */
struct pwl_output *output_at(struct pwl_server *server, double lx, double ly);
/** The output under the cursor, or the first output; may be NULL. */
struct pwl_output *output_focused(struct pwl_server *server);
struct pwl_output *output_from_wlr(struct wlr_output *wlr_output);

/** The leftmost (then topmost) output: where a pinned window goes. */
struct pwl_output *output_primary(struct pwl_server *server);

#endif
