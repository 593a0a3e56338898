#ifndef PWL_LAYER_LAYOUT_H
#define PWL_LAYER_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>
#include <wlr/util/box.h>

/* Pure layer-shell placement arithmetic, kept apart from wlroots objects so
 * that it can be unit-tested. Anchors use the zwlr_layer_surface_v1 bits:
 * top 1, bottom 2, left 4, right 8. */
enum {
	LAYER_ANCHOR_TOP = 1,
	LAYER_ANCHOR_BOTTOM = 2,
	LAYER_ANCHOR_LEFT = 4,
	LAYER_ANCHOR_RIGHT = 8,
};

struct layer_request {
	uint32_t anchor;
	int32_t exclusive_zone;
	int32_t margin_top, margin_right, margin_bottom, margin_left;
	uint32_t desired_width, desired_height;
};

/** Places one surface. `full` is the output box, `usable` what previous
 * exclusive zones left; the surface's own exclusive zone is taken out of
 * `usable`. Returns false when the result has no area (the surface must
 * then be closed, as the protocol says). */
bool layer_place(const struct layer_request *req, const struct wlr_box *full,
	struct wlr_box *usable, struct wlr_box *out);

#endif
