#ifndef PWL_TEXT_H
#define PWL_TEXT_H

#include <pixman.h>
#include <stdbool.h>
#include <stdint.h>

struct wlr_buffer;

/* A CPU-side ARGB8888 buffer that the scene graph can show. */
struct pwl_pixel_buffer {
	struct wlr_buffer *base;
	pixman_image_t *image;
};

/** Allocates a cleared w x h buffer; the scene takes a lock on it. The
 * caller drops its own reference with wlr_buffer_drop(). */
struct pwl_pixel_buffer *pixel_buffer_create(int width, int height);

/** Draws UTF-8 text into `dst`, left-aligned at x, vertically centred in
 * [y, y + height), clipped at max_x. `scale` picks the font size. Returns
 * false when no font could be loaded (nothing drawn). */
bool text_draw(pixman_image_t *dst, const char *utf8, int x, int y,
	int height, int max_x, float scale, const pixman_color_t *color);


void text_finish(void);

#endif
