/* netns_list.c: /run/netns and /proc/PID/ns/net, de-duplicated by inode;
 * socket counts from the kernel's sockstat of each namespace. */
#include "netns_list.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "sample/procnet.h"

#define RUN_NETNS "/run/netns"

struct list {
	struct netns_info *v;
	size_t n, cap;
};

int netns_identify(const char *path, uint64_t *dev, uint64_t *ino)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	*dev = (uint64_t)st.st_dev;
	*ino = (uint64_t)st.st_ino;
	return 0;
}

/* The entry for dev/ino, made when new; NULL when out of memory. */
static struct netns_info *list_find(struct list *l, uint64_t dev, uint64_t ino)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].dev == dev && l->v[i].ino == ino)
			return &l->v[i];
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 16;
		struct netns_info *v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n] = (struct netns_info){ .dev = dev, .ino = ino, .sockets = -1 };
	return &l->v[l->n++];
}

/* A file under /run/netns that is no bind mount of a namespace (one left
 * behind) lives on another file system than nsfs: nsfs_dev tells. */
static int scan_names(struct list *l, uint64_t nsfs_dev)
{
	DIR *d = opendir(RUN_NETNS);
	struct dirent *de;

	if (!d)
		return 0;	/* no named namespaces */
	while ((de = readdir(d))) {
		char path[sizeof(RUN_NETNS) + 256];
		struct netns_info *e;
		uint64_t dev = 0, ino = 0;

		if (de->d_name[0] == '.' || strlen(de->d_name) >= sizeof(e->name))
			continue;
		snprintf(path, sizeof(path), RUN_NETNS "/%s", de->d_name);
		if (netns_identify(path, &dev, &ino) < 0 || dev != nsfs_dev)
			continue;
		if (!(e = list_find(l, dev, ino))) {
			closedir(d);
			return -ENOMEM;
		}
		/* two names for one namespace: the first in order */
		if (!e->name[0] || strcmp(de->d_name, e->name) < 0)
			memcpy(e->name, de->d_name, strlen(de->d_name) + 1);	/* fits: checked above */
	}
	closedir(d);
	return 0;
}

static void read_comm(int pid, char *out, size_t len)
{
	char path[64], comm[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	out[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, comm, sizeof(comm) - 1);
	close(fd);
	if (n <= 0)
		return;
	if (comm[n - 1] == '\n')
		n--;
	escape_text(out, len, comm, (size_t)n);
}

/* When pid started, in clock ticks after boot (field 22 of its stat), or
 * UINT64_MAX when it cannot be read. The comm before it may hold anything,
 * ')' too, so the fields are counted from the last ')'. */
static uint64_t start_time(int pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ticks;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return UINT64_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return UINT64_MAX;
	buf[n] = '\0';
	if (!(p = strrchr(buf, ')')))
		return UINT64_MAX;
	/* ") S ppid pgrp ... starttime": 19 fields after the state */
	if (sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
		   &ticks) != 1)
		return UINT64_MAX;
	return ticks;
}

/* Each namespace is named by its oldest process (the one that made it,
 * as a rule): the earliest start, then the lowest PID. Not the lowest PID
 * alone, which wraps. */
static int scan_processes(struct list *l)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		char path[64];
		struct netns_info *e;
		uint64_t dev = 0, ino = 0, started;
		int pid;

		if (!isdigit((unsigned char)de->d_name[0]))
			continue;
		pid = atoi(de->d_name);
		snprintf(path, sizeof(path), "/proc/%d/ns/net", pid);
		/* another user's process, or one gone: not ours to list */
		if (pid <= 0 || netns_identify(path, &dev, &ino) < 0)
			continue;
		if (!(e = list_find(l, dev, ino))) {
			closedir(d);
			return -ENOMEM;
		}
		started = start_time(pid);
		if (!e->pid || started < e->started || (started == e->started && pid < e->pid)) {
			e->pid = pid;
			e->started = started;
		}
	}
	closedir(d);
	return 0;
}

static long sockstat_inuse(const char *dir)
{
	struct sockstat_counts c;

	procnet_read_sockstat_counts(dir, &c);
	if (!c.valid)
		return -1;
	/* TIME_WAIT sockets are not "inuse": counted apart, as the header counts them */
	return (long)(c.inuse[0][0] + c.inuse[0][1] + c.inuse[1][0] + c.inuse[1][1] + c.tw);
}

