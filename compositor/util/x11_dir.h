#ifndef PWL_X11_DIR_H
#define PWL_X11_DIR_H

/* /tmp/.X11-unix, where Xwayland's sockets go. wlroots creates it 0755
 * when it is missing, so the first compositor run as root (a test, a
 * kiosk set up by hand) leaves it closed to every other user and their
 * X11 apps never run. Debian's x11-common makes it 1777 at boot; without
 * systemd nobody does. */
#include <stdbool.h>
#include <sys/types.h>

enum x11_dir_action {
	X11_DIR_OK, // usable as it is
	X11_DIR_CREATE, // missing, and we are root: make it 1777
	X11_DIR_OPEN_UP, // root's 0755 leftover of wlroots, and we are root
	X11_DIR_WARN, // not ours to fix: say why X11 apps will not run
};

/** The pure decision, from what lstat said (exists false: ENOENT). */
enum x11_dir_action x11_dir_decide(bool exists, bool is_dir, uid_t owner,
	mode_t mode, bool root, bool writable);

/** Applies it to `path` (tests pass their own); returns false when X11
 * apps will not run, with the reason and the fix logged. */
bool x11_dir_prepare(const char *path);

#endif
