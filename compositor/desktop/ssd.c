#include "desktop/ssd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/types/wlr_output.h>
#include <wlr/types/wlr_scene.h>

#include "clients/app.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/server.h"
#include "desktop/view.h"
#include "util/text.h"

enum border_side { BORDER_TOP, BORDER_BOTTOM, BORDER_LEFT, BORDER_RIGHT };

struct pwl_ssd {
	struct pwl_view *view;
	bool full; // title bar and border; else only the app frame
	struct wlr_scene_tree *tree;
	struct wlr_scene_rect *borders[4];
	struct wlr_scene_buffer *title; // may be NULL (zero width)
	struct wlr_scene_buffer *close; // may be NULL
	struct pwl_node_descriptor border_desc, title_desc, close_desc;

	/* What the title buffer was drawn for, to skip needless redraws. */
	int drawn_width;
	float drawn_scale;
	bool drawn_active, drawn_urgent;
	char *drawn_title;
};

static const float active_color[4] = { 0.16f, 0.35f, 0.62f, 1.0f };
static const float inactive_color[4] = { 0.27f, 0.27f, 0.29f, 1.0f };

static pixman_color_t to_pixman(const float c[4]) {
	return (pixman_color_t){
		.red = (uint16_t)(c[0] * 0xffff),
		.green = (uint16_t)(c[1] * 0xffff),
		.blue = (uint16_t)(c[2] * 0xffff),
		.alpha = (uint16_t)(c[3] * 0xffff),
	};
}

struct pwl_ssd_extents ssd_extents(const struct pwl_ssd *ssd) {
	if (!ssd || !ssd->tree->node.state.enabled) {
		return (struct pwl_ssd_extents){ 0 };
	}
	if (!ssd->full) {
		return (struct pwl_ssd_extents){
			SSD_APP_FRAME + SSD_APP_LABEL_HEIGHT, SSD_APP_FRAME,
			SSD_APP_FRAME, SSD_APP_FRAME };
	}
	return (struct pwl_ssd_extents){
		.top = SSD_TITLE_HEIGHT + SSD_BORDER,
		.bottom = SSD_BORDER,
		.left = SSD_BORDER,
		.right = SSD_BORDER,
	};
}

static bool is_active(struct pwl_ssd *ssd) {
	struct pwl_seat *seat = ssd->view->server->seat;
	return seat && seat->focused_view == ssd->view && !seat->focused_layer;
}

static float view_scale(struct pwl_view *view) {
	struct pwl_output *output = view_output(view);
	return output ? output->wlr_output->scale : 1.0f;
}

static struct wlr_scene_buffer *make_buffer_node(struct pwl_ssd *ssd,
		struct pwl_pixel_buffer *buf, int x, int y, int w, int h,
		struct pwl_node_descriptor *desc) {
	struct wlr_scene_buffer *node =
		wlr_scene_buffer_create(&ssd->tree->node, buf->base);
	// The scene holds its own reference now.
	wlr_buffer_drop(buf->base);
	if (!node) {
		return NULL;
	}
	wlr_scene_buffer_set_dest_size(node, w, h);
	wlr_scene_node_set_position(&node->node, x, y);
	node->node.data = desc;
	return node;
}

