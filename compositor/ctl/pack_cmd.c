#include "pack_cmd.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "args.h"
#include "discovery.h"
#include "engine.h"
#include "engine_ops.h"
#include "image.h"
#include "pins.h"
#include "sha256.h"
#include "store.h"

struct wait {
	bool done;
	struct engine *engine;
	char error[4800];
};

static void on_engine(void *data, struct engine *engine, const char *error) {
	struct wait *w = data;
	w->done = true;
	w->engine = engine;
	snprintf(w->error, sizeof(w->error), "%s", error ? error : "");
}

static void on_done(void *data, const struct engine_response *res) {
	struct wait *w = data;
	w->done = true;
	snprintf(w->error, sizeof(w->error), "%s", res->error ? res->error : "");
}

static void turn_until(struct wl_event_loop *loop, struct wait *w) {
	while (!w->done) {
		wl_event_loop_dispatch(loop, -1);
	}
}

static struct engine *connect_engine(struct wl_event_loop *loop,
		const char *address) {
	struct wait w = { 0 };
	engine_discover(loop, address, on_engine, &w);
	turn_until(loop, &w);
	if (!w.engine) {
		fprintf(stderr, "pocketctl: %s\n", w.error);
	}
	return w.engine;
}

static bool copy_png(const char *from, const char *to, char *error,
		size_t len) {
	FILE *in = fopen(from, "rb");
	if (!in) {
		snprintf(error, len, "cannot open %s: %s", from, strerror(errno));
		return false;
	}
	unsigned char sig[8];
	static const unsigned char png[8] = { 0x89, 'P', 'N', 'G', '\r', '\n',
		0x1a, '\n' };
	if (fread(sig, 1, 8, in) != 8 || memcmp(sig, png, 8)) {
		fclose(in);
		snprintf(error, len, "%s is not a PNG file", from);
		return false;
	}
	rewind(in);
	FILE *out = fopen(to, "wb");
	bool ok = out != NULL;
	char buf[65536];
	size_t n;
	while (ok && (n = fread(buf, 1, sizeof(buf), in)) > 0) {
		ok = fwrite(buf, 1, n, out) == n;
	}
	fclose(in);
	if (out && fclose(out) != 0) {
		ok = false;
	}
	if (!ok) {
		snprintf(error, len, "cannot write %.400s", to);
	}
	return ok;
}

/* Written under a temporary name and renamed: a store never holds half a
 * manifest. */
static bool write_manifest(const char *store, const char *id,
		const char *name, const char *image, const char *sha, bool icon,
		const char *command, const char *permissions) {
	char path[4096], tmp[4200];
	store_manifest_path(store, id, path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		return false;
	}
	fprintf(f, "[Desktop Entry]\nType=Application\nName=%s\n", name);
	if (icon) {
		fprintf(f, "Icon=icons/%s.png\n", id);
	}
	fprintf(f, "\n[X-Pocket]\nImage=%s\nArchive=images/%s.tar\n"
		"ArchiveSHA256=%s\n", image, id, sha);
	if (command) {
		fprintf(f, "Command=%s\n", command);
	}
	if (permissions) {
		fprintf(f, "Permissions=%s\n", permissions);
	}
	bool ok = fclose(f) == 0 && rename(tmp, path) == 0;
	if (!ok) {
		unlink(tmp);
	}
	return ok;
}

