/* The panel's one way to fill a rectangle (premultiplied ARGB), used by
 * the drawing of the bar and menu and by the icons' letter tiles. */
#include <pixman.h>
#include <stdint.h>

#include "panel.h"

void fill_rect(pixman_image_t *img, int x, int y, int w, int h,
		uint32_t argb) {
	if (w <= 0 || h <= 0) {
		return;
	}
	pixman_color_t c = {
		.alpha = (uint16_t)(((argb >> 24) & 0xff) * 0x101),
		.red = (uint16_t)(((argb >> 16) & 0xff) * 0x101 * ((argb >> 24) & 0xff) / 0xff),
		.green = (uint16_t)(((argb >> 8) & 0xff) * 0x101 * ((argb >> 24) & 0xff) / 0xff),
		.blue = (uint16_t)((argb & 0xff) * 0x101 * ((argb >> 24) & 0xff) / 0xff),
	};
	pixman_box32_t box = { x, y, x + w, y + h };
	pixman_image_fill_boxes(PIXMAN_OP_SRC, img, &c, 1, &box);
}
