/*
 * pwl-test-client: a scriptable xdg-shell / layer-shell client for the
 * integration tests. It draws solid colours into wl_shm buffers and prints
 * what the compositor tells it, one event per line on stdout.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <wayland-client.h>

#include "idle-inhibit-unstable-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "xdg-activation-v1-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"
#include "xdg-decoration-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define MAX_BUFFERS 8

struct buffer {
	struct wl_buffer *wl_buffer;
	void *data;
	size_t size;
	int width, height;
	bool busy;
};

struct popup_spec {
	bool enabled;
	int x, y, w, h;
	uint32_t color;
};

static struct {
	bool ignore_close; // --ignore-close: unmap but keep running
	bool roundtrip_on_term; // --roundtrip-on-term: as foot exits
	struct wl_display *display;
	struct wl_compositor *compositor;
	struct wl_shm *shm;
	struct wl_seat *seat;
	struct wl_keyboard *keyboard;
	struct wl_pointer *pointer;
	struct xdg_wm_base *wm_base;
	struct zwlr_layer_shell_v1 *layer_shell;
	struct zxdg_decoration_manager_v1 *decoration_manager;
	struct zxdg_toplevel_decoration_v1 *decoration;
	struct wp_presentation *presentation;
	clockid_t presentation_clock;
	struct xdg_activation_v1 *activation;
	struct wl_data_device_manager *ddm;
	struct wl_data_device *data_device;
	struct wl_data_source *data_source;
	const char *clipboard_set; // text to offer once focused; may be NULL
	bool clipboard_read;
	uint32_t last_enter_serial;
	uint32_t last_key_serial; // 0: no key yet
	/* When --clipboard-set sets: "key" (at the first key press, with its
	 * serial: what a real copy does), "enter" (at keyboard enter, with
	 * the enter serial) or "leave" (after losing focus, with the last
	 * key serial). */
	const char *clipboard_when;
	/* --popup-grab: the popup waits for this serial and grabs with it:
	 * "enter" (the keyboard enter's) or "key" (the first key press's). */
	const char *popup_grab;
	int fullscreen_later_ms; // asks for fullscreen this long after mapping
	/* --subsurface X,Y,W,H,AARRGGBB: a subsurface of that colour at that
	 * place on the window's surface, once mapped. */
	struct popup_spec sub_spec;
	struct wl_subcompositor *subcompositor;
	struct wl_surface *sub_surface;
	struct wl_subsurface *subsurface;
	struct buffer sub_buffer;
	/* --drag TEXT: a button press in the window starts a drag offering
	 * TEXT; --drag-target: reads what a drag offers as soon as it enters
	 * (as a snoop would) and again at the drop. */
	const char *drag_text;
	bool drag_target;
	struct wl_data_offer *drag_offer;
	/* --cursor WxH: a green cursor of that size, set at pointer enter. */
	int cursor_w, cursor_h;
	struct wl_surface *cursor_surface;
	struct buffer cursor_buffer;
	const char *activate_mode; // "serial", "none" or NULL
	int activate_delay_ms;
	uint32_t last_button_serial;
	char token[256];
	bool token_requested;
	long activate_at; // when to ask, in ms of CLOCK_MONOTONIC; 0: not yet

	struct wl_surface *surface;
	struct zwp_idle_inhibit_manager_v1 *idle_inhibit;
	const char *inhibit_idle; // "window" or "hidden"; may be NULL
	struct xdg_surface *xdg_surface;
	struct xdg_toplevel *toplevel;
	struct zwlr_layer_surface_v1 *layer_surface;
	struct buffer buffers[MAX_BUFFERS];
	int nbuffers;

	struct wl_surface *popup_surface;
	struct xdg_surface *popup_xdg;
	struct xdg_popup *popup;
	struct buffer popup_buffer;
	struct popup_spec popup_spec;

	/* Options. */
	uint32_t color;
	int width, height; // current size
	int default_width, default_height;
	const char *title, *app_id;
	bool maximize, fullscreen, ssd, animate, truncate_shm, flood;
	int stall_ms;
	int layer; // -1: toplevel
	uint32_t anchor;
	int zone;
	uint32_t keyboard_interactivity;
	int exit_after_ms;

	int extra_surfaces; // wl_surfaces to create beyond the window's
	int shm_pool_mib; // >0: also create a (sparse) pool this large
	bool bind_hidden; // bind layer-shell under names not advertised
	uint32_t advertised[256];
	int nadvertised;
	int damage_size; // >0: after the first frame, redraw only NxN
	bool measure_presentation;
	uint64_t presented, discarded, latency_sum_us;

	bool configured, running;
	bool redraw_pending; // a frame is due but every buffer was busy
	struct wl_callback *frame;
	uint32_t frames;
	bool drew_full;
} c = {
	.color = 0xff3366cc,
	.default_width = 320,
	.default_height = 240,
	.layer = -1,
	.nbuffers = 2,
	.running = true,
};

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...) {
	va_list args;
	va_start(args, fmt);
	vprintf(fmt, args);
	va_end(args);
	putchar('\n');
	fflush(stdout);
}

static int create_shm_file(size_t size) {
	char name[64];
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "/pwl-test-%d-%ld-%d", (int)getpid(),
			ts.tv_nsec, i);
		int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL, 0600);
		if (fd >= 0) {
			shm_unlink(name);
			if (ftruncate(fd, (off_t)size) < 0) {
				close(fd);
				return -1;
			}
			return fd;
		}
	}
	return -1;
}

static void draw(void);

static void buffer_release(void *data, struct wl_buffer *wl_buffer) {
	struct buffer *buffer = data;
	buffer->busy = false;
	if (c.redraw_pending && buffer != &c.popup_buffer) {
		c.redraw_pending = false;
		draw();
	}
}

static const struct wl_buffer_listener buffer_listener = {
	.release = buffer_release,
};

static void buffer_finish(struct buffer *buffer) {
	if (buffer->wl_buffer) {
		wl_buffer_destroy(buffer->wl_buffer);
		munmap(buffer->data, buffer->size);
	}
	memset(buffer, 0, sizeof(*buffer));
}

