#include "desktop/server.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <wlr/backend.h>
#include <wlr/backend/headless.h>
#include <wlr/backend/multi.h>
#include <wlr/backend/wayland.h>
#include <wlr/backend/x11.h>
#include <wlr/backend/drm.h>
#include <wlr/backend/libinput.h>
#include <wlr/render/allocator.h>
#include <wlr/render/gles2.h>
#include <wlr/render/pixman.h>
#include <wlr/render/wlr_renderer.h>
#include <wlr/types/wlr_compositor.h>
#include <wlr/types/wlr_data_control_v1.h>
#include <wlr/types/wlr_data_device.h>
#include <wlr/types/wlr_export_dmabuf_v1.h>
#include <wlr/types/wlr_foreign_toplevel_management_v1.h>
#include <wlr/types/wlr_gamma_control_v1.h>
#include <wlr/types/wlr_idle.h>
#include <wlr/types/wlr_idle_inhibit_v1.h>
#include <wlr/types/wlr_layer_shell_v1.h>
#include <wlr/types/wlr_output_layout.h>
#include <wlr/types/wlr_pointer_constraints_v1.h>
#include <wlr/types/wlr_presentation_time.h>
#include <wlr/types/wlr_primary_selection_v1.h>
#include <wlr/types/wlr_relative_pointer_v1.h>
#include <wlr/types/wlr_scene.h>
#include <wlr/types/wlr_screencopy_v1.h>
#include <wlr/types/wlr_viewporter.h>
#include <wlr/types/wlr_virtual_keyboard_v1.h>
#include <wlr/types/wlr_virtual_pointer_v1.h>
#include <wlr/types/wlr_xdg_activation_v1.h>
#include <wlr/types/wlr_xdg_decoration_v1.h>
#include <wlr/types/wlr_xdg_output_v1.h>
#include <wlr/types/wlr_xdg_shell.h>
#include <wlr/util/log.h>

#include "clients/app.h"
#include "desktop/activation.h"
#include "desktop/decoration.h"
#include "desktop/idle.h"
#include "desktop/layer_shell.h"
#include "desktop/output.h"
#include "desktop/seat.h"
#include "desktop/view.h"
#include "desktop/xdg_shell.h"
#include "util/config.h"
#include "util/spawn.h"
#include "util/text.h"

void server_quit(struct pwl_server *server, int status) {
	server->exit_status = status;
	wl_display_terminate(server->display);
}

static int handle_terminate_signal(int signal, void *data) {
	struct pwl_server *server = data;
	wlr_log(WLR_INFO, "Signal %d: ending the session", signal);
	server_quit(server, 0);
	return 0;
}

static int handle_sigchld(int signal, void *data) {
	(void)signal;
	(void)data;
	// Every child is reaped; owners hear of their own (util/spawn.h).
	spawn_reap();
	return 0;
}

static void log_backends(struct wlr_backend *backend, void *data) {
	const char *name = "unknown";
	if (wlr_backend_is_drm(backend)) {
		name = "drm";
	} else if (wlr_backend_is_libinput(backend)) {
		name = "libinput";
	} else if (wlr_backend_is_wl(backend)) {
		name = "wayland";
	} else if (wlr_backend_is_x11(backend)) {
		name = "x11";
	} else if (wlr_backend_is_headless(backend)) {
		name = "headless";
	}
	wlr_log(WLR_INFO, "Backend: %s", name);
}

static void log_renderer(struct wlr_renderer *renderer) {
	const char *name = "unknown";
	if (wlr_renderer_is_gles2(renderer)) {
		name = "gles2";
	} else if (wlr_renderer_is_pixman(renderer)) {
		name = "pixman";
	}
	wlr_log(WLR_INFO, "Renderer: %s", name);
}

static bool create_scene(struct pwl_server *server) {
	server->scene = wlr_scene_create();
	if (!server->scene) {
		return false;
	}
	for (int i = 0; i < PWL_LAYER_COUNT; i++) {
		server->layers[i] = wlr_scene_tree_create(&server->scene->node);
		if (!server->layers[i]) {
			return false;
		}
	}
	return wlr_scene_attach_output_layout(server->scene,
		server->output_layout);
}

