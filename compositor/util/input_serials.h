#ifndef PWL_INPUT_SERIALS_H
#define PWL_INPUT_SERIALS_H

/* The serials of the user's recent key and button events, each with the
 * client it was sent to: what a request that claims to come from the
 * user (a selection, a popup grab, an activation token) must show. Pure:
 * clients are opaque pointers, time is the caller's. */
#include <stdbool.h>
#include <stdint.h>

#define INPUT_SERIALS 32

struct input_serials {
	struct {
		const void *client;
		uint32_t serial;
		int64_t time_ms;
	} recent[INPUT_SERIALS];
	unsigned next;
};

/** A key or button event with `serial` was sent to `client` at `now_ms`. */
void input_serials_add(struct input_serials *s, const void *client,
	uint32_t serial, int64_t now_ms);
/** Whether `serial` is one of those events, sent to `client` no more than
 * `max_age_ms` before `now_ms`. */
bool input_serials_allow(const struct input_serials *s, const void *client,
	uint32_t serial, int64_t now_ms, int64_t max_age_ms);
/** Whether any such event went to `client` in the last `max_age_ms`. */
bool input_serials_recent(const struct input_serials *s, const void *client,
	int64_t now_ms, int64_t max_age_ms);
/** Forgets every event sent to `client` (it lost focus, or is gone). */
void input_serials_forget(struct input_serials *s, const void *client);

#endif
