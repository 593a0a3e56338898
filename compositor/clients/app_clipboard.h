#ifndef PWL_APP_CLIPBOARD_H
#define PWL_APP_CLIPBOARD_H

/* The clipboard of an app without the `clipboard` permission: its own.
 * Such an app still finds wl_data_device_manager and the primary
 * selection manager (real clients refuse to start without them; foot
 * exits at once), but these are pocketwl's own globals, not wlroots':
 * a selection set by one of the app's clients is offered to the app's
 * clients when they have keyboard focus (copy and paste inside the app
 * works) and to nobody else, and the session's selection never reaches the app. Drags are
 * refused (the source is cancelled at once). */
#include <stdbool.h>
#include <wayland-server-core.h>

struct pwl_clients;
struct pwl_app;

bool app_clipboard_init(struct pwl_clients *clients);
void app_clipboard_finish(struct pwl_clients *clients);
/** Whether `global` is one of the private clipboard's globals. */
bool app_clipboard_owns(const struct pwl_clients *clients,
	const struct wl_global *global);
/** The client with keyboard focus now (NULL: none): it is offered its
 * app's private selection, as wlroots offers the session's to the
 * focused client. The desktop's seat calls this. */
void app_clipboard_focus(struct pwl_clients *clients,
	struct wl_client *client);
/** Ends the app's private selections (its clients are gone). */
void app_clipboard_app_gone(struct pwl_app *app);

#endif
