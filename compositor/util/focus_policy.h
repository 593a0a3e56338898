#ifndef PWL_FOCUS_POLICY_H
#define PWL_FOCUS_POLICY_H

/* Who may take the keyboard: a new window of an app only when the user
 * just asked for that app, or that app already holds focus. Pure. */
#include <stdbool.h>

struct new_window {
	bool from_app; // an app's client (host clients are the shell's)
	bool launch_grant; // the first window of a launch the user asked for
	bool app_has_focus; // the app's own window has keyboard focus now
	bool nothing_focused; // no window or layer has the keyboard
};

/** True: the window takes focus and is raised; false: it maps behind the
 * focused window, marked urgent. */
bool focus_new_window(const struct new_window *w);

#endif
