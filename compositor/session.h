#ifndef PWL_SESSION_H
#define PWL_SESSION_H

/* The session: the one place that starts the layers bottom-up and ends
 * them top-down (HACKING.md). */
#include <stdbool.h>

struct pwl_server;

/** After server_init: the socket and backend, then the clients layer
 * (app sockets, guards, watchdog), the desktop's Xwayland, the apps
 * layer (stores, engine link, launches, kiosk) and the control layer
 * (IPC, pocket-shell), then the startup commands and the panel. */
bool session_start(struct pwl_server *server);
/** Ends everything session_start began, then the desktop. */
void session_finish(struct pwl_server *server);

#endif
