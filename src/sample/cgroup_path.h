/* cgroup_path.h: the cgroup v2 path of a cgroup id (INET_DIAG_CGROUP_ID, the
 * inode of its directory), found by walking the cgroup file system nettop
 * itself sees and cached; walked again when an id is new, at most every
 * few seconds. */
#ifndef NETTOP_CGROUP_PATH_H
#define NETTOP_CGROUP_PATH_H

#include <stdbool.h>

#include "../snapshot.h"

struct cgroup_paths;

/* root: the cgroup2 mount, or NULL for /sys/fs/cgroup, else (hybrid hosts)
 * /sys/fs/cgroup/unified. NULL when out of memory. */
struct cgroup_paths *cgroup_paths_new(const char *root);
void cgroup_paths_free(struct cgroup_paths *c);
/* Fills snap->cgroups with the paths of the cgroups its sockets are in, as
 * far as they are known; when wanted (shown, filtered on) and no cgroup2
 * file system is in view, snap->note says so. 0 or -ENOMEM. */
int cgroup_paths_fill(struct cgroup_paths *c, struct snapshot *snap, bool wanted);

#endif
