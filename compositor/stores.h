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
/** Finds the store holding apps/<id>.desktop: configured stores first,
 * then mounted ones. Fills `store_path`; false if none has it. */
bool stores_find_app(struct pwl_stores *stores, const char *id,
	char *store_path, size_t store_path_len);
/** [{"path": ..., "source": "config"|"mounted"}] */
struct json_object *stores_json(struct pwl_stores *stores);

#endif
