#ifndef POCKET_INI_LINE_H
#define POCKET_INI_LINE_H

/* inih reads through a buffer of fixed size (Debian's libinih: 200 bytes)
 * and takes the tail of a longer line for a line of its own. This reader
 * (for ini_parse_stream) counts lines, notices such a line, skips its
 * tail and tells the parser, so that it reports "path:line: line too long"
 * instead of misreading it. */
#include <stdbool.h>
#include <stdio.h>

struct ini_reader {
	FILE *f;
	int *line; // the parser's line counter, advanced per line read
	/* Called with the longest line allowed; *line is the long line's. */
	void (*too_long)(void *data, int max);
	void *data;
};

/** The `reader` argument of ini_parse_stream; `stream` is a struct
 * ini_reader. */
char *ini_reader_read(char *str, int num, void *stream);

#endif
