#include "util/text.h"

#include <drm_fourcc.h>
#include <fcft/fcft.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wlr/types/wlr_buffer.h>
#include <wlr/util/log.h>

#include "utf8.h"

struct pixel_buffer_impl {
	struct wlr_buffer base;
	struct pwl_pixel_buffer pub;
	void *data;
	size_t stride;
};

static struct pixel_buffer_impl *impl_from_buffer(struct wlr_buffer *buffer) {
	struct pixel_buffer_impl *impl = wl_container_of(buffer, impl, base);
	return impl;
}

static void buffer_destroy(struct wlr_buffer *buffer) {
	struct pixel_buffer_impl *impl = impl_from_buffer(buffer);
	pixman_image_unref(impl->pub.image);
	free(impl->data);
	free(impl);
}

static bool buffer_begin_data_ptr_access(struct wlr_buffer *buffer,
		uint32_t flags, void **data, uint32_t *format, size_t *stride) {
	struct pixel_buffer_impl *impl = impl_from_buffer(buffer);
	*data = impl->data;
	*format = DRM_FORMAT_ARGB8888;
	*stride = impl->stride;
	return true;
}

static void buffer_end_data_ptr_access(struct wlr_buffer *buffer) {
	// Nothing to flush: the memory is ours.
}

static const struct wlr_buffer_impl pixel_buffer_impl = {
	.destroy = buffer_destroy,
	.begin_data_ptr_access = buffer_begin_data_ptr_access,
	.end_data_ptr_access = buffer_end_data_ptr_access,
};

struct pwl_pixel_buffer *pixel_buffer_create(int width, int height) {
	if (width <= 0 || height <= 0 || width > 16384 || height > 16384) {
		return NULL;
	}
	struct pixel_buffer_impl *impl = calloc(1, sizeof(*impl));
	if (!impl) {
		return NULL;
	}
	impl->stride = (size_t)width * 4;
	impl->data = calloc(height, impl->stride);
	if (!impl->data) {
		free(impl);
		return NULL;
	}
	impl->pub.image = pixman_image_create_bits_no_clear(PIXMAN_a8r8g8b8,
		width, height, impl->data, (int)impl->stride);
	if (!impl->pub.image) {
		free(impl->data);
		free(impl);
		return NULL;
	}
	wlr_buffer_init(&impl->base, &pixel_buffer_impl, width, height);
	impl->pub.base = &impl->base;
	return &impl->pub;
}

/* Fonts are loaded on first use, one per scale seen. */
#define MAX_FONTS 4
static struct {
	float scale;
	struct fcft_font *font;
} fonts[MAX_FONTS];
static bool fcft_ready, fcft_failed;

static struct fcft_font *font_for_scale(float scale) {
	if (fcft_failed) {
		return NULL;
	}
	if (!fcft_ready) {
		fcft_ready = fcft_init(FCFT_LOG_COLORIZE_NEVER, false,
			FCFT_LOG_CLASS_ERROR);
		if (!fcft_ready) {
			fcft_failed = true;
			return NULL;
		}
	}
	for (int i = 0; i < MAX_FONTS; i++) {
		if (fonts[i].font && fonts[i].scale == scale) {
			return fonts[i].font;
		}
	}
	char attrs[64];
	snprintf(attrs, sizeof(attrs), "dpi=%d", (int)(96 * scale));
	const char *names[] = { "sans-serif:size=10" };
	struct fcft_font *font = fcft_from_name(1, names, attrs);
	if (!font) {
		wlr_log(WLR_ERROR, "No font for window titles (is fontconfig set "
			"up with a sans-serif font?)");
		fcft_failed = true;
		return NULL;
	}
	for (int i = 0; i < MAX_FONTS; i++) {
		if (!fonts[i].font) {
			fonts[i].scale = scale;
			fonts[i].font = font;
			return font;
		}
	}
	// Cache full: replace the first entry.
	fcft_destroy(fonts[0].font);
	fonts[0].scale = scale;
	fonts[0].font = font;
	return font;
}

bool text_draw(pixman_image_t *dst, const char *utf8, int x, int y,
		int height, int max_x, float scale, const pixman_color_t *color) {
	struct fcft_font *font = font_for_scale(scale);
	if (!font) {
		return false;
	}
	pixman_image_t *fill = pixman_image_create_solid_fill(color);
	int baseline = y + (height - (font->ascent + font->descent)) / 2 +
		font->ascent;
	const char *p = utf8;
	while (*p) {
		uint32_t cp = utf8_next(&p);
		const struct fcft_glyph *glyph =
			fcft_rasterize_char_utf32(font, cp, FCFT_SUBPIXEL_NONE);
		if (!glyph) {
			continue;
		}
		if (x + glyph->advance.x > max_x) {
			break;
		}
		if (pixman_image_get_format(glyph->pix) == PIXMAN_a8r8g8b8) {
			// Colour glyphs (emoji) carry their own colours.
			pixman_image_composite32(PIXMAN_OP_OVER, glyph->pix, NULL, dst,
				0, 0, 0, 0, x + glyph->x, baseline - glyph->y,
				glyph->width, glyph->height);
		} else {
			pixman_image_composite32(PIXMAN_OP_OVER, fill, glyph->pix, dst,
				0, 0, 0, 0, x + glyph->x, baseline - glyph->y,
				glyph->width, glyph->height);
		}
		x += glyph->advance.x;
	}
	pixman_image_unref(fill);
	return true;
}

void text_finish(void) {
	for (int i = 0; i < MAX_FONTS; i++) {
		if (fonts[i].font) {
			fcft_destroy(fonts[i].font);
			fonts[i].font = NULL;
		}
	}
	if (fcft_ready) {
		fcft_fini();
		fcft_ready = false;
	}
	fcft_failed = false;
}
