#define _POSIX_C_SOURCE 200809L // strdup
#include "clients/app_clipboard.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wayland-server-protocol.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "clients/clients.h"
#include "primary-selection-unstable-v1-protocol.h"

/* Two kinds of selection, the same rules: the clipboard (wl_data_device)
 * and the primary selection (zwp_primary_selection_device_v1). The wire
 * differs only in the events' names; each kind has its senders here. */
enum { KIND_CLIPBOARD, KIND_PRIMARY };

#define MAX_MIME_TYPES 64

struct private_source {
	struct wl_resource *resource;
	struct pwl_app *app;
	int kind;
	char *mimes[MAX_MIME_TYPES];
	int nmimes;
	uint32_t serial; // set when it becomes the app's selection
};

struct private_device {
	struct wl_resource *resource;
	struct pwl_app *app;
	int kind;
	struct wl_list link; // pwl_app.private_devices[kind]
};

struct private_offer {
	struct pwl_app *app;
	int kind;
	uint32_t serial; // of the selection it offers
};

static const struct wl_data_offer_interface data_offer_impl;
static const struct zwp_primary_selection_offer_v1_interface primary_offer_impl;

/* ---- offers: reading the app's own selection ---- */

static struct private_source *current_source(struct pwl_app *app, int kind) {
	return app->private_source[kind] ?
		wl_resource_get_user_data(app->private_source[kind]) : NULL;
}

static void offer_receive(struct private_offer *offer, const char *mime,
		int fd) {
	struct private_source *source = offer ?
		current_source(offer->app, offer->kind) : NULL;
	// Only the selection this offer was made for: a newer one is offered
	// anew.
	if (source && source->serial == offer->serial) {
		if (offer->kind == KIND_CLIPBOARD) {
			wl_data_source_send_send(source->resource, mime, fd);
		} else {
			zwp_primary_selection_source_v1_send_send(source->resource,
				mime, fd);
		}
	}
	close(fd);
}

static void offer_resource_destroy(struct wl_resource *resource) {
	free(wl_resource_get_user_data(resource));
}

static void destroy_resource(struct wl_client *client,
		struct wl_resource *resource) {
	wl_resource_destroy(resource);
}

static void data_offer_accept(struct wl_client *client,
		struct wl_resource *resource, uint32_t serial, const char *mime) {
}

static void data_offer_receive(struct wl_client *client,
		struct wl_resource *resource, const char *mime, int32_t fd) {
	offer_receive(wl_resource_get_user_data(resource), mime, fd);
}

static void data_offer_finish(struct wl_client *client,
		struct wl_resource *resource) {
}

static void data_offer_set_actions(struct wl_client *client,
		struct wl_resource *resource, uint32_t actions, uint32_t preferred) {
}

static const struct wl_data_offer_interface data_offer_impl = {
	.accept = data_offer_accept,
	.receive = data_offer_receive,
	.destroy = destroy_resource,
	.finish = data_offer_finish,
	.set_actions = data_offer_set_actions,
};

static void primary_offer_receive(struct wl_client *client,
		struct wl_resource *resource, const char *mime, int32_t fd) {
	offer_receive(wl_resource_get_user_data(resource), mime, fd);
}

static const struct zwp_primary_selection_offer_v1_interface
		primary_offer_impl = {
	.receive = primary_offer_receive,
	.destroy = destroy_resource,
};

