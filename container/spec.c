#include "spec.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static struct json_object *string_array(const char *const *items) {
	struct json_object *array = json_object_new_array();
	for (size_t i = 0; items && items[i]; i++) {
		json_object_array_add(array, json_object_new_string(items[i]));
	}
	return array;
}

static bool check(const struct container_spec *spec, char *error,
		size_t error_len) {
	if (!spec->image || !spec->image[0]) {
		snprintf(error, error_len, "container spec has no image");
		return false;
	}
	for (size_t i = 0; i < spec->binds_len; i++) {
		const struct spec_bind *b = &spec->binds[i];
		if (!b->source || b->source[0] != '/' || !b->target ||
				b->target[0] != '/') {
			snprintf(error, error_len, "bind %s -> %s: both paths must be "
				"absolute", b->source ? b->source : "(none)",
				b->target ? b->target : "(none)");
			return false;
		}
		// Podman 4.3 creates a missing bind source even for Mounts of
		// Type=bind; a typo must not become an empty data directory.
		struct stat st;
		if (stat(b->source, &st) < 0) {
			snprintf(error, error_len, "bind source %s does not exist",
				b->source);
			return false;
		}
	}
	for (size_t i = 0; i < spec->devices_len; i++) {
		const struct spec_device *d = &spec->devices[i];
		if (!d->host || !d->container || d->host[0] != '/' ||
				d->container[0] != '/') {
			snprintf(error, error_len, "device %s -> %s: both paths must be "
				"absolute", d->host ? d->host : "(none)",
				d->container ? d->container : "(none)");
			return false;
		}
	}
	for (size_t i = 0; spec->env && spec->env[i]; i++) {
		if (!strchr(spec->env[i], '=') || spec->env[i][0] == '=') {
			snprintf(error, error_len, "environment entry '%s' is not "
				"NAME=value", spec->env[i]);
			return false;
		}
	}
	if (spec->runtime_dir && spec->runtime_dir[0] != '/') {
		snprintf(error, error_len, "runtime directory %s is not absolute",
			spec->runtime_dir);
		return false;
	}
	if (spec->memory_bytes < 0 || spec->pids_limit < 0 || spec->nofile < 0 ||
			spec->log_max_bytes < 0) {
		snprintf(error, error_len, "container limits cannot be negative");
		return false;
	}
	return true;
}

static struct json_object *host_config(const struct container_spec *spec) {
	struct json_object *hc = json_object_new_object();
	struct json_object *mounts = json_object_new_array();
	for (size_t i = 0; i < spec->binds_len; i++) {
		const struct spec_bind *b = &spec->binds[i];
		struct json_object *m = json_object_new_object();
		json_object_object_add(m, "Type", json_object_new_string("bind"));
		json_object_object_add(m, "Source", json_object_new_string(b->source));
		json_object_object_add(m, "Target", json_object_new_string(b->target));
		json_object_object_add(m, "ReadOnly",
			json_object_new_boolean(b->read_only));
		json_object_array_add(mounts, m);
	}
	json_object_object_add(hc, "Mounts", mounts);
	struct json_object *devices = json_object_new_array();
	for (size_t i = 0; i < spec->devices_len; i++) {
		struct json_object *d = json_object_new_object();
		json_object_object_add(d, "PathOnHost",
			json_object_new_string(spec->devices[i].host));
		json_object_object_add(d, "PathInContainer",
			json_object_new_string(spec->devices[i].container));
		json_object_object_add(d, "CgroupPermissions",
			json_object_new_string("rwm"));
		json_object_array_add(devices, d);
	}
	json_object_object_add(hc, "Devices", devices);
	if (spec->group_add_len > 0) {
		struct json_object *groups = json_object_new_array();
		for (size_t i = 0; i < spec->group_add_len; i++) {
			char gid[16];
			snprintf(gid, sizeof(gid), "%u", spec->group_add[i]);
			json_object_array_add(groups, json_object_new_string(gid));
		}
		json_object_object_add(hc, "GroupAdd", groups);
	}
	struct json_object *tmpfs = json_object_new_object();
	for (size_t i = 0; spec->tmpfs && spec->tmpfs[i]; i++) {
		json_object_object_add(tmpfs, spec->tmpfs[i],
			// Sticky and world-writable like a real /tmp: the app runs as a
		// user, and Docker makes tmpfs root-only by default.
		json_object_new_string("rw,nosuid,nodev,mode=1777,size=64m"));
	}
	if (spec->runtime_dir) {
		char opts[128];
		if (spec->podman) {
			snprintf(opts, sizeof(opts), "rw,nosuid,nodev,noexec,mode=0700,"
				"size=16m,U");
		} else {
			snprintf(opts, sizeof(opts), "rw,nosuid,nodev,noexec,mode=0700,"
				"size=16m,uid=%u,gid=%u", spec->runtime_uid,
				spec->runtime_gid);
		}
		json_object_object_add(tmpfs, spec->runtime_dir,
			json_object_new_string(opts));
	}
	json_object_object_add(hc, "Tmpfs", tmpfs);
	if (spec->log_max_bytes > 0) {
		// json-file on Docker; Podman's compat service maps it to its
		// k8s-file driver, which honours max-size.
		struct json_object *log = json_object_new_object();
		struct json_object *conf = json_object_new_object();
		char size[32], files[16];
		snprintf(size, sizeof(size), "%lld", (long long)spec->log_max_bytes);
		snprintf(files, sizeof(files), "%d", spec->log_max_files > 0 ?
			spec->log_max_files : 1);
		json_object_object_add(conf, "max-size", json_object_new_string(size));
		json_object_object_add(conf, "max-file",
			json_object_new_string(files));
		json_object_object_add(log, "Type", json_object_new_string("json-file"));
		json_object_object_add(log, "Config", conf);
		json_object_object_add(hc, "LogConfig", log);
	}
	json_object_object_add(hc, "ReadonlyRootfs",
		json_object_new_boolean(spec->read_only_rootfs));
	if (spec->cap_drop_all) {
		const char *all[] = { "ALL", NULL };
		json_object_object_add(hc, "CapDrop", string_array(all));
	}
	if (spec->no_new_privileges) {
		const char *opts[] = { "no-new-privileges", NULL };
		json_object_object_add(hc, "SecurityOpt", string_array(opts));
	}
	if (spec->userns_mode) {
		json_object_object_add(hc, "UsernsMode",
			json_object_new_string(spec->userns_mode));
	}
	if (spec->network_mode) {
		json_object_object_add(hc, "NetworkMode",
			json_object_new_string(spec->network_mode));
	}
	if (spec->memory_bytes > 0) {
		json_object_object_add(hc, "Memory",
			json_object_new_int64(spec->memory_bytes));
	}
	if (spec->pids_limit > 0) {
		json_object_object_add(hc, "PidsLimit",
			json_object_new_int64(spec->pids_limit));
	}
	if (spec->nofile > 0) {
		struct json_object *ulimits = json_object_new_array();
		struct json_object *u = json_object_new_object();
		json_object_object_add(u, "Name", json_object_new_string("nofile"));
		json_object_object_add(u, "Soft", json_object_new_int64(spec->nofile));
		json_object_object_add(u, "Hard", json_object_new_int64(spec->nofile));
		json_object_array_add(ulimits, u);
		json_object_object_add(hc, "Ulimits", ulimits);
	}
	if (spec->init) {
		json_object_object_add(hc, "Init", json_object_new_boolean(true));
	}
	json_object_object_add(hc, "AutoRemove",
		json_object_new_boolean(spec->auto_remove));
	return hc;
}

