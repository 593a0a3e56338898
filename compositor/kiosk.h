#ifndef PWL_KIOSK_H
#define PWL_KIOSK_H

/* Kiosk mode: one store app, fullscreen on every output (mirrored, or one
 * window spanning them), no frames, no keybindings but the admin combo.
 * When the app is not up a plain status screen says why; when it exits it
 * is launched again with a backoff of 1 s doubling to 30 s. */
#include <stdbool.h>
#include <stdint.h>
#include <xkbcommon/xkbcommon.h>

struct pwl_server;
struct pwl_kiosk;
struct pwl_view;
struct wlr_box;

struct pwl_kiosk *kiosk_create(struct pwl_server *server, const char *app);
void kiosk_destroy(struct pwl_kiosk *kiosk); // accepts NULL

/** Where a kiosk app's window goes; false if `view` is not the kiosk's
 * (host clients keep the normal rules). */
bool kiosk_view_box(struct pwl_kiosk *kiosk, struct pwl_view *view,
	struct wlr_box *box);
/** Outputs came, went or changed: mirror outputs are scaled to show the
 * primary's picture whole, mirrors and the status screen redone. */
void kiosk_outputs_changed(struct pwl_kiosk *kiosk); // accepts NULL
void kiosk_view_mapped(struct pwl_kiosk *kiosk, struct pwl_view *view);
void kiosk_view_unmapped(struct pwl_kiosk *kiosk, struct pwl_view *view);
/** Pointer use: shows the cursor and restarts its idle timer. */
void kiosk_pointer_activity(struct pwl_kiosk *kiosk); // accepts NULL
/** True if a key combination may act (only the admin combo in a kiosk). */
bool kiosk_allows_binding(struct pwl_kiosk *kiosk, uint32_t modifiers,
	xkb_keysym_t sym);
/** The status screen's text ("" when the app is up), for IPC and tests. */
const char *kiosk_status(struct pwl_kiosk *kiosk);

#endif