/* Tells one device what the app's selection is now (NULL: none). */
static void device_send_selection(struct private_device *device) {
	struct private_source *source = current_source(device->app,
		device->kind);
	struct wl_client *client = wl_resource_get_client(device->resource);
	uint32_t version = wl_resource_get_version(device->resource);
	if (!source) {
		if (device->kind == KIND_CLIPBOARD) {
			wl_data_device_send_selection(device->resource, NULL);
		} else {
			zwp_primary_selection_device_v1_send_selection(device->resource,
				NULL);
		}
		return;
	}
	struct private_offer *offer = calloc(1, sizeof(*offer));
	if (!offer) {
		wl_client_post_no_memory(client);
		return;
	}
	offer->app = device->app;
	offer->kind = device->kind;
	offer->serial = source->serial;
	struct wl_resource *resource = wl_resource_create(client,
		device->kind == KIND_CLIPBOARD ? &wl_data_offer_interface :
		&zwp_primary_selection_offer_v1_interface, (int)version, 0);
	if (!resource) {
		free(offer);
		wl_client_post_no_memory(client);
		return;
	}
	if (device->kind == KIND_CLIPBOARD) {
		wl_resource_set_implementation(resource, &data_offer_impl, offer,
			offer_resource_destroy);
		wl_data_device_send_data_offer(device->resource, resource);
		for (int i = 0; i < source->nmimes; i++) {
			wl_data_offer_send_offer(resource, source->mimes[i]);
		}
		wl_data_device_send_selection(device->resource, resource);
	} else {
		wl_resource_set_implementation(resource, &primary_offer_impl, offer,
			offer_resource_destroy);
		zwp_primary_selection_device_v1_send_data_offer(device->resource,
			resource);
		for (int i = 0; i < source->nmimes; i++) {
			zwp_primary_selection_offer_v1_send_offer(resource,
				source->mimes[i]);
		}
		zwp_primary_selection_device_v1_send_selection(device->resource,
			resource);
	}
}

/* As wlroots does for the session's selection: only the client with
 * keyboard focus is told (clients such as wl-paste expect a selection
 * only once they have focus, and crash otherwise). */
static bool device_focused(struct private_device *device) {
	return device->app->layer->keyboard_focus ==
		wl_resource_get_client(device->resource);
}

static void app_selection_changed(struct pwl_app *app, int kind) {
	struct private_device *device;
	wl_list_for_each(device, &app->private_devices[kind], link) {
		if (device_focused(device)) {
			device_send_selection(device);
		}
	}
}

/* ---- sources ---- */

static void source_offer(struct wl_client *client,
		struct wl_resource *resource, const char *mime) {
	struct private_source *source = wl_resource_get_user_data(resource);
	if (source->serial || source->nmimes == MAX_MIME_TYPES) {
		return; // already the selection (the protocol's order), or full
	}
	char *copy = strdup(mime);
	if (!copy) {
		wl_client_post_no_memory(client);
		return;
	}
	source->mimes[source->nmimes++] = copy;
}

static void source_set_actions(struct wl_client *client,
		struct wl_resource *resource, uint32_t actions) {
}

static const struct wl_data_source_interface data_source_impl = {
	.offer = source_offer,
	.destroy = destroy_resource,
	.set_actions = source_set_actions,
};

static const struct zwp_primary_selection_source_v1_interface
		primary_source_impl = {
	.offer = source_offer,
	.destroy = destroy_resource,
};

static void source_resource_destroy(struct wl_resource *resource) {
	struct private_source *source = wl_resource_get_user_data(resource);
	bool was_selection = source->app->private_source[source->kind] ==
		resource;
	if (was_selection) {
		source->app->private_source[source->kind] = NULL;
		app_selection_changed(source->app, source->kind);
	}
	for (int i = 0; i < source->nmimes; i++) {
		free(source->mimes[i]);
	}
	free(source);
}

/* A resource of the kind's own interface (clipboard or primary), at the
 * manager's version, with its implementation; NULL when out of memory. */
static struct wl_resource *create_kind_resource(struct wl_client *client,
		struct wl_resource *manager, uint32_t id, int kind,
		const struct wl_interface *const interfaces[2],
		const void *const impls[2], void *data,
		wl_resource_destroy_func_t destroy) {
	struct wl_resource *resource = wl_resource_create(client,
		interfaces[kind], wl_resource_get_version(manager), id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return NULL;
	}
	wl_resource_set_implementation(resource, impls[kind], data, destroy);
	return resource;
}

