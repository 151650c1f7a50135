/* netns_name.c: /run/netns names first, then the owner's cgroup, then the PID. */
#include "netns_name.h"

#include <stdio.h>

void netns_display_name(const struct netns_info *e, char *name, size_t len, char *container,
			size_t clen)
{
	if (clen)
		container[0] = '\0';
	if (e->name[0])
		snprintf(name, len, "%s", e->name);
	else if (e->initial)
		snprintf(name, len, "host");
	else if (e->pid)
		snprintf(name, len, "pid:%d", e->pid);
	else
		snprintf(name, len, "inode:%llu", (unsigned long long)e->ino);
}
