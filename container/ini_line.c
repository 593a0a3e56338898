#include "ini_line.h"

#include <string.h>

static char *read_checked(char *str, int num, FILE *f, bool *too_long) {
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

char *ini_reader_read(char *str, int num, void *stream) {
	struct ini_reader *r = stream;
	bool too_long;
	char *line = read_checked(str, num, r->f, &too_long);
	if (line) {
		(*r->line)++;
	}
	if (too_long) {
		r->too_long(r->data, num - 2);
	}
	return line;
}
