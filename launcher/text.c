#include <fcft/fcft.h>
#include <stdio.h>
#include <string.h>

#include "panel.h"
#include "utf8.h"

/* One font per (scale, weight), loaded on first use. */
#define MAX_FONTS 8
static struct {
	int scale;
	bool bold;
	struct fcft_font *font;
} fonts[MAX_FONTS];
static bool ready, failed;

static struct fcft_font *font_for(int scale, bool bold) {
	if (failed) {
		return NULL;
	}
	if (!ready) {
		ready = fcft_init(FCFT_LOG_COLORIZE_NEVER, false, FCFT_LOG_CLASS_ERROR);
		if (!ready) {
			failed = true;
			return NULL;
		}
	}
	int free_slot = -1;
	for (int i = 0; i < MAX_FONTS; i++) {
		if (fonts[i].font && fonts[i].scale == scale && fonts[i].bold == bold) {
			return fonts[i].font;
		}
		if (!fonts[i].font && free_slot < 0) {
			free_slot = i;
		}
	}
	char attrs[64];
	snprintf(attrs, sizeof(attrs), "dpi=%d", 96 * scale);
	const char *names[] = { bold ? "sans-serif:size=10:weight=bold" :
		"sans-serif:size=10" };
	struct fcft_font *font = fcft_from_name(1, names, attrs);
	if (!font) {
		fprintf(stderr, "pocket-panel: no sans-serif font (fontconfig)\n");
		failed = true;
		return NULL;
	}
	if (free_slot < 0) {
		fcft_destroy(fonts[0].font);
		free_slot = 0;
	}
	fonts[free_slot].scale = scale;
	fonts[free_slot].bold = bold;
	fonts[free_slot].font = font;
	return font;
}

int text_width(const char *utf8, int scale, bool bold) {
	struct fcft_font *font = font_for(scale, bold);
	int w = 0;
	for (const char *p = utf8; font && *p;) {
		const struct fcft_glyph *g = fcft_rasterize_char_utf32(font,
			utf8_next(&p), FCFT_SUBPIXEL_NONE);
		if (g) {
			w += g->advance.x;
		}
	}
	return w;
}

/* Draws text left-aligned at x, centred in [y, y+height); stops (with an
 * ellipsis) before max_x. Returns the x after the text. All in pixels. */
int text_draw(pixman_image_t *dst, const char *utf8, int x, int y, int height,
		int max_x, int scale, uint32_t argb, bool bold) {
	struct fcft_font *font = font_for(scale, bold);
	if (!font) {
		return x;
	}
	pixman_color_t color = {
		.alpha = (uint16_t)(((argb >> 24) & 0xff) * 0x101),
		.red = (uint16_t)(((argb >> 16) & 0xff) * 0x101),
		.green = (uint16_t)(((argb >> 8) & 0xff) * 0x101),
		.blue = (uint16_t)((argb & 0xff) * 0x101),
	};
	pixman_image_t *fill = pixman_image_create_solid_fill(&color);
	int baseline = y + (height - (font->ascent + font->descent)) / 2 +
		font->ascent;
	const struct fcft_glyph *dots = fcft_rasterize_char_utf32(font, 0x2026,
		FCFT_SUBPIXEL_NONE);
	int dots_w = dots ? dots->advance.x : 0;
	for (const char *p = utf8; *p;) {
		const char *next = p;
		const struct fcft_glyph *g = fcft_rasterize_char_utf32(font,
			utf8_next(&next), FCFT_SUBPIXEL_NONE);
		if (!g) {
			p = next;
			continue;
		}
		bool last = *next == '\0';
		if (x + g->advance.x > max_x || (!last &&
				x + g->advance.x + dots_w > max_x &&
				x + text_width(p, scale, bold) > max_x)) {
			g = dots;
			if (!g || x + g->advance.x > max_x) {
				break;
			}
			next = ""; // the ellipsis ends it
		}
		pixman_image_composite32(PIXMAN_OP_OVER,
			pixman_image_get_format(g->pix) == PIXMAN_a8r8g8b8 ? g->pix : fill,
			pixman_image_get_format(g->pix) == PIXMAN_a8r8g8b8 ? NULL : g->pix,
			dst, 0, 0, 0, 0, x + g->x, baseline - g->y, g->width, g->height);
		x += g->advance.x;
		p = next;
	}
	pixman_image_unref(fill);
	return x;
}

void text_finish(void) {
	for (int i = 0; i < MAX_FONTS; i++) {
		if (fonts[i].font) {
			fcft_destroy(fonts[i].font);
			fonts[i].font = NULL;
		}
	}
	if (ready) {
		fcft_fini();
		ready = false;
	}
}
