#include "engine.h"

#include <curl/curl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <wayland-server-core.h>

#include "engine_json.h"

#define DEFAULT_TIMEOUT_MS 30000
#define MAX_BODY (256u * 1024 * 1024)

enum request_kind {
	REQUEST_BUFFERED,
	REQUEST_UPLOAD,
	REQUEST_DOWNLOAD,
	REQUEST_STREAM,
};

struct engine_request {
	struct wl_list link; // engine.requests
	struct engine *engine;
	enum request_kind kind;
	CURL *easy;
	struct curl_slist *headers;
	char *body_out; // JSON we send; may be NULL
	char *body; // what we received (buffered and stream remainder)
	size_t body_len, body_cap;
	bool overflow;
	FILE *file; // upload source or download target; not ours
	engine_read_fn read; // upload source; may be NULL (then `file`)
	bool paused;
	engine_done_fn done;
	engine_line_fn line;
	engine_progress_fn progress;
	void *data;
	char curl_error[CURL_ERROR_SIZE];
};

struct engine {
	struct wl_event_loop *loop;
	CURLM *multi;
	struct wl_event_source *timer;
	struct wl_list requests; // engine_request.link
	char *address;
	char *socket_path; // unix sockets; NULL for tcp
	char *base_url; // "http://localhost" or "https://host:port"
	bool tls;
	char *cert_dir;
	char *api_version; // may be NULL
	bool podman; // Podman's compatible service, from /version
	bool rootless; // from /info
	int cgroup_version; // from /info; 0 unknown
	long timeout_ms;
	/* While check_done() runs callbacks, engine_destroy() only marks the
	 * engine; check_done() frees it when the callbacks are over. */
	bool dispatching;
	bool destroy_pending;
};

/* One fd curl wants watched. */
struct engine_socket {
	struct engine *engine;
	curl_socket_t fd;
	struct wl_event_source *source;
};

static void set_error(char *error, size_t len, const char *fmt, ...) {
	va_list args;
	va_start(args, fmt);
	vsnprintf(error, len, fmt, args);
	va_end(args);
}

static void check_done(struct engine *engine);

static int handle_fd(int fd, uint32_t mask, void *data) {
	struct engine_socket *es = data;
	struct engine *engine = es->engine;
	int action = 0;
	if (mask & WL_EVENT_READABLE) {
		action |= CURL_CSELECT_IN;
	}
	if (mask & WL_EVENT_WRITABLE) {
		action |= CURL_CSELECT_OUT;
	}
	if (mask & (WL_EVENT_ERROR | WL_EVENT_HANGUP)) {
		action |= CURL_CSELECT_ERR;
	}
	int running;
	// es may be freed by curl inside this call: use nothing of it after.
	curl_multi_socket_action(engine->multi, fd, action, &running);
	check_done(engine);
	return 0;
}

static int socket_callback(CURL *easy, curl_socket_t fd, int what,
		void *userp, void *socketp) {
	struct engine *engine = userp;
	struct engine_socket *es = socketp;
	if (what == CURL_POLL_REMOVE) {
		if (es) {
			wl_event_source_remove(es->source);
			free(es);
			curl_multi_assign(engine->multi, fd, NULL);
		}
		return 0;
	}
	uint32_t mask = 0;
	if (what & CURL_POLL_IN) {
		mask |= WL_EVENT_READABLE;
	}
	if (what & CURL_POLL_OUT) {
		mask |= WL_EVENT_WRITABLE;
	}
	if (!es) {
		es = calloc(1, sizeof(*es));
		if (!es) {
			return -1;
		}
		es->engine = engine;
		es->fd = fd;
		es->source = wl_event_loop_add_fd(engine->loop, fd, mask, handle_fd,
			es);
		if (!es->source) {
			free(es);
			return -1;
		}
		curl_multi_assign(engine->multi, fd, es);
	} else {
		wl_event_source_fd_update(es->source, mask);
	}
	return 0;
}

static int handle_timer(void *data) {
	struct engine *engine = data;
	int running;
	curl_multi_socket_action(engine->multi, CURL_SOCKET_TIMEOUT, 0, &running);
	check_done(engine);
	return 0;
}

static int timer_callback(CURLM *multi, long timeout_ms, void *userp) {
	struct engine *engine = userp;
	// wl timers: 0 disarms, so "now" is 1 ms.
	if (timeout_ms < 0) {
		wl_event_source_timer_update(engine->timer, 0);
	} else {
		wl_event_source_timer_update(engine->timer,
			timeout_ms == 0 ? 1 : (int)timeout_ms);
	}
	return 0;
}