char *spec_to_json(const struct container_spec *spec, char *error,
		size_t error_len) {
	if (!check(spec, error, error_len)) {
		return NULL;
	}
	struct json_object *root = json_object_new_object();
	json_object_object_add(root, "Image", json_object_new_string(spec->image));
	if (spec->command && spec->command[0]) {
		json_object_object_add(root, "Cmd", string_array(spec->command));
	}
	json_object_object_add(root, "Env", string_array(spec->env));
	if (spec->user) {
		json_object_object_add(root, "User", json_object_new_string(spec->user));
	}
	if (spec->working_dir) {
		json_object_object_add(root, "WorkingDir",
			json_object_new_string(spec->working_dir));
	}
	struct json_object *labels = json_object_new_object();
	for (size_t i = 0; i < spec->labels_len; i++) {
		json_object_object_add(labels, spec->labels[i].key,
			json_object_new_string(spec->labels[i].value));
	}
	json_object_object_add(root, "Labels", labels);
	json_object_object_add(root, "HostConfig", host_config(spec));
	char *text = strdup(json_object_to_json_string_ext(root,
		JSON_C_TO_STRING_PLAIN));
	json_object_put(root);
	if (!text) {
		snprintf(error, error_len, "out of memory");
	}
	return text;
}

void spec_free_command(char **argv) {
	for (size_t i = 0; argv && argv[i]; i++) {
		free(argv[i]);
	}
	free(argv);
}

static bool push_word(char ***argv, size_t *len, const char *word) {
	char **grown = realloc(*argv, (*len + 2) * sizeof(**argv));
	if (!grown) {
		return false;
	}
	*argv = grown;
	if (!(grown[*len] = strdup(word))) {
		return false;
	}
	grown[++*len] = NULL;
	return true;
}

char **spec_split_command(const char *text, char *error, size_t error_len) {
	size_t cap = strlen(text) + 1, len = 0, wlen = 0;
	char *word = malloc(cap);
	char **argv = calloc(1, sizeof(*argv));
	bool in_word = false;
	char quote = 0;
	if (!word || !argv) {
		goto oom;
	}
	for (const char *p = text;; p++) {
		char c = *p;
		if (c == '\0') {
			break;
		}
		if (quote) {
			if (c == quote) {
				quote = 0;
			} else if (c == '\\' && quote == '"' && p[1]) {
				word[wlen++] = *++p;
			} else {
				word[wlen++] = c;
			}
		} else if (c == '\'' || c == '"') {
			quote = c;
			in_word = true;
		} else if (c == '\\' && p[1]) {
			word[wlen++] = *++p;
			in_word = true;
		} else if (c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				word[wlen] = '\0';
				if (!push_word(&argv, &len, word)) {
					goto oom;
				}
				wlen = 0;
				in_word = false;
			}
		} else {
			word[wlen++] = c;
			in_word = true;
		}
	}
	if (quote) {
		snprintf(error, error_len, "unbalanced %c quote in '%s'", quote, text);
		free(word);
		spec_free_command(argv);
		return NULL;
	}
	if (in_word) {
		word[wlen] = '\0';
		if (!push_word(&argv, &len, word)) {
			goto oom;
		}
	}
	free(word);
	if (len == 0) {
		snprintf(error, error_len, "the command is empty");
		spec_free_command(argv);
		return NULL;
	}
	return argv;
oom:
	snprintf(error, error_len, "out of memory");
	free(word);
	spec_free_command(argv);
	return NULL;
}
