#include "pins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"

static bool state_dir(char *out, size_t out_len) {
	const char *xdg = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;
	if (xdg && xdg[0] == '/') {
		n = snprintf(out, out_len, "%s/pocketwl/images", xdg);
	} else if (home && home[0] == '/') {
		n = snprintf(out, out_len, "%s/.local/state/pocketwl/images", home);
	} else {
		return false;
	}
	return n > 0 && (size_t)n < out_len;
}

static bool valid_key(const char *key) {
	if (strlen(key) != STORE_KEY_LEN) {
		return false;
	}
	for (const char *c = key; *c; c++) {
		if (!((*c >= '0' && *c <= '9') || (*c >= 'a' && *c <= 'f'))) {
			return false;
		}
	}
	return true;
}

bool pin_path(const char *store_key, const char *app, char *out,
		size_t out_len) {
	char dir[4096];
	if (!valid_key(store_key) || !store_valid_id(app) ||
			!state_dir(dir, sizeof(dir))) {
		return false;
	}
	int n = snprintf(out, out_len, "%s/%s/%s", dir, store_key, app);
	return n > 0 && (size_t)n < out_len;
}

static bool hex_digits(const char *s, size_t n) {
	if (strlen(s) != n) {
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) {
			return false;
		}
	}
	return true;
}

bool pin_load(const char *store_key, const char *app, struct image_pin *pin) {
	memset(pin, 0, sizeof(*pin));
	char path[4300];
	if (!pin_path(store_key, app, path, sizeof(path))) {
		return false;
	}
	FILE *f = fopen(path, "r");
	if (!f) {
		return false;
	}
	char archive[80] = "", image[96] = "";
	int n = fscanf(f, "archive %79s\nimage %95s", archive, image);
	fclose(f);
	if (n != 2 || !hex_digits(archive, 64) || strncmp(image, "sha256:", 7) ||
			!hex_digits(image + 7, 64)) {
		return false;
	}
	memcpy(pin->archive_sha256, archive, 65);
	memcpy(pin->image_id, image, ARCHIVE_IMAGE_ID_LEN + 1);
	return true;
}

static bool make_dirs(char *path) {
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		bool ok = mkdir(path, 0700) == 0 || errno == EEXIST;
		*p = '/';
		if (!ok) {
			return false;
		}
	}
	return true;
}

bool pin_save(const char *store_key, const char *app,
		const struct image_pin *pin, char *error, size_t error_len) {
	char path[4300], tmp[4400];
	if (!pin_path(store_key, app, path, sizeof(path))) {
		snprintf(error, error_len, "no state directory (set HOME or "
			"XDG_STATE_HOME) to remember %s's image in", app);
		return false;
	}
	snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
	if (!make_dirs(tmp)) {
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
	fprintf(f, "archive %s\nimage %s\n", pin->archive_sha256, pin->image_id);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		snprintf(error, error_len, "cannot write %s: %s", path,
			strerror(errno));
		unlink(tmp);
		return false;
	}
	return true;
}

void pin_remove(const char *store_key, const char *app) {
	char path[4300];
	if (pin_path(store_key, app, path, sizeof(path))) {
		unlink(path);
	}
}
