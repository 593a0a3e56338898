#include "args.h"

#include <stddef.h>
#include <string.h>

const char *arg_option(int argc, char *argv[], const char *name) {
	for (int i = 1; i + 1 < argc; i++) {
		if (!strcmp(argv[i], name)) {
			return argv[i + 1];
		}
	}
	return NULL;
}

bool arg_flag(int argc, char *argv[], const char *flag) {
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], flag)) {
			return true;
		}
	}
	return false;
}

const char *arg_positional(int argc, char *argv[],
		const char *const *with_value) {
	for (int i = 1; i < argc; i++) {
		bool takes = false;
		for (size_t k = 0; with_value && with_value[k]; k++) {
			takes |= !strcmp(argv[i], with_value[k]);
		}
		if (takes) {
			i++;
		} else if (argv[i][0] != '-') {
			return argv[i];
		}
	}
	return NULL;
}
