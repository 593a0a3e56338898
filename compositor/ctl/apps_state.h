#ifndef PWL_APPS_STATE_H
#define PWL_APPS_STATE_H

/* What `pocketctl apps` adds to a store's listing: each app's state in the
 * running session ("running", "loading"... or "stopped") and whether the
 * engine has its image (true, false, or unknown without an engine). */
#include <json-c/json.h>

/** Fills "state" and "image_present" of every {"id", "image"} in `list`.
 * `engine_address` may be NULL: then the session's engine, if any. */
void apps_add_state(struct json_object *list, const char *engine_address);

/** One quiet request to the running session ({"command": COMMAND}), or
 * NULL when there is none or it does not answer within 3 s. */
struct json_object *session_ask(const char *command);

#endif
