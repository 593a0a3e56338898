#define _GNU_SOURCE // memfd_create
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "panel.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"

/* ---- shm buffers, two per surface ---- */

static void buffer_release(void *data, struct wl_buffer *wl_buffer) {
	struct panel_buffer *buffer = data;
	buffer->busy = false;
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

static void buffer_finish(struct panel_buffer *buffer) {
	if (buffer->buffer) {
		wl_buffer_destroy(buffer->buffer);
	}
	if (buffer->image) {
		pixman_image_unref(buffer->image);
	}
	if (buffer->data) {
		munmap(buffer->data, buffer->size);
	}
	memset(buffer, 0, sizeof(*buffer));
}

void panel_buffers_finish(struct panel_buffer buffers[2]) {
	buffer_finish(&buffers[0]);
	buffer_finish(&buffers[1]);
}

static struct panel_buffer *get_buffer(struct panel *panel,
		struct panel_buffer buffers[2], int width, int height) {
	struct panel_buffer *buffer = NULL;
	for (int i = 0; i < 2; i++) {
		if (!buffers[i].busy) {
			buffer = &buffers[i];
			break;
		}
	}
	if (!buffer) {
		return NULL; // both with the compositor: draw on the next release
	}
	if (buffer->buffer && (buffer->width != width ||
			buffer->height != height)) {
		buffer_finish(buffer);
	}
	if (!buffer->buffer) {
		int stride = width * 4;
		size_t size = (size_t)stride * height;
		int fd = memfd_create("pocket-panel", MFD_CLOEXEC);
		if (fd < 0 || ftruncate(fd, (off_t)size) < 0) {
			if (fd >= 0) {
				close(fd);
			}
			return NULL;
		}
		void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			0);
		if (data == MAP_FAILED) {
			close(fd);
			return NULL;
		}
		struct wl_shm_pool *pool = wl_shm_create_pool(panel->shm, fd,
			(int32_t)size);
		buffer->buffer = wl_shm_pool_create_buffer(pool, 0, width, height,
			stride, WL_SHM_FORMAT_ARGB8888);
		wl_shm_pool_destroy(pool);
		close(fd);
		wl_buffer_add_listener(buffer->buffer, &buffer_listener, buffer);
		buffer->data = data;
		buffer->size = size;
		buffer->width = width;
		buffer->height = height;
		buffer->image = pixman_image_create_bits_no_clear(PIXMAN_a8r8g8b8,
			width, height, data, stride);
	}
	return buffer;
}

/* ---- the bar on each output ---- */

static void layer_configure(void *data, struct zwlr_layer_surface_v1 *layer,
		uint32_t serial, uint32_t width, uint32_t height) {
	struct panel_output *output = data;
	zwlr_layer_surface_v1_ack_configure(layer, serial);
	output->width = (int)width;
	output->configured = true;
	output->panel->dirty = true;
}

static void layer_closed(void *data, struct zwlr_layer_surface_v1 *layer) {
	struct panel_output *output = data;
	// The output went away; its global_remove follows.
	output->configured = false;
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
	.configure = layer_configure,
	.closed = layer_closed,
};

static void create_bar(struct panel_output *output) {
	struct panel *panel = output->panel;
	if (output->surface || !panel->layer_shell) {
		return;
	}
	output->surface = wl_compositor_create_surface(panel->compositor);
	output->layer = zwlr_layer_shell_v1_get_layer_surface(panel->layer_shell,
		output->surface, output->wl_output, ZWLR_LAYER_SHELL_V1_LAYER_TOP,
		"pocket-panel");
	zwlr_layer_surface_v1_add_listener(output->layer, &layer_listener, output);
	zwlr_layer_surface_v1_set_size(output->layer, 0, BAR_HEIGHT);
	zwlr_layer_surface_v1_set_anchor(output->layer,
		(panel->top ? ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP :
		ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM) |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT | ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT);
	zwlr_layer_surface_v1_set_exclusive_zone(output->layer, BAR_HEIGHT);
	wl_surface_commit(output->surface);
}