static bool append(struct engine_request *req, const char *ptr, size_t n) {
	if (req->body_len + n + 1 > MAX_BODY) {
		req->overflow = true;
		return false;
	}
	if (req->body_len + n + 1 > req->body_cap) {
		size_t cap = req->body_cap ? req->body_cap : 4096;
		while (cap < req->body_len + n + 1) {
			cap *= 2;
		}
		char *body = realloc(req->body, cap);
		if (!body) {
			return false;
		}
		req->body = body;
		req->body_cap = cap;
	}
	memcpy(req->body + req->body_len, ptr, n);
	req->body_len += n;
	req->body[req->body_len] = '\0';
	return true;
}

/* Hands complete lines of a stream to the caller, keeping the rest. */
static void emit_lines(struct engine_request *req) {
	size_t start = 0;
	for (size_t i = 0; i < req->body_len; i++) {
		if (req->body[i] != '\n') {
			continue;
		}
		req->body[i] = '\0';
		if (i > start) {
			req->line(req->data, req->body + start, i - start);
		}
		start = i + 1;
	}
	memmove(req->body, req->body + start, req->body_len - start);
	req->body_len -= start;
	if (req->body) {
		req->body[req->body_len] = '\0';
	}
}

static size_t write_callback(char *ptr, size_t size, size_t nmemb,
		void *userdata) {
	struct engine_request *req = userdata;
	size_t n = size * nmemb;
	if (req->kind == REQUEST_DOWNLOAD) {
		long status = 0;
		curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300) {
			return fwrite(ptr, 1, n, req->file) == n ? n : 0;
		}
		// An error body goes to memory, for the message.
	}
	if (!append(req, ptr, n)) {
		return 0;
	}
	if (req->kind == REQUEST_STREAM) {
		emit_lines(req);
	}
	return n;
}

static size_t read_callback(char *buffer, size_t size, size_t nitems,
		void *userdata) {
	struct engine_request *req = userdata;
	if (req->read) {
		size_t n = req->read(req->data, buffer, size * nitems);
		if (n == ENGINE_READ_PAUSE) {
			req->paused = true;
			return CURL_READFUNC_PAUSE;
		}
		return n == ENGINE_READ_ABORT ? CURL_READFUNC_ABORT : n;
	}
	size_t n = fread(buffer, 1, size * nitems, req->file);
	if (n == 0 && ferror(req->file)) {
		return CURL_READFUNC_ABORT;
	}
	return n;
}

void engine_request_resume(struct engine_request *req) {
	if (req && req->paused) {
		req->paused = false;
		curl_easy_pause(req->easy, CURLPAUSE_CONT);
	}
}

static int progress_callback(void *clientp, curl_off_t dltotal,
		curl_off_t dlnow, curl_off_t ultotal, curl_off_t ulnow) {
	struct engine_request *req = clientp;
	if (req->progress && ultotal > 0) {
		req->progress(req->data, (uint64_t)ulnow, (uint64_t)ultotal);
	}
	return 0;
}

static void request_free(struct engine_request *req) {
	wl_list_remove(&req->link);
	if (req->easy) {
		curl_multi_remove_handle(req->engine->multi, req->easy);
		curl_easy_cleanup(req->easy);
	}
	curl_slist_free_all(req->headers);
	free(req->body_out);
	free(req->body);
	free(req);
}

