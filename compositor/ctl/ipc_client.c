#include "ipc_client.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"

/* Outside the session (a console, ssh): the one session of this user. */
static char *find_single_socket(const char *dir, const char **error) {
	DIR *d = opendir(dir);
	if (!d) {
		*error = "XDG_RUNTIME_DIR cannot be read";
		return NULL;
	}
	char found[4096] = "";
	int count = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (!strncmp(e->d_name, "pocketwl.", 9) && len > 14 &&
				!strcmp(e->d_name + len - 5, ".sock")) {
			snprintf(found, sizeof(found), "%s/%s", dir, e->d_name);
			count++;
		}
	}
	closedir(d);
	if (count != 1) {
		*error = count == 0 ? "no pocketwl session found in XDG_RUNTIME_DIR" :
			"several pocketwl sessions run: set WAYLAND_DISPLAY or "
			"POCKETWL_SOCK to choose one";
		return NULL;
	}
	return strdup(found);
}

char *ipc_client_socket_path(const char **error) {
	const char *sock = getenv("POCKETWL_SOCK");
	if (sock && sock[0]) {
		return strdup(sock);
	}
	const char *dir = getenv("XDG_RUNTIME_DIR");
	const char *display = getenv("WAYLAND_DISPLAY");
	if (dir && !display) {
		return find_single_socket(dir, error);
	}
	if (!dir || !display) {
		*error = "POCKETWL_SOCK is not set, and XDG_RUNTIME_DIR and "
			"WAYLAND_DISPLAY do not point to a pocketwl session";
		return NULL;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/pocketwl.%s.sock", dir, display);
	return strdup(path);
}

/* Titles, app ids and names come from clients and stores: whatever we
 * print of them carries no control characters (escape sequences). */
static void strip_controls(struct json_object *obj) {
	if (json_object_is_type(obj, json_type_string)) {
		char *copy = strdup(json_object_get_string(obj));
		if (copy && utf8_strip_controls(copy)) {
			json_object_set_string(obj, copy);
		}
		free(copy);
	} else if (json_object_is_type(obj, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(obj); i++) {
			strip_controls(json_object_array_get_idx(obj, i));
		}
	} else if (json_object_is_type(obj, json_type_object)) {
		json_object_object_foreach(obj, key, value) {
			(void)key;
			strip_controls(value);
		}
	}
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int connect_to(const char *path, char *err, size_t err_len) {
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof(addr.sun_path)) {
		snprintf(err, err_len, "socket path too long: %s", path);
		return -1;
	}
	memcpy(addr.sun_path, path, strlen(path) + 1);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		snprintf(err, err_len, "cannot connect to %s: %s", path,
			strerror(errno));
		if (fd >= 0) {
			close(fd);
		}
		return -1;
	}
	return fd;
}

static bool send_all(int fd, const char *buf, size_t len) {
	while (len > 0) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return false;
		}
		buf += n;
		len -= n;
	}
	return true;
}