static void output_geometry(void *data, struct wl_output *o, int32_t x,
		int32_t y, int32_t pw, int32_t ph, int32_t subpixel,
		const char *make, const char *model, int32_t transform) {
}

static void output_mode(void *data, struct wl_output *o, uint32_t flags,
		int32_t w, int32_t h, int32_t refresh) {
}

static void output_done(void *data, struct wl_output *o) {
	struct panel_output *output = data;
	create_bar(output);
	output->panel->dirty = true;
}

static void output_scale(void *data, struct wl_output *o, int32_t factor) {
	struct panel_output *output = data;
	output->scale = factor > 0 && factor <= 8 ? factor : 1;
}

static const struct wl_output_listener output_listener = {
	.geometry = output_geometry,
	.mode = output_mode,
	.done = output_done,
	.scale = output_scale,
};

void panel_output_create(struct panel *panel, struct wl_output *wl_output,
		uint32_t name) {
	struct panel_output *output = calloc(1, sizeof(*output));
	if (!output) {
		wl_output_destroy(wl_output);
		return;
	}
	output->panel = panel;
	output->wl_output = wl_output;
	output->name = name;
	output->scale = 1;
	wl_output_add_listener(wl_output, &output_listener, output);
	wl_list_insert(panel->outputs.prev, &output->link);
}

void panel_ensure_bars(struct panel *panel) {
	struct panel_output *output;
	wl_list_for_each(output, &panel->outputs, link) {
		create_bar(output);
	}
}

void panel_output_destroy(struct panel_output *output) {
	struct panel *panel = output->panel;
	if (panel->menu_output == output) {
		panel_menu_close(panel);
	}
	if (output->layer) {
		zwlr_layer_surface_v1_destroy(output->layer);
	}
	if (output->surface) {
		wl_surface_destroy(output->surface);
	}
	panel_buffers_finish(output->buffers);
	wl_output_destroy(output->wl_output);
	wl_list_remove(&output->link);
	free(output);
}

/* ---- the launcher menu ---- */

static void menu_configure(void *data, struct zwlr_layer_surface_v1 *layer,
		uint32_t serial, uint32_t width, uint32_t height) {
	struct panel *panel = data;
	zwlr_layer_surface_v1_ack_configure(layer, serial);
	panel->menu_configured = true;
	panel->dirty = true;
}

static void menu_closed(void *data, struct zwlr_layer_surface_v1 *layer) {
	panel_menu_close(data);
}

static const struct zwlr_layer_surface_v1_listener menu_listener = {
	.configure = menu_configure,
	.closed = menu_closed,
};

void panel_menu_open(struct panel *panel, struct panel_output *output) {
	if (panel->menu_open || !output) {
		return;
	}
	panel->menu_open = true;
	panel->menu_output = output;
	panel->filter[0] = '\0';
	panel->selected = 0;
	panel->footer[0] = '\0';
	panel->menu_surface = wl_compositor_create_surface(panel->compositor);
	panel->menu_layer = zwlr_layer_shell_v1_get_layer_surface(
		panel->layer_shell, panel->menu_surface, output->wl_output,
		ZWLR_LAYER_SHELL_V1_LAYER_OVERLAY, "pocket-panel-menu");
	zwlr_layer_surface_v1_add_listener(panel->menu_layer, &menu_listener,
		panel);
	zwlr_layer_surface_v1_set_size(panel->menu_layer, MENU_WIDTH,
		(uint32_t)menu_height(panel));
	zwlr_layer_surface_v1_set_anchor(panel->menu_layer,
		(panel->top ? ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP :
		ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM) |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT);
	// Typing filters the list: the menu takes the keyboard while open.
	zwlr_layer_surface_v1_set_keyboard_interactivity(panel->menu_layer, 1);
	wl_surface_commit(panel->menu_surface);
	if (panel->debug) {
		printf("menu open\n");
	}
}

