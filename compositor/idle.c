#include "idle.h"

#include <stdlib.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>

#include "seat.h"
#include "server.h"

struct pwl_idle {
	struct pwl_server *server;
	struct wl_list inhibitors; // pwl_inhibitor.link
	struct wl_listener new_inhibitor;
};

struct pwl_inhibitor {
	struct wl_list link; // pwl_idle.inhibitors
	struct pwl_idle *idle;
	struct wl_listener destroy;
};

static void update_enabled(struct pwl_idle *idle) {
	struct pwl_server *server = idle->server;
	wlr_idle_set_enabled(server->idle, server->seat->wlr_seat,
		wl_list_empty(&idle->inhibitors));
}

static void inhibitor_destroy(struct pwl_inhibitor *inhibitor) {
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
	inhibitor->destroy.notify = handle_inhibitor_destroy;
	wl_signal_add(&wlr_inhibitor->events.destroy, &inhibitor->destroy);
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
	free(idle);
}