static bool buffer_init(struct buffer *buffer, int width, int height) {
	buffer_finish(buffer);
	int stride = width * 4;
	size_t size = (size_t)stride * height;
	int fd = create_shm_file(size);
	if (fd < 0) {
		return false;
	}
	void *data = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (data == MAP_FAILED) {
		close(fd);
		return false;
	}
	struct wl_shm_pool *pool = wl_shm_create_pool(c.shm, fd, (int32_t)size);
	buffer->wl_buffer = wl_shm_pool_create_buffer(pool, 0, width, height,
		stride, WL_SHM_FORMAT_ARGB8888);
	wl_shm_pool_destroy(pool);
	if (c.truncate_shm) {
		// Shrink the pool behind the compositor's back: reading the
		// buffer must now fail, and only this client may pay for it.
		if (ftruncate(fd, 0) < 0) {
			say("error ftruncate %s", strerror(errno));
		}
	}
	close(fd);
	buffer->data = data;
	buffer->size = size;
	buffer->width = width;
	buffer->height = height;
	wl_buffer_add_listener(buffer->wl_buffer, &buffer_listener, buffer);
	return true;
}

static void fill(struct buffer *buffer, uint32_t color) {
	if (c.truncate_shm) {
		return; // touching the truncated mapping would SIGBUS us
	}
	uint32_t *px = buffer->data;
	size_t n = (size_t)buffer->width * buffer->height;
	// Premultiply, as wl_shm ARGB8888 expects.
	uint32_t a = color >> 24;
	uint32_t r = ((color >> 16) & 0xff) * a / 255;
	uint32_t g = ((color >> 8) & 0xff) * a / 255;
	uint32_t b = (color & 0xff) * a / 255;
	uint32_t value = a << 24 | r << 16 | g << 8 | b;
	for (size_t i = 0; i < n; i++) {
		px[i] = value;
	}
}

static struct buffer *next_buffer(void) {
	for (int i = 0; i < c.nbuffers; i++) {
		struct buffer *b = &c.buffers[i];
		if (b->busy) {
			continue;
		}
		if (!b->wl_buffer || b->width != c.width || b->height != c.height) {
			if (!buffer_init(b, c.width, c.height)) {
				return NULL;
			}
		}
		return b;
	}
	return NULL;
}

static void frame_done(void *data, struct wl_callback *cb, uint32_t time) {
	wl_callback_destroy(cb);
	c.frame = NULL;
	c.frames++;
	if (c.animate) {
		draw();
	}
}

static const struct wl_callback_listener frame_listener = {
	.done = frame_done,
};

struct feedback {
	uint64_t commit_us;
};

static uint64_t clock_us(clockid_t clock) {
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void feedback_sync_output(void *data,
		struct wp_presentation_feedback *fb, struct wl_output *output) {
}

static void feedback_presented(void *data, struct wp_presentation_feedback *fb,
		uint32_t tv_sec_hi, uint32_t tv_sec_lo, uint32_t tv_nsec,
		uint32_t refresh, uint32_t seq_hi, uint32_t seq_lo, uint32_t flags) {
	struct feedback *f = data;
	uint64_t sec = ((uint64_t)tv_sec_hi << 32) | tv_sec_lo;
	uint64_t presented = sec * 1000000u + tv_nsec / 1000u;
	if (presented >= f->commit_us) {
		c.latency_sum_us += presented - f->commit_us;
	}
	c.presented++;
	wp_presentation_feedback_destroy(fb);
	free(f);
}

static void feedback_discarded(void *data,
		struct wp_presentation_feedback *fb) {
	c.discarded++;
	wp_presentation_feedback_destroy(fb);
	free(data);
}

static const struct wp_presentation_feedback_listener feedback_listener = {
	.sync_output = feedback_sync_output,
	.presented = feedback_presented,
	.discarded = feedback_discarded,
};

static void presentation_clock_id(void *data, struct wp_presentation *p,
		uint32_t clk_id) {
	c.presentation_clock = (clockid_t)clk_id;
}

static const struct wp_presentation_listener presentation_listener = {
	.clock_id = presentation_clock_id,
};

static void request_feedback(void) {
	struct feedback *f = calloc(1, sizeof(*f));
	if (!f) {
		return;
	}
	f->commit_us = clock_us(c.presentation_clock);
	struct wp_presentation_feedback *fb =
		wp_presentation_feedback(c.presentation, c.surface);
	wp_presentation_feedback_add_listener(fb, &feedback_listener, f);
}

static void draw(void) {
	struct buffer *buffer = next_buffer();
	if (!buffer) {
		// Draw when the compositor gives one back.
		c.redraw_pending = true;
		return;
	}
	uint32_t color = c.color;
	if (c.animate) {
		// Vary the colour so that every frame has real damage.
		color = (color & 0xffffff00) | (c.frames & 0xff);
	}
	bool partial = c.damage_size > 0 && c.drew_full &&
		c.damage_size <= buffer->width && c.damage_size <= buffer->height;
	if (partial) {
		// Only a small square changes, as in a blinking cursor or a clock.
		uint32_t *px = buffer->data;
		for (int y = 0; y < c.damage_size; y++) {
			for (int x = 0; x < c.damage_size; x++) {
				px[y * buffer->width + x] = 0xff000000 | (c.frames * 7919);
			}
		}
	} else {
		fill(buffer, color);
	}
	c.drew_full = true;
	wl_surface_attach(c.surface, buffer->wl_buffer, 0, 0);
	if (partial) {
		wl_surface_damage_buffer(c.surface, 0, 0, c.damage_size,
			c.damage_size);
	} else {
		wl_surface_damage_buffer(c.surface, 0, 0, INT32_MAX, INT32_MAX);
	}
	if (c.measure_presentation && c.presentation) {
		request_feedback();
	}
	if (c.animate && !c.frame) {
		c.frame = wl_surface_frame(c.surface);
		wl_callback_add_listener(c.frame, &frame_listener, NULL);
	}
	buffer->busy = true;
	wl_surface_commit(c.surface);
}

/* xdg-shell */

static void wm_base_ping(void *data, struct xdg_wm_base *base, uint32_t serial) {
	xdg_wm_base_pong(base, serial);
}

static const struct xdg_wm_base_listener wm_base_listener = {
	.ping = wm_base_ping,
};

static void xdg_surface_configure(void *data, struct xdg_surface *surface,
		uint32_t serial) {
	xdg_surface_ack_configure(surface, serial);
	bool first = !c.configured;
	c.configured = true;
	draw();
	if (first) {
		say("mapped");
	}
}

static const struct xdg_surface_listener xdg_surface_listener = {
	.configure = xdg_surface_configure,
};

static void toplevel_configure(void *data, struct xdg_toplevel *toplevel,
		int32_t width, int32_t height, struct wl_array *states) {
	c.width = width > 0 ? width : c.default_width;
	c.height = height > 0 ? height : c.default_height;
	char flags[128] = "";
	uint32_t *state;
	wl_array_for_each(state, states) {
		const char *name = NULL;
		switch (*state) {
		case XDG_TOPLEVEL_STATE_MAXIMIZED: name = " maximized"; break;
		case XDG_TOPLEVEL_STATE_FULLSCREEN: name = " fullscreen"; break;
		case XDG_TOPLEVEL_STATE_ACTIVATED: name = " activated"; break;
		case XDG_TOPLEVEL_STATE_RESIZING: name = " resizing"; break;
		default: break;
		}
		if (name) {
			size_t len = strlen(flags);
			snprintf(flags + len, sizeof(flags) - len, "%s", name);
		}
	}
	say("configure %d %d%s", width, height, flags);
}

static void toplevel_close(void *data, struct xdg_toplevel *toplevel) {
	if (c.ignore_close) {
		// Like a tray app: the window goes, the program stays.
		say("close ignored");
		wl_surface_attach(c.surface, NULL, 0, 0);
		wl_surface_commit(c.surface);
		return;
	}
	say("close");
	c.running = false;
}

static const struct xdg_toplevel_listener toplevel_listener = {
	.configure = toplevel_configure,
	.close = toplevel_close,
};

static void decoration_configure(void *data,
		struct zxdg_toplevel_decoration_v1 *deco, uint32_t mode) {
	say("decoration %s", mode == ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE ?
		"server" : "client");
}

static const struct zxdg_toplevel_decoration_v1_listener decoration_listener = {
	.configure = decoration_configure,
};

/* Popups */

static void popup_surface_configure(void *data, struct xdg_surface *surface,
		uint32_t serial) {
	xdg_surface_ack_configure(surface, serial);
	struct buffer *b = &c.popup_buffer;
	if (!b->wl_buffer || b->busy) {
		if (!buffer_init(b, c.popup_spec.w, c.popup_spec.h)) {
			return;
		}
	}
	fill(b, c.popup_spec.color);
	wl_surface_attach(c.popup_surface, b->wl_buffer, 0, 0);
	wl_surface_damage_buffer(c.popup_surface, 0, 0, INT32_MAX, INT32_MAX);
	b->busy = true;
	wl_surface_commit(c.popup_surface);
}

static const struct xdg_surface_listener popup_surface_listener = {
	.configure = popup_surface_configure,
};

static void popup_configure(void *data, struct xdg_popup *popup, int32_t x,
		int32_t y, int32_t width, int32_t height) {
	say("popup-configure %d %d %d %d", x, y, width, height);
}

static void popup_done(void *data, struct xdg_popup *popup) {
	say("popup-done");
}

static const struct xdg_popup_listener popup_listener = {
	.configure = popup_configure,
	.popup_done = popup_done,
};

static void create_popup(void) {
	struct popup_spec *spec = &c.popup_spec;
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(c.wm_base);
	xdg_positioner_set_size(pos, spec->w, spec->h);
	xdg_positioner_set_anchor_rect(pos, spec->x, spec->y, 1, 1);
	xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_TOP_LEFT);
	xdg_positioner_set_gravity(pos, XDG_POSITIONER_GRAVITY_BOTTOM_RIGHT);
	xdg_positioner_set_constraint_adjustment(pos,
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_X |
		XDG_POSITIONER_CONSTRAINT_ADJUSTMENT_SLIDE_Y);
	c.popup_surface = wl_compositor_create_surface(c.compositor);
	c.popup_xdg = xdg_wm_base_get_xdg_surface(c.wm_base, c.popup_surface);
	xdg_surface_add_listener(c.popup_xdg, &popup_surface_listener, NULL);
	c.popup = xdg_surface_get_popup(c.popup_xdg, c.xdg_surface, pos);
	xdg_popup_add_listener(c.popup, &popup_listener, NULL);
	xdg_positioner_destroy(pos);
	if (c.popup_grab) {
		uint32_t serial = !strcmp(c.popup_grab, "key") ? c.last_key_serial :
			c.last_enter_serial;
		xdg_popup_grab(c.popup, c.seat, serial);
		say("popup-grab %u", serial);
	}
	wl_surface_commit(c.popup_surface);
}

