/* netns_name.h: the name people know a network namespace by. */
#ifndef NETTOP_NETNS_NAME_H
#define NETTOP_NETNS_NAME_H

#include <stddef.h>

#include "netns_list.h"

#define NETNS_NAME_MAX 128

/* e's name: its /run/netns name, "host" for the host's, else the container
 * or systemd unit owning its oldest process (from its cgroup), else
 * "pid:N", else "inode:N". container gets that container or unit, or "".
 * Raw text (a container may name itself anything): escape it to show it. */
void netns_display_name(const struct netns_info *e, char *name, size_t len, char *container,
			size_t clen);

#endif
