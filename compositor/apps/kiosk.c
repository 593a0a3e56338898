#include "apps/kiosk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/util/log.h>

#include "apps/containers.h"
#include "apps/launch.h"
#include "clients/app.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/config.h"
#include "util/text.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
/* An app that ran this long was fine: the next failure starts over. */
#define STABLE_S 30
#define MAX_MIRRORS 8
#define STATUS_WIDTH 900
#define STATUS_HEIGHT 48

struct pwl_kiosk {
	struct pwl_server *server;
	char *app;
	struct pwl_launch *launch; // the current one; NULL between launches
	struct wl_listener launch_changed;
	struct wl_listener view_mapped;
	struct wl_listener view_unmapped;
	struct wl_listener outputs_changed;
	struct wl_event_source *restart; // backoff timer
	struct wl_event_source *tick; // refreshes the status screen
	int backoff_ms;
	struct timespec restart_at;
	char last_error[1100];

	struct pwl_view *view; // the app's window on screen, if any
	struct wlr_scene_node *mirrors[MAX_MIRRORS];
	int nmirrors;
	bool arranging; // in kiosk_outputs_changed

	struct wlr_scene_tree *status; // rebuilt on every change
	char status_text[1300];
};

static long ms_until(const struct timespec *t) {
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000L +
		(t->tv_nsec - now.tv_nsec) / 1000000L;
}

/* ---- the status screen ---- */

static void draw_status(struct pwl_kiosk *kiosk) {
	struct pwl_server *server = kiosk->server;
	if (kiosk->status) {
		wlr_scene_node_destroy(&kiosk->status->node);
		kiosk->status = NULL;
	}
	if (!kiosk->status_text[0]) {
		return;
	}
	kiosk->status = wlr_scene_tree_create(
		&server->layers[PWL_LAYER_BACKGROUND]->node);
	if (!kiosk->status) {
		return;
	}
	static const float dark[4] = { 0.08f, 0.09f, 0.11f, 1.0f };
	struct pwl_output *output;
	wl_list_for_each(output, &server->outputs, link) {
		struct wlr_box *box = &output->box;
		struct wlr_scene_rect *rect = wlr_scene_rect_create(
			&kiosk->status->node, box->width, box->height, dark);
		if (rect) {
			wlr_scene_node_set_position(&rect->node, box->x, box->y);
		}
		float scale = output->wlr_output->scale;
		int w = STATUS_WIDTH < box->width ? STATUS_WIDTH : box->width;
		struct pwl_pixel_buffer *buf = pixel_buffer_create((int)(w * scale),
			(int)(STATUS_HEIGHT * scale));
		if (!buf) {
			continue;
		}
		pixman_color_t fg = { 0xe000, 0xe000, 0xe000, 0xffff };
		text_draw(buf->image, kiosk->status_text, (int)(8 * scale), 0,
			(int)(STATUS_HEIGHT * scale), (int)(w * scale), scale * 1.25f,
			&fg);
		struct wlr_scene_buffer *node = wlr_scene_buffer_create(
			&kiosk->status->node, buf->base);
		wlr_buffer_drop(buf->base);
		if (node) {
			wlr_scene_buffer_set_dest_size(node, w, STATUS_HEIGHT);
			wlr_scene_node_set_position(&node->node,
				box->x + (box->width - w) / 2,
				box->y + (box->height - STATUS_HEIGHT) / 2);
		}
	}
}

static void set_status(struct pwl_kiosk *kiosk, const char *text) {
	if (strcmp(text, kiosk->status_text)) {
		snprintf(kiosk->status_text, sizeof(kiosk->status_text), "%s", text);
		if (text[0]) {
			wlr_log(WLR_INFO, "Kiosk: %s", text);
		}
	}
	draw_status(kiosk);
}

