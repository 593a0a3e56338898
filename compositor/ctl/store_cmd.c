#include "store_cmd.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "store.h"

static void print_messages(const struct manifest_messages *list,
		const char *kind) {
	for (size_t i = 0; i < list->len; i++) {
		fprintf(stderr, "%s: %s\n", kind, list->lines[i]);
	}
}

static int store_check(const char *path) {
	struct pocket_store store;
	bool ok = store_load(&store, path);
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

int apps_command(int argc, char *argv[]) {
	bool json = false;
	struct json_object *list = json_object_new_array();
	int stores = 0, status = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
			continue;
		}
		if (strcmp(argv[i], "--store") || i + 1 >= argc) {
			fprintf(stderr, "pocketctl apps: usage: apps --store DIR "
				"[--store DIR...] [--json]\n");
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
			json_object_object_add(app, "name",
				json_object_new_string(m->name));
			json_object_object_add(app, "store",
				json_object_new_string(store.name));
			json_object_object_add(app, "store_path",
				json_object_new_string(path));
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
	if (json) {
		printf("%s\n", json_object_to_json_string_ext(list,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED));
	} else {
		printf("%-24s %-24s %-20s %s\n", "ID", "NAME", "STORE", "IMAGE");
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			struct json_object *a = json_object_array_get_idx(list, i);
			printf("%-24s %-24s %-20s %s\n",
				json_object_get_string(json_object_object_get(a, "id")),
				json_object_get_string(json_object_object_get(a, "name")),
				json_object_get_string(json_object_object_get(a, "store")),
				json_object_get_string(json_object_object_get(a, "image")));
		}
	}
	json_object_put(list);
	return status;
}
