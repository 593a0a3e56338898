#include "desktop/label.h"

#include <stdio.h>
#include <stdlib.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>

#include "clients/app.h"
#include "desktop/output.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/text.h"

#define LABEL_WIDTH 320
#define LABEL_HEIGHT 32
/* After LABEL_SHOW_MS the label shrinks to a marker that stays as long as
 * the window is fullscreen: on the overlay layer, above anything an app
 * can draw. */
#define MARKER_WIDTH 160
#define MARKER_HEIGHT 16

struct pwl_label {
	struct wlr_scene_buffer *node;
	struct wl_event_source *timer; // NULL once it is the marker
};

/* "[app]" on the app's colour, w x h (logical) at the top centre of the
 * view's output. */
static struct wlr_scene_buffer *draw_label(struct pwl_view *view, int lw,
		int lh, float text_scale) {
	struct pwl_output *output = view_output(view);
	if (!output) {
		return NULL;
	}
	float scale = output->wlr_output->scale;
	int w = (int)(lw * scale), h = (int)(lh * scale);
	struct pwl_pixel_buffer *buf = pixel_buffer_create(w, h);
	if (!buf) {
		return NULL;
	}
	const float *c = view->app->color;
	pixman_color_t bg = { (uint16_t)(c[0] * 0xffff), (uint16_t)(c[1] * 0xffff),
		(uint16_t)(c[2] * 0xffff), 0xffff };
	pixman_color_t fg = { 0xffff, 0xffff, 0xffff, 0xffff };
	pixman_box32_t all = { 0, 0, w, h };
	pixman_image_fill_boxes(PIXMAN_OP_SRC, buf->image, &bg, 1, &all);
	char text[420];
	snprintf(text, sizeof(text), "[%s]", view->app->label);
	text_draw(buf->image, text, (int)(6 * scale), 0, h, w,
		scale * text_scale, &fg);
	struct wlr_scene_buffer *node = wlr_scene_buffer_create(
		&view->server->layers[PWL_LAYER_OVERLAY]->node, buf->base);
	wlr_buffer_drop(buf->base);
	if (!node) {
		return NULL;
	}
	wlr_scene_buffer_set_dest_size(node, lw, lh);
	wlr_scene_node_set_position(&node->node,
		output->box.x + (output->box.width - lw) / 2, output->box.y);
	return node;
}

static int handle_timeout(void *data) {
	struct pwl_view *view = data;
	struct pwl_label *label = view->label;
	wl_event_source_remove(label->timer);
	label->timer = NULL;
	struct wlr_scene_buffer *marker = draw_label(view, MARKER_WIDTH,
		MARKER_HEIGHT, 0.7f);
	if (marker) {
		wlr_scene_node_destroy(&label->node->node);
		label->node = marker;
	}
	return 0;
}

void label_hide(struct pwl_view *view) {
	struct pwl_label *label = view->label;
	if (!label) {
		return;
	}
	if (label->timer) {
		wl_event_source_remove(label->timer);
	}
	wlr_scene_node_destroy(&label->node->node);
	free(label);
	view->label = NULL;
}

void label_show_fullscreen(struct pwl_view *view) {
	label_hide(view);
	if (!view->app || view->server->kiosk) {
		return;
	}
	struct pwl_label *label = calloc(1, sizeof(*label));
	struct wlr_scene_buffer *node = label ?
		draw_label(view, LABEL_WIDTH, LABEL_HEIGHT, 1.0f) : NULL;
	if (!node) {
		free(label);
		return;
	}
	label->node = node;
	label->timer = wl_event_loop_add_timer(view->server->loop,
		handle_timeout, view);
	if (!label->timer) {
		wlr_scene_node_destroy(&node->node);
		free(label);
		return;
	}
	wl_event_source_timer_update(label->timer, LABEL_SHOW_MS);
	view->label = label;
}