struct count_job {
	int fd;
	long sockets;
};

static void *count_inside(void *arg)
{
	struct count_job *j = arg;

	if (setns(j->fd, CLONE_NEWNET) == 0)
		j->sockets = sockstat_inuse("/proc/thread-self/net");
	return NULL;
}

/* A namespace no process lives in has no /proc/PID/net: a short-lived
 * thread enters it and reads its own (root only; -1 otherwise). */
static long count_without_process(const struct netns_info *e)
{
	struct count_job j = { .sockets = -1 };
	pthread_t t;

	if ((j.fd = netns_open_info(e)) < 0)
		return -1;
	if (pthread_create(&t, NULL, count_inside, &j) == 0)
		pthread_join(t, NULL);
	close(j.fd);
	return j.sockets;
}

static int info_cmp(const void *a, const void *b)
{
	const struct netns_info *x = a, *y = b;

	if (!x->name[0] != !y->name[0])
		return x->name[0] ? -1 : 1;
	if (x->name[0])
		return strcmp(x->name, y->name);
	return (x->pid > y->pid) - (x->pid < y->pid);
}

long netns_scan(struct netns_info **out)
{
	struct list l = { 0 };
	uint64_t nsfs_dev = 0, ino = 0, init_dev = 0, init_ino = 0;
	int err;

	*out = NULL;
	if ((err = netns_identify("/proc/self/ns/net", &nsfs_dev, &ino)) < 0)
		return err;
	/* the host's: PID 1's, or (where PID 1 is hidden) the kernel threads' */
	if (netns_identify("/proc/1/ns/net", &init_dev, &init_ino) < 0)
		netns_identify("/proc/2/ns/net", &init_dev, &init_ino);
	if ((err = scan_names(&l, nsfs_dev)) < 0 || (err = scan_processes(&l)) < 0) {
		free(l.v);
		return err;
	}
	for (size_t i = 0; i < l.n; i++)
		l.v[i].initial = l.v[i].dev == init_dev && l.v[i].ino == init_ino;
	qsort(l.v, l.n, sizeof(*l.v), info_cmp);
	*out = l.v;
	return (long)l.n;
}

long netns_list(struct netns_info **out)
{
	long n = netns_scan(out);

	for (long i = 0; i < n; i++) {
		struct netns_info *e = &(*out)[i];
		char dir[64];

		if (e->pid) {
			read_comm(e->pid, e->comm, sizeof(e->comm));
			snprintf(dir, sizeof(dir), "/proc/%d/net", e->pid);
			e->sockets = sockstat_inuse(dir);
		} else {
			e->sockets = count_without_process(e);
		}
	}
	return n;
}

bool netns_name_of(uint64_t dev, uint64_t ino, char *name, size_t len)
{
	struct list l = { 0 };
	bool found = false;

	if (scan_names(&l, dev) < 0) {
		free(l.v);
		return false;
	}
	for (size_t i = 0; i < l.n && !found; i++)
		if (l.v[i].ino == ino) {
			snprintf(name, len, "%s", l.v[i].name);
			found = true;
		}
	free(l.v);
	return found;
}

void netns_label(const struct netns_info *e, char *buf, size_t len)
{
	if (e->name[0])
		snprintf(buf, len, "%s", e->name);
	else if (e->initial)
		snprintf(buf, len, "host");
	else if (e->pid)
		snprintf(buf, len, "pid %d (%s)", e->pid, e->comm);
	else
		snprintf(buf, len, "inode %llu", (unsigned long long)e->ino);
}

int netns_open_info(const struct netns_info *e)
{
	char path[sizeof(RUN_NETNS) + 80];
	struct stat st;
	int fd;

	if (e->name[0])
		snprintf(path, sizeof(path), RUN_NETNS "/%s", e->name);
	else if (e->pid)
		snprintf(path, sizeof(path), "/proc/%d/ns/net", e->pid);
	else
		return -ESRCH;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? -ESRCH : -errno;
	/* the name was deleted and made again, or the PID reused */
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_dev != e->dev || (uint64_t)st.st_ino != e->ino) {
		close(fd);
		return -ESRCH;
	}
	return fd;
}
