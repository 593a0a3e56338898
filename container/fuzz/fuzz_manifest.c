/* libFuzzer target: app manifests from untrusted stores. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	if (size == 0) {
		return 0; // fmemopen wants at least one byte
	}
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f) {
		return 0;
	}
	struct manifest m;
	struct manifest_messages errors = { 0 }, warnings = { 0 };
	manifest_parse(&m, f, "fuzz.desktop", "fuzz", &errors, &warnings);
	fclose(f);
	manifest_finish(&m);
	manifest_messages_finish(&errors);
	manifest_messages_finish(&warnings);
	return 0;
}