static void finish(struct engine_request *req, CURLcode code) {
	long status = 0;
	curl_easy_getinfo(req->easy, CURLINFO_RESPONSE_CODE, &status);
	char error[1024];
	const char *err = NULL;
	if (code != CURLE_OK) {
		struct stat st;
		if (req->overflow) {
			set_error(error, sizeof(error), "the engine's answer is larger "
				"than %u MiB", MAX_BODY >> 20);
		} else if (code == CURLE_COULDNT_CONNECT && req->engine->socket_path) {
			// curl would speak of "localhost port 80": say what it means.
			bool exists = stat(req->engine->socket_path, &st) == 0;
			set_error(error, sizeof(error), "%s: %s", req->engine->address,
				exists ? "nothing answers on this socket" :
				"no such socket");
		} else {
			set_error(error, sizeof(error), "%s: %s", req->engine->address,
				req->curl_error[0] ? req->curl_error :
				curl_easy_strerror(code));
		}
		err = error;
	} else if (status < 200 || status >= 300) {
		char message[768];
		if (engine_parse_error_message(req->body ? req->body : "",
				req->body_len, message, sizeof(message))) {
			set_error(error, sizeof(error), "%s (HTTP %ld)", message, status);
		} else {
			set_error(error, sizeof(error), "the engine answered HTTP %ld",
				status);
		}
		err = error;
	}
	char stream_error[768];
	if (!err && req->kind != REQUEST_STREAM && req->kind != REQUEST_DOWNLOAD &&
			engine_parse_stream_error(req->body ? req->body : "",
				req->body_len, stream_error, sizeof(stream_error))) {
		set_error(error, sizeof(error), "%s", stream_error);
		err = error;
	}
	if (req->kind == REQUEST_STREAM && req->body_len > 0 && !err) {
		// A last line without its newline.
		req->line(req->data, req->body, req->body_len);
		req->body_len = 0;
	}
	// The request goes before the callback runs: the callback may start
	// requests, cancel others or destroy the engine.
	char *body = req->body;
	size_t body_len = req->body_len;
	req->body = NULL;
	engine_done_fn done = req->done;
	void *data = req->data;
	request_free(req);
	struct engine_response res = {
		.status = status,
		.body = body ? body : "",
		.body_len = body_len,
		.error = err,
	};
	if (done) {
		done(data, &res);
	}
	free(body);
}

static void check_done(struct engine *engine) {
	CURLMsg *msg;
	int left;
	// A callback may destroy the engine: then stop and free it after.
	bool outer = !engine->dispatching;
	engine->dispatching = true;
	while (!engine->destroy_pending &&
			(msg = curl_multi_info_read(engine->multi, &left))) {
		if (msg->msg != CURLMSG_DONE) {
			continue;
		}
		struct engine_request *req = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&req);
		CURLcode code = msg->data.result;
		if (req) {
			finish(req, code);
		}
	}
	if (outer) {
		engine->dispatching = false;
		if (engine->destroy_pending) {
			engine_destroy(engine);
		}
	}
}

static char *make_url(struct engine *engine, const char *path) {
	const char *prefix = "";
	char version[32] = "";
	if (path[0] == '/' && path[1] == '/') {
		path++;
	} else if (engine->api_version) {
		snprintf(version, sizeof(version), "/v%s", engine->api_version);
		prefix = version;
	}
	size_t len = strlen(engine->base_url) + strlen(prefix) + strlen(path) + 1;
	char *url = malloc(len);
	if (url) {
		snprintf(url, len, "%s%s%s", engine->base_url, prefix, path);
	}
	return url;
}

static struct engine_request *request_new(struct engine *engine,
		enum request_kind kind, const char *method, const char *path,
		engine_done_fn done, void *data) {
	struct engine_request *req = calloc(1, sizeof(*req));
	if (!req) {
		return NULL;
	}
	wl_list_init(&req->link);
	req->engine = engine;
	req->kind = kind;
	req->done = done;
	req->data = data;
	req->easy = curl_easy_init();
	char *url = make_url(engine, path);
	if (!req->easy || !url) {
		free(url);
		request_free(req);
		return NULL;
	}
	CURL *e = req->easy;
	curl_easy_setopt(e, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(e, CURLOPT_PRIVATE, req);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, req->curl_error);
	curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, write_callback);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, req);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	if (kind != REQUEST_STREAM && kind != REQUEST_UPLOAD &&
			kind != REQUEST_DOWNLOAD) {
		curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, engine->timeout_ms);
	}
	if (engine->socket_path) {
		curl_easy_setopt(e, CURLOPT_UNIX_SOCKET_PATH, engine->socket_path);
	}
	if (engine->tls && engine->cert_dir) {
		char file[4096];
		snprintf(file, sizeof(file), "%s/ca.pem", engine->cert_dir);
		curl_easy_setopt(e, CURLOPT_CAINFO, file);
		snprintf(file, sizeof(file), "%s/cert.pem", engine->cert_dir);
		curl_easy_setopt(e, CURLOPT_SSLCERT, file);
		snprintf(file, sizeof(file), "%s/key.pem", engine->cert_dir);
		curl_easy_setopt(e, CURLOPT_SSLKEY, file);
	}
	wl_list_insert(&engine->requests, &req->link);
	return req;
}

