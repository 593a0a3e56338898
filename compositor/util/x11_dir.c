#include "util/x11_dir.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wlr/util/log.h>

enum x11_dir_action x11_dir_decide(bool exists, bool is_dir, uid_t owner,
		mode_t mode, bool root, bool writable) {
	if (!exists) {
		return root ? X11_DIR_CREATE : X11_DIR_OK; // wlroots makes ours
	}
	if (!is_dir || owner != 0) {
		// Not a root-owned directory: never chmod someone else's thing.
		return writable && is_dir ? X11_DIR_OK : X11_DIR_WARN;
	}
	if ((mode & 07777) == 01777) {
		return X11_DIR_OK;
	}
	if (root && (mode & 07777) == 0755) {
		return X11_DIR_OPEN_UP;
	}
	return writable ? X11_DIR_OK : X11_DIR_WARN;
}

bool x11_dir_prepare(const char *path) {
	struct stat st;
	bool exists = lstat(path, &st) == 0;
	if (!exists && errno != ENOENT) {
		wlr_log(WLR_ERROR, "X11 apps may not run: %s: %s", path,
			strerror(errno));
		return false;
	}
	bool root = geteuid() == 0;
	switch (x11_dir_decide(exists, exists && S_ISDIR(st.st_mode),
			exists ? st.st_uid : 0, exists ? st.st_mode : 0, root,
			exists && access(path, W_OK | X_OK) == 0)) {
	case X11_DIR_OK:
		return true;
	case X11_DIR_CREATE:
		// mkdir's mode is cut by the umask; chmod sets it whole.
		if ((mkdir(path, 01777) < 0 && errno != EEXIST) ||
				chmod(path, 01777) < 0) {
			wlr_log(WLR_ERROR, "Cannot create %s: %s", path, strerror(errno));
			return false;
		}
		wlr_log(WLR_INFO, "Created %s (1777, as x11-common does)", path);
		return true;
	case X11_DIR_OPEN_UP:
		if (chmod(path, 01777) < 0) {
			wlr_log(WLR_ERROR, "Cannot chmod %s: %s", path, strerror(errno));
			return false;
		}
		wlr_log(WLR_INFO, "%s was 0755 (left by a compositor run as root); "
			"made it 1777 so that every user's X11 apps can run", path);
		return true;
	case X11_DIR_WARN:
		break;
	}
	wlr_log(WLR_ERROR, "X11 apps will not run: %s (mode %04o, owner uid %u) "
		"is not writable for this user; fix: sudo chmod 1777 %s", path,
		(unsigned)(st.st_mode & 07777), (unsigned)st.st_uid, path);
	return false;
}