struct json_object *ipc_client_request(const char *path,
		struct json_object *request, int timeout_ms, char *err,
		size_t err_len) {
	int fd = connect_to(path, err, err_len);
	if (fd < 0) {
		return NULL;
	}
	size_t len;
	const char *text = json_object_to_json_string_length(request,
		JSON_C_TO_STRING_PLAIN, &len);
	if (!send_all(fd, text, len) || !send_all(fd, "\n", 1)) {
		snprintf(err, err_len, "cannot send to %s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}

	size_t cap = 65536, used = 0;
	char *buf = malloc(cap);
	long deadline = now_ms() + timeout_ms;
	struct json_object *reply = NULL;
	while (buf) {
		long left = deadline - now_ms();
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			snprintf(err, err_len, "no reply from %s within %d ms", path,
				timeout_ms);
			break;
		}
		if (used + 1 >= cap) {
			char *bigger = cap < (64 << 20) ? realloc(buf, cap * 2) : NULL;
			if (!bigger) {
				snprintf(err, err_len, "reply too large");
				break;
			}
			buf = bigger;
			cap *= 2;
		}
		ssize_t n = recv(fd, buf + used, cap - used - 1, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			snprintf(err, err_len, "connection closed before a reply");
			break;
		}
		used += n;
		char *nl = memchr(buf, '\n', used);
		if (!nl) {
			continue;
		}
		*nl = '\0';
		enum json_tokener_error jerr;
		reply = json_tokener_parse_verbose(buf, &jerr);
		strip_controls(reply);
		if (!reply) {
			snprintf(err, err_len, "malformed reply: %s",
				json_tokener_error_desc(jerr));
		}
		break;
	}
	free(buf);
	close(fd);
	return reply;
}

struct ipc_connection {
	int fd;
	char *buf;
	size_t used, cap;
};

struct ipc_connection *ipc_connection_open(const char *path, char *err,
		size_t err_len) {
	struct ipc_connection *conn = calloc(1, sizeof(*conn));
	if (!conn) {
		snprintf(err, err_len, "out of memory");
		return NULL;
	}
	conn->fd = connect_to(path, err, err_len);
	if (conn->fd < 0) {
		free(conn);
		return NULL;
	}
	return conn;
}

void ipc_connection_close(struct ipc_connection *conn) {
	if (conn) {
		close(conn->fd);
		free(conn->buf);
		free(conn);
	}
}

bool ipc_connection_send(struct ipc_connection *conn,
		struct json_object *request) {
	size_t len;
	const char *text = json_object_to_json_string_length(request,
		JSON_C_TO_STRING_PLAIN, &len);
	return send_all(conn->fd, text, len) && send_all(conn->fd, "\n", 1);
}

static struct json_object *take_line(struct ipc_connection *conn, char *err,
		size_t err_len, bool *have) {
	char *nl = conn->buf ? memchr(conn->buf, '\n', conn->used) : NULL;
	*have = nl != NULL;
	if (!nl) {
		return NULL;
	}
	*nl = '\0';
	enum json_tokener_error jerr;
	struct json_object *obj = json_tokener_parse_verbose(conn->buf, &jerr);
	strip_controls(obj);
	if (!obj) {
		snprintf(err, err_len, "malformed message: %s",
			json_tokener_error_desc(jerr));
	}
	size_t rest = conn->used - (size_t)(nl + 1 - conn->buf);
	memmove(conn->buf, nl + 1, rest);
	conn->used = rest;
	return obj;
}

struct json_object *ipc_connection_next(struct ipc_connection *conn,
		int timeout_ms, char *err, size_t err_len) {
	long deadline = now_ms() + timeout_ms;
	for (;;) {
		bool have;
		struct json_object *obj = take_line(conn, err, err_len, &have);
		if (have) {
			return obj;
		}
		long left = deadline - now_ms();
		struct pollfd pfd = { .fd = conn->fd, .events = POLLIN };
		if (left <= 0 || poll(&pfd, 1, (int)left) == 0) {
			snprintf(err, err_len, "nothing from the session within %d ms",
				timeout_ms);
			return NULL;
		}
		if (conn->used + 4096 > conn->cap) {
			size_t cap = conn->cap ? conn->cap * 2 : 65536;
			char *bigger = cap <= (64u << 20) ? realloc(conn->buf, cap) : NULL;
			if (!bigger) {
				snprintf(err, err_len, "message too large");
				return NULL;
			}
			conn->buf = bigger;
			conn->cap = cap;
		}
		ssize_t n = recv(conn->fd, conn->buf + conn->used,
			conn->cap - conn->used, 0);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			snprintf(err, err_len, "the session closed the connection");
			return NULL;
		}
		conn->used += n;
	}
}

const char *json_str(struct json_object *obj, const char *key) {
	struct json_object *value;
	if (obj && json_object_object_get_ex(obj, key, &value) &&
			json_object_is_type(value, json_type_string)) {
		return json_object_get_string(value);
	}
	return NULL;
}

int64_t json_num(struct json_object *obj, const char *key) {
	struct json_object *value;
	if (obj && json_object_object_get_ex(obj, key, &value)) {
		return json_object_get_int64(value);
	}
	return 0;
}

bool json_flag(struct json_object *obj, const char *key) {
	struct json_object *value;
	return obj && json_object_object_get_ex(obj, key, &value) &&
		json_object_get_boolean(value);
}
