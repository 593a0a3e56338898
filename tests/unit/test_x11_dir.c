/* /tmp/.X11-unix: created 1777 by a root session, opened up when it is
 * root's 0755 leftover of wlroots, never touched when it is someone
 * else's, and a clear message when it cannot be used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/x11_dir.h"

static void test_decide(void **state) {
	(void)state;
	assert_int_equal(x11_dir_decide(false, false, 0, 0, true, false),
		X11_DIR_CREATE);
	assert_int_equal(x11_dir_decide(false, false, 0, 0, false, false),
		X11_DIR_OK);
	assert_int_equal(x11_dir_decide(true, true, 0, 041777, false, true),
		X11_DIR_OK);
	assert_int_equal(x11_dir_decide(true, true, 0, 040755, true, true),
		X11_DIR_OPEN_UP);
	// As a user, root's 0755 is a message with the fix, not a silent fail.
	assert_int_equal(x11_dir_decide(true, true, 0, 040755, false, false),
		X11_DIR_WARN);
	// Another user's directory, or a non-directory: never chmod'ed.
	assert_int_equal(x11_dir_decide(true, true, 1000, 040755, true, true),
		X11_DIR_OK);
	assert_int_equal(x11_dir_decide(true, false, 0, 0100644, true, true),
		X11_DIR_WARN);
	assert_int_equal(x11_dir_decide(true, true, 0, 040700, true, true),
		X11_DIR_OK);
}

static void test_prepare(void **state) {
	(void)state;
	char dir[] = "/tmp/pwl-x11-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char path[64];
	snprintf(path, sizeof(path), "%s/.X11-unix", dir);
	bool root = geteuid() == 0;
	// Missing: root makes it 1777 whatever the umask.
	mode_t old = umask(022);
	bool ok = x11_dir_prepare(path);
	umask(old);
	struct stat st;
	if (root) {
		assert_true(ok);
		assert_int_equal(lstat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 01777);
		// Root's 0755 leftover is opened up.
		assert_int_equal(chmod(path, 0755), 0);
		assert_true(x11_dir_prepare(path));
		assert_int_equal(lstat(path, &st), 0);
		assert_int_equal(st.st_mode & 07777, 01777);
		rmdir(path);
	} else {
		assert_true(ok); // left to wlroots, which makes it for this user
	}
	// A file in its place is not usable, and not touched.
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fclose(f);
	assert_false(x11_dir_prepare(path));
	assert_int_equal(lstat(path, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	unlink(path);
	rmdir(dir);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_prepare),
	};
	return cmocka_run_group_tests_name("x11-dir", tests, NULL, NULL);
}
