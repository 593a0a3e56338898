/* accept4() is a GNU extension: it hands out the connection already
 * close-on-exec, with no window in which a spawn could inherit it. */
#define _GNU_SOURCE
#include "clients/app.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_surface.h>
#include <wlr/util/log.h>

#include "clients/app_clipboard.h"
#include "clients/clients.h"
#include "util/clock.h"
#include "clients/global_policy.h"
#include "store_fs.h"
#include "util/config.h"
#include "util/spawn.h"

static void note_offered(struct pwl_app *app, const char *interface) {
	for (int i = 0; i < app->noffered; i++) {
		if (app->offered[i] == interface || !strcmp(app->offered[i],
				interface)) {
			return;
		}
	}
	if (app->noffered < (int)(sizeof(app->offered) / sizeof(app->offered[0]))) {
		app->offered[app->noffered++] = interface;
	}
}

/* What an app's clients see: the allow-list (global_policy.c); of the two
 * clipboard implementations, the session's with the clipboard permission
 * and the app's private one without (app_clipboard.c). Host clients see
 * everything but the private one. */
static bool global_filter(const struct wl_client *client,
		const struct wl_global *global, void *data) {
	struct pwl_clients *clients = data;
	struct pwl_app *app = app_from_client((struct wl_client *)client);
	bool private = app_clipboard_owns(clients, global);
	if (!app) {
		return !private;
	}
	const char *interface = wl_global_get_interface(global)->name;
	bool visible = global_is_selection(interface) ?
		private == !(app->permissions & PWL_PERM_CLIPBOARD) :
		app_global_allowed(app->permissions, interface);
	if (visible) {
		note_offered(app, interface);
	}
	return visible;
}

static void app_color_for_name(const char *name, float color[4]) {
	// FNV-1a: the same name gives the same colour on every machine.
	uint32_t hash = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		hash = (hash ^ *p) * 16777619u;
	}
	// Hue from the hash; saturation and value fixed so that every label
	// is vivid and reads against both dark and light content.
	float h = (hash % 360) / 60.0f, s = 0.75f, v = 0.85f;
	float c = v * s, x = c * (1 - fabsf(fmodf(h, 2) - 1)), m = v - c;
	float r = 0, g = 0, b = 0;
	switch ((int)h) {
	case 0: r = c; g = x; break;
	case 1: r = x; g = c; break;
	case 2: g = c; b = x; break;
	case 3: g = x; b = c; break;
	case 4: r = x; b = c; break;
	default: r = c; b = x; break;
	}
	color[0] = r + m;
	color[1] = g + m;
	color[2] = b + m;
	color[3] = 1.0f;
}

static void app_client_handle_destroy(struct wl_listener *listener,
		void *data) {
	struct pwl_app_client *ac = wl_container_of(listener, ac, destroy);
	object_limits_client_gone(ac);
	wl_list_remove(&ac->destroy.link);
	wl_list_remove(&ac->link);
	ac->app->nclients--;
	free(ac);
}

static struct pwl_app_client *app_client_from_client(struct wl_client *client) {
	if (!client) {
		return NULL;
	}
	struct wl_listener *listener =
		wl_client_get_destroy_listener(client, app_client_handle_destroy);
	if (!listener) {
		return NULL;
	}
	struct pwl_app_client *ac = wl_container_of(listener, ac, destroy);
	return ac;
}

struct pwl_app *app_from_client(struct wl_client *client) {
	struct pwl_app_client *ac = app_client_from_client(client);
	return ac ? ac->app : NULL;
}

static int handle_accept(int fd, uint32_t mask, void *data) {
	struct pwl_app *app = data;
	int client_fd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	if (client_fd < 0) {
		return 0;
	}
	struct pwl_config *config = app->layer->config;
	if (app->nclients >= config->app_max_clients) {
		wlr_log(WLR_ERROR, "App %s (%s): refusing a connection, it already "
			"has %d clients", app->name, app->instance, app->nclients);
		close(client_fd);
		return 0;
	}
	struct pwl_app_client *ac = calloc(1, sizeof(*ac));
	if (!ac) {
		close(client_fd);
		return 0;
	}
	// From here the client is the app's: the listener below is how we
	// recognise it, before it has sent a single request.
	struct wl_client *client = wl_client_create(app->layer->display,
		client_fd);
	if (!client) {
		free(ac);
		return 0;
	}
	ac->app = app;
	ac->client = client;
	ac->destroy.notify = app_client_handle_destroy;
	wl_client_add_destroy_listener(client, &ac->destroy);
	wl_list_insert(&app->clients, &ac->link);
	app->nclients++;
	object_limits_watch(ac);
	return 0;
}

