#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "archive_check.h"
#include "engine_json.h"
#include "engine_ops.h"
#include "pins.h"
#include "sha256.h"
#include "store.h"
#include "store_fs.h"

#define READ_SLICE (1u << 20) // bytes read, hashed and sent at a time

/* The archive's reader, on a thread of its own: it reads each byte once,
 * hashes it, checks what the tar would do, and passes it on through a
 * socket to the upload on the event loop. It holds back the last slice
 * until the hash and the check are good: an archive that fails either is
 * cut short, and the engines take no body that is cut short. Shared by
 * the thread and the event loop; whoever drops the last reference frees. */
struct reader {
	atomic_int refs;
	atomic_bool cancel;
	int file; // the archive; the thread's
	int sock; // the thread's end of the socket pair
	uint64_t size;
	char expected[65];
	char image[512];
	char path[1024]; // for messages
	pthread_mutex_t lock;
	bool finished, ok; // under lock, set before `sock` is closed
	char error[2048];
	char id[ARCHIVE_IMAGE_ID_LEN + 1];
};

struct image_ensure {
	struct engine *engine;
	struct wl_event_loop *loop;
	struct image_ensure_listener listener;
	char *image;
	char *store_path;
	char store_key[STORE_KEY_LEN + 1];
	char *app_id;
	char *archive; // relative to the store; may be NULL
	char sha256[65];
	char image_id[ARCHIVE_IMAGE_ID_LEN + 1]; // what we expect or found
	struct engine_request *request; // may be NULL
	struct reader *reader; // while loading; may be NULL
	int sock; // our end of the reader's socket; -1 when none
	struct wl_event_source *readable; // on `sock`; may be NULL
	struct wl_event_source *idle; // the first step, deferred; may be NULL
	bool loaded;
};

static void reader_unref(struct reader *r) {
	if (atomic_fetch_sub(&r->refs, 1) == 1) {
		if (r->file >= 0) {
			close(r->file);
		}
		if (r->sock >= 0) {
			close(r->sock);
		}
		pthread_mutex_destroy(&r->lock);
		free(r);
	}
}

static bool send_all(int sock, const unsigned char *p, size_t n) {
	while (n > 0) {
		ssize_t k = send(sock, p, n, MSG_NOSIGNAL);
		if (k < 0 && errno == EINTR) {
			continue;
		}
		if (k <= 0) {
			return false; // the event loop's end is gone: cancelled
		}
		p += k;
		n -= (size_t)k;
	}
	return true;
}

static void *reader_run(void *data) {
	struct reader *r = data;
	unsigned char *bufs[2] = { malloc(READ_SLICE), malloc(READ_SLICE) };
	struct archive_check *check = archive_check_create(r->image);
	char error[2048] = "";
	char id[ARCHIVE_IMAGE_ID_LEN + 1] = "";
	struct sha256 hash;
	sha256_init(&hash);
	uint64_t total = 0;
	size_t held = 0;
	int cur = 0;
	bool sent_ok = true;
	if (!bufs[0] || !bufs[1] || !check) {
		snprintf(error, sizeof(error), "out of memory");
	}
	while (!error[0] && sent_ok && !atomic_load(&r->cancel)) {
		ssize_t n = read(r->file, bufs[cur], READ_SLICE);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			snprintf(error, sizeof(error), "cannot read %s: %s", r->path,
				strerror(errno));
			break;
		}
		if (n == 0) {
			break;
		}
		total += (uint64_t)n;
		if (total > r->size) {
			snprintf(error, sizeof(error), "%s grew while it was read; the "
				"engine was left unchanged", r->path);
			break;
		}
		sha256_update(&hash, bufs[cur], (size_t)n);
		if (!archive_check_feed(check, bufs[cur], (size_t)n)) {
			snprintf(error, sizeof(error), "refusing %s: the archive %s; the "
				"engine was left unchanged", r->path,
				archive_check_error(check));
			break;
		}
		if (held) {
			sent_ok = send_all(r->sock, bufs[1 - cur], held);
		}
		held = (size_t)n;
		cur = 1 - cur;
	}
	if (!error[0] && sent_ok && !atomic_load(&r->cancel)) {
		char hex[65];
		sha256_final_hex(&hash, hex);
		if (total != r->size) {
			snprintf(error, sizeof(error), "%s changed while it was read; "
				"the engine was left unchanged", r->path);
		} else if (strcmp(hex, r->expected)) {
			snprintf(error, sizeof(error), "%s is corrupt or truncated: its "
				"SHA-256 is %.12s..., the manifest says %.12s...; the engine "
				"was left unchanged", r->path, hex, r->expected);
		} else if (!archive_check_finish(check, id)) {
			snprintf(error, sizeof(error), "refusing %s: the archive %s; the "
				"engine was left unchanged", r->path,
				archive_check_error(check));
		}
	}
	bool ok = !error[0] && sent_ok && !atomic_load(&r->cancel);
	pthread_mutex_lock(&r->lock);
	r->finished = true;
	r->ok = ok;
	snprintf(r->error, sizeof(r->error), "%s", error);
	snprintf(r->id, sizeof(r->id), "%s", id);
	pthread_mutex_unlock(&r->lock);
	// The last slice goes only now that the archive is known good.
	if (ok && held) {
		send_all(r->sock, bufs[1 - cur], held);
	}
	shutdown(r->sock, SHUT_WR);
	archive_check_destroy(check);
	free(bufs[0]);
	free(bufs[1]);
	reader_unref(r);
	return NULL;
}