int pack_command(int argc, char *argv[]) {
	const char *image = argc > 1 ? argv[1] : NULL;
	const char *store_path = arg_option(argc, argv, "--store");
	const char *id = arg_option(argc, argv, "--id");
	const char *name = arg_option(argc, argv, "--name");
	const char *icon = arg_option(argc, argv, "--icon");
	if (!image || image[0] == '-' || !store_path || !id || !name) {
		fprintf(stderr, "pocketctl pack: usage: pack IMAGE --store DIR --id "
			"ID --name NAME [--icon PNG] [--command CMD] [--permissions "
			"LIST] [--engine ADDRESS]\n");
		return 2;
	}
	if (!store_valid_id(id)) {
		fprintf(stderr, "pocketctl pack: '%s' is not an app id\n", id);
		return 2;
	}
	struct pocket_store store;
	if (!store_load(&store, store_path)) {
		fprintf(stderr, "pocketctl pack: %s\n", store.errors.len ?
			store.errors.lines[0] : "not a store");
		store_finish(&store);
		return 1;
	}
	char store_key[STORE_KEY_LEN + 1];
	memcpy(store_key, store.key, sizeof(store_key));
	store_finish(&store);
	char manifest[4096];
	store_manifest_path(store_path, id, manifest, sizeof(manifest));
	struct stat st;
	if (stat(manifest, &st) == 0) {
		fprintf(stderr, "pocketctl pack: %s already exists\n", manifest);
		return 1;
	}

	struct wl_event_loop *loop = wl_event_loop_create();
	struct engine *engine = connect_engine(loop, arg_option(argc, argv,
		"--engine"));
	int status = 1;
	char archive[4096], tmp[4200], error[512];
	snprintf(archive, sizeof(archive), "%s/images/%s.tar", store_path, id);
	snprintf(tmp, sizeof(tmp), "%s.tmp", archive);
	FILE *out = engine ? fopen(tmp, "w+b") : NULL;
	if (engine && !out) {
		fprintf(stderr, "pocketctl pack: cannot write %s: %s\n", tmp,
			strerror(errno));
	}
	if (out) {
		struct wait w = { 0 };
		if (!engine_image_export(engine, image, out, on_done, &w, error,
				sizeof(error))) {
			snprintf(w.error, sizeof(w.error), "%s", error);
			w.done = true;
		}
		turn_until(loop, &w);
		char sha[65], image_id[ARCHIVE_IMAGE_ID_LEN + 1], why[1024] = "";
		fflush(out);
		rewind(out);
		bool hashed = !w.error[0] && image_archive_inspect(fileno(out),
			image, NULL, NULL, sha, image_id, why, sizeof(why));
		fclose(out);
		char icon_path[4096];
		snprintf(icon_path, sizeof(icon_path), "%s/icons/%s.png", store_path,
			id);
		char data_dir[4096];
		snprintf(data_dir, sizeof(data_dir), "%s/data/%s", store_path, id);
		if (w.error[0]) {
			fprintf(stderr, "pocketctl pack: exporting %s: %s\n", image,
				w.error);
		} else if (!hashed) {
			fprintf(stderr, "pocketctl pack: the engine's export of %s is "
				"not usable: %s\n", image, why);
		} else if (rename(tmp, archive) != 0) {
			fprintf(stderr, "pocketctl pack: cannot write %s\n", archive);
		} else if (icon && !copy_png(icon, icon_path, error, sizeof(error))) {
			fprintf(stderr, "pocketctl pack: %s\n", error);
		} else if (!write_manifest(store_path, id, name, image, sha,
				icon != NULL, arg_option(argc, argv, "--command"),
				arg_option(argc, argv, "--permissions"))) {
			fprintf(stderr, "pocketctl pack: cannot write %s\n", manifest);
		} else {
			mkdir(data_dir, 0755);
			// The image we exported is the app's: pinned, as a load would.
			struct image_pin pin;
			memcpy(pin.archive_sha256, sha, sizeof(pin.archive_sha256));
			snprintf(pin.image_id, sizeof(pin.image_id), "%s", image_id);
			if (!pin_save(store_key, id, &pin, error, sizeof(error))) {
				fprintf(stderr, "pocketctl pack: %s\n", error);
			}
			printf("%s: packed %s as %s (%s, sha256 %s, image %.19s)\n",
				store_path, image, id, archive, sha, image_id);
			status = 0;
		}
		unlink(tmp);
	}
	engine_destroy(engine);
	wl_event_loop_destroy(loop);
	return status;
}

/* Loads the store and finds a valid app in it; prints why not. The caller
 * finishes the store in every case (store_finish is safe after a failed
 * load). */
static const struct manifest *load_app(const char *cmd, const char *id,
		const char *store_path, struct pocket_store *store) {
	if (!store_load(store, store_path)) {
		fprintf(stderr, "pocketctl %s: %s\n", cmd, store->errors.len ?
			store->errors.lines[0] : "not a store");
		return NULL;
	}
	for (size_t i = 0; i < store->apps_len; i++) {
		if (!strcmp(store->apps[i].id, id)) {
			return &store->apps[i];
		}
	}
	fprintf(stderr, "pocketctl %s: no valid app '%s' in %s\n", cmd, id,
		store_path);
	return NULL;
}

