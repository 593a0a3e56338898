#ifndef POCKET_UTF8_H
#define POCKET_UTF8_H

/* UTF-8 decoding for drawing text (window titles, app names from stores):
 * shared by the compositor and the panel. */
#include <stdint.h>

/** Decodes one sequence and advances *s; invalid bytes, overlong or
 * surrogate code points become U+FFFD, one byte at a time. */
uint32_t utf8_next(const char **s);

#endif