/* ---- on the event loop ---- */

static void stop_reading(struct image_ensure *e) {
	if (e->readable) {
		wl_event_source_remove(e->readable);
		e->readable = NULL;
	}
	if (e->sock >= 0) {
		close(e->sock); // the thread's next send fails: it stops
		e->sock = -1;
	}
	if (e->reader) {
		atomic_store(&e->reader->cancel, true);
		reader_unref(e->reader);
		e->reader = NULL;
	}
}

static void ensure_free(struct image_ensure *e) {
	if (e->idle) {
		wl_event_source_remove(e->idle);
	}
	stop_reading(e);
	engine_request_cancel(e->request);
	free(e->image);
	free(e->store_path);
	free(e->app_id);
	free(e->archive);
	free(e);
}

static void finish(struct image_ensure *e, const char *error) {
	struct image_ensure_listener l = e->listener;
	char id[ARCHIVE_IMAGE_ID_LEN + 1];
	snprintf(id, sizeof(id), "%s", e->image_id);
	bool loaded = e->loaded;
	e->request = NULL; // the engine freed it before calling us
	ensure_free(e);
	l.done(l.data, !error && loaded, error ? NULL : id, error);
}

/* The reader's verdict, once it has finished; NULL before. */
static const char *reader_error(struct image_ensure *e, char *buf,
		size_t len) {
	if (!e->reader) {
		return NULL;
	}
	pthread_mutex_lock(&e->reader->lock);
	bool failed = e->reader->finished && !e->reader->ok &&
		e->reader->error[0];
	if (failed) {
		snprintf(buf, len, "%s", e->reader->error);
	}
	pthread_mutex_unlock(&e->reader->lock);
	return failed ? buf : NULL;
}

static size_t source_read(void *data, char *buf, size_t len) {
	struct image_ensure *e = data;
	ssize_t n = recv(e->sock, buf, len, MSG_DONTWAIT);
	if (n > 0) {
		return (size_t)n;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		wl_event_source_fd_update(e->readable, WL_EVENT_READABLE);
		return ENGINE_READ_PAUSE;
	}
	if (n == 0) {
		// The thread closed its end after writing its verdict.
		pthread_mutex_lock(&e->reader->lock);
		bool ok = e->reader->finished && e->reader->ok;
		pthread_mutex_unlock(&e->reader->lock);
		return ok ? 0 : ENGINE_READ_ABORT;
	}
	return ENGINE_READ_ABORT;
}

static int handle_readable(int fd, uint32_t mask, void *data) {
	struct image_ensure *e = data;
	(void)fd;
	(void)mask;
	wl_event_source_fd_update(e->readable, 0);
	engine_request_resume(e->request);
	return 0;
}

