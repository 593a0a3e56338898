#ifndef POCKET_SHA256_H
#define POCKET_SHA256_H

/* SHA-256 (FIPS 180-4), for checking image archives before they reach the
 * engine. Streaming: init, update as data comes, final. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct sha256 {
	uint32_t state[8];
	uint64_t length; // bytes so far
	uint8_t block[64];
	size_t used;
};

void sha256_init(struct sha256 *ctx);
void sha256_update(struct sha256 *ctx, const void *data, size_t len);
/** Writes 64 lower-case hex digits and a NUL to `hex`. */
void sha256_final_hex(struct sha256 *ctx, char hex[65]);
/** Hashes a whole file; false on a read error. */
bool sha256_file(FILE *f, char hex[65]);

#endif
