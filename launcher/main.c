#include <errno.h>
#include <ini.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <xkbcommon/xkbcommon.h>

#include "panel.h"
#include "pocket-shell-unstable-v1-client-protocol.h"
#include "wlr-foreign-toplevel-management-unstable-v1-client-protocol.h"
#include "wlr-layer-shell-unstable-v1-client-protocol.h"

static const struct panel_theme dark = {
	.bg = 0xf01c1f26, .fg = 0xffe6e6e6, .dim = 0xff9aa0aa,
	.accent = 0xff3a7bd5, .button = 0xff2b303b, .hover = 0xff3b4252,
	.error = 0xffe06c75, .ok = 0xff50c878,
};
static const struct panel_theme light = {
	.bg = 0xf0f2f2f2, .fg = 0xff202020, .dim = 0xff606060,
	.accent = 0xff2a6acb, .button = 0xffdcdcdc, .hover = 0xffc8d4e8,
	.error = 0xffc0392b, .ok = 0xff2e9e50,
};

static void registry_global(void *data, struct wl_registry *registry,
		uint32_t name, const char *interface, uint32_t version) {
	struct panel *panel = data;
	if (!strcmp(interface, wl_compositor_interface.name)) {
		panel->compositor = wl_registry_bind(registry, name,
			&wl_compositor_interface, 4);
	} else if (!strcmp(interface, wl_shm_interface.name)) {
		panel->shm = wl_registry_bind(registry, name, &wl_shm_interface, 1);
	} else if (!strcmp(interface, wl_seat_interface.name) && !panel->seat) {
		panel->seat = wl_registry_bind(registry, name, &wl_seat_interface, 5);
		wl_seat_add_listener(panel->seat, &seat_listener, panel);
	} else if (!strcmp(interface, wl_output_interface.name)) {
		struct wl_output *output = wl_registry_bind(registry, name,
			&wl_output_interface, 2);
		panel_output_create(panel, output, name);
	} else if (!strcmp(interface, zwlr_layer_shell_v1_interface.name)) {
		panel->layer_shell = wl_registry_bind(registry, name,
			&zwlr_layer_shell_v1_interface, 1);
	} else if (!strcmp(interface, zpocket_shell_v1_interface.name)) {
		panel->pocket_shell = wl_registry_bind(registry, name,
			&zpocket_shell_v1_interface, version < 2 ? version : 2);
		zpocket_shell_v1_add_listener(panel->pocket_shell,
			&pocket_shell_listener, panel);
	} else if (!strcmp(interface,
			zwlr_foreign_toplevel_manager_v1_interface.name)) {
		panel->toplevel_manager = wl_registry_bind(registry, name,
			&zwlr_foreign_toplevel_manager_v1_interface, 2);
		zwlr_foreign_toplevel_manager_v1_add_listener(panel->toplevel_manager,
			&toplevel_manager_listener, panel);
	}
}

static void registry_global_remove(void *data, struct wl_registry *registry,
		uint32_t name) {
	struct panel *panel = data;
	struct panel_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &panel->outputs, link) {
		if (output->name == name) {
			panel_output_destroy(output);
		}
	}
}

static const struct wl_registry_listener registry_listener = {
	.global = registry_global,
	.global_remove = registry_global_remove,
};

/* ~/.config/pocketwl/panel.ini: [panel] position = bottom|top,
 * theme = dark|light. A bad line is named and skipped. */
static int config_entry(void *data, const char *section, const char *key,
		const char *value) {
	struct panel *panel = data;
	if (strcmp(section, "panel")) {
		fprintf(stderr, "pocket-panel: panel.ini: unknown section [%s]\n",
			section);
	} else if (!strcmp(key, "position") && (!strcmp(value, "top") ||
			!strcmp(value, "bottom"))) {
		panel->top = !strcmp(value, "top");
	} else if (!strcmp(key, "theme") && (!strcmp(value, "dark") ||
			!strcmp(value, "light"))) {
		panel->theme = !strcmp(value, "light") ? light : dark;
	} else {
		fprintf(stderr, "pocket-panel: panel.ini: [panel] %s = %s: expected "
			"position = top|bottom or theme = dark|light\n", key, value);
	}
	return 1;
}

