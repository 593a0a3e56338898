#include "clients/object_limits.h"

#include <stdlib.h>
#include <string.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "clients/clients.h"

/* What a client may keep alive at once, and its app instance (all its
 * clients together). Ordinary clients stay far below: a toolkit window
 * holds a few pools and buffers, a region or two at a time. */
static const struct {
	const char *interfaces[3];
	const char *what;
	int per_client, per_app;
} limits[OBJ_KINDS] = {
	[OBJ_SHM_POOL] = { { "wl_shm_pool" }, "shm pools", 512, 2048 },
	[OBJ_REGION] = { { "wl_region" }, "regions", 4096, 16384 },
	[OBJ_POSITIONER] = { { "xdg_positioner" }, "positioners", 1024, 4096 },
	[OBJ_DATA_SOURCE] = { { "wl_data_source",
		"zwp_primary_selection_source_v1" }, "data sources", 256, 1024 },
	[OBJ_ACTIVATION_TOKEN] = { { "xdg_activation_token_v1" },
		"activation tokens", 256, 1024 },
	[OBJ_SUBSURFACE] = { { "wl_subsurface" }, "subsurfaces", 1024, 4096 },
	[OBJ_BUFFER] = { { "wl_buffer" }, "buffers", 4096, 16384 },
	[OBJ_CALLBACK] = { { "wl_callback" }, "callbacks", 16384, 65536 },
};
#define SHM_MIB_PER_APP 4096 // all its pools together

struct counted {
	struct wl_listener destroy;
	int kind;
	int64_t bytes; // shm pools
};

static int kind_of(const char *interface) {
	for (int k = 0; k < OBJ_KINDS; k++) {
		for (int i = 0; i < 3 && limits[k].interfaces[i]; i++) {
			if (!strcmp(interface, limits[k].interfaces[i])) {
				return k;
			}
		}
	}
	return -1;
}

static struct pwl_app_client *find_app_client(struct wl_client *client) {
	struct pwl_app *app = app_from_client(client);
	if (!app) {
		return NULL;
	}
	struct pwl_app_client *ac;
	wl_list_for_each(ac, &app->clients, link) {
		if (ac->client == client) {
			return ac;
		}
	}
	return NULL;
}

static void over(struct pwl_app_client *ac, const char *what, int limit,
		const char *whose) {
	wlr_log(WLR_ERROR, "App %s (%s): more than %d %s %s, disconnecting "
		"the client", ac->app->name, ac->app->instance, limit, what, whose);
	wl_client_post_no_memory(ac->client);
}

static void counted_destroy(struct wl_listener *listener, void *data) {
	struct counted *c = wl_container_of(listener, c, destroy);
	struct wl_resource *resource = data;
	// Gone with its client: object_limits_client_gone took it off.
	struct pwl_app_client *ac =
		find_app_client(wl_resource_get_client(resource));
	if (ac) {
		ac->objects.count[c->kind]--;
		ac->app->objects.count[c->kind]--;
		ac->objects.shm_bytes -= c->bytes;
		ac->app->objects.shm_bytes -= c->bytes;
	}
	wl_list_remove(&c->destroy.link);
	free(c);
}

static void check_bytes(struct pwl_app_client *ac) {
	if (ac->app->objects.shm_bytes > (int64_t)SHM_MIB_PER_APP << 20) {
		wlr_log(WLR_ERROR, "App %s (%s): shm pools of more than %d MiB in "
			"all, disconnecting the client", ac->app->name,
			ac->app->instance, SHM_MIB_PER_APP);
		wl_client_post_no_memory(ac->client);
	}
}

static void handle_resource_created(struct wl_listener *listener,
		void *data) {
	struct pwl_app_client *ac =
		wl_container_of(listener, ac, resource_created);
	struct wl_resource *resource = data;
	int kind = kind_of(wl_resource_get_class(resource));
	if (kind < 0) {
		return;
	}
	struct counted *c = calloc(1, sizeof(*c));
	if (!c) {
		wl_client_post_no_memory(ac->client);
		return;
	}
	c->kind = kind;
	c->destroy.notify = counted_destroy;
	wl_resource_add_destroy_listener(resource, &c->destroy);
	ac->objects.count[kind]++;
	ac->app->objects.count[kind]++;
	if (kind == OBJ_SHM_POOL) {
		c->bytes = ac->app->layer->pending_pool_bytes;
		ac->objects.shm_bytes += c->bytes;
		ac->app->objects.shm_bytes += c->bytes;
		check_bytes(ac);
	}
	if (ac->objects.count[kind] > limits[kind].per_client) {
		over(ac, limits[kind].what, limits[kind].per_client,
			"in one client");
	} else if (ac->app->objects.count[kind] > limits[kind].per_app) {
		over(ac, limits[kind].what, limits[kind].per_app,
			"in all its clients");
	}
}

void object_limits_watch(struct pwl_app_client *ac) {
	ac->resource_created.notify = handle_resource_created;
	wl_client_add_resource_created_listener(ac->client,
		&ac->resource_created);
}

void object_limits_client_gone(struct pwl_app_client *ac) {
	wl_list_remove(&ac->resource_created.link);
	for (int k = 0; k < OBJ_KINDS; k++) {
		ac->app->objects.count[k] -= ac->objects.count[k];
	}
	ac->app->objects.shm_bytes -= ac->objects.shm_bytes;
}

void object_limits_shm_request(struct pwl_clients *clients,
		struct wl_resource *resource, const char *request, int32_t size) {
	if (!strcmp(request, "create_pool")) {
		clients->pending_pool_bytes = size > 0 ? size : 0;
		return;
	}
	// resize: the pool's own counter
	struct wl_listener *listener =
		wl_resource_get_destroy_listener(resource, counted_destroy);
	struct pwl_app_client *ac =
		find_app_client(wl_resource_get_client(resource));
	if (!listener || !ac || size <= 0) {
		return;
	}
	struct counted *c = wl_container_of(listener, c, destroy);
	ac->objects.shm_bytes += size - c->bytes;
	ac->app->objects.shm_bytes += size - c->bytes;
	c->bytes = size;
	check_bytes(ac);
}
