#include "engine_ops.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool url_escape(const char *text, char *out, size_t out_len) {
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			(*p >= '0' && *p <= '9') || strchr("-._~", *p);
		size_t need = plain ? 1 : 3;
		if (n + need >= out_len) {
			return false;
		}
		if (plain) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	out[n] = '\0';
	return true;
}

/* Image references may hold '/' and ':' (they are part of the path the
 * engines expect); everything else unusual is refused. */
static bool safe_reference(const char *ref, char *error, size_t error_len) {
	if (!ref || !ref[0] || strlen(ref) > 255 || strstr(ref, "..")) {
		goto bad;
	}
	for (const char *p = ref; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
				(*p >= '0' && *p <= '9') || strchr("-._:/@", *p))) {
			goto bad;
		}
	}
	return true;
bad:
	snprintf(error, error_len, "'%s' is not an image or container name",
		ref ? ref : "");
	return false;
}

static struct engine_request *checked(struct engine_request *req,
		char *error, size_t error_len) {
	if (!req) {
		snprintf(error, error_len, "cannot start a request (out of memory)");
	}
	return req;
}

struct engine_request *engine_image_inspect(struct engine *engine,
		const char *image, engine_done_fn done, void *data, char *error,
		size_t error_len) {
	if (!safe_reference(image, error, error_len)) {
		return NULL;
	}
	char path[512];
	snprintf(path, sizeof(path), "/images/%s/json", image);
	return checked(engine_request(engine, "GET", path, NULL, done, data),
		error, error_len);
}

struct engine_request *engine_image_list(struct engine *engine,
		engine_done_fn done, void *data, char *error, size_t error_len) {
	return checked(engine_request(engine, "GET", "/images/json", NULL, done,
		data), error, error_len);
}

struct engine_request *engine_image_remove(struct engine *engine,
		const char *image, engine_done_fn done, void *data, char *error,
		size_t error_len) {
	if (!safe_reference(image, error, error_len)) {
		return NULL;
	}
	char path[512];
	snprintf(path, sizeof(path), "/images/%s", image);
	return checked(engine_request(engine, "DELETE", path, NULL, done, data),
		error, error_len);
}

struct engine_request *engine_image_load(struct engine *engine, FILE *archive,
		uint64_t size, engine_progress_fn progress, engine_done_fn done,
		void *data, char *error, size_t error_len) {
	return checked(engine_upload(engine, "POST", "/images/load?quiet=1",
		archive, size, "application/x-tar", progress, done, data), error,
		error_len);
}

struct engine_request *engine_image_load_from(struct engine *engine,
		engine_read_fn read, uint64_t size, engine_progress_fn progress,
		engine_done_fn done, void *data, char *error, size_t error_len) {
	return checked(engine_upload_from(engine, "POST", "/images/load?quiet=1",
		read, size, "application/x-tar", progress, done, data), error,
		error_len);
}

struct engine_request *engine_image_export(struct engine *engine,
		const char *image, FILE *out, engine_done_fn done, void *data,
		char *error, size_t error_len) {
	if (!safe_reference(image, error, error_len)) {
		return NULL;
	}
	char path[512];
	snprintf(path, sizeof(path), "/images/%s/get", image);
	return checked(engine_download(engine, path, out, done, data), error,
		error_len);
}

struct engine_request *engine_container_create(struct engine *engine,
		const char *name, const struct container_spec *spec,
		engine_done_fn done, void *data, char *error, size_t error_len) {
	if (name && !safe_reference(name, error, error_len)) {
		return NULL;
	}
	char *json = spec_to_json(spec, error, error_len);
	if (!json) {
		return NULL;
	}
	char path[512] = "/containers/create";
	if (name) {
		char escaped[300];
		url_escape(name, escaped, sizeof(escaped));
		snprintf(path, sizeof(path), "/containers/create?name=%s", escaped);
	}
	struct engine_request *req = engine_request(engine, "POST", path, json,
		done, data);
	free(json);
	return checked(req, error, error_len);
}

struct engine_request *engine_container_op(struct engine *engine,
		const char *op, const char *id, engine_done_fn done, void *data,
		char *error, size_t error_len) {
	static const struct {
		const char *op, *method, *format;
	} ops[] = {
		{ "start", "POST", "/containers/%s/start" },
		{ "wait", "POST", "/containers/%s/wait" },
		{ "inspect", "GET", "/containers/%s/json" },
		{ "remove", "DELETE", "/containers/%s?force=1&v=1" },
		// A bounded tail: an app that printed 300 MB must not stall us.
		{ "logs", "GET", "/containers/%s/logs?stdout=1&stderr=1&tail=2000" },
	};
	if (!safe_reference(id, error, error_len)) {
		return NULL;
	}
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		if (!strcmp(op, ops[i].op)) {
			char path[512];
			snprintf(path, sizeof(path), ops[i].format, id);
			return checked(engine_request(engine, ops[i].method, path, NULL,
				done, data), error, error_len);
		}
	}
	snprintf(error, error_len, "unknown container operation '%s'", op);
	return NULL;
}

struct engine_request *engine_container_stop(struct engine *engine,
		const char *id, int timeout_s, engine_done_fn done, void *data,
		char *error, size_t error_len) {
	if (!safe_reference(id, error, error_len)) {
		return NULL;
	}
	char path[512];
	snprintf(path, sizeof(path), "/containers/%s/stop?t=%d", id,
		timeout_s < 0 ? 0 : timeout_s);
	return checked(engine_request(engine, "POST", path, NULL, done, data),
		error, error_len);
}

struct engine_request *engine_container_kill(struct engine *engine,
		const char *id, const char *signal, engine_done_fn done, void *data,
		char *error, size_t error_len) {
	if (!safe_reference(id, error, error_len)) {
		return NULL;
	}
	char sig[64];
	if (!url_escape(signal ? signal : "SIGKILL", sig, sizeof(sig))) {
		snprintf(error, error_len, "signal name too long");
		return NULL;
	}
	char path[512];
	snprintf(path, sizeof(path), "/containers/%s/kill?signal=%s", id, sig);
	return checked(engine_request(engine, "POST", path, NULL, done, data),
		error, error_len);
}

struct engine_request *engine_container_list(struct engine *engine,
		const char *label_key, const char *label_value, engine_done_fn done,
		void *data, char *error, size_t error_len) {
	// filters={"label":["key=value"]}, built with json-c and escaped.
	struct json_object *filters = json_object_new_object();
	struct json_object *labels = json_object_new_array();
	char label[512];
	if (label_value) {
		snprintf(label, sizeof(label), "%s=%s", label_key, label_value);
	} else {
		snprintf(label, sizeof(label), "%s", label_key); // any value
	}
	json_object_array_add(labels, json_object_new_string(label));
	json_object_object_add(filters, "label", labels);
	char escaped[2048];
	bool ok = url_escape(json_object_to_json_string_ext(filters,
		JSON_C_TO_STRING_PLAIN), escaped, sizeof(escaped));
	json_object_put(filters);
	if (!ok) {
		snprintf(error, error_len, "label filter too long");
		return NULL;
	}
	char path[2200];
	snprintf(path, sizeof(path), "/containers/json?all=1&filters=%s",
		escaped);
	return checked(engine_request(engine, "GET", path, NULL, done, data),
		error, error_len);
}
