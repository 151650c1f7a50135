/* procs.c: an inode -> process map kept across samples.
 *
 * Each sample walks /proc (one readdir: pids come in ascending order) and
 * matches it against the cached processes, also sorted by pid. A process is
 * rescanned only when it is new, when its /proc/PID directory is a different
 * inode (the pid was reused), or when its descriptor count changed (the size
 * of /proc/PID/fd). Rescans run within a time budget; a process left for
 * later makes the sockets nobody claims show as pending ('?'), not as '-'.
 * Sockets that no scan could place (still in an accept queue, or opened in a
 * process whose count did not change) start one round-robin pass over every
 * process; inodes that a full pass did not find are remembered and start no
 * further pass. Processes of another network namespace than the sampled one
 * are never scanned (a stat of /proc/PID/ns/net tells): on a container host
 * the other tenants' descriptors cost nothing. While some process cannot be
 * read, the sockets nobody readable claims are unknown ('?'), not '-'. */
#include "procs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../monotime.h"
#include "../tcpstate.h"
#include "inode_map.h"
#include "via_listener.h"

struct proc_entry {
	int32_t pid;
	bool scanned;			/* inodes below are current */
	bool unreadable;		/* EACCES on its fd directory */
	bool foreign;			/* in another network namespace: not scanned */
	uint64_t dir_ino;		/* /proc/PID's inode: changes when the pid is reused */
	uint64_t start;			/* start time, field 22 of /proc/PID/stat */
	uint32_t uid;
	int64_t nfds;			/* st_size of /proc/PID/fd at the last scan */
	char comm[64];			/* raw, untrusted: escaped when shown */
	uint32_t *inodes;
	size_t ninodes, inodes_cap;
	int32_t snap_index;		/* index in the snapshot being built, or -1 */
	uint64_t scanned_tick;		/* the sample that last scanned it */
};

struct procs {
	int proc_fd;			/* the /proc directory */
	struct proc_entry **procs;	/* sorted by pid */
	size_t nprocs, procs_cap;
	struct inode_map map;		/* inode -> proc_entry*: while a sample is attributed */
	struct inode_set missing;	/* inodes a full pass did not find */
	struct inode_set unknown_prev;	/* inodes the previous sample could not place */
	uint64_t tick;			/* samples attributed so far */
	int32_t cursor;			/* round-robin pass: the next pid to scan */
	size_t pass_left;		/* processes the pass has yet to scan; 0: none */
	uint64_t netns;			/* the sampled namespace's inode; 0: unknown */
};