/* Layer shell */

static void layer_configure(void *data, struct zwlr_layer_surface_v1 *ls,
		uint32_t serial, uint32_t width, uint32_t height) {
	zwlr_layer_surface_v1_ack_configure(ls, serial);
	c.width = width > 0 ? (int)width : c.default_width;
	c.height = height > 0 ? (int)height : c.default_height;
	say("configure %u %u", width, height);
	bool first = !c.configured;
	c.configured = true;
	draw();
	if (first) {
		say("mapped");
	}
}

static void layer_closed(void *data, struct zwlr_layer_surface_v1 *ls) {
	say("closed");
	c.running = false;
}

static const struct zwlr_layer_surface_v1_listener layer_listener = {
	.configure = layer_configure,
	.closed = layer_closed,
};

/* Clipboard */

static void source_target(void *data, struct wl_data_source *source,
		const char *mime) {
}

static void source_send(void *data, struct wl_data_source *source,
		const char *mime, int32_t fd) {
	const char *text = c.clipboard_set ? c.clipboard_set : "";
	ssize_t n = write(fd, text, strlen(text));
	(void)n;
	close(fd);
}

static void source_cancelled(void *data, struct wl_data_source *source) {
	say("clipboard-cancelled");
	wl_data_source_destroy(source);
	if (c.data_source == source) {
		c.data_source = NULL;
	}
}

static const struct wl_data_source_listener source_listener = {
	.target = source_target,
	.send = source_send,
	.cancelled = source_cancelled,
};

static void set_clipboard(void) {
	if (!c.ddm || !c.data_device) {
		say("error no data device");
		return;
	}
	c.data_source = wl_data_device_manager_create_data_source(c.ddm);
	wl_data_source_add_listener(c.data_source, &source_listener, NULL);
	wl_data_source_offer(c.data_source, "text/plain");
	bool on_enter = c.clipboard_when && !strcmp(c.clipboard_when, "enter");
	wl_data_device_set_selection(c.data_device, c.data_source,
		on_enter ? c.last_enter_serial : c.last_key_serial);
	say("clipboard-set %s", c.clipboard_set);
}

static void offer_offer(void *data, struct wl_data_offer *offer,
		const char *mime) {
}

static void offer_source_actions(void *data, struct wl_data_offer *offer,
		uint32_t actions) {
}

static void offer_action(void *data, struct wl_data_offer *offer,
		uint32_t action) {
}

static const struct wl_data_offer_listener offer_listener = {
	.offer = offer_offer,
	.source_actions = offer_source_actions,
	.action = offer_action,
};

static void device_data_offer(void *data, struct wl_data_device *device,
		struct wl_data_offer *offer) {
	wl_data_offer_add_listener(offer, &offer_listener, NULL);
}