static char *session_apps_dir(struct pwl_clients *clients) {
	const char *runtime = getenv("XDG_RUNTIME_DIR");
	if (!runtime || !clients->socket) {
		return NULL;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/pocketwl/%s", runtime, clients->socket);
	return strdup(path);
}

/* Removes a directory of ours without following any link in it: the
 * app had its socket in there, and a link planted where we did not look
 * must not turn a removal into someone else's files. */
static void remove_tree(const char *path) {
	char parent[4096];
	snprintf(parent, sizeof(parent), "%s", path);
	char *slash = strrchr(parent, '/');
	if (!slash || !slash[1]) {
		return;
	}
	*slash = '\0';
	int dir = open(parent[0] ? parent : "/", O_RDONLY | O_DIRECTORY |
		O_CLOEXEC);
	if (dir < 0) {
		return;
	}
	if (!store_fs_remove_tree(dir, slash + 1) && errno != ENOENT) {
		wlr_log(WLR_ERROR, "Cannot remove all of %s: %s", path,
			strerror(errno));
	}
	close(dir);
}

static bool make_dir(const char *path, mode_t mode) {
	if (mkdir(path, mode) == 0 || errno == EEXIST) {
		return true;
	}
	return false;
}

/* How long after a launch its first window may still take focus: a
 * container may take a while to start, but a window that comes a
 * minute later would surprise the user in whatever they do by then. */
#define FOCUS_GRANT_MS 60000

bool app_has_focus_grant(const struct pwl_app *app) {
	return app->focus_grant_until_ms &&
		monotonic_ms() <= app->focus_grant_until_ms;
}

bool app_take_focus_grant(struct pwl_app *app) {
	bool granted = app->focus_grant_until_ms &&
		monotonic_ms() <= app->focus_grant_until_ms;
	app->focus_grant_until_ms = 0;
	return granted;
}

struct pwl_app *app_create(struct pwl_clients *clients, const char *name,
		uint32_t permissions, uid_t uid, char *error, size_t error_len) {
	if (!name || !name[0] || strlen(name) > 64 || strchr(name, '/') ||
			name[0] == '.') {
		snprintf(error, error_len, "'%s' is not an app name (1-64 "
			"characters, no '/', not starting with '.')", name ? name : "");
		return NULL;
	}
	char *base = session_apps_dir(clients);
	if (!base) {
		snprintf(error, error_len, "XDG_RUNTIME_DIR is not set");
		return NULL;
	}
	struct pwl_app *app = calloc(1, sizeof(*app));
	if (!app) {
		free(base);
		snprintf(error, error_len, "out of memory");
		return NULL;
	}
	app->layer = clients;
	app->listen_fd = -1;
	app->focus_grant_until_ms = monotonic_ms() + FOCUS_GRANT_MS;
	app->permissions = permissions;
	wl_list_init(&app->clients);
	wl_list_init(&app->link);
	wl_list_init(&app->private_devices[0]);
	wl_list_init(&app->private_devices[1]);
	wl_signal_init(&app->events.destroy);
	app->name = strdup(name);
	app->label = strdup(name);
	char buf[4096];
	snprintf(buf, sizeof(buf), "%s-%u", name, ++clients->next_app_serial);
	// "id@key" names: the instance is also a container and a folder name.
	for (char *c = buf; *c; c++) {
		*c = *c == '@' ? '-' : *c;
	}
	app->instance = strdup(buf);
	snprintf(buf, sizeof(buf), "%s/%s", base, app->instance);
	app->dir = strdup(buf);
	snprintf(buf, sizeof(buf), "%s/wayland-0", app->dir);
	app->socket_path = strdup(buf);
	app_color_for_name(name, app->color);
	struct pwl_app_config *ac = config_find_app(clients->config, name);
	if (ac && ac->has_color) {
		memcpy(app->color, ac->color, sizeof(app->color));
	}

	// base is $XDG_RUNTIME_DIR/pocketwl/<display>; its parent first.
	char parent[4096];
	snprintf(parent, sizeof(parent), "%s", base);
	char *slash = strrchr(parent, '/');
	if (slash) {
		*slash = '\0';
	}
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (!app->name || !app->label || !app->instance || !app->dir ||
			!app->socket_path) {
		snprintf(error, error_len, "out of memory");
		goto error;
	}
	if (strlen(app->socket_path) >= sizeof(addr.sun_path)) {
		snprintf(error, error_len, "socket path too long: %s",
			app->socket_path);
		goto error;
	}
	// Only the owner may enter: the app's socket is not for others.
	if (!make_dir(parent, 0700) || !make_dir(base, 0700) ||
			mkdir(app->dir, 0700) < 0) {
		snprintf(error, error_len, "cannot create %s: %s", app->dir,
			strerror(errno));
		goto error;
	}
	memcpy(addr.sun_path, app->socket_path, strlen(app->socket_path) + 1);
	app->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC |
		SOCK_NONBLOCK, 0);
	if (app->listen_fd < 0 ||
			bind(app->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
			chmod(app->socket_path, 0600) < 0 ||
			listen(app->listen_fd, 16) < 0) {
		snprintf(error, error_len, "cannot listen on %s: %s",
			app->socket_path, strerror(errno));
		goto error;
	}
	// The container runs as `uid`: the directory and socket are its.
	if (uid != getuid() && (chown(app->dir, uid, (gid_t)-1) < 0 ||
			chown(app->socket_path, uid, (gid_t)-1) < 0)) {
		snprintf(error, error_len, "cannot give %s to uid %d: %s", app->dir,
			(int)uid, strerror(errno));
		goto error;
	}
	app->source = wl_event_loop_add_fd(clients->loop, app->listen_fd,
		WL_EVENT_READABLE, handle_accept, app);
	if (!app->source) {
		snprintf(error, error_len, "cannot watch %s", app->socket_path);
		goto error;
	}
	wl_list_insert(&clients->apps, &app->link);
	free(base);
	wlr_log(WLR_INFO, "App %s: instance %s listens on %s", app->name,
		app->instance, app->socket_path);
	return app;

error:
	free(base);
	app_destroy(app);
	return NULL;
}

void app_destroy(struct pwl_app *app) {
	if (!app) {
		return;
	}
	wl_signal_emit(&app->events.destroy, app);
	if (app->pid > 0) {
		spawn_unwatch(app->pid);
	}
	// Clients go first; their destroy listeners unlink them.
	struct pwl_app_client *ac, *tmp;
	wl_list_for_each_safe(ac, tmp, &app->clients, link) {
		wl_client_destroy(ac->client);
	}
	app_clipboard_app_gone(app);
	if (app->source) {
		wl_event_source_remove(app->source);
	}
	if (app->listen_fd >= 0) {
		close(app->listen_fd);
	}
	if (app->dir) {
		remove_tree(app->dir);
	}
	wl_list_remove(&app->link);
	if (app->instance) {
		wlr_log(WLR_INFO, "App %s: instance %s ended", app->name,
			app->instance);
	}
	free(app->name);
	free(app->label);
	free(app->instance);
	free(app->dir);
	free(app->socket_path);
	free(app);
}

void app_set_store(struct pwl_app *app, const char *store_name,
		const char *color_seed) {
	char text[400];
	snprintf(text, sizeof(text), "%s \xc2\xb7 %s", app->name, store_name);
	char *label = strdup(text);
	if (label) {
		free(app->label);
		app->label = label;
	}
	app_color_for_name(color_seed, app->color);
}

struct pwl_app *app_find(struct pwl_clients *clients, const char *instance) {
	struct pwl_app *app;
	wl_list_for_each(app, &clients->apps, link) {
		if (!strcmp(app->instance, instance)) {
			return app;
		}
	}
	return NULL;
}

static void handle_process_exit(void *data, pid_t pid, int status) {
	struct pwl_app *app = data;
	(void)status;
	if (app->pid == pid) {
		app->pid = 0;
		app_destroy(app);
	}
}

bool app_watch_process(struct pwl_app *app, pid_t pid) {
	app->pid = pid;
	return spawn_watch(pid, handle_process_exit, app);
}

/* Surfaces per app client are counted, so that one app cannot exhaust the
 * compositor's memory with them. */
struct counted_surface {
	struct wl_client *client;
	struct wl_listener destroy;
};

static void counted_surface_destroy(struct wl_listener *listener,
		void *data) {
	struct counted_surface *cs = wl_container_of(listener, cs, destroy);
	// The client may be going away: look it up again instead of keeping a
	// pointer that could dangle.
	struct pwl_app_client *ac = app_client_from_client(cs->client);
	if (ac) {
		ac->nsurfaces--;
	}
	wl_list_remove(&cs->destroy.link);
	free(cs);
}

static void handle_new_surface(struct wl_listener *listener, void *data) {
	struct pwl_clients *clients =
		wl_container_of(listener, clients, app_new_surface);
	struct wlr_surface *surface = data;
	struct wl_client *client = wl_resource_get_client(surface->resource);
	struct pwl_app_client *ac = app_client_from_client(client);
	if (!ac) {
		return;
	}
	if (ac->nsurfaces >= clients->config->app_max_surfaces) {
		wlr_log(WLR_ERROR, "App %s (%s): more than %d surfaces, "
			"disconnecting it", ac->app->name, ac->app->instance,
			clients->config->app_max_surfaces);
		wl_client_post_no_memory(client);
		return;
	}
	struct counted_surface *cs = calloc(1, sizeof(*cs));
	if (!cs) {
		wl_client_post_no_memory(client);
		return;
	}
	cs->client = client;
	cs->destroy.notify = counted_surface_destroy;
	wl_signal_add(&surface->events.destroy, &cs->destroy);
	ac->nsurfaces++;
}

/* wl_shm is libwayland's own: its requests are checked on their way in,
 * before they are handled. A pool over the limit is an error for that
 * client alone. */
static void protocol_logger(void *data, enum wl_protocol_logger_type type,
		const struct wl_protocol_logger_message *message) {
	if (type != WL_PROTOCOL_LOGGER_REQUEST) {
		return;
	}
	struct pwl_clients *clients = data;
	const char *iface = message->resource ?
		wl_resource_get_class(message->resource) : NULL;
	int32_t size;
	if (iface && !strcmp(iface, "wl_shm") &&
			!strcmp(message->message->name, "create_pool") &&
			message->arguments_count == 3) {
		size = message->arguments[2].i;
	} else if (iface && !strcmp(iface, "wl_shm_pool") &&
			!strcmp(message->message->name, "resize") &&
			message->arguments_count == 1) {
		size = message->arguments[0].i;
	} else {
		return;
	}
	struct wl_client *client = wl_resource_get_client(message->resource);
	struct pwl_app *app = app_from_client(client);
	if (app) {
		object_limits_shm_request(clients, message->resource,
			message->message->name, size);
	}
	if (!app || size <= clients->config->app_max_shm_mib * 1024 * 1024) {
		return;
	}
	wlr_log(WLR_ERROR, "App %s (%s): shm pool of %d bytes is over the "
		"%d MiB limit, disconnecting it", app->name, app->instance, size,
		clients->config->app_max_shm_mib);
	wl_client_post_no_memory(client);
}

bool apps_init(struct pwl_clients *clients) {
	wl_list_init(&clients->apps);
	char *base = session_apps_dir(clients);
	if (base) {
		// We hold this display's lock: whatever is here was left by a
		// session that crashed.
		remove_tree(base);
		free(base);
	}
	if (!app_clipboard_init(clients)) {
		return false;
	}
	wl_display_set_global_filter(clients->display, global_filter, clients);
	clients->app_new_surface.notify = handle_new_surface;
	wl_signal_add(&clients->compositor->events.new_surface,
		&clients->app_new_surface);
	clients->protocol_logger = wl_display_add_protocol_logger(clients->display,
		protocol_logger, clients);
	return clients->protocol_logger != NULL;
}

void apps_finish(struct pwl_clients *clients) {
	struct pwl_app *app, *tmp;
	wl_list_for_each_safe(app, tmp, &clients->apps, link) {
		app_destroy(app);
	}
	app_clipboard_finish(clients);
	wl_list_remove(&clients->app_new_surface.link);
	if (clients->protocol_logger) {
		wl_protocol_logger_destroy(clients->protocol_logger);
		clients->protocol_logger = NULL;
	}
	char *base = session_apps_dir(clients);
	if (base) {
		remove_tree(base);
		free(base);
	}
}
