/* A store's files as a stranger may lay them out: links out of the store,
 * FIFOs, devices, huge and sparse files, thousands of manifests. Every
 * case must give a refusal naming the file, and nothing outside the store
 * may change (the victim tree is hashed before and after). */
#define _DEFAULT_SOURCE // mkdtemp, symlink, mknod
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store.h"
#include "store_fs.h"

static char dir[256]; // of this test: store/ and victim/
static char store_path[300], victim[300];

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void sh(const char *fmt, ...) {
	char cmd[4096];
	va_list args;
	va_start(args, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, args);
	va_end(args);
	assert_int_equal(system(cmd), 0);
}

/* A digest of the victim tree: names, modes, owners, contents. */
static char *victim_state(void) {
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "cd '%s' && find . -printf '%%p %%m %%u "
		"%%s\\n' | sort && find . -type f -exec sha256sum {} + | sort",
		victim);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, p);
	buf[n] = '\0';
	pclose(p);
	return buf;
}

static int setup(void **state) {
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/pwl-storefs-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(store_path, sizeof(store_path), "%s/store", dir);
	snprintf(victim, sizeof(victim), "%s/victim", dir);
	return 0;
}

static int teardown(void **state) {
	(void)state;
	sh("rm -rf '%s'", dir);
	return 0;
}

/* A fresh store and a victim directory with a file in it. */
static void fresh(void) {
	sh("rm -rf '%s' '%s' && mkdir -p '%s/secret' && echo keep > "
		"'%s/secret/file'", store_path, victim, victim, victim);
	char error[512];
	assert_true(store_init(store_path, "Test", error, sizeof(error)));
}

static void expect_data_refused(const char *words) {
	char *before = victim_state();
	char error[1024], path[4096];
	int root = store_fs_open_root(store_path, error, sizeof(error));
	assert_true(root >= 0);
	int fd = store_fs_data_dir(root, store_path, "app", true, 65534, 65534,
		path, sizeof(path), error, sizeof(error));
	close(root);
	if (fd >= 0 || !strstr(error, words)) {
		fail_msg("expected a refusal with '%s', got fd %d: '%s'", words, fd,
			error);
	}
	char *after = victim_state();
	assert_string_equal(before, after);
	free(before);
	free(after);
}

