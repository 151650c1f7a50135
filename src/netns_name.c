/* netns_name.c: /run/netns names first, then the owner's cgroup (the
 * container or unit of the namespace's oldest process), then the PID. */
#include "netns_name.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "cgroup_owner.h"

/* The container or unit owning pid, into out ("" when none or unknown). */
static void owner_of(int pid, char *out, size_t len)
{
	char path[64], text[16384];
	ssize_t n;
	int fd;

	out[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cgroup", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, text, sizeof(text));
	close(fd);
	if (n > 0 && cgroup_owner_parse(text, (size_t)n, out, len) < 0)
		out[0] = '\0';
}

void netns_display_name(const struct netns_info *e, char *name, size_t len, char *container,
			size_t clen)
{
	char owner[NETNS_NAME_MAX] = "";

	if (e->pid && !e->initial)
		owner_of(e->pid, owner, sizeof(owner));
	if (clen)
		snprintf(container, clen, "%s", owner);
	if (e->name[0])
		snprintf(name, len, "%s", e->name);
	else if (e->initial)
		snprintf(name, len, "host");
	else if (owner[0])
		snprintf(name, len, "%s", owner);
	else if (e->pid)
		snprintf(name, len, "pid:%d", e->pid);
	else
		snprintf(name, len, "inode:%llu", (unsigned long long)e->ino);
}
