#include "apps/app_spec.h"

#include <stdio.h>
#include <string.h>

#include "clients/app.h"
#include "manifest.h"
#include "util/gpu_nodes.h"

bool app_spec_build(const struct app_spec_input *in, struct app_spec *out,
		char *error, size_t error_len) {
	memset(out, 0, sizeof(*out));
	const struct manifest *m = in->manifest;
	if (m->command) {
		out->command = spec_split_command(m->command, error, error_len);
		if (!out->command) {
			return false;
		}
	}
	// The runtime directory is a tmpfs of the container's own; only the
	// socket comes from the host, read-only (connecting works on a
	// read-only mount): the app cannot fill or booby-trap a host folder.
	out->binds[0] = (struct spec_bind){ in->socket_path,
		APP_RUNTIME_DIR "/wayland-0", true };
	out->binds[1] = (struct spec_bind){ in->data_dir,
		m->data_path ? m->data_path : APP_HOME, false };
	// Ours first so that the manifest cannot point the app elsewhere; the
	// engine keeps the first of duplicate names.
	size_t n = 0;
	snprintf(out->home, sizeof(out->home), "HOME=%s",
		m->data_path ? "/tmp" : APP_HOME);
	out->env[n++] = "XDG_RUNTIME_DIR=" APP_RUNTIME_DIR;
	out->env[n++] = "WAYLAND_DISPLAY=wayland-0";
	out->env[n++] = "XDG_SESSION_TYPE=wayland";
	out->env[n++] = out->home;
	for (size_t i = 0; m->env && m->env[i] && n < APP_MAX_ENV; i++) {
		out->env[n++] = m->env[i];
	}
	out->env[n] = NULL;
	// Whoever the engine calls it, the app is the session's user on the
	// host: with rootless Docker that is the container's root (still
	// without a capability).
	bool root_is_user = in->users == APP_USERS_ROOT_IS_USER;
	unsigned uid = root_is_user ? 0 : in->uid;
	unsigned gid = root_is_user ? 0 : in->gid;
	snprintf(out->user, sizeof(out->user), "%u:%u", uid, gid);
	out->tmpfs[0] = "/tmp";
	out->labels[0] = (struct spec_kv){ "io.pocketwl.app", in->app_id };
	out->labels[1] = (struct spec_kv){ "io.pocketwl.instance", in->instance };
	out->labels[2] = (struct spec_kv){ "io.pocketwl.session", in->session };
	out->labels[3] = (struct spec_kv){ "io.pocketwl.store", in->store_key };
	bool gpu = (in->permissions & PWL_PERM_GPU) && in->gpu;
	out->spec = (struct container_spec){
		.image = in->image_id,
		.command = (const char *const *)out->command,
		.env = out->env,
		.user = out->user,
		// Apps start in their data directory, as a program started from
		// a desktop starts in the user's home.
		.working_dir = m->data_path ? m->data_path : APP_HOME,
		.binds = out->binds,
		.binds_len = 2,
		.devices = gpu ? in->gpu->devices : NULL,
		.devices_len = gpu ? in->gpu->len : 0,
		.group_add = gpu ? in->gpu->groups : NULL,
		.group_add_len = gpu ? in->gpu->groups_len : 0,
		.tmpfs = out->tmpfs,
		.read_only_rootfs = true,
		.init = true,
		.cap_drop_all = true,
		.no_new_privileges = true,
		.network_mode = (in->permissions & PWL_PERM_NETWORK) ? NULL : "none",
		.labels = out->labels,
		.labels_len = 4,
		.runtime_dir = APP_RUNTIME_DIR,
		.runtime_uid = uid,
		.runtime_gid = gid,
		.podman = in->podman,
		.userns_mode = in->users == APP_USERS_KEEP_ID ? "keep-id" : NULL,
		.log_max_bytes = in->log_max_bytes,
		.log_max_files = in->log_max_files,
		.memory_bytes = in->memory_bytes,
		.pids_limit = in->pids_limit,
	};
	return true;
}

void app_spec_finish(struct app_spec *out) {
	spec_free_command(out->command);
	out->command = NULL;
}
