#include "ini_line.h"

#include <string.h>

char *ini_line_read(char *str, int num, FILE *f, bool *too_long) {
	*too_long = false;
	char *line = fgets(str, num, f);
	if (!line) {
		return NULL;
	}
	size_t len = strlen(line);
	if (len + 1 == (size_t)num && line[len - 1] != '\n') {
		int c = fgetc(f);
		if (c == EOF) {
			return line; // the last line fills the buffer exactly
		}
		*too_long = true;
		while (c != '\n' && c != EOF) {
			c = fgetc(f);
		}
	}
	return line;
}
