/* allnetns.c: a sock_diag socket and the sockstat files per namespace, each
 * opened once from inside it; namespaces listed again every sample. */
#include "allnetns.h"

#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../netns_list.h"
#include "../netns_name.h"
#include "bpf/bpf_sampler.h"
#include "nldump.h"
#include "procnet.h"

/* A /proc/net file stays the namespace's it was opened in. */
static const char *const ns_files[] = {
	"/proc/thread-self/net/sockstat", "/proc/thread-self/net/sockstat6",
	"/proc/thread-self/net/snmp", "/proc/thread-self/net/netstat",
};
enum { NS_SOCKSTAT, NS_SOCKSTAT6, NS_SNMP, NS_NETSTAT, NS_FILES };
/* /proc/net/netstat is some 4 KiB; room to grow */
#define NS_TEXT_SIZE (64 * 1024)

/* One namespace, kept from sample to sample while it exists. */
struct ns_entry {
	uint64_t dev, ino;
	struct mnl_socket *diag;	/* NULL: not entered (err says why) */
	int ns_fd;			/* the namespace, to enter for a BPF sample; -1 */
	int fd[NS_FILES];		/* its /proc/net files (ns_files[]), opened inside it; -1 */
	int err;
	int index;			/* in the latest sample's snap->netns; -1: not in it */
	bool seen;			/* listed in this sample's scan */
};

struct allnetns {
	int home_fd;			/* the thread's own namespace, to return to */
	char *text;			/* NS_TEXT_SIZE: one /proc/net file read */
	struct ns_entry *v;
	size_t n, cap;
};

struct allnetns *allnetns_new(void)
{
	struct allnetns *a = calloc(1, sizeof(*a));

	if (!a)
		return NULL;
	a->home_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (a->home_fd < 0 || !(a->text = malloc(NS_TEXT_SIZE))) {
		if (a->home_fd >= 0)
			close(a->home_fd);
		free(a);
		return NULL;
	}
	return a;
}

static void entry_close(struct ns_entry *e)
{
	if (e->diag)
		mnl_socket_close(e->diag);
	for (int i = 0; i < NS_FILES; i++) {
		if (e->fd[i] >= 0)
			close(e->fd[i]);
		e->fd[i] = -1;
	}
	e->diag = NULL;
	if (e->ns_fd >= 0)
		close(e->ns_fd);
	e->ns_fd = -1;
}

void allnetns_free(struct allnetns *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		entry_close(&a->v[i]);
	free(a->v);
	free(a->text);
	close(a->home_fd);
	free(a);
}

/* Opens e's sockets from inside its namespace, then returns home. A failure
 * to return is the sample's: every later dump would be the wrong one's. */
static int entry_open(struct allnetns *a, struct ns_entry *e, const struct netns_info *info)
{
	int fd = netns_open_info(info);

	if (fd < 0)
		return e->err = fd, 0;
	if (setns(fd, CLONE_NEWNET) < 0) {
		e->err = -errno;
		close(fd);
		return 0;
	}
	e->ns_fd = fd;
	e->diag = nldump_open(NETLINK_SOCK_DIAG);
	e->err = e->diag ? 0 : -errno;
	for (int i = 0; i < NS_FILES; i++)
		e->fd[i] = open(ns_files[i], O_RDONLY | O_CLOEXEC);
	return setns(a->home_fd, CLONE_NEWNET) < 0 ? -errno : 0;
}

/* The entry of info, new (and opened) on first sight; NULL on failure (*err). */
static struct ns_entry *entry_find(struct allnetns *a, const struct netns_info *info, int *err)
{
	struct ns_entry *e;

	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].dev == info->dev && a->v[i].ino == info->ino)
			return &a->v[i];
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		struct ns_entry *v = realloc(a->v, cap * sizeof(*v));

		if (!v)
			return *err = -ENOMEM, NULL;
		a->v = v;
		a->cap = cap;
	}
	e = &a->v[a->n++];
	*e = (struct ns_entry){ .dev = info->dev, .ino = info->ino, .ns_fd = -1 };
	for (int i = 0; i < NS_FILES; i++)
		e->fd[i] = -1;
	if ((*err = entry_open(a, e, info)) < 0)
		return NULL;
	return e;
}

/* Drops the entries of namespaces no longer listed (their sockets held
 * them alive: closing them lets the kernel free them). */
static void entries_prune(struct allnetns *a)
{
	size_t out = 0;

	for (size_t i = 0; i < a->n; i++) {
		if (a->v[i].seen)
			a->v[out++] = a->v[i];
		else
			entry_close(&a->v[i]);
	}
	a->n = out;
}

/* One of e's files into a->text; its length, or 0 when unreadable. */
static size_t read_file(struct allnetns *a, const struct ns_entry *e, int which)
{
	ssize_t len;

	if (e->fd[which] < 0 || (len = pread(e->fd[which], a->text, NS_TEXT_SIZE - 1, 0)) <= 0)
		return 0;
	a->text[len] = '\0';
	return (size_t)len;
}