static void load_config(struct panel *panel, const char *path) {
	char buf[4096];
	if (!path) {
		const char *xdg = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		if (xdg && xdg[0]) {
			snprintf(buf, sizeof(buf), "%s/pocketwl/panel.ini", xdg);
		} else if (home) {
			snprintf(buf, sizeof(buf), "%s/.config/pocketwl/panel.ini", home);
		} else {
			return;
		}
		path = buf;
	}
	FILE *f = fopen(path, "r");
	if (f) {
		int line = ini_parse_file(f, config_entry, panel);
		if (line > 0) {
			fprintf(stderr, "pocket-panel: %s:%d: syntax error\n", path, line);
		}
		fclose(f);
	}
}

static void arm_clock(int fd) {
	// Wake up at the next minute: the clock shows HH:MM.
	time_t now = time(NULL);
	struct itimerspec its = { .it_value = { .tv_sec = 60 - now % 60 } };
	timerfd_settime(fd, 0, &its, NULL);
}

int main(int argc, char *argv[]) {
	static struct panel panel; // large; zeroed
	panel.theme = dark;
	const char *config = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--config") && i + 1 < argc) {
			config = argv[++i];
		} else if (!strcmp(argv[i], "--light")) {
			panel.theme = light;
		} else if (!strcmp(argv[i], "--top")) {
			panel.top = true;
		} else {
			fprintf(stderr, "usage: pocket-panel [--config FILE] [--light] "
				"[--top]\n");
			return 2;
		}
	}
	load_config(&panel, config);
	panel.debug = getenv("POCKET_PANEL_DEBUG") != NULL;
	wl_list_init(&panel.outputs);
	panel.selected = 0;
	panel.running = true;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	panel.display = wl_display_connect(NULL);
	if (!panel.display) {
		fprintf(stderr, "pocket-panel: cannot connect to the Wayland "
			"display\n");
		return 1;
	}
	panel.xkb_context = xkb_context_new(XKB_CONTEXT_NO_FLAGS);
	panel.registry = wl_display_get_registry(panel.display);
	wl_registry_add_listener(panel.registry, &registry_listener, &panel);
	wl_display_roundtrip(panel.display);
	if (!panel.compositor || !panel.shm || !panel.layer_shell) {
		fprintf(stderr, "pocket-panel: the compositor lacks wl_shm or "
			"layer-shell (is this a host client of pocketwl?)\n");
		return 1;
	}
	if (!panel.pocket_shell) {
		fprintf(stderr, "pocket-panel: no zpocket_shell_v1: apps cannot be "
			"listed (not pocketwl, or an app socket)\n");
	}
	wl_display_roundtrip(panel.display);
	panel_ensure_bars(&panel);

	int clock_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	arm_clock(clock_fd);
	struct pollfd fds[2] = {
		{ .fd = wl_display_get_fd(panel.display), .events = POLLIN },
		{ .fd = clock_fd, .events = POLLIN },
	};
	while (panel.running) {
		if (panel.dirty) {
			panel_redraw(&panel);
		}
		while (wl_display_prepare_read(panel.display) != 0) {
			wl_display_dispatch_pending(panel.display);
		}
		if (wl_display_flush(panel.display) < 0 && errno != EAGAIN) {
			wl_display_cancel_read(panel.display);
			break;
		}
		if (poll(fds, 2, -1) < 0 && errno != EINTR) {
			wl_display_cancel_read(panel.display);
			break;
		}
		if (fds[0].revents & POLLIN) {
			if (wl_display_read_events(panel.display) < 0) {
				break;
			}
		} else {
			wl_display_cancel_read(panel.display);
		}
		if (fds[0].revents & (POLLERR | POLLHUP)) {
			break;
		}
		if (wl_display_dispatch_pending(panel.display) < 0) {
			break;
		}
		if (fds[1].revents & POLLIN) {
			uint64_t expirations;
			if (read(clock_fd, &expirations, sizeof(expirations)) > 0) {
				panel.dirty = true;
			}
			arm_clock(clock_fd);
		}
	}
	int status = wl_display_get_error(panel.display) ? 1 : 0;
	if (status) {
		fprintf(stderr, "pocket-panel: lost the compositor (error %d)\n",
			wl_display_get_error(panel.display));
	}
	close(clock_fd);
	panel_menu_close(&panel);
	struct panel_output *output, *tmp;
	wl_list_for_each_safe(output, tmp, &panel.outputs, link) {
		panel_output_destroy(output);
	}
	model_finish(&panel);
	text_finish();
	wl_display_disconnect(panel.display);
	return status;
}
