/* pwl-hostile-client --case NAME: the shortest request sequences known to
 * crash compositors built on wlroots 0.15.1, one per case, for regression
 * tests. It prints "sent" once everything is out and the compositor
 * answered a wl_display.sync (or "error N" if the compositor ended the
 * connection with a protocol error, which is a fine answer too), then
 * exits. A compositor that dies is the failure the tests look for. */
#define _GNU_SOURCE // memfd_create
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <wayland-client.h>

#include "pointer-constraints-unstable-v1-client-protocol.h"
#include "relative-pointer-unstable-v1-client-protocol.h"
#include "virtual-keyboard-unstable-v1-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"
#include "xdg-decoration-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

static struct {
	struct wl_compositor *compositor;
	struct wl_seat *seat;
	struct wl_shm *shm;
	struct xdg_wm_base *wm_base;
	struct zwp_virtual_keyboard_manager_v1 *vkbd;
	struct zwp_relative_pointer_manager_v1 *relative;
	struct zwp_pointer_constraints_v1 *constraints;
	struct zwlr_layer_shell_v1 *layer_shell;
	struct zxdg_decoration_manager_v1 *decoration;
	struct wl_subcompositor *subcompositor;
} g;

static void global(void *data, struct wl_registry *r, uint32_t name,
		const char *iface, uint32_t version) {
	if (!strcmp(iface, wl_compositor_interface.name)) {
		g.compositor = wl_registry_bind(r, name, &wl_compositor_interface, 4);
	} else if (!strcmp(iface, wl_subcompositor_interface.name)) {
		g.subcompositor = wl_registry_bind(r, name,
			&wl_subcompositor_interface, 1);
	} else if (!strcmp(iface, wl_seat_interface.name)) {
		g.seat = wl_registry_bind(r, name, &wl_seat_interface,
			version < 7 ? version : 7);
	} else if (!strcmp(iface, wl_shm_interface.name)) {
		g.shm = wl_registry_bind(r, name, &wl_shm_interface, 1);
	} else if (!strcmp(iface, xdg_wm_base_interface.name)) {
		g.wm_base = wl_registry_bind(r, name, &xdg_wm_base_interface, 2);
	} else if (!strcmp(iface, zwp_virtual_keyboard_manager_v1_interface.name)) {
		g.vkbd = wl_registry_bind(r, name,
			&zwp_virtual_keyboard_manager_v1_interface, 1);
	} else if (!strcmp(iface,
			zwp_relative_pointer_manager_v1_interface.name)) {
		g.relative = wl_registry_bind(r, name,
			&zwp_relative_pointer_manager_v1_interface, 1);
	} else if (!strcmp(iface, zwp_pointer_constraints_v1_interface.name)) {
		g.constraints = wl_registry_bind(r, name,
			&zwp_pointer_constraints_v1_interface, 1);
	} else if (!strcmp(iface, zwlr_layer_shell_v1_interface.name)) {
		g.layer_shell = wl_registry_bind(r, name,
			&zwlr_layer_shell_v1_interface, 1);
	} else if (!strcmp(iface, zxdg_decoration_manager_v1_interface.name)) {
		g.decoration = wl_registry_bind(r, name,
			&zxdg_decoration_manager_v1_interface, 1);
	}
}

static void global_remove(void *data, struct wl_registry *r, uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	global, global_remove,
};

static int memfd_with(const char *data, size_t len, size_t file_size) {
	int fd = memfd_create("hostile", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, (off_t)file_size) < 0) {
		exit(2);
	}
	if (len && pwrite(fd, data, len, 0) != (ssize_t)len) {
		exit(2);
	}
	return fd;
}

static struct xdg_surface *toplevel(struct wl_surface **surface_out,
		struct xdg_toplevel **toplevel_out) {
	struct wl_surface *surface = wl_compositor_create_surface(g.compositor);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(g.wm_base, surface);
	struct xdg_toplevel *tl = xdg_surface_get_toplevel(xs);
	wl_surface_commit(surface);
	*surface_out = surface;
	if (toplevel_out) {
		*toplevel_out = tl;
	}
	return xs;
}

static uint32_t configure_serial;

static void xdg_configure(void *data, struct xdg_surface *xs, uint32_t serial) {
	configure_serial = serial;
}

static const struct xdg_surface_listener xdg_listener = { xdg_configure };

