#define _GNU_SOURCE // memfd_create
#include "clients/guards.h"

#include <execinfo.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_xdg_decoration_v1.h>
#include "xdg-decoration-unstable-v1-protocol.h"
#include <wlr/types/wlr_xdg_shell.h>

#include "clients/app.h"
#include "clients/clients.h"
#include "util/clock.h"
#include "util/input_serials.h"

#define MAX_KEYMAP (16 * 1024 * 1024)

/* zwp_virtual_keyboard_v1.keymap: wlroots maps `size` bytes of the fd and
 * hands them to xkbcommon as a C string. A file shorter than `size` is a
 * SIGBUS, one without a NUL a read past the mapping, and the client can
 * shrink its file while we look. So the compositor reads the keymap into
 * a file of its own and puts that in the request's place (the same fd
 * number): what wlroots maps is then always whole and terminated. A
 * keymap that cannot be read becomes an empty one, which wlroots refuses
 * (the client gets an error). */
static void guard_keymap(union wl_argument *args) {
	int fd = args[1].h;
	uint32_t size = args[2].u;
	int copy = memfd_create("pwl-keymap", MFD_CLOEXEC);
	if (copy < 0) {
		return;
	}
	bool ok = size > 0 && size <= MAX_KEYMAP;
	char *buf = ok ? malloc((size_t)size + 1) : NULL;
	size_t got = 0;
	while (buf && got < size) {
		ssize_t n = pread(fd, buf + got, size - got, (off_t)got);
		if (n <= 0) {
			break;
		}
		got += (size_t)n;
	}
	if (!buf || got < size) {
		wlr_log(WLR_ERROR, "Virtual keyboard: a keymap of %u bytes that "
			"cannot be read whole; refused", size);
		got = 0;
	}
	if (buf) {
		buf[got] = '\0';
	}
	// At least one page, so that the first byte wlroots reads exists.
	size_t out = got + 1 > 4096 ? got + 1 : 4096;
	bool written = ftruncate(copy, (off_t)out) == 0 &&
		(!got || pwrite(copy, buf, got + 1, 0) == (ssize_t)(got + 1));
	free(buf);
	if (written) {
		// The request's fd number now names our copy; wlroots closes it.
		// The size it maps covers the terminating NUL (a page-aligned
		// size would otherwise leave the NUL just past the mapping).
		dup2(copy, fd);
		args[2].u = (uint32_t)(got + 1);
	}
	close(copy);
}

/* xdg_surface.get_popup with a parent that cannot be one: the popup's own
 * xdg_surface or one of that parent's ancestors (wlroots 0.15.1 recurses
 * without end when it destroys such a popup), or an xdg_surface with no
 * role. The parent becomes NULL (a parentless popup is legal) and the
 * client gets the protocol error it earned. */
static void guard_popup_parent(struct wl_resource *resource,
		union wl_argument *args) {
	struct wl_resource *parent = (struct wl_resource *)args[1].o;
	if (!parent || !wl_resource_get_user_data(resource)) {
		return;
	}
	struct wlr_xdg_surface *self = wlr_xdg_surface_from_resource(resource);
	struct wlr_xdg_surface *xdg = wlr_xdg_surface_from_resource(parent);
	// A parent with no role (none yet, or its toplevel or popup already
	// destroyed): wlroots 0.15.1 would keep the popup on that parent's
	// list, and free the parent without detaching it when the client
	// destroys the parent, which it may (a role-less xdg_surface can be
	// destroyed). The popup's later unlink then writes into freed memory.
	if (xdg && xdg->role == WLR_XDG_SURFACE_ROLE_NONE) {
		args[1].o = NULL;
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
			"the parent xdg_surface@%u has no role",
			wl_resource_get_id(parent));
		return;
	}
	// Walk up through popups; a cycle through us ends it (bounded, as
	// a chain from an earlier bug could be one too).
	for (int depth = 0; xdg && depth < 256; depth++) {
		if (xdg == self) {
			args[1].o = NULL;
			wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
				"a popup cannot be its own parent or ancestor");
			return;
		}
		if (xdg->role != WLR_XDG_SURFACE_ROLE_POPUP || !xdg->popup ||
				!xdg->popup->parent ||
				!wlr_surface_is_xdg_surface(xdg->popup->parent)) {
			return;
		}
		xdg = wlr_xdg_surface_from_wlr_surface(xdg->popup->parent);
	}
}

