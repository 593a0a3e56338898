#include "store_cmd.h"

#include <json-c/json.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "apps_state.h"
#include "image.h"
#include "pins.h"
#include "ipc_client.h"
#include "store.h"
#include "store_fs.h"

static void print_messages(const struct manifest_messages *list,
		const char *kind) {
	for (size_t i = 0; i < list->len; i++) {
		fprintf(stderr, "%s: %s\n", kind, list->lines[i]);
	}
}

struct check_progress {
	uint64_t size;
	int last;
};

static void check_progress(void *data, uint64_t done) {
	struct check_progress *p = data;
	int percent = p->size ? (int)(done * 100 / p->size) : 100;
	if (percent != p->last) {
		p->last = percent;
		fprintf(stderr, "\r  %3d%%", percent);
	}
}

/* Every archive against its ArchiveSHA256 and as a load would check it:
 * a truncated, altered or foreign-tagging archive is named here, not at
 * the first launch. */
static void check_archives(struct pocket_store *store) {
	for (size_t i = 0; i < store->apps_len; i++) {
		const struct manifest *m = &store->apps[i];
		if (!m->archive) {
			continue;
		}
		char error[2048], sha[65], id[80];
		uint64_t size;
		int fd = store_fs_open_file(store->root, store->path, m->archive, 0,
			&size, error, sizeof(error));
		if (fd < 0) {
			manifest_messages_add(&store->errors, "%s", error);
			continue;
		}
		fprintf(stderr, "checking %s/%s (%llu MiB)\n", store->path,
			m->archive, (unsigned long long)(size >> 20));
		struct check_progress progress = { size, -1 };
		bool ok = image_archive_inspect(fd, m->image, check_progress,
			&progress, sha, id, error, sizeof(error));
		fputc('\n', stderr);
		close(fd);
		if (strcmp(sha, m->archive_sha256)) {
			manifest_messages_add(&store->errors, "%s/%s: its SHA-256 is "
				"%.12s..., the manifest says %.12s... (corrupt, truncated or "
				"altered)", store->path, m->archive, sha, m->archive_sha256);
		} else if (!ok) {
			manifest_messages_add(&store->errors, "%s/%s: %s", store->path,
				m->archive, error);
		}
	}
}

static int store_check(const char *path) {
	struct pocket_store store;
	bool ok = store_load(&store, path);
	if (ok) {
		check_archives(&store);
	}
	print_messages(&store.errors, "error");
	print_messages(&store.warnings, "warning");
	if (ok) {
		printf("%s: store '%s', format %d, %zu valid app%s, %zu error%s\n",
			path, store.name, store.format, store.apps_len,
			store.apps_len == 1 ? "" : "s", store.errors.len,
			store.errors.len == 1 ? "" : "s");
	}
	int status = ok && store.errors.len == 0 ? 0 : 1;
	store_finish(&store);
	return status;
}

int store_command(int argc, char *argv[]) {
	if (argc >= 3 && !strcmp(argv[1], "init")) {
		const char *name = argc >= 5 && !strcmp(argv[3], "--name") ?
			argv[4] : "Pocket store";
		char error[512];
		if (!store_init(argv[2], name, error, sizeof(error))) {
			fprintf(stderr, "pocketctl store init: %s\n", error);
			return 1;
		}
		printf("%s: new store '%s'\n", argv[2], name);
		return 0;
	}
	if (argc == 3 && !strcmp(argv[1], "check")) {
		return store_check(argv[2]);
	}
	fprintf(stderr, "pocketctl store: usage: store init DIR [--name NAME] | "
		"store check DIR\n");
	return 2;
}

