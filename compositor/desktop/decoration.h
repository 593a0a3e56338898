#ifndef PWL_DECORATION_H
#define PWL_DECORATION_H

#include <wayland-server-core.h>

/* xdg-decoration: which side draws a window's title bar. */
void decoration_handle_new(struct wl_listener *listener, void *data);

#endif
