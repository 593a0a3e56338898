#include "engine_json.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define API_WANTED "1.41"
#define API_MINIMUM "1.40"

static struct json_object *parse(const char *body, size_t len, char *error,
		size_t error_len) {
	struct json_tokener *tok = json_tokener_new();
	if (!tok) {
		snprintf(error, error_len, "out of memory");
		return NULL;
	}
	struct json_object *obj = json_tokener_parse_ex(tok, body, (int)len);
	enum json_tokener_error err = json_tokener_get_error(tok);
	if (!obj || err != json_tokener_success) {
		snprintf(error, error_len, "the engine sent malformed JSON: %s",
			json_tokener_error_desc(err == json_tokener_continue ?
				json_tokener_error_parse_eof : err));
		json_object_put(obj);
		obj = NULL;
	}
	json_tokener_free(tok);
	return obj;
}

static bool get_string(struct json_object *obj, const char *key, char *out,
		size_t out_len) {
	struct json_object *value;
	if (!obj || !json_object_object_get_ex(obj, key, &value) ||
			!json_object_is_type(value, json_type_string)) {
		return false;
	}
	snprintf(out, out_len, "%s", json_object_get_string(value));
	return true;
}

bool engine_parse_error_message(const char *body, size_t len, char *out,
		size_t out_len) {
	char error[128];
	if (len == 0) {
		return false;
	}
	struct json_object *obj = parse(body, len, error, sizeof(error));
	bool ok = obj && json_object_is_type(obj, json_type_object) &&
		get_string(obj, "message", out, out_len);
	json_object_put(obj);
	return ok;
}

bool engine_parse_stream_error(const char *body, size_t len, char *out,
		size_t out_len) {
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && body[i] != '\n') {
			continue;
		}
		size_t n = i - start;
		// Only lines that look like objects; a log or tar is no stream.
		if (n > 2 && body[start] == '{') {
			char error[128];
			struct json_object *obj = parse(body + start, n, error,
				sizeof(error));
			bool found = obj && json_object_is_type(obj, json_type_object) &&
				get_string(obj, "error", out, out_len);
			json_object_put(obj);
			if (found) {
				return true;
			}
		}
		start = i + 1;
	}
	return false;
}

bool engine_parse_version(const char *body, size_t len,
		struct engine_version_info *info, char *error, size_t error_len) {
	memset(info, 0, sizeof(*info));
	struct json_object *obj = parse(body, len, error, error_len);
	if (!obj) {
		return false;
	}
	bool ok = json_object_is_type(obj, json_type_object) &&
		get_string(obj, "ApiVersion", info->api_version,
			sizeof(info->api_version));
	if (!ok) {
		snprintf(error, error_len, "the engine's /version has no "
			"ApiVersion");
	} else {
		get_string(obj, "Version", info->version, sizeof(info->version));
		get_string(obj, "MinAPIVersion", info->min_api_version,
			sizeof(info->min_api_version));
		struct json_object *components;
		if (json_object_object_get_ex(obj, "Components", &components) &&
				json_object_is_type(components, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(components); i++) {
				char name[64];
				if (get_string(json_object_array_get_idx(components, i),
						"Name", name, sizeof(name)) &&
						strstr(name, "Podman")) {
					info->podman = true;
				}
			}
		}
	}
	json_object_put(obj);
	return ok;
}

/* "1.41" -> 1041; -1 when not a version. */
static int version_number(const char *text) {
	int major, minor, n = 0;
	if (sscanf(text, "%d.%d%n", &major, &minor, &n) != 2 ||
			text[n] != '\0' || major < 0 || minor < 0 || minor > 999) {
		return -1;
	}
	return major * 1000 + minor;
}