/* Globals every client sees, and the ones for the shell's own tools. */
static bool create_globals(struct pwl_server *server) {
	struct wl_display *display = server->display;
	server->compositor = wlr_compositor_create(display, server->renderer);
	server->xdg_shell = wlr_xdg_shell_create(display);
	server->layer_shell = wlr_layer_shell_v1_create(display);
	server->decoration_manager = wlr_xdg_decoration_manager_v1_create(display);
	server->foreign_toplevel_manager =
		wlr_foreign_toplevel_manager_v1_create(display);
	server->xdg_activation = wlr_xdg_activation_v1_create(display);
	server->presentation = wlr_presentation_create(display, server->backend);
	server->idle = wlr_idle_create(display);
	server->idle_inhibit = wlr_idle_inhibit_v1_create(display);
	server->virtual_keyboard = wlr_virtual_keyboard_manager_v1_create(display);
	server->virtual_pointer = wlr_virtual_pointer_manager_v1_create(display);
	server->pointer_constraints = wlr_pointer_constraints_v1_create(display);
	server->relative_pointer = wlr_relative_pointer_manager_v1_create(display);
	if (!server->compositor || !server->xdg_shell || !server->layer_shell ||
			!server->decoration_manager ||
			!server->foreign_toplevel_manager || !server->xdg_activation ||
			!server->presentation || !server->idle || !server->idle_inhibit ||
			!server->virtual_keyboard || !server->virtual_pointer ||
			!server->pointer_constraints || !server->relative_pointer) {
		return false;
	}
	// Frame feedback from the scene is real on every backend, so latency
	// can be measured headless too.
	wlr_scene_set_presentation(server->scene, server->presentation);

	bool ok = wlr_data_device_manager_create(display) &&
		wlr_primary_selection_v1_device_manager_create(display) &&
		wlr_data_control_manager_v1_create(display) &&
		wlr_viewporter_create(display) &&
		wlr_xdg_output_manager_v1_create(display, server->output_layout) &&
		wlr_screencopy_manager_v1_create(display) &&
		wlr_export_dmabuf_manager_v1_create(display) &&
		wlr_gamma_control_manager_v1_create(display);
	return ok;
}

static void add_listeners(struct pwl_server *server) {
	server->new_output.notify = output_handle_new;
	wl_signal_add(&server->backend->events.new_output, &server->new_output);
	server->new_input.notify = seat_handle_new_input;
	wl_signal_add(&server->backend->events.new_input, &server->new_input);
	server->layout_change.notify = output_handle_layout_change;
	wl_signal_add(&server->output_layout->events.change,
		&server->layout_change);
	server->new_xdg_surface.notify = xdg_shell_handle_new_surface;
	wl_signal_add(&server->xdg_shell->events.new_surface,
		&server->new_xdg_surface);
	server->new_layer_surface.notify = layer_shell_handle_new_surface;
	wl_signal_add(&server->layer_shell->events.new_surface,
		&server->new_layer_surface);
	server->new_decoration.notify = decoration_handle_new;
	wl_signal_add(&server->decoration_manager->events.new_toplevel_decoration,
		&server->new_decoration);
	server->new_virtual_keyboard.notify = seat_handle_new_virtual_keyboard;
	wl_signal_add(&server->virtual_keyboard->events.new_virtual_keyboard,
		&server->new_virtual_keyboard);
	server->new_virtual_pointer.notify = seat_handle_new_virtual_pointer;
	wl_signal_add(&server->virtual_pointer->events.new_virtual_pointer,
		&server->new_virtual_pointer);
	server->new_constraint.notify = seat_handle_new_constraint;
	wl_signal_add(&server->pointer_constraints->events.new_constraint,
		&server->new_constraint);
	server->request_activate.notify = activation_handle_request;
	wl_signal_add(&server->xdg_activation->events.request_activate,
		&server->request_activate);
}

static void remove_listeners(struct pwl_server *server) {
	wl_list_remove(&server->new_output.link);
	wl_list_remove(&server->new_input.link);
	wl_list_remove(&server->layout_change.link);
	wl_list_remove(&server->new_xdg_surface.link);
	wl_list_remove(&server->new_layer_surface.link);
	wl_list_remove(&server->new_decoration.link);
	wl_list_remove(&server->new_virtual_keyboard.link);
	wl_list_remove(&server->new_virtual_pointer.link);
	wl_list_remove(&server->new_constraint.link);
	wl_list_remove(&server->request_activate.link);
}

