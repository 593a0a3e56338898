#include "control/ipc.h"

#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "apps/containers.h"
#include "apps/launch.h"
#include "control/ipc_commands.h"
#include "desktop/server.h"

#define MAX_LINE (64 * 1024)
#define MAX_PENDING_OUT (4 * 1024 * 1024)

struct pwl_ipc {
	struct pwl_server *server;
	struct wl_listener launch_changed;
	struct wl_listener store_added;
	struct wl_listener store_removed;
	struct wl_listener engine_changed;
	int fd;
	struct wl_event_source *source;
	struct wl_list clients; // ipc_client.link
};

struct ipc_client {
	struct wl_list link; // pwl_ipc.clients
	struct pwl_ipc *ipc;
	int fd;
	struct wl_event_source *source;
	char in[MAX_LINE];
	size_t in_len;
	char *out;
	size_t out_len, out_cap;
	bool subscribed; // gets events (ipc_broadcast) besides replies
};

static struct json_object *ipc_handle_request(struct pwl_server *server,
		const char *line) {
	enum json_tokener_error err;
	struct json_object *request = json_tokener_parse_verbose(line, &err);
	if (!request) {
		return ipc_error("request is not JSON: %s",
			json_tokener_error_desc(err));
	}
	struct json_object *reply;
	struct json_object *command;
	if (!json_object_is_type(request, json_type_object)) {
		reply = ipc_error("request must be a JSON object");
	} else if (!json_object_object_get_ex(request, "command", &command) ||
			!json_object_is_type(command, json_type_string)) {
		reply = ipc_error("request has no \"command\" string");
	} else {
		reply = ipc_run_command(server, json_object_get_string(command),
			request);
	}
	json_object_put(request);
	return reply;
}

static void client_destroy(struct ipc_client *client) {
	wl_list_remove(&client->link);
	wl_event_source_remove(client->source);
	close(client->fd);
	free(client->out);
	free(client);
}

static bool flush_out(struct ipc_client *client) {
	while (client->out_len > 0) {
		ssize_t n = send(client->fd, client->out, client->out_len,
			MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				break;
			}
			if (errno == EINTR) {
				continue;
			}
			return false;
		}
		memmove(client->out, client->out + n, client->out_len - n);
		client->out_len -= n;
	}
	uint32_t mask = WL_EVENT_READABLE;
	if (client->out_len > 0) {
		mask |= WL_EVENT_WRITABLE;
	}
	wl_event_source_fd_update(client->source, mask);
	return true;
}

static bool queue_reply(struct ipc_client *client, struct json_object *reply) {
	size_t len;
	const char *text = json_object_to_json_string_length(reply,
		JSON_C_TO_STRING_PLAIN, &len);
	size_t need = client->out_len + len + 1;
	if (need > MAX_PENDING_OUT) {
		// A client that does not read its replies is dropped.
		return false;
	}
	if (need > client->out_cap) {
		size_t cap = client->out_cap ? client->out_cap : 4096;
		while (cap < need) {
			cap *= 2;
		}
		char *out = realloc(client->out, cap);
		if (!out) {
			return false;
		}
		client->out = out;
		client->out_cap = cap;
	}
	memcpy(client->out + client->out_len, text, len);
	client->out[client->out_len + len] = '\n';
	client->out_len = need;
	return true;
}

/* "subscribe" belongs to the connection, not to the server's commands. */
static bool is_subscribe(const char *line) {
	struct json_object *request = json_tokener_parse(line);
	struct json_object *command;
	bool yes = request && json_object_is_type(request, json_type_object) &&
		json_object_object_get_ex(request, "command", &command) &&
		json_object_is_type(command, json_type_string) &&
		!strcmp(json_object_get_string(command), "subscribe");
	json_object_put(request);
	return yes;
}