bool engine_choose_api_version(const struct engine_version_info *info,
		char *out, size_t out_len, char *error, size_t error_len) {
	int theirs = version_number(info->api_version);
	int min = info->min_api_version[0] ?
		version_number(info->min_api_version) : theirs;
	int ours = version_number(API_WANTED);
	int needed = version_number(API_MINIMUM);
	if (theirs < 0 || min < 0) {
		snprintf(error, error_len, "the engine reports API version '%s' "
			"(minimum '%s'), which is not a version", info->api_version,
			info->min_api_version);
		return false;
	}
	int chosen = theirs < ours ? theirs : ours;
	if (chosen < min || chosen < needed) {
		snprintf(error, error_len, "the engine serves API %s to %s; "
			"pocketwl needs %s or newer", info->min_api_version[0] ?
			info->min_api_version : info->api_version, info->api_version,
			API_MINIMUM);
		return false;
	}
	snprintf(out, out_len, "%d.%d", chosen / 1000, chosen % 1000);
	return true;
}

bool engine_parse_event(const char *line, size_t len,
		struct engine_event *event) {
	memset(event, 0, sizeof(*event));
	event->exit_code = -1;
	char error[128];
	struct json_object *obj = parse(line, len, error, sizeof(error));
	if (!obj || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return false;
	}
	char type[32] = "", action[64] = "";
	get_string(obj, "Type", type, sizeof(type));
	if (!get_string(obj, "Action", action, sizeof(action))) {
		get_string(obj, "status", action, sizeof(action));
	}
	struct json_object *actor = NULL, *attrs = NULL;
	json_object_object_get_ex(obj, "Actor", &actor);
	if (actor) {
		get_string(actor, "ID", event->id, sizeof(event->id));
		json_object_object_get_ex(actor, "Attributes", &attrs);
	}
	if (!event->id[0]) {
		get_string(obj, "id", event->id, sizeof(event->id));
	}
	if (attrs) {
		get_string(attrs, "name", event->name, sizeof(event->name));
		char code[16];
		if (get_string(attrs, "exitCode", code, sizeof(code)) ||
				get_string(attrs, "containerExitCode", code, sizeof(code))) {
			char *end;
			long v = strtol(code, &end, 10);
			if (*end == '\0' && v >= 0 && v < 1000) {
				event->exit_code = (int)v;
			}
		}
	}
	if (type[0] && strcmp(type, "container")) {
		event->kind = ENGINE_EVENT_OTHER;
	} else if (!strcmp(action, "start")) {
		event->kind = ENGINE_EVENT_START;
	} else if (!strcmp(action, "die") || !strcmp(action, "died")) {
		event->kind = ENGINE_EVENT_DIE;
	} else if (!strcmp(action, "oom")) {
		event->kind = ENGINE_EVENT_OOM;
	} else if (!strcmp(action, "destroy") || !strcmp(action, "remove")) {
		event->kind = ENGINE_EVENT_DESTROY;
	}
	json_object_put(obj);
	return true;
}

bool engine_parse_id(const char *body, size_t len, char *out, size_t out_len,
		char *error, size_t error_len) {
	struct json_object *obj = parse(body, len, error, error_len);
	if (!obj) {
		return false;
	}
	bool ok = json_object_is_type(obj, json_type_object) &&
		get_string(obj, "Id", out, out_len) && out[0];
	if (!ok) {
		snprintf(error, error_len, "the engine's answer has no Id");
	}
	json_object_put(obj);
	return ok;
}

bool engine_parse_wait(const char *body, size_t len, int *status,
		char *error, size_t error_len) {
	struct json_object *obj = parse(body, len, error, error_len);
	if (!obj) {
		return false;
	}
	struct json_object *code;
	bool ok = json_object_is_type(obj, json_type_object) &&
		json_object_object_get_ex(obj, "StatusCode", &code) &&
		json_object_is_type(code, json_type_int);
	if (ok) {
		*status = json_object_get_int(code);
	} else {
		snprintf(error, error_len, "the engine's /wait answer has no "
			"StatusCode");
	}
	json_object_put(obj);
	return ok;
}

