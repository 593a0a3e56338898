#ifndef PWL_STORES_H
#define PWL_STORES_H

/* The pocket stores the session knows: configured ones ([stores] path)
 * and those that appear under the mount roots ([stores] mount-root;
 * default /media, /media/$USER, /run/media/$USER). */
struct pwl_server;
struct pwl_stores;
struct json_object;

#include <stdbool.h>
#include <stddef.h>

struct pwl_stores *stores_create(struct pwl_server *server);
void stores_destroy(struct pwl_stores *stores); // accepts NULL
/* An app of a store: who it is is (store key, id). */
struct pwl_store_app {
	char id[80];
	char key[17];
	char path[4096]; // the store's
	char store_name[256];
	bool mounted; // plugged in, not [stores] path
	/* What the session calls it: the id while only one of its stores
	 * offers that id, else "id@key". */
	char display[100];
};

/** Finds the app `what`, "ID" or "ID@STORE-KEY". A plain ID offered by
 * several stores is an error naming each (the same id from another disk
 * is another app). With `configured_only`, plugged-in stores are not
 * looked at (kiosk mode). false with `error` when not found. */
bool stores_find_app(struct pwl_stores *stores, const char *what,
	bool configured_only, struct pwl_store_app *out, char *error,
	size_t error_len);
/** The display name of (key, id) among the session's stores now. */
void stores_display_id(struct pwl_stores *stores, const char *key,
	const char *id, char *out, size_t out_len);
/* Every store of the session: configured ones first, then plugged-in. */
typedef void (*stores_fn)(void *data, const char *path, bool mounted);
void stores_for_each(struct pwl_stores *stores, stores_fn fn, void *data);
/** [{"path": ..., "source": "config"|"mounted"}] */
struct json_object *stores_json(struct pwl_stores *stores);

#endif
