#define _GNU_SOURCE // memfd_create
#include "guards.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-core.h>
#include <wlr/util/log.h>

#include "server.h"

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
		dup2(copy, fd);
		if (got + 1 < size) {
			args[2].u = (uint32_t)(got + 1);
		}
	}
	close(copy);
}

static void guard_request(void *data, enum wl_protocol_logger_type type,
		const struct wl_protocol_logger_message *message) {
	if (type != WL_PROTOCOL_LOGGER_REQUEST || !message->resource) {
		return;
	}
	const char *iface = wl_resource_get_class(message->resource);
	const char *name = message->message->name;
	if (!strcmp(iface, "zwp_virtual_keyboard_v1") &&
			!strcmp(name, "keymap") && message->arguments_count == 3) {
		// The arguments are the closure's own: fixing them here fixes
		// what the handler gets.
		guard_keymap((union wl_argument *)message->arguments);
	}
}

bool guards_init(struct pwl_server *server) {
	server->guard_logger = wl_display_add_protocol_logger(server->display,
		guard_request, server);
	return server->guard_logger != NULL;
}

void guards_finish(struct pwl_server *server) {
	if (server->guard_logger) {
		wl_protocol_logger_destroy(server->guard_logger);
		server->guard_logger = NULL;
	}
}
