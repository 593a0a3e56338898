#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sha256.h"

static void hash(const char *text, size_t len, char hex[65]) {
	struct sha256 ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, text, len);
	sha256_final_hex(&ctx, hex);
}

static void test_known_vectors(void **state) {
	char hex[65];
	hash("", 0, hex);
	assert_string_equal(hex,
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	hash("abc", 3, hex);
	assert_string_equal(hex,
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	hash(two, strlen(two), hex);
	assert_string_equal(hex,
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

/* A file of odd size, hashed in one go and by sha256sum, agree. */
static void test_file_matches_sha256sum(void **state) {
	char path[] = "/tmp/pwl-sha-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w+b");
	for (int i = 0; i < 200003; i++) {
		fputc((i * 7 + i / 13) & 0xff, f);
	}
	rewind(f);
	char hex[65];
	assert_true(sha256_file(f, hex));
	fclose(f);
	char cmd[128], expected[65] = "";
	snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
	FILE *p = popen(cmd, "r");
	assert_int_equal(fscanf(p, "%64s", expected), 1);
	pclose(p);
	unlink(path);
	assert_string_equal(hex, expected);
}

int main(void) {
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_vectors),
		cmocka_unit_test(test_file_matches_sha256sum),
	};
	return cmocka_run_group_tests_name("sha256", tests, NULL, NULL);
}