/* The first configure acked and a 64x64 buffer committed: mapped. */
static void map(struct wl_display *display, struct wl_surface *surface,
		struct xdg_surface *xs) {
	xdg_surface_add_listener(xs, &xdg_listener, NULL);
	wl_surface_commit(surface);
	wl_display_roundtrip(display);
	xdg_surface_ack_configure(xs, configure_serial);
	int fd = memfd_with(NULL, 0, 64 * 64 * 4);
	struct wl_shm_pool *pool = wl_shm_create_pool(g.shm, fd, 64 * 64 * 4);
	close(fd);
	struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool, 0, 64, 64,
		256, WL_SHM_FORMAT_ARGB8888);
	wl_shm_pool_destroy(pool);
	wl_surface_attach(surface, buffer, 0, 0);
	wl_surface_commit(surface);
	wl_display_roundtrip(display);
}

/* Gone without a goodbye, with every object alive, once the compositor
 * has handled all of it (a hangup seen before the requests were read
 * would drop them unread: libwayland stops reading a hung-up client). */
static void vanish(struct wl_display *display) {
	wl_display_roundtrip(display);
	_exit(0);
}

static struct xdg_positioner *positioner(void) {
	struct xdg_positioner *pos = xdg_wm_base_create_positioner(g.wm_base);
	xdg_positioner_set_size(pos, 10, 10);
	xdg_positioner_set_anchor_rect(pos, 0, 0, 1, 1);
	return pos;
}

