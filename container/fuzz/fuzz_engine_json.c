/* libFuzzer target: every parser of engine answers, on arbitrary bytes.
 * Built with clang when meson is set up with -Dfuzz=true. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
	// The parsers take buffers that need not be NUL-terminated; give
	// them exactly the bytes, in a heap block that ends there, so that
	// ASan sees any read past the end.
	char *buf = malloc(size ? size : 1);
	if (!buf) {
		return 0;
	}
	memcpy(buf, data, size);
	char out[512], error[256], id[80];
	int status;
	struct engine_event event;
	struct engine_version_info info;
	engine_parse_error_message(buf, size, out, sizeof(out));
	engine_parse_stream_error(buf, size, out, sizeof(out));
	if (engine_parse_version(buf, size, &info, error, sizeof(error))) {
		char version[16];
		engine_choose_api_version(&info, version, sizeof(version), error,
			sizeof(error));
	}
	engine_parse_event(buf, size, &event);
	engine_parse_id(buf, size, id, sizeof(id), error, sizeof(error));
	engine_parse_wait(buf, size, &status, error, sizeof(error));
	struct engine_container_info *infos;
	size_t ninfos;
	if (engine_parse_container_list(buf, size, &infos, &ninfos, error,
			sizeof(error))) {
		free(infos);
	}
	free(buf);
	return 0;
}