static struct engine_request *request_start(struct engine_request *req) {
	if (curl_multi_add_handle(req->engine->multi, req->easy) != CURLM_OK) {
		request_free(req);
		return NULL;
	}
	return req;
}

struct engine_request *engine_request(struct engine *engine,
		const char *method, const char *path, const char *json_body,
		engine_done_fn done, void *data) {
	struct engine_request *req = request_new(engine, REQUEST_BUFFERED, method,
		path, done, data);
	if (!req) {
		return NULL;
	}
	if (json_body) {
		req->body_out = strdup(json_body);
		req->headers = curl_slist_append(NULL,
			"Content-Type: application/json");
		curl_easy_setopt(req->easy, CURLOPT_HTTPHEADER, req->headers);
		curl_easy_setopt(req->easy, CURLOPT_POSTFIELDS, req->body_out);
		curl_easy_setopt(req->easy, CURLOPT_POSTFIELDSIZE,
			(long)strlen(req->body_out));
	} else if (!strcmp(method, "POST")) {
		curl_easy_setopt(req->easy, CURLOPT_POSTFIELDS, "");
		curl_easy_setopt(req->easy, CURLOPT_POSTFIELDSIZE, 0L);
	}
	return request_start(req);
}

static struct engine_request *upload(struct engine *engine,
		const char *method, const char *path, FILE *file, engine_read_fn read,
		uint64_t size, const char *content_type, engine_progress_fn progress,
		engine_done_fn done, void *data) {
	struct engine_request *req = request_new(engine, REQUEST_UPLOAD, method,
		path, done, data);
	if (!req) {
		return NULL;
	}
	req->file = file;
	req->read = read;
	req->progress = progress;
	char header[256];
	snprintf(header, sizeof(header), "Content-Type: %s", content_type);
	req->headers = curl_slist_append(NULL, header);
	// No "Expect: 100-continue" round trip: the engines do not need it.
	req->headers = curl_slist_append(req->headers, "Expect:");
	CURL *e = req->easy;
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, req->headers);
	curl_easy_setopt(e, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(e, CURLOPT_READFUNCTION, read_callback);
	curl_easy_setopt(e, CURLOPT_READDATA, req);
	curl_easy_setopt(e, CURLOPT_INFILESIZE_LARGE, (curl_off_t)size);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, progress_callback);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, req);
	// An engine that stops reading for this long has hung.
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(e, CURLOPT_LOW_SPEED_TIME, engine->timeout_ms / 1000);
	return request_start(req);
}

struct engine_request *engine_upload(struct engine *engine,
		const char *method, const char *path, FILE *file, uint64_t size,
		const char *content_type, engine_progress_fn progress,
		engine_done_fn done, void *data) {
	return upload(engine, method, path, file, NULL, size, content_type,
		progress, done, data);
}

struct engine_request *engine_upload_from(struct engine *engine,
		const char *method, const char *path, engine_read_fn read,
		uint64_t size, const char *content_type, engine_progress_fn progress,
		engine_done_fn done, void *data) {
	return upload(engine, method, path, NULL, read, size, content_type,
		progress, done, data);
}