struct procs *procs_new(const char *proc_root)
{
	struct procs *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->proc_fd = open(proc_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (p->proc_fd < 0) {
		free(p);
		return NULL;
	}
	return p;
}

static void entry_free(struct proc_entry *e)
{
	if (e) {
		free(e->inodes);
		free(e);
	}
}

void procs_free(struct procs *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nprocs; i++)
		entry_free(p->procs[i]);
	free(p->procs);
	inode_map_free(&p->map);
	inode_set_free(&p->missing);
	inode_set_free(&p->unknown_prev);
	close(p->proc_fd);
	free(p);
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

/* Reads a small file under dir; returns its length or -1. */
static ssize_t read_small(int dir, const char *name, char *buf, size_t len)
{
	int fd = openat(dir, name, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n >= 0)
		buf[n] = '\0';
	return n;
}

/* Start time from /proc/PID/stat: field 22, counted after the ")" that ends
 * the name (a name may itself hold spaces and parentheses). */
static uint64_t read_start_time(int pid_dir)
{
	char buf[1024], *p;
	int field = 2;

	if (read_small(pid_dir, "stat", buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')))
		return 0;
	while (*p && field < 22)
		if (*p++ == ' ')
			field++;
	return strtoull(p, NULL, 10);
}

static void read_identity(struct proc_entry *e, int pid_dir)
{
	struct stat st;
	ssize_t n = read_small(pid_dir, "comm", e->comm, sizeof(e->comm));

	if (n <= 0)
		snprintf(e->comm, sizeof(e->comm), "?");
	else if (e->comm[n - 1] == '\n')
		e->comm[n - 1] = '\0';
	e->uid = fstat(pid_dir, &st) == 0 ? st.st_uid : 0;
	e->start = read_start_time(pid_dir);
}

static int push_inode(struct proc_entry *e, uint32_t inode)
{
	if (e->ninodes == e->inodes_cap) {
		size_t cap = e->inodes_cap ? e->inodes_cap * 2 : 16;
		uint32_t *v = realloc(e->inodes, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->inodes = v, e->inodes_cap = cap;
	}
	e->inodes[e->ninodes++] = inode;
	return 0;
}

/* Re-reads a process's socket descriptors. A process that vanished meanwhile
 * is normal: it simply has none. */
static int scan_entry(struct procs *p, struct proc_entry *e)
{
	char name[16];
	int pid_dir, fd_dir;
	struct dirent *de;
	struct stat st;
	DIR *d;

	snprintf(name, sizeof(name), "%d", e->pid);
	e->ninodes = 0;
	e->scanned = true;
	e->scanned_tick = p->tick;
	e->unreadable = false;
	if (e->foreign)
		return 0;
	pid_dir = openat(p->proc_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pid_dir < 0)
		return 0;
	read_identity(e, pid_dir);
	fd_dir = openat(pid_dir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(pid_dir);
	if (fd_dir < 0) {
		e->unreadable = errno == EACCES;
		return 0;
	}
	e->nfds = fstat(fd_dir, &st) == 0 ? (int64_t)st.st_size : -1;
	if (!(d = fdopendir(fd_dir))) {
		close(fd_dir);
		return 0;
	}
	while ((de = readdir(d))) {
		char link[64];
		ssize_t n;
		uint32_t inode;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(fd_dir, de->d_name, link, sizeof(link));
		inode = n > 0 ? socket_inode(link, n) : 0;
		if (inode && push_inode(e, inode) < 0)
			break;
	}
	closedir(d);
	return 0;
}

/* The descriptor count of a process, or -1 when it cannot be read. */
static int64_t fd_count(struct procs *p, const char *pid_name)
{
	char path[32];
	struct stat st;

	snprintf(path, sizeof(path), "%s/fd", pid_name);
	return fstatat(p->proc_fd, path, &st, 0) == 0 ? (int64_t)st.st_size : -1;
}

/* The inode of a network namespace file under /proc (path relative to
 * it), or 0 when it cannot be read (gone, or another user's). */
static uint64_t netns_inode(struct procs *p, const char *path)
{
	struct stat st;

	return fstatat(p->proc_fd, path, &st, 0) == 0 ? (uint64_t)st.st_ino : 0;
}

/* True when the process is known to live in another network namespace than
 * the sampled one; one that cannot be told is scanned (and, if its
 * descriptors are unreadable too, counted as such). */
static bool in_other_netns(struct procs *p, const char *pid_name)
{
	char path[32];
	uint64_t ino;

	snprintf(path, sizeof(path), "%s/ns/net", pid_name);
	ino = p->netns ? netns_inode(p, path) : 0;
	return ino && ino != p->netns;
}

struct pid_seen {
	int32_t pid;
	uint64_t dir_ino;
};

/* Reads the pids of /proc in the order readdir gives (ascending). */
static struct pid_seen *list_pids(struct procs *p, size_t *n)
{
	struct pid_seen *v = NULL;
	size_t cap = 0;
	struct dirent *de;
	int fd = dup(p->proc_fd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;

	*n = 0;
	if (!d) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	rewinddir(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		if (*n == cap) {
			struct pid_seen *nv = realloc(v, (cap = cap ? cap * 2 : 512) * sizeof(*v));

			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = (struct pid_seen){ atoi(de->d_name), de->d_ino };
	}
	closedir(d);
	return v;
}

static int pid_cmp(const void *a, const void *b)
{
	int32_t x = ((const struct pid_seen *)a)->pid, y = ((const struct pid_seen *)b)->pid;

	return x < y ? -1 : x > y;
}

/* Replaces the cached process list by the current one, keeping the entries
 * of processes that still exist and marking those that need a scan. */
static int sync_pids(struct procs *p)
{
	size_t n, old = 0, out = 0;
	struct pid_seen *seen = list_pids(p, &n);
	struct proc_entry **next;

	if (!seen && n)
		return -ENOMEM;
	qsort(seen, n, sizeof(*seen), pid_cmp);	/* usually sorted already */
	next = malloc((n ? n : 1) * sizeof(*next));
	if (!next) {
		free(seen);
		return -ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		struct proc_entry *e = NULL;
		char name[16];

		while (old < p->nprocs && p->procs[old]->pid < seen[i].pid)
			entry_free(p->procs[old++]);
		if (old < p->nprocs && p->procs[old]->pid == seen[i].pid)
			e = p->procs[old++];
		if (e && e->dir_ino != seen[i].dir_ino) {
			entry_free(e);	/* the pid was reused: nothing carries over */
			e = NULL;
		}
		if (!e && !(e = calloc(1, sizeof(*e))))
			continue;
		e->pid = seen[i].pid;
		e->dir_ino = seen[i].dir_ino;
		snprintf(name, sizeof(name), "%d", e->pid);
		if (in_other_netns(p, name) != e->foreign) {
			e->foreign = !e->foreign;	/* it moved: its sockets are others */
			e->scanned = false;
		}
		if (e->scanned && !e->unreadable && !e->foreign && fd_count(p, name) != e->nfds)
			e->scanned = false;
		next[out++] = e;
	}
	while (old < p->nprocs)
		entry_free(p->procs[old++]);
	free(p->procs);
	free(seen);
	p->procs = next;
	p->nprocs = out;
	return 0;
}

/* Scans what is due, new and changed processes first, within the budget.
 * Returns the number left for a later sample. */
static size_t scan_due(struct procs *p, double deadline)
{
	size_t left = 0;

	for (size_t i = 0; i < p->nprocs; i++) {
		if (p->procs[i]->scanned)
			continue;
		if (deadline && (double)monotime_ms() > deadline) {
			left++;
			continue;
		}
		scan_entry(p, p->procs[i]);
	}
	return left;
}

static int rebuild_map(struct procs *p)
{
	size_t total = 0;

	for (size_t i = 0; i < p->nprocs; i++)
		total += p->procs[i]->ninodes;
	if (inode_map_reset(&p->map, total) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < p->nprocs; i++)
		for (size_t k = 0; k < p->procs[i]->ninodes; k++)
			inode_map_put(&p->map, p->procs[i]->inodes[k], p->procs[i]);
	return 0;
}

/* The index of the first process with a pid >= pid, wrapping to 0. */
static size_t index_from(const struct procs *p, int32_t pid)
{
	size_t lo = 0, hi = p->nprocs;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (p->procs[mid]->pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo == p->nprocs ? 0 : lo;
}

/* Continues the round-robin pass that looks for sockets no change test
 * revealed, within the budget. Processes scanned this sample count as done.
 * Returns true when the pass is complete. */
static bool pass_step(struct procs *p, double deadline)
{
	while (p->pass_left && p->nprocs) {
		struct proc_entry *e = p->procs[index_from(p, p->cursor)];

		if (e->scanned_tick != p->tick)
			scan_entry(p, e);
		p->cursor = e->pid + 1;
		p->pass_left--;
		if (deadline && (double)monotime_ms() > deadline)
			break;
	}
	return p->pass_left == 0;
}

/* Re-reads the name of a process that was not rescanned this sample: an
 * exec (or prctl) changes it without changing the descriptor count. */
static void refresh_comm(struct procs *p, struct proc_entry *e)
{
	char path[32], buf[sizeof(e->comm)];
	ssize_t n;
	int fd;

	if (e->scanned_tick == p->tick)
		return;
	snprintf(path, sizeof(path), "%d/comm", e->pid);
	if ((fd = openat(p->proc_fd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	if (buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	memcpy(e->comm, buf, (size_t)n + 1);
}

/* The snapshot's process index for e, adding it on first use. */
static int32_t snap_proc(struct procs *p, struct snapshot *snap, struct proc_entry *e)
{
	if (e->snap_index < 0) {
		refresh_comm(p, e);
		e->snap_index = snapshot_add_proc(snap, e->pid, e->uid, e->comm);
	}
	return e->snap_index;
}

/* Looks every socket up; returns how many with an inode found no owner that
 * is not already known to be missing. */
static size_t assign_owners(struct procs *p, struct snapshot *snap, bool pending)
{
	size_t unknown = 0;

	for (size_t i = 0; i < p->nprocs; i++)
		p->procs[i]->snap_index = -1;
	for (size_t i = 0; i < snap->nsocks; i++) {
		struct sock_rec *r = &snap->socks[i];
		struct proc_entry *e;

		if (!r->inode)
			continue;
		e = inode_map_get(&p->map, r->inode);
		if (e) {
			r->owner = snap_proc(p, snap, e);
		} else if (!inode_set_has(&p->missing, r->inode)) {
			r->owner = pending ? OWNER_PENDING : OWNER_NONE;
			unknown++;
		}
	}
	return unknown;
}

/* Remembers the inodes still unclaimed after a full pass. */
static void remember_missing(struct procs *p, const struct snapshot *snap)
{
	size_t n = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].owner == OWNER_NONE && snap->socks[i].inode;
	if (inode_set_reset(&p->missing, n) < 0)
		return;
	for (size_t i = 0; i < snap->nsocks; i++)
		if (snap->socks[i].owner == OWNER_NONE && snap->socks[i].inode)
			inode_set_add(&p->missing, snap->socks[i].inode);
}

/* How many of the inodes nobody claims were unclaimed in the previous sample
 * too; remembers this sample's for the next. A socket that closed between
 * the dump and the scan (under any churn, some do on every tick) is never
 * found, and must not cost a walk of every process. */
static size_t unknown_again(struct procs *p, const struct snapshot *snap)
{
	struct inode_set now = { 0 };
	size_t n = 0, again = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].inode && snap->socks[i].owner < 0 &&
		     !inode_set_has(&p->missing, snap->socks[i].inode);
	if (inode_set_reset(&now, n) < 0)
		return n;	/* no memory to tell: behave as before */
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->inode && r->owner < 0 && !inode_set_has(&p->missing, r->inode)) {
			inode_set_add(&now, r->inode);
			again += inode_set_has(&p->unknown_prev, r->inode);
		}
	}
	inode_set_free(&p->unknown_prev);
	p->unknown_prev = now;
	return again;
}

/* While some process cannot be read, a socket no readable process holds
 * may well be its: unknown, not ownerless. */
static void mark_unknown(struct snapshot *snap)
{
	for (size_t i = 0; i < snap->nsocks; i++)
		if (snap->socks[i].inode && snap->socks[i].owner == OWNER_NONE)
			snap->socks[i].owner = OWNER_PENDING;
}

int procs_attribute(struct procs *p, struct snapshot *snap, unsigned budget_ms)
{
	double deadline = budget_ms ? (double)monotime_ms() + budget_ms : 0;
	size_t left, unknown, unreadable = 0;
	int err;

	p->tick++;
	/* the calling thread's: the sampler thread may have moved (--netns,
	 * the screen's namespace picker) */
	p->netns = netns_inode(p, "thread-self/ns/net");
	if ((err = sync_pids(p)))
		return err;
	left = scan_due(p, deadline);
	if ((err = rebuild_map(p)))
		return err;
	unknown = assign_owners(p, snap, left > 0);
	if (unknown)
		unknown = unknown_again(p, snap);
	if (unknown && !left) {
		bool done;

		if (!p->pass_left)
			p->pass_left = p->nprocs;
		done = pass_step(p, deadline);
		if ((err = rebuild_map(p)))
			return err;
		assign_owners(p, snap, !done);
		if (done)
			remember_missing(p, snap);
	}
	for (size_t i = 0; i < p->nprocs; i++)
		unreadable += p->procs[i]->unreadable;
	if (unreadable)
		mark_unknown(snap);
	/* rebuilt for every sample: at a million sockets it is 25 MB, which
	 * the screen's peak need not hold while the sample's rows are made */
	inode_map_free(&p->map);
	via_listener_assign(snap);
	snap->flags |= SNAP_HAS_PROCS;
	if (unreadable) {
		snap->flags |= SNAP_PROCS_PARTIAL;
		snap->note = "some processes' sockets cannot be read: run as root "
			     "(or grant CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH)";
	}
	return 0;
}
