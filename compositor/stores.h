#ifndef PWL_STORES_H
#define PWL_STORES_H

/* The pocket stores the session knows: configured ones ([stores] path)
 * and those that appear under the mount roots ([stores] mount-root;
 * default /media, /media/$USER, /run/media/$USER). */
struct pwl_server;
struct pwl_stores;
struct json_object;

struct pwl_stores *stores_create(struct pwl_server *server);
void stores_destroy(struct pwl_stores *stores); // accepts NULL
/** [{"path": ..., "source": "config"|"mounted"}] */
struct json_object *stores_json(struct pwl_stores *stores);

#endif
