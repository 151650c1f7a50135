/* procs.c: a full scan of /proc/PID/fd per sample. Simple and exact; the
 * incremental, cached scan of the process-attribution issue replaces it. */
#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct inode_owner {
	uint32_t inode;
	int32_t proc;
};

struct owner_list {
	struct inode_owner *v;
	size_t n, cap;
};

static int owner_push(struct owner_list *l, uint32_t inode, int32_t proc)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 256;
		struct inode_owner *p = realloc(l->v, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->v = p, l->cap = cap;
	}
	l->v[l->n++] = (struct inode_owner){ inode, proc };
	return 0;
}

static int owner_cmp(const void *a, const void *b)
{
	const struct inode_owner *x = a, *y = b;

	return x->inode < y->inode ? -1 : x->inode > y->inode;
}

/* "socket:[12345]" -> 12345; 0 for anything else. */
static uint32_t socket_inode(const char *link, ssize_t len)
{
	uint64_t v = 0;

	if (len < 10 || memcmp(link, "socket:[", 8) || link[len - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < len - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT32_MAX)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v > UINT32_MAX ? 0 : (uint32_t)v;
}

static void read_comm(int pid_dir, char *comm, size_t len)
{
	int fd = openat(pid_dir, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, comm, len - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0) {
		snprintf(comm, len, "?");
		return;
	}
	if (comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
}

/* Adds one process's socket descriptors; -EACCES when they cannot be read. */
static int scan_pid(int proc_fd, const char *pid_name, struct snapshot *snap, struct owner_list *owners)
{
	int pid_dir = openat(proc_fd, pid_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fd_dir, proc = -1, err = 0;
	struct stat st;
	struct dirent *de;
	char comm[64];
	DIR *d;

	if (pid_dir < 0)
		return 0;	/* exited meanwhile */
	fd_dir = openat(pid_dir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd_dir < 0 || !(d = fdopendir(fd_dir))) {
		err = errno == EACCES ? -EACCES : 0;
		if (fd_dir >= 0)
			close(fd_dir);
		close(pid_dir);
		return err;
	}
	while ((de = readdir(d))) {
		char link[64];
		ssize_t n;
		uint32_t inode;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(fd_dir, de->d_name, link, sizeof(link));
		inode = n > 0 ? socket_inode(link, n) : 0;
		if (!inode)
			continue;
		if (proc < 0) {
			read_comm(pid_dir, comm, sizeof(comm));
			fstat(pid_dir, &st);
			proc = snapshot_add_proc(snap, atoi(pid_name), st.st_uid, comm);
			if (proc < 0) {
				err = -ENOMEM;
				break;
			}
		}
		if (owner_push(owners, inode, proc) < 0) {
			err = -ENOMEM;
			break;
		}
	}
	closedir(d);
	close(pid_dir);
	return err == -ENOMEM ? 0 : err;
}

int procs_attribute(const char *proc_root, struct snapshot *snap)
{
	struct owner_list owners = { 0 };
	int proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int unreadable = 0;
	struct dirent *de;
	DIR *d;

	if (proc_fd < 0 || !(d = opendir(proc_root))) {
		if (proc_fd >= 0)
			close(proc_fd);
		return -errno;
	}
	while ((de = readdir(d)))
		if (de->d_name[0] >= '1' && de->d_name[0] <= '9' &&
		    scan_pid(proc_fd, de->d_name, snap, &owners) == -EACCES)
			unreadable++;
	closedir(d);
	close(proc_fd);
	qsort(owners.v, owners.n, sizeof(*owners.v), owner_cmp);
	for (size_t i = 0; i < snap->nsocks; i++) {
		struct inode_owner key = { snap->socks[i].inode, 0 }, *hit;

		if (!key.inode)
			continue;
		hit = bsearch(&key, owners.v, owners.n, sizeof(*owners.v), owner_cmp);
		if (hit)
			snap->socks[i].owner = hit->proc;
	}
	free(owners.v);
	snap->flags |= SNAP_HAS_PROCS;
	return unreadable;
}
