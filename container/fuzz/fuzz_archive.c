/* libFuzzer target: the image archive check (archive_check.c) over tar
 * bytes from outside, fed in pieces whose sizes come from the input too,
 * so that headers and data split everywhere. */
#include <stddef.h>
#include <stdint.h>

#include "archive_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	if (size < 1) {
		return 0;
	}
	// The first byte picks the piece size (1..256 bytes, or all at once).
	size_t step = data[0] ? data[0] : size;
	data++;
	size--;
	struct archive_check *c = archive_check_create("app:latest");
	if (!c) {
		return 0;
	}
	bool ok = true;
	for (size_t i = 0; ok && i < size; i += step) {
		size_t n = size - i < step ? size - i : step;
		ok = archive_check_feed(c, data + i, n);
	}
	char id[ARCHIVE_IMAGE_ID_LEN + 1];
	if (ok) {
		archive_check_finish(c, id);
	}
	archive_check_destroy(c);
	return 0;
}