static void ipc_broadcast(struct pwl_ipc *ipc, struct json_object *event) {
	if (!ipc) {
		return;
	}
	struct ipc_client *client, *tmp;
	wl_list_for_each_safe(client, tmp, &ipc->clients, link) {
		if (client->subscribed && (!queue_reply(client, event) ||
				!flush_out(client))) {
			client_destroy(client);
		}
	}
}

/* Handles every complete line in the input buffer. */
static bool process_input(struct ipc_client *client) {
	size_t start = 0;
	for (size_t i = 0; i < client->in_len; i++) {
		if (client->in[i] != '\n') {
			continue;
		}
		client->in[i] = '\0';
		const char *line = client->in + start;
		start = i + 1;
		if (line[0] == '\0') {
			continue;
		}
		struct json_object *reply;
		if (is_subscribe(line)) {
			client->subscribed = true;
			reply = json_object_new_object();
			json_object_object_add(reply, "ok", json_object_new_boolean(true));
		} else {
			reply = ipc_handle_request(client->ipc->server, line);
		}
		bool ok = queue_reply(client, reply);
		json_object_put(reply);
		if (!ok) {
			return false;
		}
	}
	memmove(client->in, client->in + start, client->in_len - start);
	client->in_len -= start;
	if (client->in_len == sizeof(client->in)) {
		struct json_object *reply = ipc_error("request longer than %d bytes",
			MAX_LINE);
		queue_reply(client, reply);
		json_object_put(reply);
		flush_out(client);
		return false;
	}
	return true;
}

static int handle_client_event(int fd, uint32_t mask, void *data) {
	struct ipc_client *client = data;
	if (mask & (WL_EVENT_ERROR | WL_EVENT_HANGUP)) {
		client_destroy(client);
		return 0;
	}
	if (mask & WL_EVENT_READABLE) {
		ssize_t n = recv(fd, client->in + client->in_len,
			sizeof(client->in) - client->in_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			client_destroy(client);
			return 0;
		}
		if (n > 0) {
			client->in_len += n;
			if (!process_input(client)) {
				client_destroy(client);
				return 0;
			}
		}
	}
	if (!flush_out(client)) {
		client_destroy(client);
	}
	return 0;
}

static int handle_accept(int fd, uint32_t mask, void *data) {
	struct pwl_ipc *ipc = data;
	int client_fd = accept(fd, NULL, NULL);
	if (client_fd < 0) {
		return 0;
	}
	if (fcntl(client_fd, F_SETFD, FD_CLOEXEC) < 0 ||
			fcntl(client_fd, F_SETFL, O_NONBLOCK) < 0) {
		close(client_fd);
		return 0;
	}
	struct ipc_client *client = calloc(1, sizeof(*client));
	if (!client) {
		close(client_fd);
		return 0;
	}
	client->ipc = ipc;
	client->fd = client_fd;
	client->source = wl_event_loop_add_fd(ipc->server->loop, client_fd,
		WL_EVENT_READABLE, handle_client_event, client);
	if (!client->source) {
		close(client_fd);
		free(client);
		return 0;
	}
	wl_list_insert(&ipc->clients, &client->link);
	return 0;
}

static char *socket_path(struct pwl_server *server) {
	const char *dir = getenv("XDG_RUNTIME_DIR");
	if (!dir) {
		return NULL;
	}
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	int n = snprintf(path, sizeof(path), "%s/pocketwl.%s.sock", dir,
		server->socket);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		return NULL;
	}
	return strdup(path);
}

/* ---- events, built from what the layers below say ---- */

static void handle_launch_changed(struct wl_listener *listener, void *data) {
	struct pwl_ipc *ipc = wl_container_of(listener, ipc, launch_changed);
	struct json_object *event = launch_json(data);
	json_object_object_add(event, "event", json_object_new_string("app"));
	ipc_broadcast(ipc, event);
	json_object_put(event);
}