/* Reads `mime` from an offer into buf (what arrived before EOF). */
static void offer_read(struct wl_data_offer *offer, char *buf, size_t len) {
	int fds[2];
	buf[0] = '\0';
	if (pipe(fds) < 0) {
		return;
	}
	wl_data_offer_receive(offer, "text/plain", fds[1]);
	close(fds[1]);
	wl_display_roundtrip(c.display);
	size_t got = 0;
	struct pollfd pfd = { fds[0], POLLIN, 0 };
	while (got + 1 < len && poll(&pfd, 1, 1000) > 0) {
		ssize_t n = read(fds[0], buf + got, len - 1 - got);
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	buf[got] = '\0';
	close(fds[0]);
}

static void device_enter(void *data, struct wl_data_device *device,
		uint32_t serial, struct wl_surface *surface, wl_fixed_t x,
		wl_fixed_t y, struct wl_data_offer *offer) {
	if (!c.drag_target || !offer) {
		return;
	}
	c.drag_offer = offer;
	wl_data_offer_accept(offer, serial, "text/plain");
	wl_data_offer_set_actions(offer, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY,
		WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	char buf[256];
	offer_read(offer, buf, sizeof(buf));
	say("drag-hover-read '%s'", buf);
}

static void device_leave(void *data, struct wl_data_device *device) {
}

static void device_motion(void *data, struct wl_data_device *device,
		uint32_t time, wl_fixed_t x, wl_fixed_t y) {
}

static void device_drop(void *data, struct wl_data_device *device) {
	if (!c.drag_target || !c.drag_offer) {
		return;
	}
	char buf[256];
	offer_read(c.drag_offer, buf, sizeof(buf));
	say("drag-drop-read '%s'", buf);
	wl_data_offer_finish(c.drag_offer);
	wl_data_offer_destroy(c.drag_offer);
	c.drag_offer = NULL;
}

static void drag_source_send(void *data, struct wl_data_source *source,
		const char *mime, int32_t fd) {
	ssize_t n = write(fd, c.drag_text, strlen(c.drag_text));
	(void)n;
	close(fd);
}

static void drag_source_noop(void *data, struct wl_data_source *source) {
}

static void drag_source_target(void *data, struct wl_data_source *source,
		const char *mime) {
}

static void drag_source_action(void *data, struct wl_data_source *source,
		uint32_t action) {
}

static const struct wl_data_source_listener drag_source_listener = {
	.target = drag_source_target,
	.send = drag_source_send,
	.cancelled = drag_source_noop,
	.dnd_drop_performed = drag_source_noop,
	.dnd_finished = drag_source_noop,
	.action = drag_source_action,
};

static void start_drag(uint32_t serial) {
	if (!c.ddm || !c.data_device) {
		return;
	}
	struct wl_data_source *source =
		wl_data_device_manager_create_data_source(c.ddm);
	wl_data_source_add_listener(source, &drag_source_listener, NULL);
	wl_data_source_offer(source, "text/plain");
	wl_data_source_set_actions(source, WL_DATA_DEVICE_MANAGER_DND_ACTION_COPY);
	wl_data_device_start_drag(c.data_device, source, c.surface, NULL, serial);
	say("drag-started");
}

/* Reads the selection right away, as a clipboard manager would. */
static void device_selection(void *data, struct wl_data_device *device,
		struct wl_data_offer *offer) {
	if (!offer) {
		say("selection none");
		return;
	}
	if (!c.clipboard_read) {
		wl_data_offer_destroy(offer);
		return;
	}
	int fds[2];
	if (pipe(fds) < 0) {
		return;
	}
	wl_data_offer_receive(offer, "text/plain", fds[1]);
	close(fds[1]);
	wl_display_roundtrip(c.display);
	char buf[256] = "";
	ssize_t n = read(fds[0], buf, sizeof(buf) - 1);
	close(fds[0]);
	buf[n > 0 ? n : 0] = '\0';
	say("clipboard %s", buf);
	wl_data_offer_destroy(offer);
}

static const struct wl_data_device_listener device_listener = {
	.data_offer = device_data_offer,
	.enter = device_enter,
	.leave = device_leave,
	.motion = device_motion,
	.drop = device_drop,
	.selection = device_selection,
};

/* Input */

static void kb_keymap(void *data, struct wl_keyboard *kb, uint32_t format,
		int32_t fd, uint32_t size) {
	close(fd);
}

static void kb_enter(void *data, struct wl_keyboard *kb, uint32_t serial,
		struct wl_surface *surface, struct wl_array *keys) {
	say("keyboard-enter");
	c.last_enter_serial = serial;
	if (c.clipboard_set && !c.data_source && c.clipboard_when &&
			!strcmp(c.clipboard_when, "enter")) {
		set_clipboard();
	}
}

static bool clipboard_done;

static void kb_leave(void *data, struct wl_keyboard *kb, uint32_t serial,
		struct wl_surface *surface) {
	say("keyboard-leave");
	if (c.clipboard_set && !clipboard_done && c.last_key_serial &&
			c.clipboard_when && !strcmp(c.clipboard_when, "leave")) {
		clipboard_done = true;
		set_clipboard();
	}
}

static void kb_key(void *data, struct wl_keyboard *kb, uint32_t serial,
		uint32_t time, uint32_t key, uint32_t state) {
	say("key %u %s", key, state == WL_KEYBOARD_KEY_STATE_PRESSED ?
		"pressed" : "released");
	c.last_key_serial = serial;
	if (c.clipboard_set && !clipboard_done &&
			state == WL_KEYBOARD_KEY_STATE_PRESSED &&
			(!c.clipboard_when || !strcmp(c.clipboard_when, "key"))) {
		clipboard_done = true;
		set_clipboard();
	}
}

static void kb_modifiers(void *data, struct wl_keyboard *kb, uint32_t serial,
		uint32_t depressed, uint32_t latched, uint32_t locked,
		uint32_t group) {
}

static void kb_repeat_info(void *data, struct wl_keyboard *kb, int32_t rate,
		int32_t delay) {
}

static const struct wl_keyboard_listener keyboard_listener = {
	.keymap = kb_keymap,
	.enter = kb_enter,
	.leave = kb_leave,
	.key = kb_key,
	.modifiers = kb_modifiers,
	.repeat_info = kb_repeat_info,
};

static void ptr_enter(void *data, struct wl_pointer *p, uint32_t serial,
		struct wl_surface *surface, wl_fixed_t x, wl_fixed_t y) {
	say("pointer-enter %d %d", wl_fixed_to_int(x), wl_fixed_to_int(y));
	if (c.cursor_w > 0 && c.cursor_h > 0) {
		if (!c.cursor_surface) {
			c.cursor_surface = wl_compositor_create_surface(c.compositor);
			if (buffer_init(&c.cursor_buffer, c.cursor_w, c.cursor_h)) {
				fill(&c.cursor_buffer, 0xff00ff00);
				wl_surface_attach(c.cursor_surface, c.cursor_buffer.wl_buffer,
					0, 0);
				wl_surface_damage_buffer(c.cursor_surface, 0, 0, INT32_MAX,
					INT32_MAX);
			}
			wl_surface_commit(c.cursor_surface);
		}
		wl_pointer_set_cursor(p, serial, c.cursor_surface, 0, 0);
		say("cursor-set %dx%d", c.cursor_w, c.cursor_h);
	}
}

static void ptr_leave(void *data, struct wl_pointer *p, uint32_t serial,
		struct wl_surface *surface) {
	say("pointer-leave");
}

static void ptr_motion(void *data, struct wl_pointer *p, uint32_t time,
		wl_fixed_t x, wl_fixed_t y) {
}

static long now_ms(void);
static void request_token(void);

static void ptr_button(void *data, struct wl_pointer *p, uint32_t serial,
		uint32_t time, uint32_t button, uint32_t state) {
	if (state == WL_POINTER_BUTTON_STATE_PRESSED) {
		c.last_button_serial = serial;
		if (c.drag_text) {
			start_drag(serial);
		}
		if (c.activate_mode && !strcmp(c.activate_mode, "serial") &&
				!c.token_requested) {
			// Right at the click, while we have the keyboard.
			c.token_requested = true;
			request_token();
		}
	}
	say("button %u %s", button, state == WL_POINTER_BUTTON_STATE_PRESSED ?
		"pressed" : "released");
}

static void ptr_axis(void *data, struct wl_pointer *p, uint32_t time,
		uint32_t axis, wl_fixed_t value) {
}

static void ptr_frame(void *data, struct wl_pointer *p) {
}

static void ptr_axis_source(void *data, struct wl_pointer *p, uint32_t src) {
}

static void ptr_axis_stop(void *data, struct wl_pointer *p, uint32_t time,
		uint32_t axis) {
}

static void ptr_axis_discrete(void *data, struct wl_pointer *p, uint32_t axis,
		int32_t discrete) {
}

static const struct wl_pointer_listener pointer_listener = {
	.enter = ptr_enter,
	.leave = ptr_leave,
	.motion = ptr_motion,
	.button = ptr_button,
	.axis = ptr_axis,
	.frame = ptr_frame,
	.axis_source = ptr_axis_source,
	.axis_stop = ptr_axis_stop,
	.axis_discrete = ptr_axis_discrete,
};

static void seat_capabilities(void *data, struct wl_seat *seat, uint32_t caps) {
	if ((caps & WL_SEAT_CAPABILITY_KEYBOARD) && !c.keyboard) {
		c.keyboard = wl_seat_get_keyboard(seat);
		wl_keyboard_add_listener(c.keyboard, &keyboard_listener, NULL);
	} else if (!(caps & WL_SEAT_CAPABILITY_KEYBOARD) && c.keyboard) {
		wl_keyboard_release(c.keyboard);
		c.keyboard = NULL;
	}
	if ((caps & WL_SEAT_CAPABILITY_POINTER) && !c.pointer) {
		c.pointer = wl_seat_get_pointer(seat);
		wl_pointer_add_listener(c.pointer, &pointer_listener, NULL);
	}
}

static void seat_name(void *data, struct wl_seat *seat, const char *name) {
}

static const struct wl_seat_listener seat_listener = {
	.capabilities = seat_capabilities,
	.name = seat_name,
};

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	if (c.nadvertised < 256) {
		c.advertised[c.nadvertised++] = name;
	}
	printf("global %s\n", interface);
	if (!strcmp(interface, wl_compositor_interface.name)) {
		c.compositor = wl_registry_bind(registry, name,
			&wl_compositor_interface, 4);
	} else if (!strcmp(interface, wl_subcompositor_interface.name)) {
		c.subcompositor = wl_registry_bind(registry, name,
			&wl_subcompositor_interface, 1);
	} else if (!strcmp(interface, wl_shm_interface.name)) {
		c.shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (!strcmp(interface, wl_seat_interface.name) && !c.seat) {
		c.seat = wl_registry_bind(registry, name, &wl_seat_interface, 5);
		wl_seat_add_listener(c.seat, &seat_listener, NULL);
	} else if (!strcmp(interface, xdg_wm_base_interface.name)) {
		c.wm_base = wl_registry_bind(registry, name, &xdg_wm_base_interface, 1);
		xdg_wm_base_add_listener(c.wm_base, &wm_base_listener, NULL);
	} else if (!strcmp(interface, zwlr_layer_shell_v1_interface.name)) {
		c.layer_shell = wl_registry_bind(registry, name,
			&zwlr_layer_shell_v1_interface, 1);
	} else if (!strcmp(interface, wl_data_device_manager_interface.name)) {
		c.ddm = wl_registry_bind(registry, name,
			&wl_data_device_manager_interface, 3);
	} else if (!strcmp(interface, xdg_activation_v1_interface.name)) {
		c.activation = wl_registry_bind(registry, name,
			&xdg_activation_v1_interface, 1);
	} else if (!strcmp(interface, wp_presentation_interface.name)) {
		c.presentation = wl_registry_bind(registry, name,
			&wp_presentation_interface, 1);
		wp_presentation_add_listener(c.presentation, &presentation_listener,
			NULL);
	} else if (!strcmp(interface,
			zwp_idle_inhibit_manager_v1_interface.name)) {
		c.idle_inhibit = wl_registry_bind(registry, name,
			&zwp_idle_inhibit_manager_v1_interface, 1);
	} else if (!strcmp(interface, zxdg_decoration_manager_v1_interface.name)) {
		c.decoration_manager = wl_registry_bind(registry, name,
			&zxdg_decoration_manager_v1_interface, 1);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void create_toplevel(void) {
	c.xdg_surface = xdg_wm_base_get_xdg_surface(c.wm_base, c.surface);
	xdg_surface_add_listener(c.xdg_surface, &xdg_surface_listener, NULL);
	c.toplevel = xdg_surface_get_toplevel(c.xdg_surface);
	xdg_toplevel_add_listener(c.toplevel, &toplevel_listener, NULL);
	if (c.title) {
		xdg_toplevel_set_title(c.toplevel, c.title);
	}
	if (c.app_id) {
		xdg_toplevel_set_app_id(c.toplevel, c.app_id);
	}
	if (c.maximize) {
		xdg_toplevel_set_maximized(c.toplevel);
	}
	if (c.fullscreen) {
		xdg_toplevel_set_fullscreen(c.toplevel, NULL);
	}
	if (c.ssd && c.decoration_manager) {
		struct zxdg_toplevel_decoration_v1 *deco = c.decoration =
			zxdg_decoration_manager_v1_get_toplevel_decoration(
				c.decoration_manager, c.toplevel);
		zxdg_toplevel_decoration_v1_add_listener(deco, &decoration_listener,
			NULL);
		zxdg_toplevel_decoration_v1_set_mode(deco,
			ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
	}
	wl_surface_commit(c.surface);
}

static bool create_layer_surface(void) {
	if (!c.layer_shell) {
		say("error no layer shell");
		return false;
	}
	c.layer_surface = zwlr_layer_shell_v1_get_layer_surface(c.layer_shell,
		c.surface, NULL, (uint32_t)c.layer, c.app_id ? c.app_id : "test");
	zwlr_layer_surface_v1_add_listener(c.layer_surface, &layer_listener, NULL);
	uint32_t w = c.default_width, h = c.default_height;
	const uint32_t horiz = ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT;
	const uint32_t vert = ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP |
		ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM;
	if ((c.anchor & horiz) == horiz) {
		w = 0;
	}
	if ((c.anchor & vert) == vert) {
		h = 0;
	}
	zwlr_layer_surface_v1_set_size(c.layer_surface, w, h);
	zwlr_layer_surface_v1_set_anchor(c.layer_surface, c.anchor);
	zwlr_layer_surface_v1_set_exclusive_zone(c.layer_surface, c.zone);
	zwlr_layer_surface_v1_set_keyboard_interactivity(c.layer_surface,
		c.keyboard_interactivity);
	wl_surface_commit(c.surface);
	return true;
}

static uint32_t parse_anchor(const char *text) {
	uint32_t anchor = 0;
	if (strstr(text, "top")) {
		anchor |= ZWLR_LAYER_SURFACE_V1_ANCHOR_TOP;
	}
	if (strstr(text, "bottom")) {
		anchor |= ZWLR_LAYER_SURFACE_V1_ANCHOR_BOTTOM;
	}
	if (strstr(text, "left")) {
		anchor |= ZWLR_LAYER_SURFACE_V1_ANCHOR_LEFT;
	}
	if (strstr(text, "right")) {
		anchor |= ZWLR_LAYER_SURFACE_V1_ANCHOR_RIGHT;
	}
	return anchor;
}

static volatile sig_atomic_t got_term;

static void handle_term(int sig) {
	(void)sig;
	got_term = 1;
}

static int arg_int(const char *text) {
	char *end;
	long v = strtol(text, &end, 10);
	if (*end != '\0' || v < INT32_MIN || v > INT32_MAX) {
		fprintf(stderr, "not a number: %s\n", text);
		exit(2);
	}
	return (int)v;
}

static void usage(void) {
	fprintf(stderr,
		"pwl-test-client [--color AARRGGBB] [--size WxH] [--title T] "
		"[--app-id A]\n"
		"  [--buffers N] [--maximize] [--fullscreen] [--ssd] [--animate]\n"
		"  [--popup X,Y,W,H[,AARRGGBB]] [--layer 0-3 --anchor top,left.. "
		"--zone N\n"
		"  --keyboard none|exclusive|on-demand] [--truncate-shm] [--flood]\n"
		"  [--stall MS] [--exit-after MS] [--damage N] [--presentation]\n");
}

static bool parse_args(int argc, char *argv[]) {
	static const struct option opts[] = {
		{ "color", required_argument, NULL, 'c' },
		{ "size", required_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
		{ "app-id", required_argument, NULL, 'a' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "maximize", no_argument, NULL, 'M' },
		{ "fullscreen", no_argument, NULL, 'F' },
		{ "ssd", no_argument, NULL, 'D' },
		{ "animate", no_argument, NULL, 'A' },
		{ "popup", required_argument, NULL, 'p' },
		{ "layer", required_argument, NULL, 'l' },
		{ "anchor", required_argument, NULL, 'n' },
		{ "zone", required_argument, NULL, 'z' },
		{ "keyboard", required_argument, NULL, 'k' },
		{ "truncate-shm", no_argument, NULL, 'T' },
		{ "flood", no_argument, NULL, 'f' },
		{ "stall", required_argument, NULL, 'S' },
		{ "exit-after", required_argument, NULL, 'e' },
		{ "damage", required_argument, NULL, 'd' },
		{ "surfaces", required_argument, NULL, 'u' },
		{ "ignore-close", no_argument, NULL, 'I' },
		{ "roundtrip-on-term", no_argument, NULL, 'Q' },
		{ "shm-pool-mib", required_argument, NULL, 'm' },
		{ "bind-hidden", no_argument, NULL, 'H' },
		{ "activate", required_argument, NULL, 'V' },
		{ "clipboard-set", required_argument, NULL, 'Y' },
		{ "clipboard-read", no_argument, NULL, 'R' },
		{ "clipboard-when", required_argument, NULL, 1001 },
		{ "popup-grab", required_argument, NULL, 1002 },
		{ "fullscreen-later", required_argument, NULL, 1003 },
		{ "subsurface", required_argument, NULL, 1004 },
		{ "drag", required_argument, NULL, 1005 },
		{ "drag-target", no_argument, NULL, 1006 },
		{ "cursor", required_argument, NULL, 1007 },
		{ "activate-delay", required_argument, NULL, 'W' },
		{ "presentation", no_argument, NULL, 'P' },
		{ "inhibit-idle", required_argument, NULL, 'N' },
		{ 0 },
	};
	int opt;
	while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (opt) {
		case 'c':
			c.color = (uint32_t)strtoul(optarg, NULL, 16);
			break;
		case 's':
			if (sscanf(optarg, "%dx%d", &c.default_width,
					&c.default_height) != 2) {
				return false;
			}
			break;
		case 't':
			c.title = optarg;
			break;
		case 'a':
			c.app_id = optarg;
			break;
		case 'b':
			c.nbuffers = arg_int(optarg);
			if (c.nbuffers < 1 || c.nbuffers > MAX_BUFFERS) {
				return false;
			}
			break;
		case 'M':
			c.maximize = true;
			break;
		case 'F':
			c.fullscreen = true;
			break;
		case 'D':
			c.ssd = true;
			break;
		case 'A':
			c.animate = true;
			break;
		case 'p': {
			struct popup_spec *p = &c.popup_spec;
			unsigned color = 0xffcc3333;
			int n = sscanf(optarg, "%d,%d,%d,%d,%x", &p->x, &p->y, &p->w,
				&p->h, &color);
			if (n < 4) {
				return false;
			}
			p->color = color;
			p->enabled = true;
			break;
		}
		case 'l':
			c.layer = arg_int(optarg);
			break;
		case 'n':
			c.anchor = parse_anchor(optarg);
			break;
		case 'z':
			c.zone = arg_int(optarg);
			break;
		case 'k':
			c.keyboard_interactivity = !strcmp(optarg, "exclusive") ? 1 :
				!strcmp(optarg, "on-demand") ? 2 : 0;
			break;
		case 'T':
			c.truncate_shm = true;
			break;
		case 'f':
			c.flood = true;
			break;
		case 'S':
			c.stall_ms = arg_int(optarg);
			break;
		case 'e':
			c.exit_after_ms = arg_int(optarg);
			break;
		case 'd':
			c.damage_size = arg_int(optarg);
			break;
		case 'u':
			c.extra_surfaces = arg_int(optarg);
			break;
		case 'I':
			c.ignore_close = true;
			break;
		case 'Q':
			c.roundtrip_on_term = true;
			break;
		case 'm':
			c.shm_pool_mib = arg_int(optarg);
			break;
		case 'H':
			c.bind_hidden = true;
			break;
		case 'V':
			c.activate_mode = optarg;
			break;
		case 'Y':
			c.clipboard_set = optarg;
			break;
		case 'R':
			c.clipboard_read = true;
			break;
		case 1001:
			c.clipboard_when = optarg;
			break;
		case 1002:
			c.popup_grab = optarg;
			break;
		case 1003:
			c.fullscreen_later_ms = arg_int(optarg);
			break;
		case 1005:
			c.drag_text = optarg;
			break;
		case 1006:
			c.drag_target = true;
			break;
		case 1007:
			if (sscanf(optarg, "%dx%d", &c.cursor_w, &c.cursor_h) != 2) {
				return false;
			}
			break;
		case 1004: {
			struct popup_spec *p = &c.sub_spec;
			unsigned color = 0xff00ff00;
			if (sscanf(optarg, "%d,%d,%d,%d,%x", &p->x, &p->y, &p->w, &p->h,
					&color) < 4) {
				return false;
			}
			p->color = color;
			p->enabled = true;
			break;
		}
		case 'W':
			c.activate_delay_ms = arg_int(optarg);
			break;
		case 'P':
			c.measure_presentation = true;
			break;
		case 'N':
			c.inhibit_idle = optarg;
			break;
		default:
			return false;
		}
	}
	return true;
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Sends cheap requests without ever reading replies, as a misbehaving
 * client would. */
static void flood(void) {
	say("flooding");
	for (long i = 0;; i++) {
		struct wl_callback *cb = wl_display_sync(c.display);
		wl_callback_destroy(cb);
		if (wl_display_flush(c.display) < 0 && errno != EAGAIN) {
			say("disconnected %s", strerror(errno));
			return;
		}
		if (i % 1000 == 0 && wl_display_get_error(c.display)) {
			say("disconnected");
			return;
		}
	}
}

static void token_done(void *data, struct xdg_activation_token_v1 *token,
		const char *name) {
	// Used later, as a launcher would: focus may have moved by then.
	snprintf(c.token, sizeof(c.token), "%s", name);
	xdg_activation_token_v1_destroy(token);
	c.activate_at = now_ms() + c.activate_delay_ms;
}

static void activate_with_token(void) {
	xdg_activation_v1_activate(c.activation, c.token, c.surface);
	say("activation-requested");
}

static const struct xdg_activation_token_v1_listener token_listener = {
	.done = token_done,
};

/* Gets a token, with the serial of our last click or with none. */
static void request_token(void) {
	if (!c.activation) {
		say("error no xdg_activation_v1");
		return;
	}
	struct xdg_activation_token_v1 *token =
		xdg_activation_v1_get_activation_token(c.activation);
	xdg_activation_token_v1_add_listener(token, &token_listener, NULL);
	if (!strcmp(c.activate_mode, "serial")) {
		xdg_activation_token_v1_set_serial(token, c.last_button_serial,
			c.seat);
	}
	xdg_activation_token_v1_set_surface(token, c.surface);
	xdg_activation_token_v1_commit(token);
}

#define DESTROY(p, fn) do { if (p) { fn(p); (p) = NULL; } } while (0)

/* Frees every proxy, so that leak checkers see a clean client. */
static void cleanup(struct wl_registry *registry) {
	DESTROY(c.frame, wl_callback_destroy);
	DESTROY(c.cursor_surface, wl_surface_destroy);
	buffer_finish(&c.cursor_buffer);
	DESTROY(c.subsurface, wl_subsurface_destroy);
	DESTROY(c.sub_surface, wl_surface_destroy);
	buffer_finish(&c.sub_buffer);
	DESTROY(c.subcompositor, wl_subcompositor_destroy);
	DESTROY(c.popup, xdg_popup_destroy);
	DESTROY(c.popup_xdg, xdg_surface_destroy);
	DESTROY(c.popup_surface, wl_surface_destroy);
	buffer_finish(&c.popup_buffer);
	DESTROY(c.decoration, zxdg_toplevel_decoration_v1_destroy);
	DESTROY(c.toplevel, xdg_toplevel_destroy);
	DESTROY(c.xdg_surface, xdg_surface_destroy);
	DESTROY(c.layer_surface, zwlr_layer_surface_v1_destroy);
	DESTROY(c.surface, wl_surface_destroy);
	for (int i = 0; i < MAX_BUFFERS; i++) {
		buffer_finish(&c.buffers[i]);
	}
	DESTROY(c.keyboard, wl_keyboard_destroy);
	DESTROY(c.pointer, wl_pointer_destroy);
	DESTROY(c.seat, wl_seat_destroy);
	DESTROY(c.decoration_manager, zxdg_decoration_manager_v1_destroy);
	DESTROY(c.presentation, wp_presentation_destroy);
	DESTROY(c.activation, xdg_activation_v1_destroy);
	DESTROY(c.data_source, wl_data_source_destroy);
	DESTROY(c.data_device, wl_data_device_destroy);
	DESTROY(c.ddm, wl_data_device_manager_destroy);
	DESTROY(c.layer_shell, zwlr_layer_shell_v1_destroy);
	DESTROY(c.wm_base, xdg_wm_base_destroy);
	DESTROY(c.shm, wl_shm_destroy);
	DESTROY(c.compositor, wl_compositor_destroy);
	wl_registry_destroy(registry);
}

int main(int argc, char *argv[]) {
	if (!parse_args(argc, argv)) {
		usage();
		return 2;
	}
	c.display = wl_display_connect(NULL);
	if (!c.display) {
		fprintf(stderr, "cannot connect to the compositor\n");
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(c.display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	wl_display_roundtrip(c.display);
	wl_display_roundtrip(c.display);
	if (!c.compositor || !c.shm || !c.wm_base) {
		fprintf(stderr, "compositor lacks wl_compositor, wl_shm or "
			"xdg_wm_base\n");
		return 1;
	}
	fflush(stdout);
	if (c.clipboard_set || c.clipboard_read || c.drag_text || c.drag_target) {
		if (c.ddm && c.seat) {
			c.data_device = wl_data_device_manager_get_data_device(c.ddm,
				c.seat);
			wl_data_device_add_listener(c.data_device, &device_listener,
				NULL);
		} else {
			say("error no data device");
		}
	}
	if (c.bind_hidden) {
		// Guess: every name the registry did not advertise.
		for (uint32_t name = 1; name < 128; name++) {
			bool seen = false;
			for (int i = 0; i < c.nadvertised; i++) {
				seen |= c.advertised[i] == name;
			}
			if (!seen) {
				wl_registry_bind(registry, name,
					&zwlr_layer_shell_v1_interface, 1);
				break;
			}
		}
		wl_display_roundtrip(c.display);
	}
	for (int i = 0; i < c.extra_surfaces; i++) {
		wl_compositor_create_surface(c.compositor);
	}
	if (c.shm_pool_mib > 0) {
		size_t size = (size_t)c.shm_pool_mib << 20;
		int fd = create_shm_file(size); // sparse: nothing is written
		if (fd >= 0) {
			wl_shm_create_pool(c.shm, fd, (int32_t)size);
			close(fd);
		}
	}
	c.surface = wl_compositor_create_surface(c.compositor);
	if (c.inhibit_idle && c.idle_inhibit) {
		// "hidden": on a surface that never gets a role or a buffer.
		struct wl_surface *target = strcmp(c.inhibit_idle, "hidden") ?
			c.surface : wl_compositor_create_surface(c.compositor);
		zwp_idle_inhibit_manager_v1_create_inhibitor(c.idle_inhibit, target);
		printf("inhibitor made on the %s surface\n", c.inhibit_idle);
	}
	if (c.layer >= 0) {
		if (!create_layer_surface()) {
			return 1;
		}
	} else {
		create_toplevel();
	}

	if (c.roundtrip_on_term) {
		struct sigaction sa = { .sa_handler = handle_term };
		sigaction(SIGTERM, &sa, NULL);
	}
	long start = now_ms();
	bool popup_made = false, stalled = false;
	while (c.running) {
		if (got_term) {
			// An app that tidies up on SIGTERM and waits for the
			// compositor's answer before it exits, as foot does.
			say("terminating");
			int status = wl_display_roundtrip(c.display) < 0 ? 1 : 0;
			say("bye");
			exit(status);
		}
		if (wl_display_flush(c.display) < 0 && errno != EAGAIN) {
			break;
		}
		struct pollfd pfd = { wl_display_get_fd(c.display), POLLIN, 0 };
		int timeout = c.exit_after_ms > 0 || c.activate_mode ? 50 : 500;
		if (poll(&pfd, 1, timeout) > 0) {
			if (wl_display_dispatch(c.display) < 0) {
				break;
			}
		} else if (wl_display_dispatch_pending(c.display) < 0) {
			break;
		}
		bool grab_ready = !c.popup_grab ||
			(!strcmp(c.popup_grab, "key") ? c.last_key_serial != 0 :
			c.last_enter_serial != 0);
		if (c.configured && c.popup_spec.enabled && !popup_made &&
				c.toplevel && grab_ready) {
			create_popup();
			popup_made = true;
		}
		if (c.configured && c.activate_mode && !c.token_requested &&
				!strcmp(c.activate_mode, "none")) {
			c.token_requested = true;
			request_token();
		}
		if (c.configured && c.sub_spec.enabled && !c.sub_surface &&
				c.subcompositor) {
			struct popup_spec *p = &c.sub_spec;
			c.sub_surface = wl_compositor_create_surface(c.compositor);
			c.subsurface = wl_subcompositor_get_subsurface(c.subcompositor,
				c.sub_surface, c.surface);
			wl_subsurface_set_position(c.subsurface, p->x, p->y);
			wl_subsurface_set_desync(c.subsurface);
			if (buffer_init(&c.sub_buffer, p->w, p->h)) {
				fill(&c.sub_buffer, p->color);
				wl_surface_attach(c.sub_surface, c.sub_buffer.wl_buffer, 0, 0);
				wl_surface_damage_buffer(c.sub_surface, 0, 0, INT32_MAX,
					INT32_MAX);
			}
			wl_surface_commit(c.sub_surface);
			wl_surface_commit(c.surface);
			say("subsurface %d,%d %dx%d", p->x, p->y, p->w, p->h);
		}
		static long fullscreen_at;
		if (c.fullscreen_later_ms > 0 && c.configured && !fullscreen_at) {
			fullscreen_at = now_ms() + c.fullscreen_later_ms;
		}
		if (fullscreen_at > 0 && now_ms() >= fullscreen_at) {
			fullscreen_at = -1;
			xdg_toplevel_set_fullscreen(c.toplevel, NULL);
			say("fullscreen-requested");
		}
		if (c.activate_at > 0 && now_ms() >= c.activate_at) {
			c.activate_at = -1;
			activate_with_token();
		}
		if (c.configured && c.flood) {
			flood();
			break;
		}
		if (c.configured && c.stall_ms > 0 && !stalled) {
			// Stop reading for a while, as a busy app would.
			say("stalling");
			stalled = true;
			struct timespec ts = { c.stall_ms / 1000,
				(c.stall_ms % 1000) * 1000000L };
			nanosleep(&ts, NULL);
			say("resumed");
		}
		if (c.exit_after_ms > 0 && now_ms() - start > c.exit_after_ms) {
			break;
		}
	}
	int err = wl_display_get_error(c.display);
	if (err) {
		uint32_t id;
		const struct wl_interface *iface;
		uint32_t code = wl_display_get_protocol_error(c.display, &iface, &id);
		say("protocol-error %s %u %u", iface ? iface->name : "?", id, code);
		cleanup(registry);
		wl_display_disconnect(c.display);
		return 3;
	}
	say("frames %u", c.frames);
	if (c.measure_presentation) {
		say("presentation presented=%llu discarded=%llu mean_us=%llu",
			(unsigned long long)c.presented,
			(unsigned long long)c.discarded,
			(unsigned long long)(c.presented ?
				c.latency_sum_us / c.presented : 0));
	}
	say("exit");
	cleanup(registry);
	wl_display_disconnect(c.display);
	return 0;
}
