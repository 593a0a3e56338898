#include "userfile.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool userfile_dir(const char *kind, const char *sub, char *out,
		size_t out_len) {
	bool state = !strcmp(kind, "state");
	const char *xdg = getenv(state ? "XDG_STATE_HOME" : "XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/') {
		n = snprintf(out, out_len, "%s/%s", xdg, sub);
	} else if (home && home[0] == '/') {
		n = snprintf(out, out_len, "%s/%s/%s", home, state ? ".local/state" :
			".config", sub);
	} else {
		return false;
	}
	return n > 0 && (size_t)n < out_len;
}

static bool make_parents(char *path) {
	for (char *slash = strchr(path + 1, '/'); slash;
			slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
		*slash = '/';
		if (!ok) {
			return false;
		}
	}
	return true;
}

bool userfile_write(const char *path, const char *text, char *error,
		size_t error_len) {
	char tmp[4400];
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	if (!make_parents(tmp)) {
		snprintf(error, error_len, "cannot create the folders of %s: %s",
			path, strerror(errno));
		return false;
	}
	FILE *f = fopen(tmp, "w");
	if (!f) {
		snprintf(error, error_len, "cannot write %s: %s", tmp,
			strerror(errno));
		return false;
	}
	bool ok = fputs(text, f) >= 0 && fflush(f) == 0 && fsync(fileno(f)) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) < 0) {
		snprintf(error, error_len, "cannot write %s: %s", path,
			strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}