static void store_event(struct pwl_ipc *ipc, const char *name,
		const char *path) {
	struct json_object *obj = json_object_new_object();
	json_object_object_add(obj, "event", json_object_new_string(name));
	json_object_object_add(obj, "path", json_object_new_string(path));
	ipc_broadcast(ipc, obj);
	json_object_put(obj);
}

static void handle_store_added(struct wl_listener *listener, void *data) {
	struct pwl_ipc *ipc = wl_container_of(listener, ipc, store_added);
	store_event(ipc, "store-added", data);
}

static void handle_store_removed(struct wl_listener *listener, void *data) {
	struct pwl_ipc *ipc = wl_container_of(listener, ipc, store_removed);
	store_event(ipc, "store-removed", data);
}

static void handle_engine_changed(struct wl_listener *listener, void *data) {
	struct pwl_ipc *ipc = wl_container_of(listener, ipc, engine_changed);
	(void)data;
	if (!ipc->server->containers) {
		return;
	}
	struct json_object *event = containers_json(ipc->server->containers);
	json_object_object_add(event, "event", json_object_new_string("engine"));
	ipc_broadcast(ipc, event);
	json_object_put(event);
}

struct pwl_ipc *ipc_create(struct pwl_server *server) {
	char *path = socket_path(server);
	if (!path) {
		wlr_log(WLR_ERROR, "IPC: XDG_RUNTIME_DIR unset or too long");
		return NULL;
	}
	struct pwl_ipc *ipc = calloc(1, sizeof(*ipc));
	if (!ipc) {
		free(path);
		return NULL;
	}
	ipc->server = server;
	wl_list_init(&ipc->clients);
	ipc->launch_changed.notify = handle_launch_changed;
	wl_signal_add(&server->events.launch_changed, &ipc->launch_changed);
	ipc->store_added.notify = handle_store_added;
	wl_signal_add(&server->events.store_added, &ipc->store_added);
	ipc->store_removed.notify = handle_store_removed;
	wl_signal_add(&server->events.store_removed, &ipc->store_removed);
	ipc->engine_changed.notify = handle_engine_changed;
	wl_signal_add(&server->events.engine_changed, &ipc->engine_changed);
	ipc->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
	// A socket left by a crashed session with the same display name.
	unlink(path);
	if (ipc->fd < 0 ||
			bind(ipc->fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
			chmod(path, 0600) < 0 || listen(ipc->fd, 16) < 0) {
		wlr_log_errno(WLR_ERROR, "IPC: cannot listen on %s", path);
		goto error;
	}
	ipc->source = wl_event_loop_add_fd(server->loop, ipc->fd,
		WL_EVENT_READABLE, handle_accept, ipc);
	if (!ipc->source) {
		goto error;
	}
	server->ipc_path = path;
	setenv("POCKETWL_SOCK", path, true);
	return ipc;

error:
	wl_list_remove(&ipc->launch_changed.link);
	wl_list_remove(&ipc->store_added.link);
	wl_list_remove(&ipc->store_removed.link);
	wl_list_remove(&ipc->engine_changed.link);
	if (ipc->fd >= 0) {
		close(ipc->fd);
		unlink(path);
	}
	free(path);
	free(ipc);
	return NULL;
}

void ipc_destroy(struct pwl_ipc *ipc) {
	if (!ipc) {
		return;
	}
	wl_list_remove(&ipc->launch_changed.link);
	wl_list_remove(&ipc->store_added.link);
	wl_list_remove(&ipc->store_removed.link);
	wl_list_remove(&ipc->engine_changed.link);
	struct ipc_client *client, *tmp;
	wl_list_for_each_safe(client, tmp, &ipc->clients, link) {
		client_destroy(client);
	}
	wl_event_source_remove(ipc->source);
	close(ipc->fd);
	struct pwl_server *server = ipc->server;
	if (server->ipc_path) {
		unlink(server->ipc_path);
		free(server->ipc_path);
		server->ipc_path = NULL;
	}
	free(ipc);
}