int purge_command(int argc, char *argv[]) {
	const char *id = argc > 1 ? argv[1] : NULL;
	const char *store_path = arg_option(argc, argv, "--store");
	if (!id || id[0] == '-' || !store_path) {
		fprintf(stderr, "pocketctl purge: usage: purge APP --store DIR "
			"[--engine ADDRESS]\n");
		return 2;
	}
	struct pocket_store store;
	const struct manifest *app = load_app("purge", id, store_path, &store);
	if (!app) {
		store_finish(&store);
		return 1;
	}
	struct wl_event_loop *loop = wl_event_loop_create();
	struct engine *engine = connect_engine(loop, arg_option(argc, argv,
		"--engine"));
	int status = 1;
	struct image_pin pin;
	if (engine && !pin_load(store.key, id, &pin)) {
		// Never loaded (or packed) here: whatever the engine has under
		// the name may be someone else's.
		printf("%s: no image of it was loaded from %s; nothing removed\n",
			id, store_path);
		status = 0;
	} else if (engine) {
		struct wait w = { 0 };
		char error[512];
		if (!engine_image_remove(engine, pin.image_id, on_done, &w, error,
				sizeof(error))) {
			snprintf(w.error, sizeof(w.error), "%s", error);
			w.done = true;
		}
		turn_until(loop, &w);
		if (w.error[0] && !strstr(w.error, "No such image") &&
				!strstr(w.error, "image not known")) {
			fprintf(stderr, "pocketctl purge: %s\n", w.error);
		} else {
			// The data directory is not touched: purging is for images.
			pin_remove(store.key, id);
			printf("%s: image %s (%.19s) removed from the engine; data "
				"kept\n", id, app->image, pin.image_id);
			status = 0;
		}
	}
	engine_destroy(engine);
	wl_event_loop_destroy(loop);
	store_finish(&store);
	return status;
}

struct loading {
	bool done, loaded;
	char error[1200];
	int last_percent;
	enum image_phase last_phase;
};

static void load_progress(void *data, enum image_phase phase, uint64_t done,
		uint64_t total) {
	struct loading *l = data;
	int percent = total ? (int)(done * 100 / total) : 100;
	if (percent != l->last_percent || phase != l->last_phase) {
		l->last_percent = percent;
		l->last_phase = phase;
		fprintf(stderr, "\r%s %3d%%", phase == IMAGE_PHASE_CHECKING ?
			"checking" : "loading ", percent);
	}
}

static void load_done(void *data, bool loaded, const char *image_id,
		const char *error) {
	(void)image_id;
	struct loading *l = data;
	l->done = true;
	l->loaded = loaded;
	snprintf(l->error, sizeof(l->error), "%s", error ? error : "");
	if (l->last_percent >= 0) {
		fputc('\n', stderr);
	}
}

int load_command(int argc, char *argv[]) {
	const char *id = argc > 1 ? argv[1] : NULL;
	const char *store_path = arg_option(argc, argv, "--store");
	if (!id || id[0] == '-' || !store_path) {
		fprintf(stderr, "pocketctl load: usage: load APP --store DIR "
			"[--engine ADDRESS]\n");
		return 2;
	}
	struct pocket_store store;
	const struct manifest *app = load_app("load", id, store_path, &store);
	int status = 1;
	struct wl_event_loop *loop = wl_event_loop_create();
	struct engine *engine = app ? connect_engine(loop, arg_option(argc, argv,
		"--engine")) : NULL;
	if (app && engine) {
		struct loading l = { .last_percent = -1 };
		struct image_ensure_listener listener = { .progress = load_progress,
			.done = load_done, .data = &l };
		if (image_ensure(engine, loop, store_path, store.key, app,
				&listener)) {
			while (!l.done) {
				wl_event_loop_dispatch(loop, -1);
			}
			if (l.error[0]) {
				fprintf(stderr, "pocketctl load: %s\n", l.error);
			} else {
				printf("%s: image %s %s\n", id, app->image, l.loaded ?
					"loaded" : "already in the engine");
				status = 0;
			}
		}
	}
	engine_destroy(engine);
	wl_event_loop_destroy(loop);
	store_finish(&store);
	return status;
}
