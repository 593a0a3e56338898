#ifndef POCKET_INI_LINE_H
#define POCKET_INI_LINE_H

/* inih reads through a buffer of fixed size (Debian's libinih: 200 bytes)
 * and takes the tail of a longer line for a line of its own. This reader
 * notices such a line, skips its tail and sets *too_long, so that the
 * caller reports "path:line: line too long" instead of misreading it. */
#include <stdbool.h>
#include <stdio.h>

char *ini_line_read(char *str, int num, FILE *f, bool *too_long);

#endif
