/* pwl-fuzz-client: a hostile but well-formed Wayland client. It binds
 * every global it is offered that it knows, then sends random requests
 * built from the interfaces' own message signatures: integers at their
 * boundaries, odd strings, objects of the right and the wrong kind, new
 * objects, arrays, and fds (shm pools among them, some truncated after
 * the fact), destroying objects in any order. After a protocol error it
 * connects again. The same seed sends the same requests.
 *
 *   pwl-fuzz-client --seed N --seconds S [--batch N]
 *
 * It connects like any client ($WAYLAND_DISPLAY in $XDG_RUNTIME_DIR; an
 * app's socket directory makes it an app client). Exit status: 0 the time
 * ran out, 3 the compositor went away (could not connect again), 4 the
 * compositor stopped answering (no reply to wl_display.sync within 5 s).
 * It prints what it did on its last line. */
#define _GNU_SOURCE // memfd_create
#include <errno.h>
#include <getopt.h>
#include <poll.h>
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
#include "pocket-shell-unstable-v1-client-protocol.h"
#include "pointer-constraints-unstable-v1-client-protocol.h"
#include "presentation-time-client-protocol.h"
#include "primary-selection-unstable-v1-client-protocol.h"
#include "relative-pointer-unstable-v1-client-protocol.h"
#include "viewporter-client-protocol.h"
#include "virtual-keyboard-unstable-v1-client-protocol.h"
#include "wlr-data-control-unstable-v1-client-protocol.h"
#include "wlr-export-dmabuf-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"
#include "wlr-gamma-control-unstable-v1-client-protocol.h"
#include "wlr-input-inhibitor-unstable-v1-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"
#include "wlr-output-management-unstable-v1-client-protocol.h"
#include "wlr-output-power-management-unstable-v1-client-protocol.h"
#include "wlr-screencopy-unstable-v1-client-protocol.h"
#include "wlr-virtual-pointer-unstable-v1-client-protocol.h"
#include "xdg-activation-v1-client-protocol.h"
#include "xdg-decoration-unstable-v1-client-protocol.h"
#include "xdg-output-unstable-v1-client-protocol.h"
#include "xdg-shell-client-protocol.h"

#define MAX_OBJECTS 2048
#define MAX_FDS 16
#define SYNC_TIMEOUT_MS 5000

