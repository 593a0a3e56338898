#include "utf8.h"

#include <string.h>

uint32_t utf8_next(const char **s) {
	const unsigned char *p = (const unsigned char *)*s;
	uint32_t cp;
	int len;
	if (p[0] < 0x80) {
		cp = p[0];
		len = 1;
	} else if ((p[0] & 0xe0) == 0xc0) {
		cp = p[0] & 0x1f;
		len = 2;
	} else if ((p[0] & 0xf0) == 0xe0) {
		cp = p[0] & 0x0f;
		len = 3;
	} else if ((p[0] & 0xf8) == 0xf0) {
		cp = p[0] & 0x07;
		len = 4;
	} else {
		*s += 1;
		return 0xfffd;
	}
	for (int i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80) {
			*s += i;
			return 0xfffd;
		}
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	*s += len;
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
		return 0xfffd;
	}
	return cp;
}

bool utf8_strip_controls(char *s) {
	bool changed = false;
	for (unsigned char *p = (unsigned char *)s; *p; p++) {
		// Tabs and newlines are layout, not commands: kept.
		if ((*p < 0x20 && *p != '\t' && *p != '\n') || *p == 0x7f) {
			*p = '?';
			changed = true;
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			// U+0080..U+009F: one '?' and a byte less, in place
			p[0] = '?';
			memmove(p + 1, p + 2, strlen((char *)p + 2) + 1);
			changed = true;
		}
	}
	return changed;
}
