/* netns_list.h: the network namespaces of the host, for the screen's
 * namespace picker. A namespace is known by the inode of its nsfs file; it
 * is found through the names under /run/netns and through every process's
 * /proc/PID/ns/net. */
#ifndef NETTOP_NETNS_LIST_H
#define NETTOP_NETNS_LIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns_info {
	uint64_t dev, ino;		/* the namespace's identity */
	char name[64];			/* its name under /run/netns, or "" */
	int pid;			/* its oldest process, or 0 */
	uint64_t started;		/* when that one started (ticks after boot) */
	char comm[64];			/* that process's name, escaped */
	long sockets;			/* TCP and UDP sockets in use (sockstat); -1: unknown */
	bool initial;			/* the host's own (PID 1's) */
};

/* Every namespace once, named ones first (by name), then by PID. *out is
 * malloc'd (the caller frees it); returns how many, or -errno. Namespaces
 * of processes nettop may not inspect are left out. */
long netns_list(struct netns_info **out);

/* netns_list() without the program names and socket counts: what a sampler
 * of every namespace needs, each sample. */
long netns_scan(struct netns_info **out);

/* The identity of a namespace file (/proc/thread-self/ns/net, say). 0 or -errno. */
int netns_identify(const char *path, uint64_t *dev, uint64_t *ino);

/* The name under /run/netns of the namespace dev/ino, into name; false if none. */
bool netns_name_of(uint64_t dev, uint64_t ino, char *name, size_t len);

/* "pod-a", "host", or "pid 1234 (nginx)": how the screen names e. */
void netns_label(const struct netns_info *e, char *buf, size_t len);

/* Opens e's namespace file (O_RDONLY), checking that it is still e. An fd,
 * or -errno (-ESRCH: it is gone). */
int netns_open_info(const struct netns_info *e);

#endif
