#include "pins.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store.h"
#include "userfile.h"

bool pin_path(const char *store_key, const char *app, char *out,
		size_t out_len) {
	char dir[4096];
	if (!store_valid_key(store_key) || !store_valid_id(app) ||
			!userfile_dir("state", "pocketwl/images", dir, sizeof(dir))) {
		return false;
	}
	int n = snprintf(out, out_len, "%s/%s/%s", dir, store_key, app);
	return n > 0 && (size_t)n < out_len;
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
	if (n != 2 || !store_valid_hex(archive, 64) || strncmp(image, "sha256:", 7) ||
			!store_valid_hex(image + 7, 64)) {
		return false;
	}
	memcpy(pin->archive_sha256, archive, 65);
	memcpy(pin->image_id, image, ARCHIVE_IMAGE_ID_LEN + 1);
	return true;
}

bool pin_save(const char *store_key, const char *app,
		const struct image_pin *pin, char *error, size_t error_len) {
	char path[4300], text[256];
	if (!pin_path(store_key, app, path, sizeof(path))) {
		snprintf(error, error_len, "no state directory (set HOME or "
			"XDG_STATE_HOME) to remember %s's image in", app);
		return false;
	}
	snprintf(text, sizeof(text), "archive %s\nimage %s\n",
		pin->archive_sha256, pin->image_id);
	return userfile_write(path, text, error, error_len);
}

void pin_remove(const char *store_key, const char *app) {
	char path[4300];
	if (pin_path(store_key, app, path, sizeof(path))) {
		unlink(path);
	}
}
