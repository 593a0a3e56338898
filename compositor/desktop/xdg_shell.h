#ifndef PWL_XDG_SHELL_H
#define PWL_XDG_SHELL_H

#include <wayland-server-core.h>
#include <wlr/util/box.h>

struct wlr_xdg_popup;
struct pwl_app;
struct wlr_xdg_surface;
struct wlr_scene_node;
struct pwl_view;

void xdg_shell_handle_new_surface(struct wl_listener *listener, void *data);

/** Shows a popup under `parent`. `constraint` is the area the popup must
 * stay in, in the coordinates of the root surface's origin; `app` (NULL
 * for the shell's popups) gives it a frame in the app's colour. */
void xdg_popup_create(struct wlr_xdg_popup *popup,
	struct wlr_scene_node *parent, struct wlr_box constraint,
	struct pwl_app *app);

/** The view of an xdg toplevel surface; NULL for popups and dead views. */
struct pwl_view *xdg_surface_get_view(struct wlr_xdg_surface *xdg_surface);

#endif
