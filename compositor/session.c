#include "session.h"

#include <wlr/util/log.h>

#include "apps/containers.h"
#include "apps/kiosk.h"
#include "apps/launch.h"
#include "apps/panel_proc.h"
#include "apps/stores.h"
#include "clients/app.h"
#include "clients/guards.h"
#include "clients/watchdog.h"
#include "control/ipc.h"
#include "control/pocket_shell.h"
#include "desktop/server.h"
#include "desktop/xwayland.h"
#include "util/config.h"
#include "util/spawn.h"

static void run_startup_commands(struct pwl_server *server) {
	struct pwl_config *config = server->config;
	for (size_t i = 0; i < config->startup_len; i++) {
		spawn_shell(config->startup[i]);
	}
	if (config->panel_command && !config->kiosk.app) {
		server->panel = panel_proc_create(server, config->panel_command);
	}
}

bool session_start(struct pwl_server *server) {
	if (server->config->kiosk.app) {
		config_apply_kiosk(server->config);
	}
	if (!server_start(server)) {
		return false;
	}
	// clients
	if (!guards_init(&server->clients)) {
		wlr_log(WLR_ERROR, "Cannot set up the request guards");
		return false;
	}
	if (!apps_init(&server->clients)) {
		wlr_log(WLR_ERROR, "Cannot set up app sockets");
		return false;
	}
	// Before anything reads a store: a store that could stall the loop
	// must end in the watchdog's report, not a silent hang.
	server->watchdog = watchdog_start(server->loop,
		server->config->watchdog_s);
	// desktop
	server->xwayland = xwayland_create(server);
	// apps
	server->stores = stores_create(server);
	server->containers = containers_create(server);
	if (!launches_init(server)) {
		return false;
	}
	// control: before the kiosk's first launch, so that IPC subscribers
	// and the panel hear of it.
	server->ipc = ipc_create(server);
	if (!server->ipc) {
		return false;
	}
	server->pocket_shell = pocket_shell_create(server);
	if (server->config->kiosk.app) {
		server->kiosk = kiosk_create(server, server->config->kiosk.app);
		if (!server->kiosk) {
			return false;
		}
	}
	wlr_log(WLR_INFO, "Running on WAYLAND_DISPLAY=%s, IPC at %s",
		server->socket, server->ipc_path);
	run_startup_commands(server);
	return true;
}

void session_finish(struct pwl_server *server) {
	// Ending can take a while (apps get time to stop): no watchdog then.
	watchdog_stop(server->watchdog);
	server->watchdog = NULL;
	// No restarts while the session ends.
	panel_proc_destroy(server->panel);
	server->panel = NULL;
	kiosk_destroy(server->kiosk);
	server->kiosk = NULL;
	// App containers first, while everything they use still exists: this
	// turns the event loop until they stopped (bounded), the IPC and the
	// panel still serving.
	containers_destroy(server->containers);
	server->containers = NULL;
	// control
	pocket_shell_destroy(server->pocket_shell);
	server->pocket_shell = NULL;
	ipc_destroy(server->ipc);
	server->ipc = NULL;
	// apps
	launches_finish(server);
	stores_destroy(server->stores);
	server->stores = NULL;
	// desktop's Xwayland, then the clients layer: clients go while our
	// listeners exist.
	xwayland_destroy(server->xwayland);
	server->xwayland = NULL;
	apps_finish(&server->clients);
	guards_finish(&server->clients);
	server_finish(server);
}