struct engine_request *engine_download(struct engine *engine,
		const char *path, FILE *file, engine_done_fn done, void *data) {
	struct engine_request *req = request_new(engine, REQUEST_DOWNLOAD, "GET",
		path, done, data);
	if (!req) {
		return NULL;
	}
	req->file = file;
	curl_easy_setopt(req->easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(req->easy, CURLOPT_LOW_SPEED_TIME,
		engine->timeout_ms / 1000);
	return request_start(req);
}

struct engine_request *engine_stream(struct engine *engine, const char *path,
		engine_line_fn line, engine_done_fn done, void *data) {
	struct engine_request *req = request_new(engine, REQUEST_STREAM, "GET",
		path, done, data);
	if (!req) {
		return NULL;
	}
	req->line = line;
	return request_start(req);
}

void engine_request_cancel(struct engine_request *request) {
	if (request) {
		request_free(request);
	}
}

int engine_pending(const struct engine *engine) {
	return wl_list_length(&engine->requests);
}

void engine_set_timeout(struct engine *engine, long timeout_ms) {
	engine->timeout_ms = timeout_ms > 0 ? timeout_ms : DEFAULT_TIMEOUT_MS;
}

void engine_set_podman(struct engine *engine, bool podman) {
	engine->podman = podman;
}

bool engine_is_podman(const struct engine *engine) {
	return engine->podman;
}

void engine_set_mode(struct engine *engine, bool rootless, int cgroup) {
	engine->rootless = rootless;
	engine->cgroup_version = cgroup;
}

bool engine_is_rootless(const struct engine *engine) {
	return engine->rootless;
}

int engine_cgroup_version(const struct engine *engine) {
	return engine->cgroup_version;
}

const char *engine_api_version(const struct engine *engine) {
	return engine->api_version;
}

void engine_set_api_version(struct engine *engine, const char *version) {
	free(engine->api_version);
	engine->api_version = version ? strdup(version) : NULL;
}

const char *engine_address(const struct engine *engine) {
	return engine->address;
}

static bool parse_address(struct engine *engine, const char *address,
		char *error, size_t error_len) {
	if (!strncmp(address, "unix://", 7)) {
		const char *path = address + 7;
		if (path[0] != '/') {
			set_error(error, error_len, "%s: the socket path must be "
				"absolute", address);
			return false;
		}
		engine->socket_path = strdup(path);
		engine->base_url = strdup("http://localhost");
		return engine->socket_path && engine->base_url;
	}
	if (!strncmp(address, "tcp://", 6)) {
		const char *tls = getenv("DOCKER_TLS_VERIFY");
		engine->tls = tls && tls[0] && strcmp(tls, "0");
		const char *certs = getenv("DOCKER_CERT_PATH");
		if (engine->tls) {
			const char *home = getenv("HOME");
			char dir[4096];
			snprintf(dir, sizeof(dir), "%s/.docker", home ? home : "");
			engine->cert_dir = strdup(certs && certs[0] ? certs : dir);
		}
		size_t len = strlen(address) + 16;
		engine->base_url = malloc(len);
		if (!engine->base_url) {
			return false;
		}
		snprintf(engine->base_url, len, "%s://%s", engine->tls ? "https" :
			"http", address + 6);
		return true;
	}
	set_error(error, error_len, "%s: not an engine address (unix:///path "
		"or tcp://host:port)", address);
	return false;
}

struct engine *engine_create(struct wl_event_loop *loop, const char *address,
		char *error, size_t error_len) {
	static bool curl_ready;
	if (!curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			set_error(error, error_len, "libcurl cannot start");
			return NULL;
		}
		curl_ready = true;
	}
	struct engine *engine = calloc(1, sizeof(*engine));
	if (!engine) {
		set_error(error, error_len, "out of memory");
		return NULL;
	}
	engine->loop = loop;
	engine->timeout_ms = DEFAULT_TIMEOUT_MS;
	wl_list_init(&engine->requests);
	engine->address = strdup(address);
	if (!engine->address || !parse_address(engine, address, error,
			error_len)) {
		engine_destroy(engine);
		return NULL;
	}
	engine->multi = curl_multi_init();
	engine->timer = wl_event_loop_add_timer(loop, handle_timer, engine);
	if (!engine->multi || !engine->timer) {
		set_error(error, error_len, "out of memory");
		engine_destroy(engine);
		return NULL;
	}
	curl_multi_setopt(engine->multi, CURLMOPT_SOCKETFUNCTION, socket_callback);
	curl_multi_setopt(engine->multi, CURLMOPT_SOCKETDATA, engine);
	curl_multi_setopt(engine->multi, CURLMOPT_TIMERFUNCTION, timer_callback);
	curl_multi_setopt(engine->multi, CURLMOPT_TIMERDATA, engine);
	return engine;
}

void engine_destroy(struct engine *engine) {
	if (!engine) {
		return;
	}
	if (engine->dispatching) {
		// Called from a callback: requests go now, the rest after.
		struct engine_request *req, *tmp;
		wl_list_for_each_safe(req, tmp, &engine->requests, link) {
			request_free(req);
		}
		engine->destroy_pending = true;
		return;
	}
	struct engine_request *req, *tmp;
	wl_list_for_each_safe(req, tmp, &engine->requests, link) {
		request_free(req);
	}
	if (engine->multi) {
		curl_multi_cleanup(engine->multi);
	}
	if (engine->timer) {
		wl_event_source_remove(engine->timer);
	}
	free(engine->address);
	free(engine->socket_path);
	free(engine->base_url);
	free(engine->cert_dir);
	free(engine->api_version);
	free(engine);
}
