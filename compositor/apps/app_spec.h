#ifndef PWL_APP_SPEC_H
#define PWL_APP_SPEC_H

/* The container spec that hardens every store app, from plain inputs: a
 * pure function (no files, no engine), so that what each permission gives
 * an app is tested in milliseconds (tests/unit/test_app_spec.c); the
 * engine tests check the same spec against Podman and Docker. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "spec.h"

#define APP_RUNTIME_DIR "/run/pocket" // the app's XDG_RUNTIME_DIR inside
#define APP_HOME "/home/pocket" // its data, unless the manifest says Data
#define APP_MAX_ENV 64

struct manifest;
struct pwl_gpu_nodes;

/* How the engine maps users, read from its /info: the app always runs as
 * the session's user on the host. */
enum app_users {
	APP_USERS_ROOTFUL, // uid:gid as is (a root session: [containers] root-uid)
	APP_USERS_KEEP_ID, // rootless Podman: keep-id maps the user to itself
	APP_USERS_ROOT_IS_USER, // rootless Docker: container root is the user
};

struct app_spec_input {
	const struct manifest *manifest;
	uint32_t permissions; // effective: the manifest's, then the overrides
	unsigned uid, gid; // the app's user
	const char *image_id; // "sha256:...": what it runs, never a name
	const char *socket_path; // the instance's socket on the host
	const char *data_dir; // data/<id> on the store, checked (store_fs.h)
	const char *app_id, *instance, *session, *store_key; // labels
	const struct pwl_gpu_nodes *gpu; // the nodes found; may be NULL
	bool podman; // the engine's spelling of the runtime dir's owner
	enum app_users users;
	int64_t memory_bytes, pids_limit, log_max_bytes;
	int log_max_files;
};

/* The spec and the storage it points into. */
struct app_spec {
	struct container_spec spec;
	struct spec_bind binds[2];
	const char *env[APP_MAX_ENV + 1];
	char home[4200];
	char user[64];
	const char *tmpfs[2];
	struct spec_kv labels[4];
	char **command; // may be NULL: the image's own
};

/** Builds the spec. false with `error` for a Command that does not split
 * into words (unbalanced quotes). */
bool app_spec_build(const struct app_spec_input *in, struct app_spec *out,
	char *error, size_t error_len);
void app_spec_finish(struct app_spec *out);

#endif
