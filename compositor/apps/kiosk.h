#ifndef PWL_KIOSK_H
#define PWL_KIOSK_H

/* Kiosk mode: one store app, fullscreen on every output (mirrored, or one
 * window spanning them), no frames, no keybindings but the admin combo.
 * When the app is not up a plain status screen says why; when it exits it
 * is launched again with a backoff of 1 s doubling to 30 s. Built on what
 * the desktop offers: the app's pin (clients/app.h, set by its launch),
 * the seat's cursor autohide, the server's view and output events; the
 * bindings are the config's (config_apply_kiosk). */
struct pwl_server;
struct pwl_kiosk;

struct pwl_kiosk *kiosk_create(struct pwl_server *server, const char *app);
void kiosk_destroy(struct pwl_kiosk *kiosk); // accepts NULL

/** The status screen's text ("" when the app is up), for IPC and tests. */
const char *kiosk_status(struct pwl_kiosk *kiosk);

#endif
