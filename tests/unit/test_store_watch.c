/* Stores appearing and disappearing under a watched mount root, the way
 * udisks does it: a directory is made, then a disk mounted on it; later
 * unmounted, then the directory removed. As root the "disk" is a tmpfs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <wayland-server-core.h>

#include "store_watch.h"

struct seen {
	int added, removed;
	char last[512];
};

static void on_added(void *data, const char *path) {
	struct seen *s = data;
	s->added++;
	snprintf(s->last, sizeof(s->last), "%s", path);
}

static void on_removed(void *data, const char *path) {
	struct seen *s = data;
	s->removed++;
	snprintf(s->last, sizeof(s->last), "%s", path);
}

static long now_ms(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Turns the loop until *counter reaches value; returns the time it took. */
static long turn_until(struct wl_event_loop *loop, int *counter, int value) {
	long start = now_ms();
	while (*counter < value && now_ms() - start < 3000) {
		wl_event_loop_dispatch(loop, 50);
	}
	return now_ms() - start;
}

static void write_store(const char *dir) {
	char path[1024];
	snprintf(path, sizeof(path), "%s/pocket-store.ini", dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("[store]\nname = USB\nformat = 1\n", f);
	fclose(f);
}

static void test_plug_and_unplug(void **state) {
	char root[] = "/tmp/pwl-media-XXXXXX";
	assert_non_null(mkdtemp(root));
	// A store that is there before we start is found at once.
	char early[600];
	snprintf(early, sizeof(early), "%s/early", root);
	mkdir(early, 0755);
	write_store(early);

	struct wl_event_loop *loop = wl_event_loop_create();
	struct seen seen = { 0 };
	struct store_watch_listener listener = { on_added, on_removed, &seen };
	const char *roots[] = { root, "/nonexistent/media", NULL };
	struct store_watch *watch = store_watch_create(loop, roots, &listener);
	assert_non_null(watch);
	assert_int_equal(seen.added, 1);
	assert_string_equal(seen.last, early);

	char usb[600];
	snprintf(usb, sizeof(usb), "%s/USB", root);
	assert_int_equal(mkdir(usb, 0755), 0);
	bool mounted = geteuid() == 0 &&
		mount("tmpfs", usb, "tmpfs", 0, "size=1m") == 0;
	write_store(usb);
	long took = turn_until(loop, &seen.added, 2);
	assert_int_equal(seen.added, 2);
	assert_string_equal(seen.last, usb);
	assert_true(took < 1000);
	fprintf(stderr, "store on %s appeared after %ld ms\n",
		mounted ? "a tmpfs mount" : "a plain directory", took);

	if (mounted) {
		// Unmounted: gone, even while the directory stays.
		assert_int_equal(umount(usb), 0);
	} else {
		char file[700];
		snprintf(file, sizeof(file), "%s/pocket-store.ini", usb);
		unlink(file);
	}
	took = turn_until(loop, &seen.removed, 1);
	assert_int_equal(seen.removed, 1);
	assert_string_equal(seen.last, usb);
	assert_true(took < 1000);
	rmdir(usb);

	// A directory that never becomes a store is not reported.
	char other[600];
	snprintf(other, sizeof(other), "%s/camera", root);
	mkdir(other, 0755);
	turn_until(loop, &seen.added, 3);
	assert_int_equal(seen.added, 2);
	rmdir(other);

	store_watch_destroy(watch);
	wl_event_loop_destroy(loop);
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plug_and_unplug),
	};
	return cmocka_run_group_tests_name("store_watch", tests, NULL, NULL);
}