/* What the screen says while the app is not up, in words. */
static void update_status(struct pwl_kiosk *kiosk) {
	char text[1300];
	struct pwl_launch *launch = kiosk->launch;
	const char *name = launch ? launch->name : kiosk->app;
	if (launch && launch->ready && launch->windows > 0) {
		text[0] = '\0';
	} else if (!launch && kiosk->last_error[0]) {
		long s = (ms_until(&kiosk->restart_at) + 999) / 1000;
		snprintf(text, sizeof(text), "%s stopped: %s. Starting again in "
			"%ld s", kiosk->app, kiosk->last_error, s > 0 ? s : 0);
	} else if (!launch || launch->state == PWL_LAUNCH_WAITING) {
		const char *why = containers_error(kiosk->server->containers);
		snprintf(text, sizeof(text), "Waiting for the container engine%s%s",
			why[0] ? ": " : "", why);
	} else if (launch->state == PWL_LAUNCH_LOADING &&
			launch->progress_total > 0) {
		snprintf(text, sizeof(text), "Starting %s: %s the image, %d%%", name,
			launch->progress_loading ? "loading" : "checking",
			(int)(launch->progress_done * 100 / launch->progress_total));
	} else {
		snprintf(text, sizeof(text), "Starting %s...", name);
	}
	set_status(kiosk, text);
}

static int handle_tick(void *data) {
	struct pwl_kiosk *kiosk = data;
	update_status(kiosk);
	wl_event_source_timer_update(kiosk->tick, 1000);
	return 0;
}

/* ---- launching and restarting ---- */

/* Launches again after the backoff, which then doubles. */
static void arm_restart(struct pwl_kiosk *kiosk) {
	clock_gettime(CLOCK_MONOTONIC, &kiosk->restart_at);
	kiosk->restart_at.tv_sec += kiosk->backoff_ms / 1000;
	kiosk->restart_at.tv_nsec += (kiosk->backoff_ms % 1000) * 1000000L;
	if (kiosk->restart_at.tv_nsec >= 1000000000L) {
		kiosk->restart_at.tv_sec++;
		kiosk->restart_at.tv_nsec -= 1000000000L;
	}
	wl_event_source_timer_update(kiosk->restart, kiosk->backoff_ms);
	wlr_log(WLR_INFO, "Kiosk: %s ended (%s); starting it again in %d ms",
		kiosk->app, kiosk->last_error, kiosk->backoff_ms);
	kiosk->backoff_ms = kiosk->backoff_ms * 2 > BACKOFF_MAX_MS ?
		BACKOFF_MAX_MS : kiosk->backoff_ms * 2;
}

static void launch_now(struct pwl_kiosk *kiosk) {
	// A kiosk runs its app from the stores it was configured with (or the
	// one its ID@KEY names), never the same id from a plugged-in disk.
	struct pwl_launch_options options = { .consent = true, .kiosk = true,
		.configured_only = !strchr(kiosk->app, '@') };
	char error[1024];
	kiosk->launch = launch_app(kiosk->server, kiosk->app, &options, error,
		sizeof(error));
	if (!kiosk->launch) {
		// Not even startable (store missing, bad manifest): try again,
		// the store may be plugged in later.
		snprintf(kiosk->last_error, sizeof(kiosk->last_error), "%s", error);
		arm_restart(kiosk);
	}
	update_status(kiosk);
}

static int handle_restart(void *data) {
	struct pwl_kiosk *kiosk = data;
	launch_now(kiosk);
	return 0;
}

static void schedule_restart(struct pwl_kiosk *kiosk) {
	struct pwl_launch *launch = kiosk->launch;
	if (launch->started_wall && time(NULL) - launch->started_wall >= STABLE_S) {
		kiosk->backoff_ms = BACKOFF_MIN_MS;
	}
	snprintf(kiosk->last_error, sizeof(kiosk->last_error), "%s",
		launch->error[0] ? launch->error : "it exited");
	kiosk->launch = NULL;
	arm_restart(kiosk);
}

