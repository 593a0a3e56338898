#include "desktop/output.h"

#include <stdlib.h>
#include <time.h>
#include <wlr/backend/headless.h>
#include <wlr/interfaces/wlr_output.h>
#include <wlr/types/wlr_cursor.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/log.h>

#include "desktop/layer_shell.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/config.h"

struct pwl_output *output_from_wlr(struct wlr_output *wlr_output) {
	return wlr_output ? wlr_output->data : NULL;
}

struct pwl_output *output_at(struct pwl_server *server, double lx, double ly) {
	struct wlr_output *wlr_output =
		wlr_output_layout_output_at(server->output_layout, lx, ly);
	return output_from_wlr(wlr_output);
}

struct pwl_output *output_focused(struct pwl_server *server) {
	struct wlr_cursor *cursor = server->seat ? server->seat->cursor : NULL;
	struct pwl_output *output = NULL;
	if (cursor) {
		output = output_at(server, cursor->x, cursor->y);
	}
	if (!output && !wl_list_empty(&server->outputs)) {
		output = wl_container_of(server->outputs.next, output, link);
	}
	return output;
}

static void mark_sampled(struct wlr_surface *surface, int sx, int sy,
		void *data) {
	struct pwl_output *output = data;
	wlr_presentation_surface_sampled_on_output(output->server->presentation,
		surface, output->wlr_output);
}

static void handle_frame(struct wl_listener *listener, void *data) {
	struct pwl_output *output = wl_container_of(listener, output, frame);
	// The scene only renders what was damaged; an unchanged scene commits
	// nothing, so an idle session does no work here.
	uint32_t seq = output->wlr_output->commit_seq;
	views_contain_subsurfaces(output->server);
	seat_cap_client_images(output->server->seat);
	if (wlr_scene_output_commit(output->scene_output) &&
			output->wlr_output->commit_seq != seq) {
		// A frame went out. wlroots 0.15's scene samples surfaces for
		// presentation feedback only when it renders them, not when it
		// scans a buffer out: sample every surface on this output.
		wlr_scene_output_for_each_surface(output->scene_output,
			mark_sampled, output);
	}
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	wlr_scene_output_send_frame_done(output->scene_output, &now);
}

static void update_box(struct pwl_output *output) {
	struct wlr_box *box = wlr_output_layout_get_box(
		output->server->output_layout, output->wlr_output);
	if (box) {
		output->box = *box;
	}
}

/* Called whenever the layout or an output's mode/scale changed: the layer
 * surfaces are arranged again and views follow the new usable areas. */
static void rearrange(struct pwl_server *server) {
	struct pwl_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		update_box(output);
		layer_shell_arrange(output);
	}
	views_fit_outputs(server);
	wl_signal_emit(&server->events.outputs_changed, NULL);
}

void output_handle_layout_change(struct wl_listener *listener, void *data) {
	struct pwl_server *server =
		wl_container_of(listener, server, layout_change);
	rearrange(server);
}

static void send_present(void *data) {
	struct pwl_output *output = data;
	struct wlr_output *wo = output->wlr_output;
	output->present_idle = NULL;
	struct wlr_output_event_present present = {
		.output = wo,
		.commit_seq = output->present_seq,
		.presented = true,
		.when = &output->present_time,
		.refresh = wo->refresh > 0 ?
			(int)(1000000000000LL / wo->refresh) : 0,
	};
	wlr_output_send_present(wo, &present);
}

/* wlroots 0.15's headless backend never reports a presentation, so
 * presentation-time feedback would never complete. Its frame is shown
 * the moment it is committed: report that, once every commit listener
 * (the feedback's among them) has seen the commit. */
static void schedule_present(struct pwl_output *output) {
	clock_gettime(CLOCK_MONOTONIC, &output->present_time);
	output->present_seq = output->wlr_output->commit_seq;
	if (!output->present_idle) {
		output->present_idle = wl_event_loop_add_idle(output->server->loop,
			send_present, output);
	}
}

static void handle_commit(struct wl_listener *listener, void *data) {
	struct pwl_output *output = wl_container_of(listener, output, commit);
	struct wlr_output_event_commit *event = data;
	if ((event->committed & WLR_OUTPUT_STATE_BUFFER) &&
			wlr_output_is_headless(output->wlr_output)) {
		schedule_present(output);
	}
	if (event->committed & (WLR_OUTPUT_STATE_MODE | WLR_OUTPUT_STATE_SCALE |
			WLR_OUTPUT_STATE_TRANSFORM | WLR_OUTPUT_STATE_ENABLED)) {
		rearrange(output->server);
	}
}

static void output_destroy(struct pwl_output *output) {
	struct pwl_server *server = output->server;
	wl_list_remove(&output->frame.link);
	wl_list_remove(&output->commit.link);
	wl_list_remove(&output->destroy.link);
	wl_list_remove(&output->link);
	layer_shell_output_gone(output);
	if (output->present_idle) {
		wl_event_source_remove(output->present_idle);
	}
	output->wlr_output->data = NULL;
	if (output->scene_output) {
		wlr_scene_output_destroy(output->scene_output);
	}
	wlr_output_layout_remove(server->output_layout, output->wlr_output);
	free(output);
	// Windows that were on the unplugged output move to the remaining ones.
	rearrange(server);
}

