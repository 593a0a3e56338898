#ifndef PWL_CLOCK_H
#define PWL_CLOCK_H

#include <stdint.h>

/** CLOCK_MONOTONIC in milliseconds: the time the input and focus rules
 * measure ages in. */
int64_t monotonic_ms(void);

#endif
