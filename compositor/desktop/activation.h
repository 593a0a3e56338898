#ifndef PWL_ACTIVATION_H
#define PWL_ACTIVATION_H

#include <wayland-server-core.h>

/* xdg-activation: a window may take focus only with a token that comes
 * from a user action (an input event in that app, or a launch by the
 * shell). An app without one is marked urgent instead of stealing focus. */
void activation_handle_request(struct wl_listener *listener, void *data);

#endif