static void read_counts(struct allnetns *a, const struct ns_entry *e, struct sockstat_counts *c)
{
	size_t len;

	*c = (struct sockstat_counts){ 0 };
	for (int i = NS_SOCKSTAT; i <= NS_SOCKSTAT6; i++)
		if ((len = read_file(a, e, i))) {
			procnet_parse_sockstat_counts(a->text, len, c);
			/* counts read: an empty dump can be skipped (the kernel would
			 * walk the shared established hash for nothing) */
			c->valid = true;
		}
}

/* The namespace's own TCP counters: a flood in a container shows its
 * syncookies and drops there, not in the host's. */
static void read_tcp(struct allnetns *a, const struct ns_entry *e, struct tcp_counters *tcp)
{
	size_t len;

	*tcp = (struct tcp_counters){ 0 };
	for (int i = NS_SNMP; i <= NS_NETSTAT; i++)
		if ((len = read_file(a, e, i)))
			procnet_parse_counters(a->text, len, tcp);
	if ((len = read_file(a, e, NS_SOCKSTAT)))
		procnet_parse_sockstat(a->text, len, tcp);
}

/* e's sockets by BPF: its programs read the namespace of the thread that
 * runs them. A protocol its counts say it has none of is not walked (the
 * walk, as a dump, passes over every namespace's sockets). A failure to
 * return home is the sample's. */
static int take_bpf(struct allnetns *a, struct ns_entry *e, struct bpf_sampler *bpf,
		    const struct sample_request *req, const struct sockstat_counts *counts,
		    struct snapshot *snap)
{
	struct sample_request mine = *req;
	int err;

	for (int proto = PROTO_TCP; proto <= PROTO_UDP; proto++)
		if (sampler_dump_is_empty(counts, proto, 4) && sampler_dump_is_empty(counts, proto, 6))
			mine.protos &= ~(1u << proto);
	if (!(mine.protos & (SAMPLE_TCP | SAMPLE_UDP)))
		return 0;
	if (setns(e->ns_fd, CLONE_NEWNET) < 0)
		return -errno;
	err = bpf_sampler_take(bpf, &mine, e->diag, snap);
	if (setns(a->home_fd, CLONE_NEWNET) < 0)
		return -errno;
	return err;
}

/* One namespace into snap: its record, then its sockets tagged with it. */
static int take_one(struct allnetns *a, struct ns_entry *e, const struct netns_info *info,
		    struct bpf_sampler *bpf, void *buf, size_t buflen, const struct sample_request *req,
		    struct snapshot *snap)
{
	struct sockstat_counts counts;
	char name[NETNS_NAME_MAX], container[NETNS_NAME_MAX];
	size_t first = snap->nsocks;
	int err, index;

	netns_display_name(info, name, sizeof(name), container, sizeof(container));
	index = snapshot_add_netns(snap, name, container[0] ? container : NULL, info->ino, e->err);
	if ((e->index = index) < 0)
		return -ENOMEM;
	if (!e->diag)
		return 0;
	if (req->want_counters)
		read_tcp(a, e, &snap->netns[index].tcp);
	read_counts(a, e, &counts);
	if (bpf)
		err = take_bpf(a, e, bpf, req, &counts, snap);
	else
		err = sampler_dump_inet(e->diag, buf, buflen, req, &counts, snap);
	for (size_t i = first; i < snap->nsocks; i++)
		snap->socks[i].netns = (uint16_t)index;
	/* gone between the scan and the dump: it is listed, with no sockets */
	if (err == -ENOENT || err == -ECONNREFUSED)
		err = 0;
	return err;
}

int allnetns_take(struct allnetns *a, struct bpf_sampler *bpf, void *buf, size_t buflen,
		  const struct sample_request *req, struct snapshot *snap)
{
	struct netns_info *list;
	long n = netns_scan(&list);
	int err = 0;

	if (n < 0)
		return (int)n;
	for (size_t i = 0; i < a->n; i++)
		a->v[i].seen = false, a->v[i].index = -1;
	for (long i = 0; i < n && !err; i++) {
		struct ns_entry *e = entry_find(a, &list[i], &err);

		if (e) {
			e->seen = true;
			err = take_one(a, e, &list[i], bpf, buf, buflen, req, snap);
		}
	}
	free(list);
	entries_prune(a);
	if (!err && snap->netns_unreadable)
		snap->note = "some network namespaces could not be entered (needs root: CAP_SYS_ADMIN)";
	return err;
}

struct mnl_socket *allnetns_diag_of(const struct allnetns *a, const struct sock_rec *r)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->v[i].index == (int)r->netns)
			return a->v[i].diag;
	return NULL;
}