static void handle_reinspect(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	if (res->error) {
		char error[1400];
		snprintf(error, sizeof(error), "the archive %.500s/%.500s loaded, but the "
			"engine has no image %s from it", e->store_path, e->archive,
			e->image_id);
		finish(e, error);
		return;
	}
	struct image_pin pin;
	memcpy(pin.archive_sha256, e->sha256, sizeof(pin.archive_sha256));
	memcpy(pin.image_id, e->image_id, sizeof(pin.image_id));
	char error[1024];
	if (!pin_save(e->store_key, e->app_id, &pin, error, sizeof(error))) {
		finish(e, error);
		return;
	}
	e->loaded = true;
	finish(e, NULL);
}

static void handle_loaded(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	e->request = NULL;
	char why[2048];
	const char *refused = reader_error(e, why, sizeof(why));
	if (res->error || refused) {
		char error[2048];
		if (refused) {
			snprintf(error, sizeof(error), "%s", refused);
		} else {
			snprintf(error, sizeof(error), "loading %.500s/%.500s: %s",
				e->store_path, e->archive, res->error);
		}
		finish(e, error);
		return;
	}
	pthread_mutex_lock(&e->reader->lock);
	snprintf(e->image_id, sizeof(e->image_id), "%s", e->reader->id);
	pthread_mutex_unlock(&e->reader->lock);
	stop_reading(e);
	char error[256];
	e->request = engine_image_inspect(e->engine, e->image_id,
		handle_reinspect, e, error, sizeof(error));
	if (!e->request) {
		finish(e, error);
	}
}

static void load_progress(void *data, uint64_t sent, uint64_t total) {
	struct image_ensure *e = data;
	if (e->listener.progress) {
		e->listener.progress(e->listener.data, IMAGE_PHASE_LOADING, sent,
			total);
	}
}

static void start_load(struct image_ensure *e) {
	char error[1024];
	int root = store_fs_open_root(e->store_path, error, sizeof(error));
	uint64_t size = 0;
	int file = root < 0 ? -1 : store_fs_open_file(root, e->store_path,
		e->archive, 0, &size, error, sizeof(error));
	if (root >= 0) {
		close(root);
	}
	if (file < 0) {
		char msg[1200];
		snprintf(msg, sizeof(msg), "cannot use the image archive: %s%s",
			error, errno == ENOENT ? " (is the store's disk plugged in?)" : "");
		finish(e, msg);
		return;
	}
	int pair[2];
	struct reader *r = calloc(1, sizeof(*r));
	if (!r || socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) < 0) {
		free(r);
		close(file);
		finish(e, "cannot start reading the archive (out of resources)");
		return;
	}
	atomic_init(&r->refs, 2); // the thread's and ours
	atomic_init(&r->cancel, false);
	r->file = file;
	r->sock = pair[1];
	r->size = size;
	pthread_mutex_init(&r->lock, NULL);
	memcpy(r->expected, e->sha256, sizeof(r->expected));
	snprintf(r->image, sizeof(r->image), "%s", e->image);
	snprintf(r->path, sizeof(r->path), "%.500s/%.500s", e->store_path,
		e->archive);
	e->reader = r;
	e->sock = pair[0];
	e->readable = wl_event_loop_add_fd(e->loop, e->sock, 0, handle_readable,
		e);
	pthread_t thread;
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	bool started = e->readable &&
		pthread_create(&thread, &attr, reader_run, r) == 0;
	pthread_attr_destroy(&attr);
	if (!started) {
		reader_unref(r); // the thread's reference
		finish(e, "cannot start reading the archive (out of resources)");
		return;
	}
	e->request = engine_image_load_from(e->engine, source_read, size,
		load_progress, handle_loaded, e, error, sizeof(error));
	if (!e->request) {
		finish(e, error);
	}
}

static void handle_start(void *data) {
	struct image_ensure *e = data;
	e->idle = NULL;
	start_load(e);
}

/* An image id as the engines write it in inspect ("sha256:<hex>"). */
static bool take_id(struct image_ensure *e, const struct engine_response *res) {
	char id[128], err[256];
	if (!engine_parse_id(res->body, res->body_len, id, sizeof(id), err,
			sizeof(err))) {
		return false;
	}
	const char *hex = strncmp(id, "sha256:", 7) ? id : id + 7;
	if (strlen(hex) != 64) {
		return false;
	}
	snprintf(e->image_id, sizeof(e->image_id), "sha256:%.64s", hex);
	return true;
}