/* The close button: a cross on the title colour. */
static void draw_close(struct pwl_ssd *ssd, float scale, const float bg[4]) {
	int size = (int)(SSD_BUTTON_SIZE * scale);
	struct pwl_pixel_buffer *buf = pixel_buffer_create(size, size);
	if (!buf) {
		return;
	}
	pixman_color_t bg_color = to_pixman(bg);
	pixman_color_t fg = { 0xffff, 0xffff, 0xffff, 0xffff };
	pixman_box32_t all = { 0, 0, size, size };
	pixman_image_fill_boxes(PIXMAN_OP_SRC, buf->image, &bg_color, 1, &all);
	int t = scale >= 2 ? 2 : 1;
	for (int i = 3 * t; i < size - 3 * t; i++) {
		pixman_box32_t boxes[2] = {
			{ i - t, i - t, i + t, i + t },
			{ size - i - t, i - t, size - i + t, i + t },
		};
		pixman_image_fill_boxes(PIXMAN_OP_SRC, buf->image, &fg, 2, boxes);
	}
	int w = ssd->view->width;
	int pad = (SSD_TITLE_HEIGHT - SSD_BUTTON_SIZE) / 2;
	ssd->close = make_buffer_node(ssd, buf, w - SSD_BUTTON_SIZE - pad,
		-SSD_TITLE_HEIGHT + pad, SSD_BUTTON_SIZE, SSD_BUTTON_SIZE,
		&ssd->close_desc);
}

/* App windows say whose they are, whatever title they set. */
static void format_title(struct pwl_ssd *ssd, char *out, size_t len) {
	struct pwl_view *view = ssd->view;
	if (view->app && !ssd->full) {
		snprintf(out, len, "[%s]", view->app->label);
	} else if (view->app) {
		snprintf(out, len, "[%s] %s", view->app->label, view_title(view));
	} else {
		snprintf(out, len, "%s", view_title(view));
	}
}

static void draw_title(struct pwl_ssd *ssd, float scale, const float bg[4]) {
	struct pwl_view *view = ssd->view;
	int w = view->width;
	int th = ssd->full ? SSD_TITLE_HEIGHT : SSD_APP_LABEL_HEIGHT;
	int bw = (int)(w * scale), bh = (int)(th * scale);
	struct pwl_pixel_buffer *buf = pixel_buffer_create(bw, bh);
	if (!buf) {
		return;
	}
	pixman_color_t bg_color = to_pixman(bg);
	pixman_box32_t all = { 0, 0, bw, bh };
	pixman_image_fill_boxes(PIXMAN_OP_SRC, buf->image, &bg_color, 1, &all);
	pixman_color_t fg = { 0xffff, 0xffff, 0xffff, 0xffff };
	int pad = (int)(6 * scale);
	int text_end = ssd->full ? bw - (int)((SSD_TITLE_HEIGHT + 4) * scale) :
		bw - pad;
	char title[512];
	format_title(ssd, title, sizeof(title));
	// The strip of a client-decorated window: the label alone, smaller.
	text_draw(buf->image, title, pad, 0, bh, text_end,
		ssd->full ? scale : scale * 0.75f, &fg);
	ssd->title = make_buffer_node(ssd, buf, 0, -th, w, th, &ssd->title_desc);
}

static void place_borders(struct pwl_ssd *ssd, const float color[4]) {
	int w = ssd->view->width, h = ssd->view->height;
	int b = ssd->full ? SSD_BORDER : SSD_APP_FRAME;
	int t = ssd->full ? SSD_TITLE_HEIGHT : SSD_APP_LABEL_HEIGHT;
	struct wlr_box boxes[4] = {
		[BORDER_TOP] = { -b, -t - b, w + 2 * b, b },
		[BORDER_BOTTOM] = { -b, h, w + 2 * b, b },
		[BORDER_LEFT] = { -b, -t, b, h + t },
		[BORDER_RIGHT] = { w, -t, b, h + t },
	};
	for (int i = 0; i < 4; i++) {
		wlr_scene_rect_set_size(ssd->borders[i], boxes[i].width,
			boxes[i].height);
		wlr_scene_node_set_position(&ssd->borders[i]->node, boxes[i].x,
			boxes[i].y);
		wlr_scene_rect_set_color(ssd->borders[i], color);
	}
}

/* Host windows: blue when focused, grey otherwise. App windows: their
 * app's colour, dimmed when not focused (the frame alone stays full, as
 * it is the only label there). */
