#include "desktop/idle.h"

#include <stdlib.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>
#include <wlr/types/wlr_surface.h>
#include <wlr/types/wlr_xdg_shell.h>

#include "desktop/seat.h"
#include "desktop/server.h"

#define RECHECK_MS 1000 // outputs a surface is on change without a commit

struct pwl_idle {
	struct pwl_server *server;
	struct wl_list inhibitors; // pwl_inhibitor.link
	struct wl_listener new_inhibitor;
	struct wl_event_source *recheck; // while inhibitors exist; may be NULL
	bool inhibited; // what wlroots was last told
};

struct pwl_inhibitor {
	struct wl_list link; // pwl_idle.inhibitors
	struct pwl_idle *idle;
	struct wlr_surface *surface;
	struct wl_listener destroy;
	struct wl_listener commit; // the surface's
};

/* An inhibitor keeps the screen awake only while its surface is shown: a
 * mapped window or subsurface with content, on an output. A hidden or
 * role-less surface (an app keeping the session awake unseen) does not. */
static bool idle_inhibitor_counts(struct wlr_surface *surface) {
	if (!surface || !wlr_surface_has_buffer(surface) ||
			wl_list_empty(&surface->current_outputs)) {
		return false;
	}
	if (wlr_surface_is_xdg_surface(surface)) {
		struct wlr_xdg_surface *xdg = wlr_xdg_surface_from_wlr_surface(surface);
		return xdg && xdg->mapped;
	}
	if (wlr_surface_is_subsurface(surface)) {
		struct wlr_subsurface *sub = wlr_subsurface_from_wlr_surface(surface);
		return sub && sub->mapped;
	}
	return surface->role != NULL; // layer surfaces and the like
}

int idle_counting_inhibitors(struct pwl_idle *idle) {
	int n = 0;
	struct pwl_inhibitor *inhibitor;
	wl_list_for_each(inhibitor, &idle->inhibitors, link) {
		n += idle_inhibitor_counts(inhibitor->surface);
	}
	return n;
}

int idle_inhibitors(struct pwl_idle *idle) {
	return wl_list_length(&idle->inhibitors);
}

static void update_enabled(struct pwl_idle *idle) {
	struct pwl_server *server = idle->server;
	bool inhibited = idle_counting_inhibitors(idle) > 0;
	if (inhibited != idle->inhibited) {
		idle->inhibited = inhibited;
		wlr_idle_set_enabled(server->idle, server->seat->wlr_seat,
			!inhibited);
	}
	if (idle->recheck) {
		wl_event_source_timer_update(idle->recheck,
			wl_list_empty(&idle->inhibitors) ? 0 : RECHECK_MS);
	}
}

static int handle_recheck(void *data) {
	update_enabled(data);
	return 0;
}

static void handle_commit(struct wl_listener *listener, void *data) {
	struct pwl_inhibitor *inhibitor =
		wl_container_of(listener, inhibitor, commit);
	update_enabled(inhibitor->idle);
}

static void inhibitor_destroy(struct pwl_inhibitor *inhibitor) {
	wl_list_remove(&inhibitor->commit.link);
	wl_list_remove(&inhibitor->destroy.link);
	wl_list_remove(&inhibitor->link);
	free(inhibitor);
}

static void handle_inhibitor_destroy(struct wl_listener *listener,
		void *data) {
	struct pwl_inhibitor *inhibitor =
		wl_container_of(listener, inhibitor, destroy);
	struct pwl_idle *idle = inhibitor->idle;
	inhibitor_destroy(inhibitor);
	update_enabled(idle);
}

static void handle_new_inhibitor(struct wl_listener *listener, void *data) {
	struct pwl_idle *idle = wl_container_of(listener, idle, new_inhibitor);
	struct wlr_idle_inhibitor_v1 *wlr_inhibitor = data;
	struct pwl_inhibitor *inhibitor = calloc(1, sizeof(*inhibitor));
	if (!inhibitor) {
		wl_resource_post_no_memory(wlr_inhibitor->resource);
		return;
	}
	inhibitor->idle = idle;
	inhibitor->surface = wlr_inhibitor->surface;
	inhibitor->destroy.notify = handle_inhibitor_destroy;
	wl_signal_add(&wlr_inhibitor->events.destroy, &inhibitor->destroy);
	inhibitor->commit.notify = handle_commit;
	wl_signal_add(&wlr_inhibitor->surface->events.commit, &inhibitor->commit);
	wl_list_insert(&idle->inhibitors, &inhibitor->link);
	update_enabled(idle);
}

struct pwl_idle *idle_create(struct pwl_server *server) {
	struct pwl_idle *idle = calloc(1, sizeof(*idle));
	if (!idle) {
		return NULL;
	}
	idle->server = server;
	wl_list_init(&idle->inhibitors);
	idle->new_inhibitor.notify = handle_new_inhibitor;
	wl_signal_add(&server->idle_inhibit->events.new_inhibitor,
		&idle->new_inhibitor);
	idle->recheck = wl_event_loop_add_timer(server->loop, handle_recheck,
		idle);
	return idle;
}

void idle_destroy(struct pwl_idle *idle) {
	if (!idle) {
		return;
	}
	struct pwl_inhibitor *inhibitor, *tmp;
	wl_list_for_each_safe(inhibitor, tmp, &idle->inhibitors, link) {
		inhibitor_destroy(inhibitor);
	}
	wl_list_remove(&idle->new_inhibitor.link);
	if (idle->recheck) {
		wl_event_source_remove(idle->recheck);
	}
	free(idle);
}