static void test_data_dir(void **state) {
	(void)state;
	fresh();
	char error[1024], path[4096];
	int root = store_fs_open_root(store_path, error, sizeof(error));
	int fd = store_fs_data_dir(root, store_path, "app", true, 65534, 65534,
		path, sizeof(path), error, sizeof(error));
	assert_true(fd >= 0);
	struct stat st;
	assert_int_equal(fstat(fd, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0700);
	if (getuid() == 0) {
		assert_int_equal(st.st_uid, 65534); // given through the fd
	}
	assert_non_null(strstr(path, "/store/data/app"));
	assert_true(store_fs_same_dir(root, "data/app", fd));
	// Swapped for a link after the check: seen before the engine is told.
	char moved[512], link[512];
	snprintf(moved, sizeof(moved), "%s/data/app.old", store_path);
	snprintf(link, sizeof(link), "%s/data/app", store_path);
	assert_int_equal(rename(link, moved), 0);
	assert_int_equal(symlink(victim, link), 0);
	assert_false(store_fs_same_dir(root, "data/app", fd));
	close(fd);
	close(root);

	// data/<id> pointing at the victim, at /, at the runtime dir.
	fresh();
	sh("mkdir -p '%s/data' && ln -s '%s' '%s/data/app'", store_path, victim,
		store_path);
	expect_data_refused("data/app: is a symbolic link");
	fresh();
	sh("mkdir -p '%s/data' && ln -s / '%s/data/app'", store_path, store_path);
	expect_data_refused("data/app: is a symbolic link");
	// data itself a link: data/app would be the victim's subfolder.
	fresh();
	sh("rm -rf '%s/data' && mkdir -p '%s/app' && ln -s '%s' '%s/data'",
		store_path, victim, victim, store_path);
	expect_data_refused("data: is a symbolic link");
	// An intermediate link that goes nowhere yet: never created through.
	fresh();
	sh("rm -rf '%s/data' && ln -s '%s/newdir' '%s/data'", store_path, victim,
		store_path);
	expect_data_refused("data: is a symbolic link");
	struct stat gone;
	char made[512];
	snprintf(made, sizeof(made), "%s/newdir", victim);
	assert_int_equal(stat(made, &gone), -1);
	// A file where the folder should be.
	fresh();
	sh("mkdir -p '%s/data' && echo x > '%s/data/app'", store_path,
		store_path);
	expect_data_refused("data/app: is not a directory");
}

static void test_remove_tree_keeps_link_targets(void **state) {
	(void)state;
	fresh();
	sh("mkdir -p '%s/data/app/sub' && ln -s '%s' '%s/data/app/victim' && "
		"ln -s '%s/secret/file' '%s/data/app/sub/f'", store_path, victim,
		store_path, victim, store_path);
	char *before = victim_state();
	char error[512], data[512];
	snprintf(data, sizeof(data), "%s/data", store_path);
	int fd = open(data, O_RDONLY | O_DIRECTORY);
	assert_true(fd >= 0);
	assert_true(store_fs_remove_tree(fd, "app"));
	close(fd);
	char *after = victim_state();
	assert_string_equal(before, after);
	free(before);
	free(after);
	(void)error;
	struct stat st;
	char app[600];
	snprintf(app, sizeof(app), "%s/app", data);
	assert_int_equal(lstat(app, &st), -1);
}

static void expect_file_refused(const char *rel, uint64_t max,
		const char *words) {
	char error[1024];
	int root = store_fs_open_root(store_path, error, sizeof(error));
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t size;
	int fd = store_fs_open_file(root, store_path, rel, max, &size, error,
		sizeof(error));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(root);
	if (fd >= 0 || !strstr(error, words) || !strstr(error, rel)) {
		fail_msg("%s: expected a refusal naming it with '%s', got fd %d: "
			"'%s'", rel, words, fd, error);
	}
	// A FIFO with no writer must not make us wait.
	assert_true((t1.tv_sec - t0.tv_sec) * 1000 +
		(t1.tv_nsec - t0.tv_nsec) / 1000000 < 500);
}

static void test_file_types_and_sizes(void **state) {
	(void)state;
	fresh();
	sh("cd '%s' && mkfifo fifo && ln -s /dev/zero zero && "
		"truncate -s 2G sparse && ln -s '%s/secret/file' leak && "
		"mkdir folder", store_path, victim);
	expect_file_refused("fifo", 0, "a FIFO");
	expect_file_refused("zero", 0, "symbolic link");
	expect_file_refused("sparse", STORE_MAX_MANIFEST, "more than");
	expect_file_refused("leak", 0, "symbolic link");
	expect_file_refused("folder", 0, "a directory");
	expect_file_refused("../store/fifo", 0, "not a path inside");
	if (getuid() == 0) {
		sh("mknod '%s/dev' c 1 5", store_path);
		expect_file_refused("dev", 0, "a device");
	}
	size_t len;
	char error[1024];
	int root = store_fs_open_root(store_path, error, sizeof(error));
	char *text = store_fs_read(root, store_path, "pocket-store.ini",
		STORE_MAX_HEADER, &len, error, sizeof(error));
	close(root);
	assert_non_null(text);
	assert_non_null(strstr(text, "name = Test"));
	free(text);
}

static void test_hostile_store_loads(void **state) {
	(void)state;
	fresh();
	// A FIFO manifest, a /dev/zero link, a sparse 2 GB manifest, and
	// 10,000 more manifests: a clear message for each kind, quickly.
	sh("cd '%s/apps' && mkfifo fifo.desktop && ln -s /dev/zero "
		"zero.desktop && truncate -s 2G huge.desktop && for i in $(seq "
		"10000); do printf '[Desktop Entry]\\nName=A%%s\\n[X-Pocket]\\n"
		"Image=a\\n' $i > a$i.desktop; done", store_path);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	struct pocket_store s;
	assert_true(store_load(&s, store_path));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 +
		(t1.tv_nsec - t0.tv_nsec) / 1000000;
	printf("# loaded a store with 10,003 manifests in %ld ms: %zu apps, "
		"%zu errors\n", ms, s.apps_len, s.errors.len);
	assert_true(s.apps_len <= STORE_MAX_APPS);
	bool said_cap = false;
	for (size_t i = 0; i < s.errors.len; i++) {
		said_cap |= strstr(s.errors.lines[i], "more than the 256") != NULL;
	}
	assert_true(said_cap);
	store_finish(&s);

	// The special files, with few others, are each named.
	fresh();
	sh("cd '%s/apps' && mkfifo fifo.desktop && ln -s /dev/zero "
		"zero.desktop && truncate -s 2G huge.desktop", store_path);
	assert_true(store_load(&s, store_path));
	const char *want[] = { "fifo.desktop: is not a regular file (a FIFO)",
		"zero.desktop: is a symbolic link", "huge.desktop: is 2147483648 "
		"bytes" };
	for (size_t k = 0; k < 3; k++) {
		bool found = false;
		for (size_t i = 0; i < s.errors.len; i++) {
			found |= strstr(s.errors.lines[i], want[k]) != NULL;
		}
		if (!found) {
			fail_msg("no error saying '%s'", want[k]);
		}
	}
	store_finish(&s);

	// The store file itself as a FIFO, or a link to /dev/zero.
	fresh();
	sh("cd '%s' && rm pocket-store.ini && mkfifo pocket-store.ini",
		store_path);
	assert_false(store_load(&s, store_path));
	assert_non_null(strstr(s.errors.lines[0], "pocket-store.ini: not a "
		"pocket store (is not a regular file (a FIFO))"));
	store_finish(&s);
	fresh();
	sh("cd '%s' && rm pocket-store.ini && ln -s /dev/zero pocket-store.ini",
		store_path);
	assert_false(store_load(&s, store_path));
	assert_non_null(strstr(s.errors.lines[0], "symbolic link"));
	store_finish(&s);
	// apps/ as a link to someone else's folder of manifests.
	fresh();
	sh("rm -rf '%s/apps' && mkdir -p '%s/apps' && printf '[Desktop Entry]"
		"\\nName=X\\n[X-Pocket]\\nImage=x\\n' > '%s/apps/x.desktop' && ln -s "
		"'%s/apps' '%s/apps'", store_path, victim, victim, victim, store_path);
	assert_true(store_load(&s, store_path));
	assert_int_equal(s.apps_len, 0);
	assert_non_null(strstr(s.errors.lines[0], "apps: is a symbolic link"));
	store_finish(&s);
}

static void test_store_identity(void **state) {
	(void)state;
	fresh();
	struct pocket_store a, b;
	assert_true(store_load(&a, store_path));
	assert_int_equal(strlen(a.id), STORE_ID_LEN);
	assert_int_equal(strlen(a.key), STORE_KEY_LEN);
	// Another store made by init has another id, so another key.
	char other[400];
	snprintf(other, sizeof(other), "%s/other", dir);
	char error[512];
	sh("rm -rf '%s'", other);
	assert_true(store_init(other, "Test", error, sizeof(error)));
	assert_true(store_load(&b, other));
	assert_string_not_equal(a.id, b.id);
	assert_string_not_equal(a.key, b.key);
	store_finish(&b);
	// A copy with the same id on the same filesystem is the same store
	// (a disk mounted elsewhere); on another filesystem it is not.
	char k1[STORE_KEY_LEN + 1], k2[STORE_KEY_LEN + 1], k3[STORE_KEY_LEN + 1],
		k4[STORE_KEY_LEN + 1];
	store_compute_key(a.id, "/media/u/A", "uuid:1234", k1);
	store_compute_key(a.id, "/media/u/B", "uuid:1234", k2);
	store_compute_key(a.id, "/media/u/A", "uuid:5678", k3);
	store_compute_key("", "/media/u/A", "uuid:1234", k4);
	assert_string_equal(k1, k2);
	assert_string_not_equal(k1, k3);
	assert_string_not_equal(k1, k4);
	store_finish(&a);
	// A malformed id is an error naming the line.
	sh("printf '[store]\\nname = X\\nid = ../../etc\\nformat = 1\\n' > "
		"'%s/pocket-store.ini'", store_path);
	assert_true(store_load(&a, store_path));
	bool said = false;
	for (size_t i = 0; i < a.errors.len; i++) {
		said |= strstr(a.errors.lines[i], "pocket-store.ini:3: [store] id") !=
			NULL;
	}
	assert_true(said);
	store_finish(&a);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_data_dir),
		cmocka_unit_test(test_remove_tree_keeps_link_targets),
		cmocka_unit_test(test_file_types_and_sizes),
		cmocka_unit_test(test_hostile_store_loads),
		cmocka_unit_test(test_store_identity),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
