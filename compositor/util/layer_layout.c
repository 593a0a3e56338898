#include "util/layer_layout.h"

/* Which single edge an exclusive zone applies to: the surface must be
 * anchored to that edge alone or to it and both perpendicular edges. */
static uint32_t exclusive_edge(uint32_t anchor) {
	switch (anchor) {
	case LAYER_ANCHOR_TOP:
	case LAYER_ANCHOR_TOP | LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT:
		return LAYER_ANCHOR_TOP;
	case LAYER_ANCHOR_BOTTOM:
	case LAYER_ANCHOR_BOTTOM | LAYER_ANCHOR_LEFT | LAYER_ANCHOR_RIGHT:
		return LAYER_ANCHOR_BOTTOM;
	case LAYER_ANCHOR_LEFT:
	case LAYER_ANCHOR_LEFT | LAYER_ANCHOR_TOP | LAYER_ANCHOR_BOTTOM:
		return LAYER_ANCHOR_LEFT;
	case LAYER_ANCHOR_RIGHT:
	case LAYER_ANCHOR_RIGHT | LAYER_ANCHOR_TOP | LAYER_ANCHOR_BOTTOM:
		return LAYER_ANCHOR_RIGHT;
	default:
		return 0;
	}
}

static void place_axis(bool anchor_start, bool anchor_end, int32_t desired,
		int32_t margin_start, int32_t margin_end, int bounds_pos,
		int bounds_size, int *pos, int *size) {
	if (desired == 0) {
		// Stretched between both anchored edges (the protocol requires both).
		*pos = bounds_pos + margin_start;
		*size = bounds_size - margin_start - margin_end;
	} else if (anchor_start && !anchor_end) {
		*pos = bounds_pos + margin_start;
		*size = desired;
	} else if (anchor_end && !anchor_start) {
		*pos = bounds_pos + bounds_size - desired - margin_end;
		*size = desired;
	} else {
		*pos = bounds_pos + (bounds_size - desired) / 2;
		*size = desired;
	}
}

static int32_t clamp(int64_t v, int32_t lo, int32_t hi) {
	return v < lo ? lo : v > hi ? hi : (int32_t)v;
}

/* Clients send any 32-bit values; clamp them to what a screen can hold so
 * that no sum below can overflow. */
static struct layer_request sanitize(const struct layer_request *in) {
	const int32_t max = 65535;
	struct layer_request r = *in;
	r.exclusive_zone = clamp(in->exclusive_zone, -1, max);
	r.margin_top = clamp(in->margin_top, -max, max);
	r.margin_right = clamp(in->margin_right, -max, max);
	r.margin_bottom = clamp(in->margin_bottom, -max, max);
	r.margin_left = clamp(in->margin_left, -max, max);
	r.desired_width = in->desired_width > (uint32_t)max ? (uint32_t)max :
		in->desired_width;
	r.desired_height = in->desired_height > (uint32_t)max ? (uint32_t)max :
		in->desired_height;
	return r;
}

bool layer_place(const struct layer_request *request,
		const struct wlr_box *full, struct wlr_box *usable,
		struct wlr_box *out) {
	struct layer_request clamped = sanitize(request);
	const struct layer_request *req = &clamped;
	// A zone of -1 asks to ignore other surfaces' zones.
	struct wlr_box bounds = req->exclusive_zone == -1 ? *full : *usable;
	uint32_t a = req->anchor;
	int32_t dw = (int32_t)req->desired_width;
	int32_t dh = (int32_t)req->desired_height;

	place_axis(a & LAYER_ANCHOR_LEFT, a & LAYER_ANCHOR_RIGHT, dw,
		req->margin_left, req->margin_right, bounds.x, bounds.width,
		&out->x, &out->width);
	place_axis(a & LAYER_ANCHOR_TOP, a & LAYER_ANCHOR_BOTTOM, dh,
		req->margin_top, req->margin_bottom, bounds.y, bounds.height,
		&out->y, &out->height);
	if (out->width <= 0 || out->height <= 0) {
		return false;
	}

	if (req->exclusive_zone <= 0) {
		return true;
	}
	switch (exclusive_edge(a)) {
	case LAYER_ANCHOR_TOP: {
		int zone = req->exclusive_zone + req->margin_top;
		usable->y += zone;
		usable->height -= zone;
		break;
	}
	case LAYER_ANCHOR_BOTTOM:
		usable->height -= req->exclusive_zone + req->margin_bottom;
		break;
	case LAYER_ANCHOR_LEFT: {
		int zone = req->exclusive_zone + req->margin_left;
		usable->x += zone;
		usable->width -= zone;
		break;
	}
	case LAYER_ANCHOR_RIGHT:
		usable->width -= req->exclusive_zone + req->margin_right;
		break;
	default:
		break;
	}
	if (usable->width < 0) {
		usable->width = 0;
	}
	if (usable->height < 0) {
		usable->height = 0;
	}
	return true;
}