static bool archive_present(const char *store, const struct manifest *m) {
	if (!m->archive) {
		return false;
	}
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", store, m->archive);
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Without --store: the stores the running session knows (configured and
 * plugged in), asked over its IPC. */
static struct json_object *session_stores(void) {
	const char *error = NULL;
	char *path = ipc_client_socket_path(&error);
	if (!path) {
		fprintf(stderr, "pocketctl apps: %s (or name a store with --store "
			"DIR)\n", error);
		return NULL;
	}
	struct json_object *request = json_object_new_object();
	json_object_object_add(request, "command",
		json_object_new_string("stores"));
	char err[512];
	struct json_object *reply = ipc_client_request(path, request, 5000, err,
		sizeof(err));
	json_object_put(request);
	free(path);
	if (!reply) {
		fprintf(stderr, "pocketctl apps: %s\n", err);
		return NULL;
	}
	struct json_object *stores = NULL;
	if (json_object_object_get_ex(reply, "stores", &stores)) {
		json_object_get(stores);
	}
	json_object_put(reply);
	return stores;
}

int apps_command(int argc, char *argv[]) {
	bool json = false;
	struct json_object *list = json_object_new_array();
	int stores = 0, status = 0;
	bool any_store_option = false;
	for (int i = 1; i < argc; i++) {
		any_store_option |= !strcmp(argv[i], "--store");
	}
	char **args = NULL;
	struct json_object *from_session = NULL;
	if (!any_store_option) {
		// Rewrite as --store options for the stores of the session.
		from_session = session_stores();
		if (!from_session) {
			json_object_put(list);
			return 1;
		}
		size_t n = json_object_array_length(from_session);
		args = calloc(argc + 2 * n + 1, sizeof(*args));
		if (!args) {
			json_object_put(list);
			json_object_put(from_session);
			return 1;
		}
		int k = 0;
		for (int i = 0; i < argc; i++) {
			args[k++] = argv[i];
		}
		for (size_t i = 0; i < n; i++) {
			args[k++] = "--store";
			args[k++] = (char *)json_object_get_string(json_object_object_get(
				json_object_array_get_idx(from_session, i), "path"));
		}
		argc = k;
		argv = args;
		if (n == 0) {
			stores = -1; // a session without stores lists nothing
		}
	}
	const char *engine_address = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		if (!strcmp(argv[i], "--engine") && i + 1 < argc) {
			engine_address = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--store") || i + 1 >= argc) {
			fprintf(stderr, "pocketctl apps: usage: apps [--store DIR...] "
				"[--engine ADDRESS] [--json]\n");
			json_object_put(list);
			return 2;
		}
		const char *path = argv[++i];
		stores++;
		struct pocket_store store;
		if (!store_load(&store, path)) {
			print_messages(&store.errors, "error");
			store_finish(&store);
			status = 1;
			continue;
		}
		// Invalid apps are named, the others still listed.
		print_messages(&store.errors, "error");
		for (size_t a = 0; a < store.apps_len; a++) {
			struct manifest *m = &store.apps[a];
			struct json_object *app = json_object_new_object();
			json_object_object_add(app, "id", json_object_new_string(m->id));
			const char *locale = manifest_user_locale();
			json_object_object_add(app, "name", json_object_new_string(
				manifest_localized(m, "Name", locale)));
			const char *comment = manifest_localized(m, "Comment", locale);
			json_object_object_add(app, "comment", comment ?
				json_object_new_string(comment) : NULL);
			struct json_object *names = json_object_new_object();
			for (size_t l = 0; l < m->l10n_len; l++) {
				if (!strcmp(m->l10n[l].key, "Name")) {
					json_object_object_add(names, m->l10n[l].locale,
						json_object_new_string(m->l10n[l].value));
				}
			}
			json_object_object_add(app, "names", names);
			json_object_object_add(app, "store",
				json_object_new_string(store.name));
			json_object_object_add(app, "store_path",
				json_object_new_string(path));
			json_object_object_add(app, "store_key",
				json_object_new_string(store.key));
			// Which image it runs: the one pinned when it was loaded.
			struct image_pin pin;
			if (pin_load(store.key, m->id, &pin)) {
				json_object_object_add(app, "pinned_image",
					json_object_new_string(pin.image_id));
			}
			json_object_object_add(app, "image",
				json_object_new_string(m->image));
			json_object_object_add(app, "archive_present",
				json_object_new_boolean(archive_present(path, m)));
			json_object_array_add(list, app);
		}
		store_finish(&store);
	}
	if (stores == 0) {
		fprintf(stderr, "pocketctl apps: name a store with --store DIR\n");
		json_object_put(list);
		return 2;
	}
	free(args);
	apps_add_state(list, engine_address);
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(list,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	} else {
		printf("%-24s %-20s %-16s %-12s %-8s %s\n", "ID", "NAME", "STORE",
			"STATE", "IMAGE", "IMAGE-REF");
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *a = json_object_array_get_idx(list, i);
			struct json_object *present =
				json_object_object_get(a, "image_present");
			printf("%-24s %-20s %-16s %-12s %-8s %s\n",
				json_object_get_string(json_object_object_get(a, "id")),
				json_object_get_string(json_object_object_get(a, "name")),
				json_object_get_string(json_object_object_get(a, "store")),
				json_object_get_string(json_object_object_get(a, "state")),
				!present ? "?" : json_object_get_boolean(present) ? "yes" :
				"no", json_object_get_string(json_object_object_get(a,
				"image")));
		}
	}
	json_object_put(list);
	json_object_put(from_session);
	return status;
}