static void create_source(struct wl_client *client,
		struct wl_resource *manager, uint32_t id, int kind) {
	static const struct wl_interface *const interfaces[2] = {
		&wl_data_source_interface, &zwp_primary_selection_source_v1_interface,
	};
	static const void *const impls[2] = {
		&data_source_impl, &primary_source_impl,
	};
	struct private_source *source = calloc(1, sizeof(*source));
	if (!source) {
		wl_client_post_no_memory(client);
		return;
	}
	source->app = wl_resource_get_user_data(manager);
	source->kind = kind;
	source->resource = create_kind_resource(client, manager, id, kind,
		interfaces, impls, source, source_resource_destroy);
	if (!source->resource) {
		free(source);
	}
}

/* ---- devices ---- */

static void set_selection(struct private_device *device,
		struct wl_resource *source_resource) {
	struct pwl_app *app = device->app;
	struct wl_resource *old = app->private_source[device->kind];
	if (old == source_resource) {
		return;
	}
	struct private_source *source = source_resource ?
		wl_resource_get_user_data(source_resource) : NULL;
	if (source && (source->app != app || source->kind != device->kind)) {
		return; // not one of ours (cannot happen: one manager per kind)
	}
	app->private_source[device->kind] = source_resource;
	if (source) {
		source->serial = ++app->private_serial;
	}
	if (old) {
		if (device->kind == KIND_CLIPBOARD) {
			wl_data_source_send_cancelled(old);
		} else {
			zwp_primary_selection_source_v1_send_cancelled(old);
		}
	}
	app_selection_changed(app, device->kind);
}

static void data_device_start_drag(struct wl_client *client,
		struct wl_resource *resource, struct wl_resource *source,
		struct wl_resource *origin, struct wl_resource *icon,
		uint32_t serial) {
	// No drags for an app without the clipboard permission.
	if (source) {
		wl_data_source_send_cancelled(source);
	}
}

static void data_device_set_selection(struct wl_client *client,
		struct wl_resource *resource, struct wl_resource *source,
		uint32_t serial) {
	set_selection(wl_resource_get_user_data(resource), source);
}

static const struct wl_data_device_interface data_device_impl = {
	.start_drag = data_device_start_drag,
	.set_selection = data_device_set_selection,
	.release = destroy_resource,
};

static void primary_device_set_selection(struct wl_client *client,
		struct wl_resource *resource, struct wl_resource *source,
		uint32_t serial) {
	set_selection(wl_resource_get_user_data(resource), source);
}

static const struct zwp_primary_selection_device_v1_interface
		primary_device_impl = {
	.set_selection = primary_device_set_selection,
	.destroy = destroy_resource,
};

static void device_resource_destroy(struct wl_resource *resource) {
	struct private_device *device = wl_resource_get_user_data(resource);
	wl_list_remove(&device->link);
	free(device);
}

static void get_device(struct wl_client *client, struct wl_resource *manager,
		uint32_t id, int kind) {
	static const struct wl_interface *const interfaces[2] = {
		&wl_data_device_interface, &zwp_primary_selection_device_v1_interface,
	};
	static const void *const impls[2] = {
		&data_device_impl, &primary_device_impl,
	};
	struct pwl_app *app = wl_resource_get_user_data(manager);
	struct private_device *device = calloc(1, sizeof(*device));
	if (!device) {
		wl_client_post_no_memory(client);
		return;
	}
	device->app = app;
	device->kind = kind;
	device->resource = create_kind_resource(client, manager, id, kind,
		interfaces, impls, device, device_resource_destroy);
	if (!device->resource) {
		free(device);
		return;
	}
	wl_list_insert(&app->private_devices[kind], &device->link);
	if (device_focused(device)) {
		device_send_selection(device);
	}
}

/* ---- managers ---- */

static void data_manager_create_source(struct wl_client *client,
		struct wl_resource *resource, uint32_t id) {
	create_source(client, resource, id, KIND_CLIPBOARD);
}

static void data_manager_get_device(struct wl_client *client,
		struct wl_resource *resource, uint32_t id, struct wl_resource *seat) {
	get_device(client, resource, id, KIND_CLIPBOARD);
}