static void pick_color(struct pwl_ssd *ssd, bool active, float out[4]) {
	struct pwl_app *app = ssd->view->app;
	if (ssd->view->urgent && !active && ssd->full) {
		// Orange: wants attention.
		const float urgent[4] = { 0.90f, 0.50f, 0.05f, 1.0f };
		memcpy(out, urgent, sizeof(urgent));
		return;
	}
	if (!app) {
		memcpy(out, active ? active_color : inactive_color,
			sizeof(float) * 4);
		return;
	}
	float dim = active || !ssd->full ? 1.0f : 0.55f;
	out[0] = app->color[0] * dim;
	out[1] = app->color[1] * dim;
	out[2] = app->color[2] * dim;
	out[3] = 1.0f;
}

void ssd_update(struct pwl_ssd *ssd) {
	if (!ssd) {
		return;
	}
	struct pwl_view *view = ssd->view;
	bool active = is_active(ssd);
	float color[4];
	pick_color(ssd, active, color);
	place_borders(ssd, color);

	float scale = view_scale(view);
	char title[512];
	format_title(ssd, title, sizeof(title));
	if (ssd->title && ssd->drawn_width == view->width &&
			ssd->drawn_urgent == view->urgent &&
			ssd->drawn_scale == scale && ssd->drawn_active == active &&
			ssd->drawn_title && !strcmp(ssd->drawn_title, title)) {
		return;
	}
	// wlroots 0.15 scene buffers cannot change their buffer: replace them.
	if (ssd->title) {
		wlr_scene_node_destroy(&ssd->title->node);
		ssd->title = NULL;
	}
	if (ssd->close) {
		wlr_scene_node_destroy(&ssd->close->node);
		ssd->close = NULL;
	}
	if (view->width <= 0) {
		return;
	}
	draw_title(ssd, scale, color);
	if (ssd->full && view->width > SSD_TITLE_HEIGHT * 2) {
		draw_close(ssd, scale, color);
	}
	ssd->drawn_width = view->width;
	ssd->drawn_scale = scale;
	ssd->drawn_active = active;
	ssd->drawn_urgent = view->urgent;
	free(ssd->drawn_title);
	ssd->drawn_title = strdup(title);
}

struct pwl_ssd *ssd_create(struct pwl_view *view) {
	struct pwl_ssd *ssd = calloc(1, sizeof(*ssd));
	if (!ssd) {
		return NULL;
	}
	ssd->view = view;
	ssd->full = view->wants_ssd;
	ssd->tree = wlr_scene_tree_create(&view->tree->node);
	if (!ssd->tree) {
		free(ssd);
		return NULL;
	}
	// Above the content: a subsurface or popup the app places over its
	// frame or title bar does not cover them (wlroots 0.15's scene does
	// not clip).
	wlr_scene_node_raise_to_top(&ssd->tree->node);
	ssd->border_desc = (struct pwl_node_descriptor){ PWL_NODE_SSD_BORDER, view };
	ssd->title_desc = (struct pwl_node_descriptor){ PWL_NODE_SSD_TITLE, view };
	ssd->close_desc = (struct pwl_node_descriptor){ PWL_NODE_SSD_CLOSE, view };
	for (int i = 0; i < 4; i++) {
		ssd->borders[i] = wlr_scene_rect_create(&ssd->tree->node, 0, 0,
			inactive_color);
		if (ssd->borders[i]) {
			ssd->borders[i]->node.data = &ssd->border_desc;
		}
	}
	for (int i = 0; i < 4; i++) {
		if (!ssd->borders[i]) {
			ssd_destroy(ssd);
			return NULL;
		}
	}
	ssd_update(ssd);
	return ssd;
}

void ssd_set_visible(struct pwl_ssd *ssd, bool visible) {
	if (ssd) {
		wlr_scene_node_set_enabled(&ssd->tree->node, visible);
	}
}

void ssd_destroy(struct pwl_ssd *ssd) {
	if (!ssd) {
		return;
	}
	wlr_scene_node_destroy(&ssd->tree->node);
	free(ssd->drawn_title);
	free(ssd);
}