static void handle_launch_changed(struct wl_listener *listener, void *data) {
	struct pwl_kiosk *kiosk = wl_container_of(listener, kiosk,
		launch_changed);
	struct pwl_launch *launch = data;
	if (launch != kiosk->launch) {
		return;
	}
	if (!launch_active(launch)) {
		schedule_restart(kiosk);
	} else if (launch->ready) {
		kiosk->last_error[0] = '\0';
	}
	update_status(kiosk);
}

/* ---- windows ---- */

/* The primary is the leftmost (then topmost) output of the layout. */
static void drop_mirrors(struct pwl_kiosk *kiosk) {
	for (int i = 0; i < kiosk->nmirrors; i++) {
		wlr_scene_node_destroy(kiosk->mirrors[i]);
	}
	kiosk->nmirrors = 0;
}

/* Mirrored outputs show the same surface again: wlroots draws one more
 * scene tree of it on each, centred; the output's scale (fit_mirrors) makes
 * it as large as the output allows. */
static void make_mirrors(struct pwl_kiosk *kiosk, struct pwl_view *view) {
	struct pwl_server *server = kiosk->server;
	struct pwl_output *primary = output_primary(server), *output;
	if (!primary) {
		return;
	}
	// Placed as the primary's box is (the window may still be resizing
	// to it): the same picture, where the primary shows it.
	const struct wlr_box *pbox = &primary->box;
	wl_list_for_each(output, &server->outputs, link) {
		if (output == primary || kiosk->nmirrors == MAX_MIRRORS ||
				!view->surface) {
			continue;
		}
		struct wlr_scene_node *tree = wlr_scene_subsurface_tree_create(
			&server->layers[PWL_LAYER_FULLSCREEN]->node, view->surface);
		if (tree) {
			wlr_scene_node_set_position(tree,
				output->box.x + (output->box.width - pbox->width) / 2 +
				(view->x - pbox->x),
				output->box.y + (output->box.height - pbox->height) / 2 +
				(view->y - pbox->y));
			kiosk->mirrors[kiosk->nmirrors++] = tree;
		}
	}
}

/* wlroots 0.15's scene cannot scale a surface node, but it draws each
 * output at its scale: a mirror output gets the scale at which its
 * logical size holds the primary's whole (letterboxed if the shapes
 * differ), so a smaller or larger screen shows the full picture. */
static void fit_mirrors(struct pwl_kiosk *kiosk) {
	struct pwl_server *server = kiosk->server;
	struct pwl_output *primary = output_primary(server), *output;
	if (!primary || wlr_box_empty(&primary->box)) {
		return;
	}
	wl_list_for_each(output, &server->outputs, link) {
		if (output == primary) {
			continue;
		}
		struct wlr_output *wo = output->wlr_output;
		int w, h;
		wlr_output_transformed_resolution(wo, &w, &h);
		float sx = (float)w / primary->box.width;
		float sy = (float)h / primary->box.height;
		float scale = sx < sy ? sx : sy;
		if (scale <= 0.0f || (scale > wo->scale - 0.001f &&
				scale < wo->scale + 0.001f)) {
			continue;
		}
		wlr_log(WLR_INFO, "Kiosk: output %s mirrors %s at scale %.3f",
			wo->name, primary->wlr_output->name, scale);
		wlr_output_set_scale(wo, scale);
		if (!wlr_output_commit(wo)) {
			wlr_output_rollback(wo);
			wlr_log(WLR_ERROR, "Kiosk: output %s refused scale %.3f",
				wo->name, scale);
		}
	}
}

static void handle_outputs_changed(struct wl_listener *listener,
		void *data) {
	struct pwl_kiosk *kiosk = wl_container_of(listener, kiosk,
		outputs_changed);
	(void)data;
	if (kiosk->arranging) {
		return;
	}
	// A scale commit arranges the outputs again, from inside this.
	kiosk->arranging = true;
	if (!kiosk->server->config->kiosk.span) {
		fit_mirrors(kiosk);
	}
	drop_mirrors(kiosk);
	if (kiosk->view && !kiosk->server->config->kiosk.span) {
		make_mirrors(kiosk, kiosk->view);
	}
	draw_status(kiosk);
	kiosk->arranging = false;
}

