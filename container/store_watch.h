#ifndef POCKET_STORE_WATCH_H
#define POCKET_STORE_WATCH_H

/* Notices pocket stores appearing under mount roots (/media, /media/$USER,
 * /run/media/$USER): a directory with pocket-store.ini at its root. It
 * reacts to inotify, never to a clock while nothing happens. A new
 * directory is looked at again for a few seconds, since a disk is mounted
 * on it only after it is made; an unmounted store reports itself through
 * IN_UNMOUNT on its own watch. Nothing on a store is executed. */
struct wl_event_loop;
struct store_watch;

struct store_watch_listener {
	void (*added)(void *data, const char *path);
	void (*removed)(void *data, const char *path);
	void *data;
};

/** `roots` is NULL-terminated; roots that do not exist are skipped. */
struct store_watch *store_watch_create(struct wl_event_loop *loop,
	const char *const *roots, const struct store_watch_listener *listener);
void store_watch_destroy(struct store_watch *watch); // accepts NULL

#endif
