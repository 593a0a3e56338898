#include "util/input_serials.h"

#include <stddef.h>

void input_serials_add(struct input_serials *s, const void *client,
		uint32_t serial, int64_t now_ms) {
	if (!client) {
		return;
	}
	unsigned i = s->next++ % INPUT_SERIALS;
	s->recent[i].client = client;
	s->recent[i].serial = serial;
	s->recent[i].time_ms = now_ms;
}

bool input_serials_allow(const struct input_serials *s, const void *client,
		uint32_t serial, int64_t now_ms, int64_t max_age_ms) {
	if (!client) {
		return false;
	}
	for (size_t i = 0; i < INPUT_SERIALS; i++) {
		if (s->recent[i].client == client && s->recent[i].serial == serial &&
				now_ms - s->recent[i].time_ms <= max_age_ms &&
				now_ms >= s->recent[i].time_ms) {
			return true;
		}
	}
	return false;
}

bool input_serials_recent(const struct input_serials *s, const void *client,
		int64_t now_ms, int64_t max_age_ms) {
	for (size_t i = 0; client && i < INPUT_SERIALS; i++) {
		if (s->recent[i].client == client &&
				now_ms - s->recent[i].time_ms <= max_age_ms &&
				now_ms >= s->recent[i].time_ms) {
			return true;
		}
	}
	return false;
}

void input_serials_forget(struct input_serials *s, const void *client) {
	for (size_t i = 0; i < INPUT_SERIALS; i++) {
		if (s->recent[i].client == client) {
			s->recent[i].client = NULL;
		}
	}
}