static void handle_view_mapped(struct wl_listener *listener, void *data) {
	struct pwl_kiosk *kiosk = wl_container_of(listener, kiosk, view_mapped);
	struct pwl_view *view = data;
	struct wlr_box box;
	if (!view_pinned_box(view, &box)) {
		return;
	}
	drop_mirrors(kiosk);
	kiosk->view = view;
	if (!kiosk->server->config->kiosk.span) {
		make_mirrors(kiosk, view);
	}
	update_status(kiosk);
}

static void handle_view_unmapped(struct wl_listener *listener, void *data) {
	struct pwl_kiosk *kiosk = wl_container_of(listener, kiosk, view_unmapped);
	if (kiosk->view != data) {
		return;
	}
	drop_mirrors(kiosk);
	kiosk->view = NULL;
	update_status(kiosk);
}

/* ---- input ---- */

struct pwl_kiosk *kiosk_create(struct pwl_server *server, const char *app) {
	struct pwl_kiosk *kiosk = calloc(1, sizeof(*kiosk));
	if (!kiosk || !(kiosk->app = strdup(app))) {
		free(kiosk);
		return NULL;
	}
	kiosk->server = server;
	kiosk->backoff_ms = BACKOFF_MIN_MS;
	kiosk->restart = wl_event_loop_add_timer(server->loop, handle_restart,
		kiosk);
	kiosk->tick = wl_event_loop_add_timer(server->loop, handle_tick, kiosk);
	if (!kiosk->restart || !kiosk->tick) {
		kiosk_destroy(kiosk);
		return NULL;
	}
	kiosk->launch_changed.notify = handle_launch_changed;
	wl_signal_add(&server->events.launch_changed, &kiosk->launch_changed);
	kiosk->view_mapped.notify = handle_view_mapped;
	wl_signal_add(&server->events.view_mapped, &kiosk->view_mapped);
	kiosk->view_unmapped.notify = handle_view_unmapped;
	wl_signal_add(&server->events.view_unmapped, &kiosk->view_unmapped);
	kiosk->outputs_changed.notify = handle_outputs_changed;
	wl_signal_add(&server->events.outputs_changed, &kiosk->outputs_changed);
	seat_set_cursor_autohide(server->seat,
		server->config->kiosk.hide_cursor_s);
	wl_event_source_timer_update(kiosk->tick, 1000);
	wlr_log(WLR_INFO, "Kiosk mode: %s (%s outputs)", app,
		server->config->kiosk.span ? "spanning" : "mirrored");
	handle_outputs_changed(&kiosk->outputs_changed, NULL);
	launch_now(kiosk);
	return kiosk;
}

void kiosk_destroy(struct pwl_kiosk *kiosk) {
	if (!kiosk) {
		return;
	}
	if (kiosk->launch_changed.notify) {
		wl_list_remove(&kiosk->launch_changed.link);
		wl_list_remove(&kiosk->view_mapped.link);
		wl_list_remove(&kiosk->view_unmapped.link);
		wl_list_remove(&kiosk->outputs_changed.link);
	}
	drop_mirrors(kiosk);
	if (kiosk->status) {
		wlr_scene_node_destroy(&kiosk->status->node);
	}
	if (kiosk->restart) {
		wl_event_source_remove(kiosk->restart);
	}
	if (kiosk->tick) {
		wl_event_source_remove(kiosk->tick);
	}
	free(kiosk->app);
	free(kiosk);
}

const char *kiosk_status(struct pwl_kiosk *kiosk) {
	return kiosk ? kiosk->status_text : "";
}
