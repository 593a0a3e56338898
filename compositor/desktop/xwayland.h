#ifndef PWL_XWAYLAND_H
#define PWL_XWAYLAND_H

#include <stdbool.h>

struct pwl_server;

/* X11 apps through Xwayland, started lazily on the first X client. Off
 * unless the config turns it on and the Xwayland binary is installed. */
struct pwl_xwayland *xwayland_create(struct pwl_server *server);
void xwayland_destroy(struct pwl_xwayland *xwayland); // accepts NULL
/** The X display name (":1"), or NULL. */
const char *xwayland_display_name(struct pwl_xwayland *xwayland);

#endif
