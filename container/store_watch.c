#include "store_watch.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wayland-server-core.h>

#define MAX_ROOTS 8
#define MAX_STORES 64
#define RETRY_MS 200
#define RETRIES 15 // a new directory is looked at for 3 s

struct watched_root {
	char *path;
	int wd;
	int retries_left;
};

struct watched_store {
	char *path;
	int wd;
};

struct store_watch {
	struct store_watch_listener listener;
	int fd;
	struct wl_event_source *source;
	struct wl_event_source *retry;
	struct watched_root roots[MAX_ROOTS];
	int nroots;
	struct watched_store stores[MAX_STORES];
	int nstores;
};

static bool is_store(const char *dir) {
	char path[4200];
	int n = snprintf(path, sizeof(path), "%s/pocket-store.ini", dir);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		return false;
	}
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int find_store(struct store_watch *w, const char *path) {
	for (int i = 0; i < w->nstores; i++) {
		if (!strcmp(w->stores[i].path, path)) {
			return i;
		}
	}
	return -1;
}

static void drop_store(struct store_watch *w, int i) {
	char *path = w->stores[i].path;
	inotify_rm_watch(w->fd, w->stores[i].wd);
	w->stores[i] = w->stores[--w->nstores];
	w->listener.removed(w->listener.data, path);
	free(path);
}

static void add_store(struct store_watch *w, const char *path) {
	if (find_store(w, path) >= 0 || w->nstores == MAX_STORES) {
		return;
	}
	// Its own watch tells when its disk is unmounted or it is removed.
	int wd = inotify_add_watch(w->fd, path,
		IN_UNMOUNT | IN_DELETE_SELF | IN_MOVE_SELF | IN_DELETE);
	if (wd < 0) {
		return;
	}
	char *copy = strdup(path);
	if (!copy) {
		inotify_rm_watch(w->fd, wd);
		return;
	}
	w->stores[w->nstores++] = (struct watched_store){ copy, wd };
	w->listener.added(w->listener.data, path);
}

static void scan_root(struct store_watch *w, struct watched_root *root) {
	DIR *d = opendir(root->path);
	if (!d) {
		return;
	}
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') {
			continue;
		}
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", root->path, e->d_name);
		if (is_store(path)) {
			add_store(w, path);
		}
	}
	closedir(d);
}

static int handle_retry(void *data) {
	struct store_watch *w = data;
	bool again = false;
	for (int i = 0; i < w->nroots; i++) {
		struct watched_root *root = &w->roots[i];
		if (root->retries_left > 0) {
			root->retries_left--;
			scan_root(w, root);
			again |= root->retries_left > 0;
		}
	}
	if (again) {
		wl_event_source_timer_update(w->retry, RETRY_MS);
	}
	return 0;
}

static void handle_event(struct store_watch *w,
		const struct inotify_event *ev) {
	for (int i = 0; i < w->nstores; i++) {
		if (w->stores[i].wd != ev->wd) {
			continue;
		}
		// Unmounted, removed or moved away; or its pocket-store.ini went.
		if ((ev->mask & (IN_UNMOUNT | IN_DELETE_SELF | IN_MOVE_SELF |
				IN_IGNORED)) || (ev->len &&
				!strcmp(ev->name, "pocket-store.ini"))) {
			drop_store(w, i);
		}
		return;
	}
	for (int i = 0; i < w->nroots; i++) {
		struct watched_root *root = &w->roots[i];
		if (root->wd != ev->wd || !ev->len) {
			continue;
		}
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", root->path, ev->name);
		if (ev->mask & (IN_DELETE | IN_MOVED_FROM)) {
			int s = find_store(w, path);
			if (s >= 0) {
				drop_store(w, s);
			}
		} else if (ev->mask & (IN_CREATE | IN_MOVED_TO)) {
			scan_root(w, root);
			root->retries_left = RETRIES;
			wl_event_source_timer_update(w->retry, RETRY_MS);
		}
	}
}

static int handle_readable(int fd, uint32_t mask, void *data) {
	struct store_watch *w = data;
	_Alignas(struct inotify_event) char buf[8192];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)p;
			handle_event(w, ev);
			p += sizeof(*ev) + ev->len;
		}
	}
	return 0;
}

struct store_watch *store_watch_create(struct wl_event_loop *loop,
		const char *const *roots, const struct store_watch_listener *l) {
	struct store_watch *w = calloc(1, sizeof(*w));
	if (!w) {
		return NULL;
	}
	w->listener = *l;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0) {
		free(w);
		return NULL;
	}
	w->source = wl_event_loop_add_fd(loop, w->fd, WL_EVENT_READABLE,
		handle_readable, w);
	w->retry = wl_event_loop_add_timer(loop, handle_retry, w);
	if (!w->source || !w->retry) {
		store_watch_destroy(w);
		return NULL;
	}
	for (int i = 0; roots && roots[i] && w->nroots < MAX_ROOTS; i++) {
		int wd = inotify_add_watch(w->fd, roots[i], IN_CREATE | IN_DELETE |
			IN_MOVED_TO | IN_MOVED_FROM | IN_ONLYDIR);
		if (wd < 0) {
			continue; // not there (yet): nothing to watch
		}
		struct watched_root *root = &w->roots[w->nroots];
		root->path = strdup(roots[i]);
		root->wd = wd;
		if (root->path) {
			w->nroots++;
			scan_root(w, root);
		}
	}
	return w;
}

void store_watch_destroy(struct store_watch *w) {
	if (!w) {
		return;
	}
	for (int i = 0; i < w->nstores; i++) {
		free(w->stores[i].path);
	}
	for (int i = 0; i < w->nroots; i++) {
		free(w->roots[i].path);
	}
	if (w->source) {
		wl_event_source_remove(w->source);
	}
	if (w->retry) {
		wl_event_source_remove(w->retry);
	}
	close(w->fd);
	free(w);
}