static const struct wl_data_device_manager_interface data_manager_impl = {
	.create_data_source = data_manager_create_source,
	.get_data_device = data_manager_get_device,
};

static void primary_manager_create_source(struct wl_client *client,
		struct wl_resource *resource, uint32_t id) {
	create_source(client, resource, id, KIND_PRIMARY);
}

static void primary_manager_get_device(struct wl_client *client,
		struct wl_resource *resource, uint32_t id, struct wl_resource *seat) {
	get_device(client, resource, id, KIND_PRIMARY);
}

static const struct zwp_primary_selection_device_manager_v1_interface
		primary_manager_impl = {
	.create_source = primary_manager_create_source,
	.get_device = primary_manager_get_device,
	.destroy = destroy_resource,
};

static void bind_manager(struct wl_client *client, void *data,
		uint32_t version, uint32_t id, int kind) {
	// Only app clients see these globals (the filter); the app is the
	// connection's, never anything the client says.
	struct pwl_app *app = app_from_client(client);
	struct wl_resource *resource = wl_resource_create(client,
		kind == KIND_CLIPBOARD ? &wl_data_device_manager_interface :
		&zwp_primary_selection_device_manager_v1_interface, (int)version, id);
	if (!resource) {
		wl_client_post_no_memory(client);
		return;
	}
	if (!app) {
		wl_resource_post_error(resource, 0, "not an app client");
		return;
	}
	wl_resource_set_implementation(resource, kind == KIND_CLIPBOARD ?
		(const void *)&data_manager_impl : (const void *)&primary_manager_impl,
		app, NULL);
}

static void bind_data_manager(struct wl_client *client, void *data,
		uint32_t version, uint32_t id) {
	bind_manager(client, data, version, id, KIND_CLIPBOARD);
}

static void bind_primary_manager(struct wl_client *client, void *data,
		uint32_t version, uint32_t id) {
	bind_manager(client, data, version, id, KIND_PRIMARY);
}

bool app_clipboard_init(struct pwl_clients *clients) {
	// The versions wlroots 0.15.1 offers for the same interfaces.
	clients->private_data_manager = wl_global_create(clients->display,
		&wl_data_device_manager_interface, 3, clients, bind_data_manager);
	clients->private_primary_manager = wl_global_create(clients->display,
		&zwp_primary_selection_device_manager_v1_interface, 1, clients,
		bind_primary_manager);
	return clients->private_data_manager && clients->private_primary_manager;
}

void app_clipboard_finish(struct pwl_clients *clients) {
	if (clients->private_data_manager) {
		wl_global_destroy(clients->private_data_manager);
		clients->private_data_manager = NULL;
	}
	if (clients->private_primary_manager) {
		wl_global_destroy(clients->private_primary_manager);
		clients->private_primary_manager = NULL;
	}
}

bool app_clipboard_owns(const struct pwl_clients *clients,
		const struct wl_global *global) {
	return global && (global == clients->private_data_manager ||
		global == clients->private_primary_manager);
}

void app_clipboard_focus(struct pwl_clients *clients,
		struct wl_client *client) {
	if (clients->keyboard_focus == client) {
		return;
	}
	clients->keyboard_focus = client;
	struct pwl_app *app = client ? app_from_client(client) : NULL;
	if (!app || (app->permissions & PWL_PERM_CLIPBOARD)) {
		return;
	}
	for (int kind = 0; kind < 2; kind++) {
		struct private_device *device;
		wl_list_for_each(device, &app->private_devices[kind], link) {
			if (wl_resource_get_client(device->resource) == client) {
				device_send_selection(device);
			}
		}
	}
}

void app_clipboard_app_gone(struct pwl_app *app) {
	// The app's clients (and so its sources and devices) are gone first;
	// anything left would point at a freed app.
	for (int kind = 0; kind < 2; kind++) {
		if (!wl_list_empty(&app->private_devices[kind]) ||
				app->private_source[kind]) {
			wlr_log(WLR_ERROR, "App %s: private selection left behind",
				app->instance);
		}
		app->private_source[kind] = NULL;
	}
}
