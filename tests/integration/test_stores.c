#include "common.h"

#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_text(const char *path, const char *text) {
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void make_store(const char *dir, const char *name, const char *app) {
	char path[512];
	snprintf(path, sizeof(path), "%s/pocket-store.ini", dir);
	char text[256];
	snprintf(text, sizeof(text), "[store]\nname = %s\nformat = 1\n", name);
	write_text(path, text);
	snprintf(path, sizeof(path), "%s/apps", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/apps/%s.desktop", dir, app);
	snprintf(text, sizeof(text), "[Desktop Entry]\nName=%s\n[X-Pocket]\n"
		"Image=%s:1\n", app, app);
	write_text(path, text);
}

static int count_stores(struct harness *h, const char *needle) {
	struct json_object *r = harness_ipc(h, "{\"command\":\"stores\"}");
	struct json_object *list = json_object_object_get(r, "stores");
	int n = 0;
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		const char *path = json_object_get_string(json_object_object_get(
			json_object_array_get_idx(list, i), "path"));
		n += strstr(path, needle) != NULL;
	}
	json_object_put(r);
	return n;
}

static bool wait_stores(struct harness *h, const char *needle, int want) {
	for (int i = 0; i < 50; i++) {
		if (count_stores(h, needle) == want) {
			return true;
		}
		harness_sleep(h, 20);
	}
	return false;
}

static void test_stores_appear_and_go(void **state) {
	char dir[] = "/tmp/pwl-stores-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char media[128], configured[128], usb[160];
	snprintf(media, sizeof(media), "%s/media", dir);
	snprintf(configured, sizeof(configured), "%s/home-store", dir);
	snprintf(usb, sizeof(usb), "%s/USB-STICK", media);
	mkdir(media, 0755);
	mkdir(configured, 0755);
	make_store(configured, "Home", "notes");
	char config[512];
	snprintf(config, sizeof(config), "[stores]\npath = %s\nmount-root = %s\n",
		configured, media);
	struct harness_options o = { .config = config };
	struct harness *h = start(&o);
	assert_int_equal(count_stores(h, "home-store"), 1);
	assert_int_equal(count_stores(h, "USB-STICK"), 0);

	// Plugged in: a directory, a disk on it, a store on the disk.
	assert_int_equal(mkdir(usb, 0755), 0);
	bool mounted = geteuid() == 0 &&
		mount("tmpfs", usb, "tmpfs", 0, "size=1m") == 0;
	make_store(usb, "Stick", "paint");
	assert_true(wait_stores(h, "USB-STICK", 1));

	// pocketctl apps lists the apps of every store the session knows.
	char cmd[512], out[4096] = "";
	snprintf(cmd, sizeof(cmd), "XDG_RUNTIME_DIR=%s WAYLAND_DISPLAY=wayland-0 "
		"%s apps", harness_runtime_dir(h), getenv("POCKETCTL"));
	FILE *p = popen(cmd, "r");
	size_t n = fread(out, 1, sizeof(out) - 1, p);
	out[n] = '\0';
	assert_int_equal(pclose(p), 0);
	assert_non_null(strstr(out, "notes"));
	assert_non_null(strstr(out, "paint"));
	assert_non_null(strstr(out, "Stick"));

	// Unplugged: gone within a second.
	if (mounted) {
		assert_int_equal(umount(usb), 0);
	} else {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", usb);
		assert_int_equal(system(cmd), 0);
	}
	assert_true(wait_stores(h, "USB-STICK", 0));
	assert_int_equal(count_stores(h, "home-store"), 1);
	char *log = harness_log(h);
	assert_non_null(strstr(log, "Pocket store plugged in"));
	assert_non_null(strstr(log, "Pocket store removed"));
	free(log);
	stop(h);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stores_appear_and_go),
	};
	return RUN_GROUP("stores", tests);
}
