#ifndef POCKET_UTF8_H
#define POCKET_UTF8_H

/* UTF-8 decoding for drawing text (window titles, app names from stores):
 * shared by the compositor and the panel. */
#include <stdbool.h>
#include <stdint.h>

/** Decodes one sequence and advances *s; invalid bytes, overlong or
 * surrogate code points become U+FFFD, one byte at a time. */
uint32_t utf8_next(const char **s);
/** Replaces control characters (C0 but tab and newline, DEL, and C1 as
 * UTF-8) with '?', in
 * place: text from stores and clients, before it reaches a terminal
 * (escape sequences) or a label. Returns true if it changed anything. */
bool utf8_strip_controls(char *s);

#endif
