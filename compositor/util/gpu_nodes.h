#ifndef PWL_GPU_NODES_H
#define PWL_GPU_NODES_H

/* The GPU's render nodes, for apps with the gpu permission: which host
 * nodes ([containers] gpu-devices, a glob), where the app sees them
 * (/dev/dri/NAME, where Mesa and libdrm look) and the groups its user
 * needs to open them (on the host a logind ACL or the render group grants
 * that; neither reaches a container). */
#include <limits.h>
#include <stddef.h>

#include "spec.h"

#define PWL_GPU_MAX_NODES 8

struct pwl_gpu_nodes {
	struct spec_device devices[PWL_GPU_MAX_NODES];
	size_t len;
	unsigned groups[PWL_GPU_MAX_NODES];
	size_t groups_len;
	char host[PWL_GPU_MAX_NODES][PATH_MAX];
	char container[PWL_GPU_MAX_NODES][PATH_MAX];
};

/** Fills `nodes` with the character devices matching `pattern`; anything
 * else that matches is logged and left out. None is not an error: a
 * machine without a GPU runs the app on the CPU. */
void gpu_nodes_find(struct pwl_gpu_nodes *nodes, const char *pattern);

#endif
