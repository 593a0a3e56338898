#include "util/focus_policy.h"

bool focus_new_window(const struct new_window *w) {
	return !w->from_app || w->launch_grant || w->app_has_focus ||
		w->nothing_focused;
}
