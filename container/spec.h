#ifndef POCKET_SPEC_H
#define POCKET_SPEC_H

/* What a container is made of, in our words; spec_to_json() turns it into
 * the body of POST /containers/create that Docker 20.10+ and Podman 4 both
 * accept. Binds use Mounts with Type=bind: a missing host path is then an
 * error, where the old Binds field silently creates a directory. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct spec_bind {
	const char *source; // host path
	const char *target; // path in the container
	bool read_only;
};

struct spec_device {
	const char *host; // a device node on the host
	const char *container; // where the app sees it
};

struct spec_kv {
	const char *key;
	const char *value;
};

struct container_spec {
	const char *image;
	const char *const *command; // NULL-terminated; NULL: the image's
	const char *const *env; // "NAME=value", NULL-terminated; may be NULL
	const char *user; // "uid:gid"; may be NULL
	const char *working_dir; // Config.WorkingDir; NULL: the image's
	const struct spec_bind *binds;
	size_t binds_len;
	const struct spec_device *devices;
	size_t devices_len;
	/* Supplementary groups of the app's user, as numbers: the device
	 * nodes' groups, whose ACLs on the host do not reach the container. */
	const unsigned *group_add;
	size_t group_add_len;
	const char *const *tmpfs; // container paths; may be NULL
	bool read_only_rootfs;
	bool cap_drop_all;
	bool no_new_privileges;
	const char *network_mode; // "none", "bridge"...; may be NULL
	const struct spec_kv *labels;
	size_t labels_len;
	int64_t memory_bytes; // 0: no limit
	int64_t pids_limit; // 0: no limit
	/* 0: the engine's default. Podman 4.3 with runc cannot apply explicit
	 * ulimits once every capability is dropped (RLIMIT_NPROC fails). */
	int64_t nofile;
	bool auto_remove;
	/* A private, writable XDG_RUNTIME_DIR: a small tmpfs at this path,
	 * mode 0700, owned by runtime_uid:runtime_gid. NULL: none. */
	const char *runtime_dir;
	unsigned runtime_uid, runtime_gid;
	/* Podman takes no uid=/gid= for a tmpfs; its "U" gives the tmpfs to
	 * the container's user instead. */
	bool podman;
	/* HostConfig.UsernsMode: "keep-id" under rootless Podman, so that the
	 * session user is the same user inside; NULL: the engine's default. */
	const char *userns_mode;
	/* What the engine keeps of the app's output: at most log_max_files
	 * files of log_max_bytes each (0: the engine's default, unbounded). */
	int64_t log_max_bytes;
	int log_max_files;
	/* A tiny init as PID 1 (docker-init, catatonit) that forwards signals:
	 * an app as PID 1 ignores SIGTERM unless it handles it, and every stop
	 * would wait for the SIGKILL. */
	bool init;
};

/** Returns a newly allocated JSON body, or NULL with `error` filled when
 * the spec is incomplete (no image, a relative or missing bind source...).
 * Bind sources are checked here, on the host, because Podman 4.3 would
 * create a missing one. */
char *spec_to_json(const struct container_spec *spec, char *error,
	size_t error_len);

/** Splits a manifest Command into argv like a shell would for words,
 * single and double quotes and backslashes (nothing else: no variables,
 * no globs). Returns a NULL-terminated array to free with
 * spec_free_command, or NULL with `error` filled (unbalanced quote). */
char **spec_split_command(const char *text, char *error, size_t error_len);
void spec_free_command(char **argv); // accepts NULL

#endif