bool engine_parse_container_list(const char *body, size_t len,
		struct engine_container_info **out, size_t *out_len, char *error,
		size_t error_len) {
	*out = NULL;
	*out_len = 0;
	struct json_object *list = parse(body, len, error, error_len);
	if (!list) {
		return false;
	}
	if (!json_object_is_type(list, json_type_array)) {
		snprintf(error, error_len, "the engine's container list is not an "
			"array");
		json_object_put(list);
		return false;
	}
	size_t n = json_object_array_length(list);
	struct engine_container_info *infos = n ? calloc(n, sizeof(*infos)) : NULL;
	if (n && !infos) {
		snprintf(error, error_len, "out of memory");
		json_object_put(list);
		return false;
	}
	size_t used = 0;
	for (size_t i = 0; i < n; i++) {
		struct json_object *item = json_object_array_get_idx(list, i);
		struct engine_container_info *info = &infos[used];
		if (!json_object_is_type(item, json_type_object) ||
				!get_string(item, "Id", info->id, sizeof(info->id)) ||
				!info->id[0]) {
			continue;
		}
		get_string(item, "State", info->state, sizeof(info->state));
		struct json_object *labels;
		if (json_object_object_get_ex(item, "Labels", &labels) &&
				json_object_is_type(labels, json_type_object)) {
			get_string(labels, "io.pocketwl.app", info->app,
				sizeof(info->app));
			get_string(labels, "io.pocketwl.instance", info->instance,
				sizeof(info->instance));
			get_string(labels, "io.pocketwl.session", info->session,
				sizeof(info->session));
		}
		used++;
	}
	json_object_put(list);
	if (used == 0) {
		free(infos);
		infos = NULL;
	}
	*out = infos;
	*out_len = used;
	return true;
}

char *engine_logs_text(const char *body, size_t len, size_t max) {
	char *out = malloc(len + 1);
	if (!out) {
		return NULL;
	}
	size_t used = 0, i = 0;
	bool framed = len >= 8 && (body[0] == 1 || body[0] == 2) &&
		body[1] == 0 && body[2] == 0 && body[3] == 0;
	while (framed && i + 8 <= len) {
		size_t n = ((size_t)(unsigned char)body[i + 4] << 24) |
			((size_t)(unsigned char)body[i + 5] << 16) |
			((size_t)(unsigned char)body[i + 6] << 8) |
			(size_t)(unsigned char)body[i + 7];
		i += 8;
		if (n > len - i) {
			n = len - i;
		}
		memcpy(out + used, body + i, n);
		used += n;
		i += n;
	}
	if (!framed) {
		memcpy(out, body, len);
		used = len;
	}
	if (used > max) {
		memmove(out, out + used - max, max);
		used = max;
	}
	out[used] = '\0';
	return out;
}

bool engine_parse_info(const char *body, size_t len, bool *rootless,
		int *cgroup_version, char *error, size_t error_len) {
	*rootless = false;
	*cgroup_version = 0;
	struct json_object *obj = parse(body, len, error, error_len);
	if (!obj) {
		return false;
	}
	if (!json_object_is_type(obj, json_type_object)) {
		snprintf(error, error_len, "the engine's /info is not an object");
		json_object_put(obj);
		return false;
	}
	struct json_object *v;
	if (json_object_object_get_ex(obj, "Rootless", &v) &&
			json_object_is_type(v, json_type_boolean)) {
		*rootless = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(obj, "SecurityOptions", &v) &&
			json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			const char *opt = json_object_get_string(
				json_object_array_get_idx(v, i));
			if (opt && strstr(opt, "name=rootless")) {
				*rootless = true;
			}
		}
	}
	char cg[16];
	if (get_string(obj, "CgroupVersion", cg, sizeof(cg))) {
		char *end;
		long v = strtol(cg, &end, 10);
		*cgroup_version = *end || v < 0 || v > 9 ? 0 : (int)v;
	}
	json_object_put(obj);
	return true;
}