/* The last requests handled, kept for the crash report: when pocketwl
 * dies in a handler, the request that killed it is among these. */
#define RECENT 200
static struct {
	char text[RECENT][128];
	unsigned next;
} recent;

static void remember(const struct wl_protocol_logger_message *message,
		const char *iface, const char *name) {
	struct wl_resource *resource = message->resource;
	struct wl_client *client = wl_resource_get_client(resource);
	char args[48] = "";
	size_t used = 0;
	// Object arguments by id: enough to follow one object's history.
	const char *sig = message->message->signature;
	for (int i = 0; *sig && i < message->arguments_count; sig++) {
		if ((*sig >= '0' && *sig <= '9') || *sig == '?') {
			continue;
		}
		if ((*sig == 'o' || *sig == 'n') && used < sizeof(args) - 12) {
			uint32_t id = *sig == 'n' ? message->arguments[i].n :
				(message->arguments[i].o ? wl_resource_get_id(
				(struct wl_resource *)message->arguments[i].o) : 0);
			used += (size_t)snprintf(args + used, sizeof(args) - used,
				"%s%u", used ? "," : "", id);
		}
		i++;
	}
	snprintf(recent.text[recent.next % RECENT], sizeof(recent.text[0]),
		"client %p: %s@%u.%s(%s)\n", (void *)client, iface,
		wl_resource_get_id(resource), name, args);
	recent.next++;
}

static void write_str(const char *text) {
	size_t len = strlen(text);
	while (len > 0) {
		ssize_t n = write(STDERR_FILENO, text, len);
		if (n <= 0) {
			return;
		}
		text += n;
		len -= (size_t)n;
	}
}

/* Only write(2) and plain memory here: this runs in a signal handler. */
void guards_report_recent(void) {
	write_str("pocketwl: the last client requests, oldest first:\n");
	unsigned start = recent.next > RECENT ? recent.next - RECENT : 0;
	for (unsigned i = start; i < recent.next; i++) {
		write_str("  ");
		write_str(recent.text[i % RECENT]);
	}
}

