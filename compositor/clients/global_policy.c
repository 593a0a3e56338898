#include "clients/global_policy.h"

#include <stddef.h>
#include <string.h>

#include "clients/app.h"

/* What an ordinary app needs to draw, take input, size itself and talk to
 * the user's clipboard, and nothing that reads the screen, types for the
 * user, watches other windows or controls the session (layer-shell,
 * screencopy, virtual input, foreign-toplevel, data-control, output and
 * gamma management, the shell's own protocol...). */
static const struct {
	const char *interface;
	uint32_t needs; // permission bits, all of them; 0: every app
} allowed[] = {
	{ "wl_compositor", 0 },
	{ "wl_subcompositor", 0 },
	{ "wl_shm", 0 },
	{ "wl_seat", 0 },
	{ "wl_output", 0 },
	{ "wl_data_device_manager", 0 }, // see global_is_selection
	{ "zwp_primary_selection_device_manager_v1", 0 },
	{ "xdg_wm_base", 0 },
	{ "zxdg_decoration_manager_v1", 0 },
	{ "zxdg_output_manager_v1", 0 },
	{ "wp_viewporter", 0 },
	{ "wp_presentation", 0 },
	{ "xdg_activation_v1", 0 },
	{ "zwp_idle_inhibit_manager_v1", 0 }, // counts only while shown
	{ "wl_drm", 0 }, // GPU buffers, with the GLES2 renderer
	{ "zwp_linux_dmabuf_v1", 0 },
	{ "wp_fractional_scale_manager_v1", 0 },
	{ "zwp_text_input_manager_v3", 0 },
	// Risky in wlroots 0.15.1 (inert pointers): only for apps that ask
	// (games, remote desktops).
	{ "zwp_relative_pointer_manager_v1", PWL_PERM_POINTER },
	{ "zwp_pointer_constraints_v1", PWL_PERM_POINTER },
};

bool app_global_allowed(uint32_t permissions, const char *interface) {
	if (!interface) {
		return false;
	}
	for (size_t i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++) {
		if (!strcmp(interface, allowed[i].interface)) {
			return (permissions & allowed[i].needs) == allowed[i].needs;
		}
	}
	return false;
}

bool global_is_selection(const char *interface) {
	return interface && (!strcmp(interface, "wl_data_device_manager") ||
		!strcmp(interface, "zwp_primary_selection_device_manager_v1"));
}