void panel_menu_close(struct panel *panel) {
	if (!panel->menu_open) {
		return;
	}
	panel->menu_open = false;
	panel->menu_configured = false;
	zwlr_layer_surface_v1_destroy(panel->menu_layer);
	wl_surface_destroy(panel->menu_surface);
	panel->menu_layer = NULL;
	panel->menu_surface = NULL;
	panel->menu_output = NULL;
	panel_buffers_finish(panel->menu_buffers);
	for (int i = 0; i < panel->napps; i++) {
		panel->apps[i].actions = false;
	}
	panel->dirty = true;
	if (panel->debug) {
		printf("menu closed\n");
	}
}

/* ---- drawing ---- */

static void print_hits(const char *what, const struct hit *hits, int n,
		struct panel *panel) {
	for (int i = 0; i < n; i++) {
		const struct hit *h = &hits[i];
		const char *id = "-";
		if ((h->kind == HIT_APP_ROW || h->kind >= HIT_STOP) &&
				h->index < panel->napps) {
			id = panel->apps[h->index].id;
		} else if (h->kind == HIT_APPS_BUTTON && h->index == 1) {
			id = "engine"; // the missing-engine chip
		} else if (h->kind == HIT_TASK && h->index < panel->ntasks) {
			id = panel->tasks[h->index].app_id;
		}
		printf("%s hit %d %s %d %d %d %d\n", what, h->kind, id, h->x, h->y,
			h->w, h->h);
	}
}

void panel_redraw(struct panel *panel) {
	panel->dirty = false;
	struct panel_output *output;
	bool printed = false;
	wl_list_for_each(output, &panel->outputs, link) {
		if (!output->configured || output->width <= 0) {
			continue;
		}
		int s = output->scale;
		struct panel_buffer *buffer = get_buffer(panel, output->buffers,
			output->width * s, BAR_HEIGHT * s);
		if (!buffer) {
			panel->dirty = true;
			continue;
		}
		panel->nbar_hits = 0;
		draw_bar(panel, output, buffer->image, s);
		wl_surface_set_buffer_scale(output->surface, s);
		wl_surface_attach(output->surface, buffer->buffer, 0, 0);
		wl_surface_damage_buffer(output->surface, 0, 0, INT32_MAX, INT32_MAX);
		wl_surface_commit(output->surface);
		buffer->busy = true;
		if (panel->debug && !printed) {
			printf("bar %d %d\n", output->width, BAR_HEIGHT);
			print_hits("bar", panel->bar_hits, panel->nbar_hits, panel);
			printed = true;
		}
	}
	if (panel->menu_open && panel->menu_configured) {
		int s = panel->menu_output ? panel->menu_output->scale : 1;
		int h = menu_height(panel);
		struct panel_buffer *buffer = get_buffer(panel, panel->menu_buffers,
			MENU_WIDTH * s, h * s);
		if (buffer) {
			panel->nmenu_hits = 0;
			draw_menu(panel, buffer->image, s);
			zwlr_layer_surface_v1_set_size(panel->menu_layer, MENU_WIDTH,
				(uint32_t)h);
			wl_surface_set_buffer_scale(panel->menu_surface, s);
			wl_surface_attach(panel->menu_surface, buffer->buffer, 0, 0);
			wl_surface_damage_buffer(panel->menu_surface, 0, 0, INT32_MAX,
				INT32_MAX);
			wl_surface_commit(panel->menu_surface);
			buffer->busy = true;
			if (panel->debug) {
				printf("menu %d %d\n", MENU_WIDTH, h);
				print_hits("menu", panel->menu_hits, panel->nmenu_hits, panel);
			}
		} else {
			panel->dirty = true;
		}
	}
	if (panel->debug) {
		printf("drawn\n");
	}
}