static bool run_case(const char *name, struct wl_display *display) {
	if (!strcmp(name, "keymap-short")) {
		// A keymap fd far shorter than the size it claims.
		struct zwp_virtual_keyboard_v1 *kb =
			zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(g.vkbd,
				g.seat);
		int fd = memfd_with("xkb_keymap {", 12, 12);
		zwp_virtual_keyboard_v1_keymap(kb, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1,
			fd, 1 << 20);
		close(fd);
	} else if (!strcmp(name, "keymap-unterminated")) {
		// Exactly `size` bytes, none of them NUL; a whole number of pages,
		// so that nothing after the mapping happens to end the string.
		size_t size = 64 * 1024;
		char *junk = malloc(size);
		memset(junk, 'k', size);
		int fd = memfd_with(junk, size, size);
		free(junk);
		struct zwp_virtual_keyboard_v1 *kb =
			zwp_virtual_keyboard_manager_v1_create_virtual_keyboard(g.vkbd,
				g.seat);
		zwp_virtual_keyboard_v1_keymap(kb, WL_KEYBOARD_KEYMAP_FORMAT_XKB_V1,
			fd, (uint32_t)size);
		close(fd);
	} else if (!strcmp(name, "popup-self-parent")) {
		// A popup whose parent is its own xdg_surface.
		struct wl_surface *surface = wl_compositor_create_surface(
			g.compositor);
		struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(g.wm_base,
			surface);
		xdg_surface_get_popup(xs, xs, positioner());
		wl_surface_commit(surface);
	} else if (!strcmp(name, "toplevel-after-surface-destroy")) {
		// Every toplevel request after its wl_surface is gone.
		struct wl_surface *surface;
		struct xdg_toplevel *tl;
		toplevel(&surface, &tl);
		wl_display_roundtrip(display);
		wl_surface_destroy(surface);
		xdg_toplevel_set_fullscreen(tl, NULL);
		xdg_toplevel_unset_fullscreen(tl);
		xdg_toplevel_set_maximized(tl);
		xdg_toplevel_unset_maximized(tl);
		xdg_toplevel_set_minimized(tl);
		xdg_toplevel_set_title(tl, "gone");
		xdg_toplevel_set_app_id(tl, "gone");
		xdg_toplevel_set_min_size(tl, 10, 10);
		xdg_toplevel_set_max_size(tl, 20, 20);
		xdg_toplevel_move(tl, g.seat, 1);
		xdg_toplevel_resize(tl, g.seat, 1, XDG_TOPLEVEL_RESIZE_EDGE_RIGHT);
		xdg_toplevel_show_window_menu(tl, g.seat, 1, 0, 0);
		xdg_toplevel_set_parent(tl, NULL);
	} else if (!strcmp(name, "decoration-after-surface-destroy")) {
		struct wl_surface *surface;
		struct xdg_toplevel *tl;
		toplevel(&surface, &tl);
		struct zxdg_toplevel_decoration_v1 *deco =
			zxdg_decoration_manager_v1_get_toplevel_decoration(g.decoration,
				tl);
		wl_surface_destroy(surface);
		zxdg_toplevel_decoration_v1_set_mode(deco,
			ZXDG_TOPLEVEL_DECORATION_V1_MODE_SERVER_SIDE);
		zxdg_toplevel_decoration_v1_unset_mode(deco);
	} else if (!strcmp(name, "second-xdg-surface")) {
		// A second xdg_surface for a surface that has a toplevel; then the
		// surface goes and a decoration is asked for the first toplevel
		// (found by the fuzzer).
		struct wl_surface *surface;
		struct xdg_toplevel *tl;
		toplevel(&surface, &tl);
		struct xdg_surface *again = xdg_wm_base_get_xdg_surface(g.wm_base,
			surface);
		xdg_surface_destroy(again);
		wl_surface_destroy(surface);
		zxdg_decoration_manager_v1_get_toplevel_decoration(g.decoration, tl);
	} else if (!strcmp(name, "pointer-inert")) {
		// A wl_pointer whose seat was released: relative pointer and
		// constraints made for it.
		struct wl_pointer *pointer = wl_seat_get_pointer(g.seat);
		wl_seat_release(g.seat);
		struct wl_surface *surface;
		toplevel(&surface, NULL);
		zwp_relative_pointer_manager_v1_get_relative_pointer(g.relative,
			pointer);
		zwp_pointer_constraints_v1_lock_pointer(g.constraints, surface,
			pointer, NULL, ZWP_POINTER_CONSTRAINTS_V1_LIFETIME_PERSISTENT);
	} else if (!strcmp(name, "subsurface-parent-destroyed")) {
		// A subsurface reordered after its parent surface is gone.
		struct wl_subcompositor *sub = g.subcompositor;
		struct wl_surface *parent = wl_compositor_create_surface(g.compositor);
		struct wl_surface *child = wl_compositor_create_surface(g.compositor);
		struct wl_surface *other = wl_compositor_create_surface(g.compositor);
		struct wl_subsurface *ss = wl_subcompositor_get_subsurface(sub, child,
			parent);
		wl_subcompositor_get_subsurface(sub, other, parent);
		wl_surface_destroy(parent);
		wl_subsurface_place_above(ss, other);
		wl_subsurface_place_below(ss, other);
	} else if (!strcmp(name, "layer-zero-size")) {
		struct wl_surface *surface = wl_compositor_create_surface(
			g.compositor);
		struct zwlr_layer_surface_v1 *ls = zwlr_layer_shell_v1_get_layer_surface(
			g.layer_shell, surface, NULL, 2, "x");
		zwlr_layer_surface_v1_set_size(ls, 0, 0);
		zwlr_layer_surface_v1_set_anchor(ls, 0);
		wl_surface_commit(surface);
	} else if (!strcmp(name, "popup-roleless-parent")) {
		// A popup whose parent xdg_surface has no role yet; the parent
		// is destroyed first (legal for a role-less xdg_surface), then
		// the popup: wlroots 0.15.1 freed the parent with the popup
		// still on its list.
		struct wl_surface *ps = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *parent = xdg_wm_base_get_xdg_surface(g.wm_base,
			ps);
		struct wl_surface *cs = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *child = xdg_wm_base_get_xdg_surface(g.wm_base,
			cs);
		struct xdg_popup *popup = xdg_surface_get_popup(child, parent,
			positioner());
		xdg_surface_destroy(parent);
		xdg_popup_destroy(popup);
		xdg_surface_destroy(child);
		wl_surface_destroy(cs);
		wl_surface_destroy(ps);
	} else if (!strcmp(name, "popup-parent-role-gone")) {
		// The parent had a toplevel and lost it: role-less again, then
		// the same order as above.
		struct wl_surface *ps;
		struct xdg_toplevel *tl;
		struct xdg_surface *parent = toplevel(&ps, &tl);
		xdg_toplevel_destroy(tl);
		struct wl_surface *cs = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *child = xdg_wm_base_get_xdg_surface(g.wm_base,
			cs);
		struct xdg_popup *popup = xdg_surface_get_popup(child, parent,
			positioner());
		xdg_surface_destroy(parent);
		xdg_popup_destroy(popup);
	} else if (!strcmp(name, "popup-roleless-parent-teardown")) {
		// The same graph left to the disconnect: the parent's ids are
		// lower, so the teardown frees it before the popup.
		struct wl_surface *ps = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *parent = xdg_wm_base_get_xdg_surface(g.wm_base,
			ps);
		for (int i = 0; i < 8; i++) {
			struct wl_surface *cs = wl_compositor_create_surface(
				g.compositor);
			xdg_surface_get_popup(xdg_wm_base_get_xdg_surface(g.wm_base, cs),
				parent, positioner());
		}
		vanish(display);
	} else if (!strcmp(name, "second-xdg-surface-roleless")) {
		// Two xdg_surfaces for one wl_surface while neither has a role;
		// the first becomes a mapped toplevel, the second (role-less, so
		// it may) goes and takes the surface's role data along: what
		// finds the toplevel through its wl_surface then finds NULL (a
		// popup placed on it, its commits).
		struct wl_surface *surface = wl_compositor_create_surface(
			g.compositor);
		struct xdg_surface *first = xdg_wm_base_get_xdg_surface(g.wm_base,
			surface);
		struct xdg_surface *second = xdg_wm_base_get_xdg_surface(g.wm_base,
			surface);
		struct xdg_toplevel *tl = xdg_surface_get_toplevel(first);
		map(display, surface, first);
		xdg_surface_destroy(second);
		wl_surface_commit(surface);
		struct wl_surface *ps = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *pxs = xdg_wm_base_get_xdg_surface(g.wm_base, ps);
		xdg_surface_get_popup(pxs, first, positioner());
		wl_surface_commit(ps);
		xdg_toplevel_set_title(tl, "x");
		xdg_toplevel_set_maximized(tl);
		xdg_toplevel_set_fullscreen(tl, NULL);
		wl_surface_commit(surface);
	} else if (!strcmp(name, "decoration-uncommitted")) {
		// A decoration for a toplevel never committed, whose xdg_surface
		// then goes: wlroots does not tell the decoration (the surface
		// was never "added"), which keeps listening on freed memory.
		struct wl_surface *surface = wl_compositor_create_surface(
			g.compositor);
		struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(g.wm_base,
			surface);
		struct xdg_toplevel *tl = xdg_surface_get_toplevel(xs);
		struct zxdg_toplevel_decoration_v1 *deco =
			zxdg_decoration_manager_v1_get_toplevel_decoration(g.decoration,
				tl);
		xdg_toplevel_destroy(tl);
		xdg_surface_destroy(xs);
		wl_surface_commit(surface);
		zxdg_toplevel_decoration_v1_destroy(deco);
		wl_surface_destroy(surface);
	} else if (!strcmp(name, "decoration-uncommitted-teardown")) {
		// ... and left to the disconnect (the wl_surface goes first).
		for (int i = 0; i < 8; i++) {
			struct wl_surface *surface = wl_compositor_create_surface(
				g.compositor);
			struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(g.wm_base,
				surface);
			zxdg_decoration_manager_v1_get_toplevel_decoration(g.decoration,
				xdg_surface_get_toplevel(xs));
		}
		vanish(display);
	} else if (!strcmp(name, "layer-popup-unmapped")) {
		// An xdg_popup given to a layer surface that was never mapped;
		// then the layer surface goes before the popup.
		struct wl_surface *surface = wl_compositor_create_surface(
			g.compositor);
		struct zwlr_layer_surface_v1 *ls =
			zwlr_layer_shell_v1_get_layer_surface(g.layer_shell, surface,
				NULL, 2, "x");
		struct wl_surface *cs = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *child = xdg_wm_base_get_xdg_surface(g.wm_base,
			cs);
		struct xdg_popup *popup = xdg_surface_get_popup(child, NULL,
			positioner());
		zwlr_layer_surface_v1_get_popup(ls, popup);
		zwlr_layer_surface_v1_destroy(ls);
		xdg_popup_destroy(popup);
	} else if (!strcmp(name, "parentless-popup-grab")) {
		// Seed 107 of the plain fuzz run: a grab on a popup that has no
		// parent, another parentless popup, a toplevel, then an ack.
		struct wl_surface *s1 = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *x1 = xdg_wm_base_get_xdg_surface(g.wm_base, s1);
		struct xdg_positioner *pos = positioner();
		struct xdg_popup *p1 = xdg_surface_get_popup(x1, NULL, pos);
		struct wl_surface *s2;
		toplevel(&s2, NULL);
		struct wl_surface *s3 = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *x3 = xdg_wm_base_get_xdg_surface(g.wm_base, s3);
		xdg_surface_get_popup(x3, NULL, positioner());
		xdg_positioner_set_anchor(pos, XDG_POSITIONER_ANCHOR_TOP);
		xdg_popup_grab(p1, g.seat, 1);
		xdg_surface_ack_configure(x3, 1);
		wl_surface_commit(s1);
		wl_surface_commit(s3);
		} else if (!strcmp(name, "popup-grab-twice")) {
		// Two grabs on one popup before its first commit (plain fuzz,
		// app socket, seed 103): wlroots 0.15.1 links the popup into the
		// seat's grab list twice; the list then leads into freed memory
		// once the popup is gone, and the next grab event calls through
		// it.
		struct wl_surface *s1 = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *x1 = xdg_wm_base_get_xdg_surface(g.wm_base, s1);
		struct xdg_popup *p1 = xdg_surface_get_popup(x1, NULL, positioner());
		xdg_popup_grab(p1, g.seat, 1);
		xdg_popup_grab(p1, g.seat, 2);
		wl_display_roundtrip(display);
		xdg_popup_destroy(p1);
		xdg_surface_destroy(x1);
		wl_surface_destroy(s1);
		// A new grab walks the list.
		struct wl_surface *s2 = wl_compositor_create_surface(g.compositor);
		struct xdg_surface *x2 = xdg_wm_base_get_xdg_surface(g.wm_base, s2);
		struct xdg_popup *p2 = xdg_surface_get_popup(x2, NULL, positioner());
		xdg_popup_grab(p2, g.seat, 3);
		wl_display_roundtrip(display);
		xdg_popup_destroy(p2);
		} else if (!strcmp(name, "pools-flood") ||
			!strcmp(name, "regions-flood")) {
		// 100,000 shm pools (one mapping each in the compositor) or
		// 2,000,000 regions, kept alive: a cap must end this client
		// long before the compositor runs out for everyone.
		bool pools = !strcmp(name, "pools-flood");
		long n = pools ? 100000 : 2000000, made = 0;
		int fd = memfd_with(NULL, 0, 4096);
		for (; made < n; made++) {
			if (pools) {
				wl_shm_create_pool(g.shm, fd, 4096);
			} else {
				wl_compositor_create_region(g.compositor);
			}
			if (made % 1000 == 999 && wl_display_roundtrip(display) < 0) {
				break;
			}
		}
		close(fd);
		printf("made %ld\n", made);
		} else if (!strcmp(name, "teardown-many")) {
		// Many live objects of every kind, then the client vanishes.
		for (int i = 0; i < 300; i++) {
			struct wl_surface *surface;
			struct xdg_toplevel *tl;
			struct xdg_surface *xs = toplevel(&surface, &tl);
			struct wl_surface *ps = wl_compositor_create_surface(g.compositor);
			xdg_surface_get_popup(xdg_wm_base_get_xdg_surface(g.wm_base, ps),
				xs, positioner());
			if (g.decoration) {
				zxdg_decoration_manager_v1_get_toplevel_decoration(
					g.decoration, tl);
			}
		}
		vanish(display);
	} else {
		fprintf(stderr, "unknown case %s\n", name);
		return false;
	}
	return true;
}

int main(int argc, char *argv[]) {
	if (argc != 3 || strcmp(argv[1], "--case")) {
		fprintf(stderr, "usage: pwl-hostile-client --case NAME\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct wl_display *display = wl_display_connect(NULL);
	if (!display) {
		return 1;
	}
	struct wl_registry *registry = wl_display_get_registry(display);
	wl_registry_add_listener(registry, &registry_listener, NULL);
	wl_display_roundtrip(display);
	if (!g.compositor || !g.wm_base || !g.seat) {
		fprintf(stderr, "missing globals\n");
		return 1;
	}
	if (!run_case(argv[2], display)) {
		return 2;
	}
	if (wl_display_roundtrip(display) < 0) {
		printf("error %d\n", wl_display_get_error(display));
	} else {
		printf("sent\n");
	}
	wl_display_disconnect(display);
	return 0;
}