static void handle_fatal(int sig) {
	write_str("pocketwl: fatal signal ");
	write_str(sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" :
		sig == SIGABRT ? "SIGABRT" : "SIGFPE");
	write_str("\npocketwl: where (backtrace):\n");
	void *frames[64];
	backtrace_symbols_fd(frames, backtrace(frames, 64), STDERR_FILENO);
	guards_report_recent();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* wl_subsurface.place_above/place_below after the parent surface was
 * destroyed: wlroots 0.15.1 sets the subsurface's parent to NULL and then
 * looks for siblings under it. The request cannot be valid any more (there
 * is no parent or sibling left), so the client gets its error; and for the
 * one dispatch that still follows, the subsurface's parent is an empty
 * stand-in surface, so that the sibling search finds nothing instead of
 * reading NULL. Its real NULL is put back before wlroots tears the
 * subsurface down (resource destroy listeners run before wlroots' own
 * destroy callbacks). */
static struct wlr_surface orphan_parent; // only its pending lists are used

struct orphan {
	struct wlr_subsurface *subsurface;
	struct wl_listener subsurface_destroy, surface_destroy;
};

static void orphan_restore(struct orphan *o) {
	if (o->subsurface->parent == &orphan_parent) {
		o->subsurface->parent = NULL;
	}
	wl_list_remove(&o->subsurface_destroy.link);
	wl_list_remove(&o->surface_destroy.link);
	free(o);
}

static void orphan_handle_subsurface_destroy(struct wl_listener *listener,
		void *data) {
	struct orphan *o = wl_container_of(listener, o, subsurface_destroy);
	orphan_restore(o);
}

static void orphan_handle_surface_destroy(struct wl_listener *listener,
		void *data) {
	struct orphan *o = wl_container_of(listener, o, surface_destroy);
	orphan_restore(o);
}

static void guard_orphan_subsurface(struct wl_resource *resource) {
	struct wlr_subsurface *sub = wl_resource_get_user_data(resource);
	if (!sub || sub->parent || !sub->surface) {
		return;
	}
	struct orphan *o = calloc(1, sizeof(*o));
	if (!o) {
		return; // out of memory: nothing safe to do here
	}
	if (!orphan_parent.pending.subsurfaces_below.next) {
		wl_list_init(&orphan_parent.pending.subsurfaces_below);
		wl_list_init(&orphan_parent.pending.subsurfaces_above);
	}
	wl_resource_post_error(resource, WL_SUBSURFACE_ERROR_BAD_SURFACE,
		"the parent surface of this subsurface was destroyed");
	o->subsurface = sub;
	sub->parent = &orphan_parent;
	o->subsurface_destroy.notify = orphan_handle_subsurface_destroy;
	wl_resource_add_destroy_listener(resource, &o->subsurface_destroy);
	o->surface_destroy.notify = orphan_handle_surface_destroy;
	wl_resource_add_destroy_listener(sub->surface->resource,
		&o->surface_destroy);
}

/* xdg_wm_base.get_xdg_surface for a wl_surface that already has an
 * xdg_surface (with a role or without one yet) or another role: wlroots
 * 0.15.1 makes a second xdg_surface, and whichever goes first takes the
 * surface's role data along, leaving the other's toplevel requests to
 * dereference NULL. The protocol forbids it; the client gets the error
 * now, which ends it after this request. */
static void guard_second_xdg_surface(struct wl_resource *resource,
		union wl_argument *args) {
	struct wl_resource *surface_resource = (struct wl_resource *)args[1].o;
	if (!surface_resource) {
		return;
	}
	struct wlr_surface *surface = wlr_surface_from_resource(surface_resource);
	// An xdg_surface with no role yet gives the wl_surface neither a role
	// nor role data: only the client's list of xdg_surfaces knows it.
	bool taken = false;
	struct wlr_xdg_client *client = wl_resource_get_user_data(resource);
	if (surface && client) {
		struct wlr_xdg_surface *xdg;
		wl_list_for_each(xdg, &client->surfaces, link) {
			taken = taken || xdg->surface == surface;
		}
	}
	if (surface && (taken || surface->role || wlr_surface_is_xdg_surface(surface) ||
			surface->role_data)) {
		wl_resource_post_error(resource, XDG_WM_BASE_ERROR_ROLE,
			"wl_surface@%u already has a role or an xdg_surface",
			wl_resource_get_id(surface_resource));
	}
}

/* xdg_popup.grab a second time before the popup's first commit: wlroots
 * 0.15.1 links the popup into the seat's grab list again, so the list
 * leads into freed memory once the popup is gone, and the next grab
 * event calls through it (a plain build dies; found by the fuzzer). The
 * popup leaves the list here, and wlroots links it once. */
/* A grab that does not come from the user (its serial is not that of a
 * key or button event the client got in the last seconds: an enter
 * serial, an old one, another client's) is not honoured: the popup is
 * dismissed right after wlroots handled the request (the protocol's
 * answer to a refused grab), which also ends the grab it started. */
#define GRAB_SERIAL_MAX_AGE_MS 10000

struct grab_dismiss {
	struct wl_resource *popup;
	struct wl_event_source *idle;
	struct wl_listener destroy;
};

static void grab_dismiss_end(struct grab_dismiss *d) {
	wl_event_source_remove(d->idle);
	wl_list_remove(&d->destroy.link);
	free(d);
}

static void grab_dismiss_popup_destroy(struct wl_listener *l, void *data) {
	struct grab_dismiss *d = wl_container_of(l, d, destroy);
	grab_dismiss_end(d);
}

static void grab_dismiss_idle(void *data) {
	struct grab_dismiss *d = data;
	struct wlr_xdg_surface *xdg = wl_resource_get_user_data(d->popup);
	if (xdg && xdg->role == WLR_XDG_SURFACE_ROLE_POPUP && xdg->popup) {
		wlr_xdg_popup_destroy(xdg);
	}
	grab_dismiss_end(d);
}

static void guard_popup_grab(struct pwl_clients *clients,
		struct wl_resource *resource, union wl_argument *args) {
	struct wlr_xdg_surface *xdg = wl_resource_get_user_data(resource);
	if (!xdg || xdg->role != WLR_XDG_SURFACE_ROLE_POPUP || !xdg->popup) {
		return;
	}
	if (xdg->popup->seat && !xdg->popup->committed) {
		wl_list_remove(&xdg->popup->grab_link);
		wl_list_init(&xdg->popup->grab_link);
	}
	struct wl_client *client = wl_resource_get_client(resource);
	if (!clients->user_serials || input_serials_allow(clients->user_serials,
			client, args[1].u, monotonic_ms(), GRAB_SERIAL_MAX_AGE_MS)) {
		return;
	}
	struct wl_listener *pending = wl_resource_get_destroy_listener(resource,
		grab_dismiss_popup_destroy);
	if (pending) {
		return; // already to be dismissed
	}
	struct grab_dismiss *d = calloc(1, sizeof(*d));
	if (!d) {
		return;
	}
	d->idle = wl_event_loop_add_idle(clients->loop, grab_dismiss_idle, d);
	if (!d->idle) {
		free(d);
		return;
	}
	d->popup = resource;
	d->destroy.notify = grab_dismiss_popup_destroy;
	wl_resource_add_destroy_listener(resource, &d->destroy);
	struct pwl_app *app = app_from_client(client);
	wlr_log(WLR_INFO, "%s%s: popup grab with serial %u, not one of its "
		"recent key or button events: dismissed", app ? "App " : "",
		app ? app->name : "A host client", args[1].u);
}

/* zxdg_decoration_manager_v1.get_toplevel_decoration for a toplevel that
 * was never committed: wlroots 0.15.1 tells a decoration that its
 * xdg_surface is gone only through the surface's destroy signal, which it
 * emits only for surfaces that were committed ("added"). Destroy the
 * toplevel, its xdg_surface or its wl_surface before the first commit (or
 * leave it all to the disconnect) and the decoration keeps listening on
 * freed memory. The guard watches the three objects (and the xdg_wm_base
 * that frees them all in a disconnect) and takes the decoration down with
 * the first of them to go. A second decoration for
 * one toplevel is the protocol's already_constructed. */
struct deco_guard {
	struct wlr_xdg_decoration_manager_v1 *manager;
	struct wlr_xdg_surface *xdg;
	struct wl_listener toplevel_destroy, xdg_destroy, surface_destroy;
	struct wl_listener wm_base_destroy;
};

static void deco_guard_fire(struct deco_guard *g) {
	if (!g->xdg->added) {
		struct wlr_xdg_toplevel_decoration_v1 *deco, *tmp;
		wl_list_for_each_safe(deco, tmp, &g->manager->decorations, link) {
			if (deco->surface == g->xdg) {
				wl_resource_destroy(deco->resource);
			}
		}
	}
	wl_list_remove(&g->toplevel_destroy.link);
	wl_list_remove(&g->xdg_destroy.link);
	wl_list_remove(&g->surface_destroy.link);
	wl_list_remove(&g->wm_base_destroy.link);
	free(g);
}

static void deco_guard_toplevel_destroy(struct wl_listener *l, void *data) {
	struct deco_guard *g = wl_container_of(l, g, toplevel_destroy);
	deco_guard_fire(g);
}

static void deco_guard_xdg_destroy(struct wl_listener *l, void *data) {
	struct deco_guard *g = wl_container_of(l, g, xdg_destroy);
	deco_guard_fire(g);
}

static void deco_guard_surface_destroy(struct wl_listener *l, void *data) {
	struct deco_guard *g = wl_container_of(l, g, surface_destroy);
	deco_guard_fire(g);
}

/* In a disconnect the xdg_wm_base can go before the surfaces: it frees
 * every xdg_surface of its client with no signal at all. */
static void deco_guard_wm_base_destroy(struct wl_listener *l, void *data) {
	struct deco_guard *g = wl_container_of(l, g, wm_base_destroy);
	deco_guard_fire(g);
}

static void guard_decoration(struct wl_resource *resource,
		union wl_argument *args) {
	struct wl_resource *toplevel = (struct wl_resource *)args[1].o;
	struct wlr_xdg_decoration_manager_v1 *manager =
		wl_resource_get_user_data(resource);
	struct wlr_xdg_surface *xdg = toplevel ?
		wl_resource_get_user_data(toplevel) : NULL;
	if (!manager || !xdg || xdg->role != WLR_XDG_SURFACE_ROLE_TOPLEVEL) {
		return; // an inert toplevel: the surface guard already failed it
	}
	struct wlr_xdg_toplevel_decoration_v1 *deco;
	wl_list_for_each(deco, &manager->decorations, link) {
		if (deco->surface == xdg) {
			wl_resource_post_error(resource,
				ZXDG_TOPLEVEL_DECORATION_V1_ERROR_ALREADY_CONSTRUCTED,
				"xdg_toplevel@%u already has a decoration",
				wl_resource_get_id(toplevel));
			return;
		}
	}
	if (xdg->added) {
		return; // wlroots' own destroy signal covers it
	}
	struct deco_guard *g = calloc(1, sizeof(*g));
	if (!g) {
		wl_resource_post_no_memory(resource);
		return;
	}
	g->manager = manager;
	g->xdg = xdg;
	g->toplevel_destroy.notify = deco_guard_toplevel_destroy;
	wl_resource_add_destroy_listener(toplevel, &g->toplevel_destroy);
	g->xdg_destroy.notify = deco_guard_xdg_destroy;
	wl_resource_add_destroy_listener(xdg->resource, &g->xdg_destroy);
	// First in line: wlroots' own listener there frees the xdg_surface.
	g->surface_destroy.notify = deco_guard_surface_destroy;
	wl_list_insert(&xdg->surface->events.destroy.listener_list,
		&g->surface_destroy.link);
	g->wm_base_destroy.notify = deco_guard_wm_base_destroy;
	wl_resource_add_destroy_listener(xdg->client->resource,
		&g->wm_base_destroy);
}

/* zwlr_layer_surface_v1.get_popup: wlroots 0.15.1 puts the popup on the
 * layer surface's list whatever its state, but takes popups down only
 * when a mapped layer surface unmaps. A popup given to a layer surface
 * that is not mapped (then destroyed first), or given a second parent
 * (inserted in two lists), leaves links into freed memory. The client gets
 * the error; for the one dispatch that still follows, the layer surface's
 * resource has no user data, which makes wlroots ignore the request. It
 * is put back before anything tears the layer surface down. */
struct layer_popup_guard {
	struct wl_resource *resource;
	struct wlr_layer_surface_v1 *layer;
	struct wl_listener resource_destroy, layer_destroy;
};

static void layer_popup_guard_end(struct layer_popup_guard *g, bool restore) {
	if (restore && !wl_resource_get_user_data(g->resource)) {
		wl_resource_set_user_data(g->resource, g->layer);
	}
	wl_list_remove(&g->resource_destroy.link);
	wl_list_remove(&g->layer_destroy.link);
	free(g);
}

static void layer_popup_guard_resource_destroy(struct wl_listener *l,
		void *data) {
	struct layer_popup_guard *g = wl_container_of(l, g, resource_destroy);
	layer_popup_guard_end(g, true); // before wlroots' destroy callback
}

static void layer_popup_guard_layer_destroy(struct wl_listener *l,
		void *data) {
	struct layer_popup_guard *g = wl_container_of(l, g, layer_destroy);
	layer_popup_guard_end(g, false); // it went through its wl_surface
}

static void guard_layer_popup(struct wl_resource *resource,
		union wl_argument *args) {
	struct wl_resource *popup_resource = (struct wl_resource *)args[0].o;
	struct wlr_layer_surface_v1 *layer = wl_resource_get_user_data(resource);
	struct wlr_xdg_surface *xdg = popup_resource ?
		wl_resource_get_user_data(popup_resource) : NULL;
	if (!layer) {
		return; // inert: wlroots ignores the request itself
	}
	const char *why = !xdg || xdg->role != WLR_XDG_SURFACE_ROLE_POPUP ||
		!xdg->popup ? "the xdg_popup is inert" :
		xdg->popup->parent ? "the xdg_popup already has a parent" :
		!layer->mapped ? "the layer surface is not mapped" : NULL;
	if (!why) {
		return;
	}
	struct layer_popup_guard *g = calloc(1, sizeof(*g));
	if (!g) {
		return; // no way to stop wlroots here; out of memory anyway
	}
	wl_resource_post_error(resource, XDG_WM_BASE_ERROR_INVALID_POPUP_PARENT,
		"get_popup: %s", why);
	g->resource = resource;
	g->layer = layer;
	wl_resource_set_user_data(resource, NULL);
	g->resource_destroy.notify = layer_popup_guard_resource_destroy;
	wl_resource_add_destroy_listener(resource, &g->resource_destroy);
	g->layer_destroy.notify = layer_popup_guard_layer_destroy;
	wl_signal_add(&layer->events.destroy, &g->layer_destroy);
}

static void guard_request(void *data, enum wl_protocol_logger_type type,
		const struct wl_protocol_logger_message *message) {
	if (type != WL_PROTOCOL_LOGGER_REQUEST || !message->resource) {
		return;
	}
	const char *iface = wl_resource_get_class(message->resource);
	const char *name = message->message->name;
	remember(message, iface, name);
	struct pwl_clients *clients = data;
	clients->selection_request.client = NULL;
	if (!strcmp(name, "set_selection") && message->arguments_count == 2 &&
			(!strcmp(iface, "wl_data_device") ||
			!strcmp(iface, "zwp_primary_selection_device_v1"))) {
		clients->selection_request.client =
			wl_resource_get_client(message->resource);
		clients->selection_request.serial = message->arguments[1].u;
	}
	if (!strcmp(iface, "zwp_virtual_keyboard_v1") &&
			!strcmp(name, "keymap") && message->arguments_count == 3) {
		// The arguments are the closure's own: fixing them here fixes
		// what the handler gets.
		guard_keymap((union wl_argument *)message->arguments);
	} else if (!strcmp(iface, "xdg_wm_base") &&
			!strcmp(name, "get_xdg_surface") &&
			message->arguments_count == 2) {
		guard_second_xdg_surface(message->resource,
			(union wl_argument *)message->arguments);
	} else if (!strcmp(iface, "wl_subsurface") &&
			(!strcmp(name, "place_above") || !strcmp(name, "place_below"))) {
		guard_orphan_subsurface(message->resource);
	} else if (!strcmp(iface, "xdg_surface") && !strcmp(name, "get_popup") &&
			message->arguments_count == 3) {
		guard_popup_parent(message->resource,
			(union wl_argument *)message->arguments);
	} else if (!strcmp(iface, "xdg_popup") && !strcmp(name, "grab") &&
			message->arguments_count == 2) {
		guard_popup_grab(clients, message->resource,
			(union wl_argument *)message->arguments);
	} else if (!strcmp(iface, "zxdg_decoration_manager_v1") &&
			!strcmp(name, "get_toplevel_decoration") &&
			message->arguments_count == 2) {
		guard_decoration(message->resource,
			(union wl_argument *)message->arguments);
	} else if (!strcmp(iface, "zwlr_layer_surface_v1") &&
			!strcmp(name, "get_popup") && message->arguments_count == 1) {
		guard_layer_popup(message->resource,
			(union wl_argument *)message->arguments);
	}
}

/* A wl_surface destroyed under a live xdg_toplevel or xdg_popup leaves
 * that role object pointing at nothing in wlroots 0.15.1, and every later
 * request on it (set_fullscreen, move, grab...) dereferences NULL. The
 * client broke the protocol's order; it gets an error now, which makes
 * libwayland stop reading its requests before the next one runs. (During
 * a disconnect libwayland drops such errors itself.) */
struct surface_guard {
	struct wl_listener destroy;
};

static void handle_surface_destroy(struct wl_listener *listener, void *data) {
	struct surface_guard *guard = wl_container_of(listener, guard, destroy);
	struct wlr_surface *surface = data;
	wl_list_remove(&guard->destroy.link);
	free(guard);
	if (!wlr_surface_is_xdg_surface(surface)) {
		return;
	}
	struct wlr_xdg_surface *xdg = wlr_xdg_surface_from_wlr_surface(surface);
	struct wl_resource *role = NULL;
	if (xdg && xdg->role == WLR_XDG_SURFACE_ROLE_TOPLEVEL && xdg->toplevel) {
		role = xdg->toplevel->resource;
	} else if (xdg && xdg->role == WLR_XDG_SURFACE_ROLE_POPUP && xdg->popup) {
		role = xdg->popup->resource;
	}
	if (role) {
		wl_resource_post_error(xdg->resource,
			XDG_WM_BASE_ERROR_DEFUNCT_SURFACES,
			"wl_surface destroyed before its %s",
			xdg->role == WLR_XDG_SURFACE_ROLE_TOPLEVEL ? "xdg_toplevel" :
			"xdg_popup");
	}
}

static void handle_new_surface(struct wl_listener *listener, void *data) {
	struct wlr_surface *surface = data;
	struct surface_guard *guard = calloc(1, sizeof(*guard));
	if (!guard) {
		return;
	}
	// Added now, before any role exists: it runs before wlroots' own
	// xdg_surface listener tears the role down.
	guard->destroy.notify = handle_surface_destroy;
	wl_signal_add(&surface->events.destroy, &guard->destroy);
}

bool guards_init(struct pwl_clients *clients) {
	// backtrace() loads libgcc on its first call: done now, not in the
	// signal handler.
	void *frame;
	backtrace(&frame, 1);
	// Under ASan (tests) its own handler reports instead, unless told
	// handle_segv=0.
	struct sigaction sa = { .sa_handler = handle_fatal };
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND;
	struct sigaction old;
	int sigs[] = { SIGSEGV, SIGBUS, SIGFPE };
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL) {
			sigaction(sigs[i], &sa, NULL);
		}
	}
	clients->guard_logger = wl_display_add_protocol_logger(clients->display,
		guard_request, clients);
	clients->guard_new_surface.notify = handle_new_surface;
	wl_signal_add(&clients->compositor->events.new_surface,
		&clients->guard_new_surface);
	return clients->guard_logger != NULL;
}

void guards_finish(struct pwl_clients *clients) {
	wl_list_remove(&clients->guard_new_surface.link);
	wl_list_init(&clients->guard_new_surface.link);
	if (clients->guard_logger) {
		wl_protocol_logger_destroy(clients->guard_logger);
		clients->guard_logger = NULL;
	}
}