static void handle_destroy(struct wl_listener *listener, void *data) {
	struct pwl_output *output = wl_container_of(listener, output, destroy);
	wlr_log(WLR_INFO, "Output %s removed", output->wlr_output->name);
	output_destroy(output);
}

static struct wlr_output_mode *find_mode(struct wlr_output *wlr_output,
		const struct pwl_output_config *oc) {
	struct wlr_output_mode *mode, *best = NULL;
	wl_list_for_each(mode, &wlr_output->modes, link) {
		if (mode->width != oc->width || mode->height != oc->height) {
			continue;
		}
		if (oc->refresh_mhz == 0 || abs(mode->refresh - oc->refresh_mhz) < 500) {
			if (!best || mode->refresh > best->refresh) {
				best = mode;
			}
		}
	}
	return best;
}

static void apply_config(struct pwl_output *output,
		const struct pwl_output_config *oc) {
	struct wlr_output *wlr_output = output->wlr_output;
	wlr_output_enable(wlr_output, true);

	struct wlr_output_mode *mode = wlr_output_preferred_mode(wlr_output);
	if (oc && oc->width > 0) {
		struct wlr_output_mode *wanted = find_mode(wlr_output, oc);
		if (wanted) {
			mode = wanted;
		} else if (wl_list_empty(&wlr_output->modes)) {
			// Nested and headless outputs take any size.
			mode = NULL;
			wlr_output_set_custom_mode(wlr_output, oc->width, oc->height,
				oc->refresh_mhz);
		} else {
			wlr_log(WLR_ERROR, "Output %s has no mode %dx%d, using its "
				"preferred one", wlr_output->name, oc->width, oc->height);
		}
	}
	if (mode) {
		wlr_output_set_mode(wlr_output, mode);
	}
	if (oc && oc->scale > 0) {
		wlr_output_set_scale(wlr_output, oc->scale);
	}
	if (!wlr_output_commit(wlr_output) && mode) {
		// Some modes fail the test on real hardware; fall back to any mode
		// that works rather than leaving the screen dark.
		struct wlr_output_mode *other;
		wl_list_for_each(other, &wlr_output->modes, link) {
			wlr_output_enable(wlr_output, true);
			wlr_output_set_mode(wlr_output, other);
			if (wlr_output_commit(wlr_output)) {
				break;
			}
		}
	}
}

void output_handle_new(struct wl_listener *listener, void *data) {
	struct pwl_server *server = wl_container_of(listener, server, new_output);
	struct wlr_output *wlr_output = data;

	if (!wlr_output_init_render(wlr_output, server->allocator,
			server->renderer)) {
		wlr_log(WLR_ERROR, "Cannot render on output %s", wlr_output->name);
		return;
	}
	struct pwl_output_config *oc =
		config_find_output(server->config, wlr_output->name);
	if (oc && !oc->enabled) {
		wlr_log(WLR_INFO, "Output %s disabled by config", wlr_output->name);
		return;
	}

	struct pwl_output *output = calloc(1, sizeof(*output));
	if (!output) {
		return;
	}
	output->server = server;
	output->wlr_output = wlr_output;
	wlr_output->data = output;

	output->frame.notify = handle_frame;
	wl_signal_add(&wlr_output->events.frame, &output->frame);
	output->commit.notify = handle_commit;
	wl_signal_add(&wlr_output->events.commit, &output->commit);
	output->destroy.notify = handle_destroy;
	wl_signal_add(&wlr_output->events.destroy, &output->destroy);
	wl_list_insert(server->outputs.prev, &output->link);

	apply_config(output, oc);

	output->scene_output = wlr_scene_output_create(server->scene, wlr_output);
	// Outputs are arranged left to right in the order they appear.
	if (oc && oc->has_position) {
		wlr_output_layout_add(server->output_layout, wlr_output, oc->x, oc->y);
	} else {
		wlr_output_layout_add_auto(server->output_layout, wlr_output);
	}
	update_box(output);
	output->usable_area = output->box;

	wlr_log(WLR_INFO, "Output %s: %dx%d@%.3fHz scale %.2f at %d,%d",
		wlr_output->name, wlr_output->width, wlr_output->height,
		wlr_output->refresh / 1000.0, wlr_output->scale,
		output->box.x, output->box.y);
	rearrange(server);
	seat_update_cursor_theme(server->seat);
}

struct pwl_output *output_primary(struct pwl_server *server) {
	struct pwl_output *first = NULL, *output;
	wl_list_for_each(output, &server->outputs, link) {
		if (!first || output->box.x < first->box.x ||
				(output->box.x == first->box.x &&
				output->box.y < first->box.y)) {
			first = output;
		}
	}
	return first;
}