bool server_init(struct pwl_server *server, struct pwl_config *config) {
	memset(server, 0, sizeof(*server));
	server->config = config;
	wl_list_init(&server->outputs);
	wl_list_init(&server->views);
	wl_list_init(&server->layer_surfaces);
	wl_list_init(&server->launches);
	wl_signal_init(&server->events.view_mapped);
	wl_signal_init(&server->events.view_unmapped);
	wl_signal_init(&server->events.outputs_changed);
	wl_signal_init(&server->events.menu);
	wl_signal_init(&server->events.launch_changed);
	wl_signal_init(&server->events.store_added);
	wl_signal_init(&server->events.store_removed);
	wl_signal_init(&server->events.engine_changed);
	wl_list_init(&server->clients.apps);
	wl_list_init(&server->launch_view_mapped.link);
	wl_list_init(&server->launch_view_unmapped.link);
	wl_list_init(&server->launch_store_removed.link);
	wl_list_init(&server->clients.app_new_surface.link);
	wl_list_init(&server->clients.guard_new_surface.link);

	server->display = wl_display_create();
	if (!server->display) {
		return false;
	}
	server->loop = wl_display_get_event_loop(server->display);
	server->clients.display = server->display;
	server->clients.loop = server->loop;
	server->clients.config = config;

	server->backend = wlr_backend_autocreate(server->display);
	if (!server->backend) {
		wlr_log(WLR_ERROR, "No backend could be started: no seat, no "
			"WAYLAND_DISPLAY/DISPLAY to nest in, and WLR_BACKENDS unset");
		goto error_display;
	}
	server->session = wlr_backend_get_session(server->backend);
	if (wlr_backend_is_multi(server->backend)) {
		wlr_multi_for_each_backend(server->backend, log_backends, NULL);
	} else {
		log_backends(server->backend, NULL);
	}

	server->renderer = wlr_renderer_autocreate(server->backend);
	if (!server->renderer) {
		wlr_log(WLR_ERROR, "No renderer could be created");
		goto error_backend;
	}
	log_renderer(server->renderer);
	// Also offers linux-dmabuf when the renderer can import dmabufs.
	wlr_renderer_init_wl_display(server->renderer, server->display);
	server->allocator = wlr_allocator_autocreate(server->backend,
		server->renderer);
	if (!server->allocator) {
		wlr_log(WLR_ERROR, "No buffer allocator could be created");
		goto error_renderer;
	}

	server->output_layout = wlr_output_layout_create();
	if (!server->output_layout || !create_scene(server) ||
			!create_globals(server)) {
		wlr_log(WLR_ERROR, "Cannot create the compositor's globals");
		goto error_renderer;
	}
	server->clients.compositor = server->compositor;
	server->seat = seat_create(server);
	server->idle_tracker = server->seat ? idle_create(server) : NULL;
	if (!server->idle_tracker) {
		goto error_renderer;
	}
	add_listeners(server);

	server->sigterm = wl_event_loop_add_signal(server->loop, SIGTERM,
		handle_terminate_signal, server);
	server->sigint = wl_event_loop_add_signal(server->loop, SIGINT,
		handle_terminate_signal, server);
	server->sigchld = wl_event_loop_add_signal(server->loop, SIGCHLD,
		handle_sigchld, server);
	return true;

error_renderer:
	// Everything created with the display goes with it.
	idle_destroy(server->idle_tracker);
	seat_destroy(server->seat);
	if (server->scene) {
		wlr_scene_node_destroy(&server->scene->node);
	}
	if (server->output_layout) {
		wlr_output_layout_destroy(server->output_layout);
	}
	if (server->allocator) {
		wlr_allocator_destroy(server->allocator);
	}
	wlr_renderer_destroy(server->renderer);
error_backend:
	wlr_backend_destroy(server->backend);
error_display:
	wl_display_destroy(server->display);
	return false;
}

bool server_start(struct pwl_server *server) {
	server->socket = wl_display_add_socket_auto(server->display);
	if (!server->socket) {
		wlr_log(WLR_ERROR, "Cannot open a Wayland socket in "
			"XDG_RUNTIME_DIR");
		return false;
	}
	server->clients.socket = server->socket;
	if (!wlr_backend_start(server->backend)) {
		wlr_log(WLR_ERROR, "Cannot start the backend");
		return false;
	}
	setenv("WAYLAND_DISPLAY", server->socket, true);
	// Never hand children the DISPLAY of a desktop we are nested in.
	unsetenv("DISPLAY");
	return true;
}

void server_finish(struct pwl_server *server) {
	wl_display_destroy_clients(server->display);
	if (server->sigterm) {
		wl_event_source_remove(server->sigterm);
	}
	if (server->sigint) {
		wl_event_source_remove(server->sigint);
	}
	if (server->sigchld) {
		wl_event_source_remove(server->sigchld);
	}
	remove_listeners(server);
	// Outputs go with the backend; our output listeners clean up after
	// them (the layout listener was just removed).
	wlr_backend_destroy(server->backend);
	idle_destroy(server->idle_tracker);
	seat_destroy(server->seat);
	// The layout before the scene: the scene's layout helper listens on
	// the layout and is freed by its destroy signal, not by the scene
	// (valgrind saw the scene's freed helper called from the layout's
	// destroy the other way round).
	wlr_output_layout_destroy(server->output_layout);
	wlr_scene_node_destroy(&server->scene->node);
	wlr_allocator_destroy(server->allocator);
	wlr_renderer_destroy(server->renderer);
	wl_display_destroy(server->display);
	text_finish();
}
