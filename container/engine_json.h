#ifndef POCKET_ENGINE_JSON_H
#define POCKET_ENGINE_JSON_H

/* Parsers of the engine's answers. They take buffers (so they can be
 * fuzzed), check every field for presence and type, and never keep
 * pointers into the JSON they read. */
#include <stdbool.h>
#include <stddef.h>

/** The {"message": "..."} of an error body; false if there is none. */
bool engine_parse_error_message(const char *body, size_t len, char *out,
	size_t out_len);

/** Docker answers image loads and imports with HTTP 200 and reports a
 * failure inside the JSON progress stream ({"error": ...}): the first such
 * message of a (newline-separated) stream; false if there is none. */
bool engine_parse_stream_error(const char *body, size_t len, char *out,
	size_t out_len);

struct engine_version_info {
	char version[64]; // engine's own version
	char api_version[16]; // highest API it serves
	char min_api_version[16]; // lowest; may be "" (then = api_version)
	bool podman; // Components name Podman Engine
};

bool engine_parse_version(const char *body, size_t len,
	struct engine_version_info *info, char *error, size_t error_len);

/** Picks min(ours, engine's max), refused when below the engine's min or
 * below what we need (1.40: Docker 19.03, Podman 4). */
bool engine_choose_api_version(const struct engine_version_info *info,
	char *out, size_t out_len, char *error, size_t error_len);

enum engine_event_kind {
	ENGINE_EVENT_OTHER,
	ENGINE_EVENT_START,
	ENGINE_EVENT_DIE, // Docker "die", Podman "died"
	ENGINE_EVENT_OOM,
	ENGINE_EVENT_DESTROY,
};

struct engine_event {
	enum engine_event_kind kind;
	char id[80];
	char name[128];
	int exit_code; // -1 when not given
};

/** One line of /events. Podman may put the exit code in
 * containerExitCode instead of exitCode. */
bool engine_parse_event(const char *line, size_t len,
	struct engine_event *event);

/** The Id of a created container ({"Id": "...", "Warnings": [...]}). */
bool engine_parse_id(const char *body, size_t len, char *out, size_t out_len,
	char *error, size_t error_len);

/** One container of a /containers/json listing, with pocketwl's labels. */
struct engine_container_info {
	char id[80];
	char state[32]; // "running", "exited", "created"...
	char app[128]; // io.pocketwl.app; "" when absent
	char instance[160]; // io.pocketwl.instance
	char session[160]; // io.pocketwl.session
};
/** Parses a listing into a newly allocated array (NULL and 0 for an empty
 * one). Entries without an Id are skipped; a body that is not a JSON array
 * is an error. */
bool engine_parse_container_list(const char *body, size_t len,
	struct engine_container_info **out, size_t *out_len, char *error,
	size_t error_len);

/** StatusCode of a /wait answer. */
bool engine_parse_wait(const char *body, size_t len, int *status,
	char *error, size_t error_len);

/** A container's output from /logs as text: Docker and Podman frame each
 * chunk with 8 bytes (stream, 0, 0, 0, 32-bit length) when no TTY was
 * asked for; the frames are taken off. At most the last `max` bytes are
 * kept. Newly allocated, NUL-terminated; NULL when out of memory. */
char *engine_logs_text(const char *body, size_t len, size_t max);

/** What /info says of the engine's mode: rootless (Podman's "Rootless",
 * Docker's "name=rootless" security option) and its cgroup version (1 or
 * 2; 0 when not said). false with `error` when it is not such an answer. */
bool engine_parse_info(const char *body, size_t len, bool *rootless,
	int *cgroup_version, char *error, size_t error_len);

#endif
