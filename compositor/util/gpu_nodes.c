#include "util/gpu_nodes.h"

#include <glob.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <wlr/util/log.h>

static void add_group(struct pwl_gpu_nodes *nodes, gid_t gid, mode_t mode) {
	// Group root would give the app more than the node; a node anyone
	// may open needs no group.
	if (gid == 0 || (mode & (S_IROTH | S_IWOTH)) == (S_IROTH | S_IWOTH)) {
		return;
	}
	for (size_t i = 0; i < nodes->groups_len; i++) {
		if (nodes->groups[i] == (unsigned)gid) {
			return;
		}
	}
	nodes->groups[nodes->groups_len++] = (unsigned)gid;
}

void gpu_nodes_find(struct pwl_gpu_nodes *nodes, const char *pattern) {
	nodes->len = 0;
	nodes->groups_len = 0;
	glob_t g = { 0 };
	if (!pattern || glob(pattern, 0, NULL, &g) != 0) {
		globfree(&g);
		return;
	}
	for (size_t i = 0; i < g.gl_pathc && nodes->len < PWL_GPU_MAX_NODES;
			i++) {
		const char *path = g.gl_pathv[i];
		struct stat st;
		if (stat(path, &st) < 0 || !S_ISCHR(st.st_mode)) {
			wlr_log(WLR_ERROR, "gpu-devices: %s is not a character device; "
				"not given to apps", path);
			continue;
		}
		const char *name = strrchr(path, '/');
		size_t n = nodes->len;
		snprintf(nodes->host[n], sizeof(nodes->host[n]), "%s", path);
		snprintf(nodes->container[n], sizeof(nodes->container[n]),
			"/dev/dri/%s", name ? name + 1 : path);
		bool taken = false;
		for (size_t k = 0; k < n; k++) {
			taken |= !strcmp(nodes->container[k], nodes->container[n]);
		}
		if (taken) {
			wlr_log(WLR_ERROR, "gpu-devices: %s would be %s in the app, "
				"like an earlier one; not given to apps", path,
				nodes->container[n]);
			continue;
		}
		nodes->devices[n].host = nodes->host[n];
		nodes->devices[n].container = nodes->container[n];
		nodes->len++;
		add_group(nodes, st.st_gid, st.st_mode);
	}
	globfree(&g);
}