static void handle_pinned(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	e->request = NULL;
	if (!res->error) {
		finish(e, NULL); // the image we pinned is still there
		return;
	}
	if (res->status != 404) {
		finish(e, res->error);
		return;
	}
	start_load(e); // gone (purged, another engine): load it again
}

static void handle_by_name(void *data, const struct engine_response *res) {
	struct image_ensure *e = data;
	e->request = NULL;
	if (!res->error && take_id(e, res)) {
		finish(e, NULL);
		return;
	}
	if (res->error && res->status != 404) {
		finish(e, res->error);
		return;
	}
	char error[768];
	snprintf(error, sizeof(error), "the engine has no image %s and the app's "
		"manifest names no Archive to load it from", e->image);
	finish(e, error);
}

struct image_ensure *image_ensure(struct engine *engine,
		struct wl_event_loop *loop, const char *store_path,
		const char *store_key, const struct manifest *app,
		const struct image_ensure_listener *l) {
	struct image_ensure *e = calloc(1, sizeof(*e));
	if (!e) {
		return NULL;
	}
	e->engine = engine;
	e->loop = loop;
	e->listener = *l;
	e->sock = -1;
	e->image = strdup(app->image);
	e->store_path = strdup(store_path);
	e->app_id = strdup(app->id);
	e->archive = app->archive ? strdup(app->archive) : NULL;
	snprintf(e->store_key, sizeof(e->store_key), "%s", store_key);
	snprintf(e->sha256, sizeof(e->sha256), "%s", app->archive_sha256);
	if (!e->image || !e->store_path || !e->app_id ||
			(app->archive && !e->archive)) {
		ensure_free(e);
		return NULL;
	}
	char error[256];
	struct image_pin pin;
	if (!e->archive) {
		// Only the engine's image of that name: used by its id.
		e->request = engine_image_inspect(engine, e->image, handle_by_name, e,
			error, sizeof(error));
	} else if (pin_load(store_key, app->id, &pin) &&
			!strcmp(pin.archive_sha256, e->sha256)) {
		memcpy(e->image_id, pin.image_id, sizeof(e->image_id));
		e->request = engine_image_inspect(engine, e->image_id, handle_pinned,
			e, error, sizeof(error));
	} else {
		// Never loaded from this archive for this (store, app): whatever
		// the engine holds under the name is not trusted. Started on the
		// next turn: `done` is never called before we return.
		e->idle = wl_event_loop_add_idle(loop, handle_start, e);
		if (!e->idle) {
			ensure_free(e);
			return NULL;
		}
		return e;
	}
	if (!e->request) {
		ensure_free(e);
		return NULL;
	}
	return e;
}

bool image_archive_inspect(int fd, const char *image,
		void (*progress)(void *data, uint64_t done), void *data,
		char sha256[65], char id[ARCHIVE_IMAGE_ID_LEN + 1], char *error,
		size_t error_len) {
	uint64_t done = 0;
	struct archive_check *check = archive_check_create(image);
	unsigned char *buf = malloc(READ_SLICE);
	struct sha256 hash;
	sha256_init(&hash);
	bool ok = check && buf;
	if (!ok) {
		snprintf(error, error_len, "out of memory");
	}
	while (ok) {
		ssize_t n = read(fd, buf, READ_SLICE);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0) {
			snprintf(error, error_len, "%s", strerror(errno));
			ok = false;
		} else if (n == 0) {
			break;
		} else {
			sha256_update(&hash, buf, (size_t)n);
			if (!archive_check_feed(check, buf, (size_t)n)) {
				ok = false;
			}
			done += (uint64_t)n;
			if (progress) {
				progress(data, done);
			}
		}
	}
	if (ok && !archive_check_finish(check, id)) {
		ok = false;
	}
	if (!ok && check && archive_check_error(check)[0]) {
		snprintf(error, error_len, "the archive %s",
			archive_check_error(check));
	}
	sha256_final_hex(&hash, sha256);
	archive_check_destroy(check);
	free(buf);
	return ok;
}

void image_ensure_cancel(struct image_ensure *ensure) {
	if (ensure) {
		ensure_free(ensure);
	}
}