/* The globals it can bind: every interface whose code it links. */
static const struct wl_interface *const known[] = {
	&wl_compositor_interface, &wl_subcompositor_interface, &wl_shm_interface,
	&wl_seat_interface, &wl_output_interface, &wl_data_device_manager_interface,
	&xdg_wm_base_interface, &zwlr_layer_shell_v1_interface,
	&zxdg_decoration_manager_v1_interface, &zxdg_output_manager_v1_interface,
	&wp_viewporter_interface, &wp_presentation_interface,
	&zwp_pointer_constraints_v1_interface,
	&zwp_relative_pointer_manager_v1_interface,
	&zwp_primary_selection_device_manager_v1_interface,
	&xdg_activation_v1_interface, &zwp_idle_inhibit_manager_v1_interface,
	&zwp_virtual_keyboard_manager_v1_interface,
	&zwlr_virtual_pointer_manager_v1_interface,
	&zwlr_screencopy_manager_v1_interface,
	&zwlr_export_dmabuf_manager_v1_interface,
	&zwlr_foreign_toplevel_manager_v1_interface,
	&zwlr_data_control_manager_v1_interface,
	&zwlr_gamma_control_manager_v1_interface,
	&zwlr_input_inhibit_manager_v1_interface,
	&zwlr_output_manager_v1_interface,
	&zwlr_output_power_manager_v1_interface, &zpocket_shell_v1_interface,
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

struct object {
	struct wl_proxy *proxy;
	const struct wl_interface *interface;
	uint32_t version;
};

static struct {
	uint64_t rng;
	struct wl_display *display;
	struct wl_registry *registry;
	struct object objects[MAX_OBJECTS];
	int nobjects;
	int fds[MAX_FDS];
	int nfds;
	long requests, errors, reconnects, binds;
	bool synced;
} f;

/* xorshift64*: deterministic per seed. */
static uint64_t next(void) {
	f.rng ^= f.rng >> 12;
	f.rng ^= f.rng << 25;
	f.rng ^= f.rng >> 27;
	return f.rng * 2685821657736338717ULL;
}

static uint32_t below(uint32_t n) {
	return n ? (uint32_t)(next() % n) : 0;
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- arguments ---- */

static int32_t random_int(void) {
	static const int32_t edges[] = { 0, 1, -1, 2, 16, 64, 256, 1000, -1000,
		4096, INT32_MAX, INT32_MIN, INT32_MAX - 1, INT32_MIN + 1, 0x7fff,
		-0x8000, 0x10000 };
	// Mostly plausible values, so that connections live long enough to
	// reach deep states; boundaries and noise the rest of the time.
	uint32_t pick = below(4);
	if (pick < 2) {
		return (int32_t)below(200);
	}
	if (pick == 2) {
		return edges[below(sizeof(edges) / sizeof(edges[0]))];
	}
	return (int32_t)next();
}

static uint32_t random_uint(void) {
	static const uint32_t edges[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 255,
		UINT32_MAX, UINT32_MAX - 1, 0x80000000u, 1000 };
	uint32_t pick = below(4);
	if (pick < 2) {
		return below(9);
	}
	if (pick == 2) {
		return edges[below(sizeof(edges) / sizeof(edges[0]))];
	}
	return (uint32_t)next();
}

static const char *random_string(void) {
	static char buf[4200];
	switch (below(6)) {
	case 0:
		return "";
	case 1:
		return "x";
	case 2:
		return "org.example.App";
	case 3: { // long
		size_t n = 100 + below(4000);
		memset(buf, 'A' + (int)below(26), n);
		buf[n] = '\0';
		return buf;
	}
	case 4: { // random bytes, valid or not as UTF-8, but no NUL
		size_t n = below(64);
		for (size_t i = 0; i < n; i++) {
			buf[i] = (char)(1 + below(255));
		}
		buf[n] = '\0';
		return buf;
	}
	default:
		return "../../etc/passwd";
	}
}

static int random_fd(void) {
	// Mostly memfds of random sizes (shm pools); some get truncated later.
	int fd = memfd_create("fuzz", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		return -1;
	}
	off_t size = (off_t)(below(4) ? below(1 << 20) : below(64));
	if (ftruncate(fd, size) < 0) {
		close(fd);
		return -1;
	}
	if (f.nfds < MAX_FDS) {
		f.fds[f.nfds++] = dup(fd);
	}
	return fd;
}

static void truncate_some_fd(void) {
	if (f.nfds > 0 && !below(8)) {
		int i = (int)below((uint32_t)f.nfds);
		if (ftruncate(f.fds[i], (off_t)below(16)) < 0) {
			// A sealed or odd fd: nothing to do.
		}
		close(f.fds[i]);
		f.fds[i] = f.fds[--f.nfds];
	}
}

static struct object *random_object_of(const struct wl_interface *interface) {
	int candidates[MAX_OBJECTS];
	int n = 0;
	for (int i = 0; i < f.nobjects; i++) {
		if (!interface || f.objects[i].interface == interface ||
				!below(64)) { // now and then the wrong kind on purpose
			candidates[n++] = i;
		}
	}
	return n ? &f.objects[candidates[below((uint32_t)n)]] : NULL;
}

static void add_object(struct wl_proxy *proxy,
		const struct wl_interface *interface, uint32_t version) {
	if (!proxy) {
		return;
	}
	if (f.nobjects == MAX_OBJECTS) {
		// Full: forget one (its proxy stays alive, unused).
		f.objects[below(MAX_OBJECTS)] = f.objects[--f.nobjects];
	}
	f.objects[f.nobjects++] = (struct object){ proxy, interface, version };
}

static void forget_object(struct wl_proxy *proxy) {
	for (int i = 0; i < f.nobjects; i++) {
		if (f.objects[i].proxy == proxy) {
			f.objects[i] = f.objects[--f.nobjects];
			return;
		}
	}
}

/* ---- one random request ---- */

static uint32_t message_since(const struct wl_message *m) {
	uint32_t since = 0;
	for (const char *p = m->signature; *p >= '0' && *p <= '9'; p++) {
		since = since * 10 + (uint32_t)(*p - '0');
	}
	return since ? since : 1;
}

static bool is_destructor(const struct wl_message *m) {
	return !strcmp(m->name, "destroy") || !strcmp(m->name, "release");
}

static void send_random_request(void) {
	// Half the time one of the newest objects: builds deeper graphs
	// (a surface, its role, its popups...) before an error ends them.
	struct object *target = f.nobjects > 0 && below(2) ?
		&f.objects[f.nobjects - 1 - (int)below(f.nobjects < 32 ?
		(uint32_t)f.nobjects : 32)] : random_object_of(NULL);
	if (!target || !target->interface->method_count) {
		return;
	}
	const struct wl_interface *iface = target->interface;
	uint32_t opcode = below((uint32_t)iface->method_count);
	const struct wl_message *m = &iface->methods[opcode];
	if (message_since(m) > target->version) {
		return;
	}
	// wl_display.sync is ours to time the compositor; wl_registry.bind
	// with a generic new_id is done on connecting.
	if (iface == &wl_registry_interface) {
		return;
	}
	union wl_argument args[20];
	memset(args, 0, sizeof(args));
	const struct wl_interface *new_iface = NULL;
	int nargs = 0, type_index = 0;
	bool nullable = false;
	int fds_to_close[20], nclose = 0;
	struct wl_array arrays[20];
	int narrays = 0;
	for (const char *p = m->signature; *p && nargs < 20; p++) {
		if (*p >= '0' && *p <= '9') {
			continue;
		}
		if (*p == '?') {
			nullable = true;
			continue;
		}
		const struct wl_interface *type = m->types[type_index++];
		union wl_argument *a = &args[nargs++];
		switch (*p) {
		case 'i':
			a->i = random_int();
			break;
		case 'u':
			a->u = random_uint();
			break;
		case 'f':
			a->f = wl_fixed_from_int(random_int() % 100000);
			break;
		case 's':
			a->s = nullable && !below(4) ? NULL : random_string();
			break;
		case 'o': {
			struct object *o = nullable && !below(4) ? NULL :
				random_object_of(type);
			if (!o && !nullable) {
				goto skip;
			}
			a->o = o ? (struct wl_object *)o->proxy : NULL;
			break;
		}
		case 'n':
			if (!type || new_iface) {
				goto skip; // generic new_id, or two: not ours to build
			}
			new_iface = type;
			a->o = NULL;
			break;
		case 'a': {
			struct wl_array *arr = &arrays[narrays++];
			wl_array_init(arr);
			size_t n = below(64);
			char *data = wl_array_add(arr, n ? n : 1);
			if (data) {
				for (size_t i = 0; i < n; i++) {
					data[i] = (char)next();
				}
				arr->size = n;
			}
			a->a = arr;
			break;
		}
		case 'h': {
			int fd = random_fd();
			if (fd < 0) {
				goto skip;
			}
			a->h = fd;
			fds_to_close[nclose++] = fd;
			break;
		}
		default:
			goto skip;
		}
		nullable = false;
	}
	{
		uint32_t version = target->version;
		if (new_iface && (uint32_t)new_iface->version < version) {
			version = (uint32_t)new_iface->version;
		}
		uint32_t flags = is_destructor(m) ? WL_MARSHAL_FLAG_DESTROY : 0;
		if (getenv("PWL_FUZZ_TRACE")) {
			fprintf(stderr, "fuzz: %s.%s (%s)\n", iface->name, m->name,
				m->signature);
		}
		// forget_object moves another object into target's slot.
		struct wl_proxy *proxy = target->proxy;
		if (flags) {
			forget_object(proxy);
		}
		struct wl_proxy *created = wl_proxy_marshal_array_flags(proxy,
			opcode, new_iface, version, flags, args);
		f.requests++;
		if (new_iface) {
			add_object(created, new_iface, version);
		}
	}
skip:
	for (int i = 0; i < nclose; i++) {
		close(fds_to_close[i]);
	}
	for (int i = 0; i < narrays; i++) {
		wl_array_release(&arrays[i]);
	}
}

/* ---- scenarios: plausible object graphs to fuzz from ---- */

static struct wl_proxy *find_global(const struct wl_interface *interface) {
	for (int i = 0; i < f.nobjects; i++) {
		if (f.objects[i].interface == interface) {
			return f.objects[i].proxy;
		}
	}
	return NULL;
}

/* A mapped-ish window (surface, xdg_surface, toplevel, a buffer), maybe a
 * popup on it and a subsurface: the state where the interesting handlers
 * live. Random requests then favour these newest objects. */
static void build_scenario(void) {
	struct wl_compositor *compositor =
		(struct wl_compositor *)find_global(&wl_compositor_interface);
	struct xdg_wm_base *wm =
		(struct xdg_wm_base *)find_global(&xdg_wm_base_interface);
	struct wl_shm *shm = (struct wl_shm *)find_global(&wl_shm_interface);
	if (!compositor || !wm) {
		return;
	}
	struct wl_surface *surface = wl_compositor_create_surface(compositor);
	add_object((struct wl_proxy *)surface, &wl_surface_interface, 4);
	struct xdg_surface *xs = xdg_wm_base_get_xdg_surface(wm, surface);
	add_object((struct wl_proxy *)xs, &xdg_surface_interface, 1);
	struct xdg_toplevel *tl = xdg_surface_get_toplevel(xs);
	add_object((struct wl_proxy *)tl, &xdg_toplevel_interface, 1);
	wl_surface_commit(surface);
	if (shm && below(2)) {
		int fd = memfd_create("fuzz-buffer", MFD_CLOEXEC);
		if (fd >= 0 && ftruncate(fd, 64 * 64 * 4) == 0) {
			struct wl_shm_pool *pool = wl_shm_create_pool(shm, fd, 64 * 64 * 4);
			struct wl_buffer *buffer = wl_shm_pool_create_buffer(pool, 0, 64,
				64, 256, WL_SHM_FORMAT_ARGB8888);
			add_object((struct wl_proxy *)pool, &wl_shm_pool_interface, 1);
			add_object((struct wl_proxy *)buffer, &wl_buffer_interface, 1);
			xdg_surface_ack_configure(xs, 1);
			wl_surface_attach(surface, buffer, 0, 0);
			wl_surface_commit(surface);
			if (f.nfds < MAX_FDS) {
				f.fds[f.nfds++] = dup(fd); // may be truncated later
			}
		}
		if (fd >= 0) {
			close(fd);
		}
	}
	if (below(2)) {
		struct wl_surface *ps = wl_compositor_create_surface(compositor);
		struct xdg_surface *pxs = xdg_wm_base_get_xdg_surface(wm, ps);
		struct xdg_positioner *pos = xdg_wm_base_create_positioner(wm);
		xdg_positioner_set_size(pos, 1 + (int32_t)below(100),
			1 + (int32_t)below(100));
		xdg_positioner_set_anchor_rect(pos, 0, 0, 1, 1);
		struct xdg_popup *popup = xdg_surface_get_popup(pxs, xs, pos);
		add_object((struct wl_proxy *)ps, &wl_surface_interface, 4);
		add_object((struct wl_proxy *)pxs, &xdg_surface_interface, 1);
		add_object((struct wl_proxy *)pos, &xdg_positioner_interface, 1);
		add_object((struct wl_proxy *)popup, &xdg_popup_interface, 1);
		wl_surface_commit(ps);
	}
	struct wl_subcompositor *sub =
		(struct wl_subcompositor *)find_global(&wl_subcompositor_interface);
	if (sub && below(2)) {
		struct wl_surface *child = wl_compositor_create_surface(compositor);
		struct wl_subsurface *ss = wl_subcompositor_get_subsurface(sub, child,
			surface);
		add_object((struct wl_proxy *)child, &wl_surface_interface, 4);
		add_object((struct wl_proxy *)ss, &wl_subsurface_interface, 1);
		wl_surface_commit(child);
	}
}

/* Teardown-heavy graphs: several surfaces whose xdg_surfaces get random
 * roles or none (role-less ones as popup parents too), decorations on
 * toplevels never committed, subsurfaces, then the objects destroyed in
 * a random order (parents before children), with commits in between; or
 * left alive for the disconnect. The state where wlroots 0.15.1 frees an
 * object that another still points to. */
static void build_teardown_scenario(void) {
	struct wl_compositor *compositor =
		(struct wl_compositor *)find_global(&wl_compositor_interface);
	struct xdg_wm_base *wm =
		(struct xdg_wm_base *)find_global(&xdg_wm_base_interface);
	struct zxdg_decoration_manager_v1 *deco_manager =
		(struct zxdg_decoration_manager_v1 *)find_global(
		&zxdg_decoration_manager_v1_interface);
	struct wl_subcompositor *sub =
		(struct wl_subcompositor *)find_global(&wl_subcompositor_interface);
	struct zwlr_layer_shell_v1 *layer_shell =
		(struct zwlr_layer_shell_v1 *)find_global(
		&zwlr_layer_shell_v1_interface);
	if (!compositor || !wm) {
		return;
	}
	enum { N = 6 };
	struct wl_surface *surfaces[N];
	struct xdg_surface *xdg[N];
	// Everything made, in creation order, for the destroy phase.
	struct made { struct wl_proxy *proxy; const struct wl_interface *iface; }
		made[8 * N];
	int nmade = 0;
#define MADE(p, i) do { made[nmade].proxy = (struct wl_proxy *)(p); \
	made[nmade++].iface = (i); add_object((struct wl_proxy *)(p), (i), \
	wl_proxy_get_version((struct wl_proxy *)(p))); } while (0)
	int n = 2 + (int)below(N - 1);
	for (int i = 0; i < n; i++) {
		surfaces[i] = wl_compositor_create_surface(compositor);
		MADE(surfaces[i], &wl_surface_interface);
		xdg[i] = xdg_wm_base_get_xdg_surface(wm, surfaces[i]);
		MADE(xdg[i], &xdg_surface_interface);
		if (!below(8)) { // a second xdg_surface for the same surface
			MADE(xdg_wm_base_get_xdg_surface(wm, surfaces[i]),
				&xdg_surface_interface);
		}
		switch (below(4)) {
		case 0: // no role (yet)
			break;
		case 1: { // a toplevel, maybe decorated, maybe never committed
			struct xdg_toplevel *tl = xdg_surface_get_toplevel(xdg[i]);
			MADE(tl, &xdg_toplevel_interface);
			if (deco_manager && below(2)) {
				MADE(zxdg_decoration_manager_v1_get_toplevel_decoration(
					deco_manager, tl), &zxdg_toplevel_decoration_v1_interface);
			}
			break;
		}
		default: { // a popup on any earlier xdg_surface, role or not
			struct xdg_positioner *pos = xdg_wm_base_create_positioner(wm);
			xdg_positioner_set_size(pos, 1 + (int32_t)below(50),
				1 + (int32_t)below(50));
			xdg_positioner_set_anchor_rect(pos, 0, 0, 1, 1);
			MADE(pos, &xdg_positioner_interface);
			struct xdg_surface *parent = i && below(4) ? xdg[below(
				(uint32_t)i)] : NULL;
			struct xdg_popup *popup = xdg_surface_get_popup(xdg[i], parent,
				pos);
			MADE(popup, &xdg_popup_interface);
			if (!parent && layer_shell && below(2)) {
				struct wl_surface *ls_surface =
					wl_compositor_create_surface(compositor);
				MADE(ls_surface, &wl_surface_interface);
				struct zwlr_layer_surface_v1 *ls =
					zwlr_layer_shell_v1_get_layer_surface(layer_shell,
					ls_surface, NULL, below(4), "fuzz");
				MADE(ls, &zwlr_layer_surface_v1_interface);
				zwlr_layer_surface_v1_get_popup(ls, popup);
			}
			break;
		}
		}
		if (sub && i && !below(4)) {
			MADE(wl_subcompositor_get_subsurface(sub,
				wl_compositor_create_surface(compositor), surfaces[below(
				(uint32_t)i)]), &wl_subsurface_interface);
		}
		if (below(2)) {
			wl_surface_commit(surfaces[i]);
		}
	}
#undef MADE
	if (!below(4)) {
		return; // left alive: for the random requests, or the disconnect
	}
	// Destroyed in a random order, commits of the survivors in between.
	for (int i = nmade - 1; i > 0; i--) {
		int j = (int)below((uint32_t)i + 1);
		struct made t = made[i];
		made[i] = made[j];
		made[j] = t;
	}
	for (int i = 0; i < nmade; i++) {
		const struct wl_interface *iface = made[i].iface;
		int opcode = -1;
		for (int m = 0; m < iface->method_count; m++) {
			if (is_destructor(&iface->methods[m])) {
				opcode = m;
				break;
			}
		}
		if (opcode < 0) {
			continue;
		}
		forget_object(made[i].proxy);
		wl_proxy_marshal_flags(made[i].proxy, (uint32_t)opcode, NULL,
			wl_proxy_get_version(made[i].proxy), WL_MARSHAL_FLAG_DESTROY);
		f.requests++;
		// Only surfaces not destroyed yet are committed.
		for (int k = 0; k < n; k++) {
			if ((struct wl_proxy *)surfaces[k] == made[i].proxy) {
				surfaces[k] = surfaces[--n];
				break;
			}
		}
		if (n > 0 && !below(3)) {
			wl_surface_commit(surfaces[below((uint32_t)n)]);
		}
	}
}

/* ---- connection ---- */

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	for (size_t i = 0; i < NKNOWN; i++) {
		if (!strcmp(known[i]->name, interface)) {
			uint32_t v = version < (uint32_t)known[i]->version ? version :
				(uint32_t)known[i]->version;
			struct wl_proxy *proxy = wl_registry_bind(registry, name,
				known[i], v);
			add_object(proxy, known[i], v);
			f.binds++;
			// Bound twice now and then: many objects of one global.
			if (!below(4)) {
				add_object(wl_registry_bind(registry, name, known[i], v),
					known[i], v);
			}
			return;
		}
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

static void sync_done(void *data, struct wl_callback *callback,
		uint32_t serial) {
	f.synced = true;
	wl_callback_destroy(callback);
}

static const struct wl_callback_listener sync_listener = {
	.done = sync_done,
};

/* A roundtrip with a deadline: -1 protocol or connection error, 0 done,
 * 1 timed out (a hang). */
static int sync_with_timeout(void) {
	f.synced = false;
	struct wl_callback *cb = wl_display_sync(f.display);
	wl_callback_add_listener(cb, &sync_listener, NULL);
	long deadline = now_ms() + SYNC_TIMEOUT_MS;
	while (!f.synced) {
		if (wl_display_flush(f.display) < 0 && errno != EAGAIN) {
			return -1;
		}
		while (wl_display_prepare_read(f.display) != 0) {
			if (wl_display_dispatch_pending(f.display) < 0) {
				return -1;
			}
		}
		if (f.synced) {
			wl_display_cancel_read(f.display);
			break;
		}
		struct pollfd pfd = { wl_display_get_fd(f.display), POLLIN, 0 };
		long left = deadline - now_ms();
		int r = left > 0 ? poll(&pfd, 1, (int)left) : 0;
		if (r <= 0) {
			wl_display_cancel_read(f.display);
			return r == 0 ? 1 : -1;
		}
		if (wl_display_read_events(f.display) < 0 ||
				wl_display_dispatch_pending(f.display) < 0) {
			return -1;
		}
	}
	return 0;
}

static void disconnect(void) {
	// Proxies die with the connection.
	f.nobjects = 0;
	wl_display_disconnect(f.display);
	f.display = NULL;
	f.nfds = 0;
	// Every fd of ours goes too: ours, and those the compositor sent in
	// events to objects without listeners (keymaps...), which libwayland
	// leaves open. Thousands of reconnections would run out of fds.
	close_range(3, ~0U, 0);
}

static bool connect_and_bind(void) {
	for (int attempt = 0; attempt < 20; attempt++) {
		f.display = wl_display_connect(NULL);
		if (f.display) {
			break;
		}
		usleep(50000);
	}
	if (!f.display) {
		return false;
	}
	add_object((struct wl_proxy *)f.display, &wl_display_interface, 1);
	f.registry = wl_display_get_registry(f.display);
	wl_registry_add_listener(f.registry, &registry_listener, NULL);
	return sync_with_timeout() == 0 || wl_display_get_error(f.display);
}

int main(int argc, char *argv[]) {
	uint64_t seed = 1;
	long seconds = 10, batch = 50;
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seconds", required_argument, NULL, 't' },
		{ "batch", required_argument, NULL, 'b' },
		{ 0 },
	};
	int c;
	while ((c = getopt_long(argc, argv, "s:t:b:", options, NULL)) != -1) {
		switch (c) {
		case 's':
			seed = strtoull(optarg, NULL, 10);
			break;
		case 't':
			seconds = atol(optarg);
			break;
		case 'b':
			batch = atol(optarg);
			break;
		default:
			fprintf(stderr, "usage: pwl-fuzz-client --seed N --seconds S "
				"[--batch N]\n");
			return 2;
		}
	}
	f.rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	setvbuf(stdout, NULL, _IOLBF, 0);
	long end = now_ms() + seconds * 1000;
	int status = 0;
	while (now_ms() < end) {
		if (!f.display) {
			if (!connect_and_bind()) {
				printf("compositor gone: cannot connect\n");
				status = 3;
				break;
			}
		}
		switch (below(6)) {
		case 0:
		case 1:
			build_scenario();
			break;
		case 2:
			build_teardown_scenario();
			break;
		default:
			break;
		}
		for (long i = 0; i < batch; i++) {
			send_random_request();
			truncate_some_fd();
		}
		int r = sync_with_timeout();
		if (r == 1) {
			printf("compositor hang: no reply to sync within %d ms "
				"(seed %llu, after %ld requests)\n", SYNC_TIMEOUT_MS,
				(unsigned long long)seed, f.requests);
			status = 4;
			break;
		}
		if (r == 0 && !below(16)) {
			// Gone with everything alive: the disconnect tears it down.
			disconnect();
			f.reconnects++;
			continue;
		}
		if (r < 0) {
			// A protocol error for us (expected), or the connection
			// broke: reconnect; connecting tells whether it is alive.
			if (wl_display_get_error(f.display)) {
				f.errors++;
			}
			disconnect();
			f.reconnects++;
		}
	}
	if (f.display) {
		disconnect();
	}
	printf("fuzz done: seed %llu, %ld requests, %ld binds, %ld protocol "
		"errors, %ld reconnects, status %d\n", (unsigned long long)seed,
		f.requests, f.binds, f.errors, f.reconnects, status);
	return status;
}
