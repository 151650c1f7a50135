/* events.c: the destroy-event listener: its socket, its thread, its ring.
 * The parser takes plain buffers, so recorded events replay without a
 * socket (tests, fuzzing). */
#include "events.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../thread.h"
#include "event_ring.h"
#include "nlparse.h"
#include "sockdiag.h"

/* Bursts of 20k closes a second: at ~1 KiB of kernel memory per event, 32
 * MiB holds over a second of them while the thread is not scheduled. */
#define EVENTS_RCVBUF (int)(EVENTS_RCVBUF_WANTED / 2)
/* One multicast message per receive; tcp_info is ~250 bytes. */
#define EVENTS_RECV_BUF (64 * 1024)

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif

struct events {
	struct mnl_socket *nl;
	int ready_fd;			/* eventfd: events wait to be taken */
	int stop_fd;			/* eventfd: wakes the thread's poll to stop */
	bool follow;
	void *buf;

	struct stoppable thread;	/* its stop, under lock */
	pthread_mutex_t lock;		/* guards what follows */
	pthread_cond_t room;		/* follow: the reader took some; or stop */
	struct event_ring ring;
	uint64_t enobufs;		/* ENOBUFS seen: the count when SO_MEMINFO fails */
};

static bool attr_u8(const struct nlattr *a, uint8_t *v)
{
	if (!a || mnl_attr_get_payload_len(a) < 1)
		return false;
	*v = *(const uint8_t *)mnl_attr_get_payload(a);
	return true;
}

/* tcp_info of any length: what it lacks stays 0, what it has beyond ours is
 * not read. */
static void parse_sent(const struct nlattr *a, struct close_event *ev)
{
	struct tcp_info info;
	size_t len = mnl_attr_get_payload_len(a);

	memset(&info, 0, sizeof(info));
	memcpy(&info, mnl_attr_get_payload(a), len < sizeof(info) ? len : sizeof(info));
	ev->has_sent = len >= offsetof(struct tcp_info, tcpi_bytes_retrans) + sizeof(info.tcpi_bytes_retrans);
	ev->bytes_sent = info.tcpi_bytes_sent;
	ev->bytes_retrans = info.tcpi_bytes_retrans;
}

int events_parse_msg(const void *msg, size_t len, struct close_event *ev)
{
	const struct nlmsghdr *nlh = msg;
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	size_t head = mnl_nlmsg_size(sizeof(struct inet_diag_msg));
	uint8_t protocol;

	if (len < sizeof(*nlh) || nlh->nlmsg_len > len || nlh->nlmsg_len < head ||
	    nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return -EINVAL;
	if (nlparse_attrs((const char *)msg + head, nlh->nlmsg_len - head, tb, INET_DIAG_MAX) < 0)
		return -EINVAL;
	if (!attr_u8(tb[INET_DIAG_PROTOCOL], &protocol) ||
	    (protocol != IPPROTO_TCP && protocol != IPPROTO_UDP))
		return -EINVAL;	/* UDP-Lite, SCTP, raw: not ours to count */
	memset(ev, 0, sizeof(*ev));
	if (sockdiag_parse_msg(msg, nlh->nlmsg_len, protocol == IPPROTO_TCP ? PROTO_TCP : PROTO_UDP,
			       &ev->r, &ev->x, &ev->a) < 0)
		return -EINVAL;
	ev->r.owner = OWNER_NONE;
	if (tb[INET_DIAG_INFO] && protocol == IPPROTO_TCP)
		parse_sent(tb[INET_DIAG_INFO], ev);
	return 0;
}

size_t events_walk_buf(const void *buf, size_t len, const struct timespec *wall,
		       const struct timespec *mono,
		       void (*fn)(void *arg, const struct close_event *ev), void *arg)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = len > INT32_MAX ? INT32_MAX : (int)len;
	size_t malformed = 0;

	for (; nlparse_msg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		struct close_event ev;

		if (nlh->nlmsg_type == NLMSG_NOOP || nlh->nlmsg_type == NLMSG_DONE)
			continue;
		if (events_parse_msg(nlh, nlh->nlmsg_len, &ev) < 0) {
			malformed++;
			continue;
		}
		ev.wall = *wall;
		ev.mono = *mono;
		fn(arg, &ev);
	}
	if (remaining > 0)
		malformed++;
	return malformed;
}

/* Called with the lock held. A following reader is waited for; otherwise
 * the oldest event makes room (and, unread, counts as lost: with a follower
 * that only happens when stopping). */
static void ring_push(struct events *e, const struct close_event *ev)
{
	uint64_t one = 1;

	while (e->follow && event_ring_full(&e->ring) && !e->thread.stop)
		pthread_cond_wait(&e->room, &e->lock);
	if (event_ring_push(&e->ring, ev) && write(e->ready_fd, &one, sizeof(one)) < 0) {
		/* an eventfd only fails when its counter would overflow: it is
		 * readable then anyway */
	}
}

static void on_event(void *arg, const struct close_event *ev)
{
	ring_push(arg, ev);
}

/* Receives one message (or an error) and files it. Returns 1 when there
 * may be more, 0 when none waits, -1 when the socket is broken and the
 * thread must end. */
static int receive_one(struct events *e)
{
	ssize_t n = recv(mnl_socket_get_fd(e->nl), e->buf, EVENTS_RECV_BUF, MSG_DONTWAIT);
	struct timespec wall, mono;
	bool stop;

	if (n < 0) {
		if (errno == ENOBUFS) {
			pthread_mutex_lock(&e->lock);
			e->enobufs++;
			pthread_mutex_unlock(&e->lock);
		}
		if (errno == EAGAIN)
			return 0;
		return errno == ENOBUFS || errno == EINTR ? 1 : -1;
	}
	clock_gettime(CLOCK_REALTIME, &wall);
	clock_gettime(CLOCK_MONOTONIC, &mono);
	pthread_mutex_lock(&e->lock);
	events_walk_buf(e->buf, (size_t)n, &wall, &mono, on_event, e);
	stop = e->thread.stop;
	pthread_mutex_unlock(&e->lock);
	return stop ? 0 : 1;	/* a steady stream must not hold up events_close */
}

static void *events_thread(void *arg)
{
	struct events *e = arg;
	struct pollfd p[2];

	/* named, so that a benchmark can find its CPU time in /proc */
	pthread_setname_np(pthread_self(), "nettop-events");
	p[0] = (struct pollfd){ .fd = mnl_socket_get_fd(e->nl), .events = POLLIN };
	p[1] = (struct pollfd){ .fd = e->stop_fd, .events = POLLIN };
	for (;;) {
		int more = 1;

		if (poll(p, 2, -1) < 0 && errno != EINTR)
			break;
		if (p[1].revents)
			break;
		/* a burst is read whole before the next poll */
		while (more > 0 && (p[0].revents & (POLLIN | POLLERR)))
			more = receive_one(e);
		if (more < 0)
			break;
	}
	return NULL;
}

/* As root the buffer may pass net.core.rmem_max; otherwise what rmem_max
 * allows. */
static void set_rcvbuf(int fd)
{
	int size = EVENTS_RCVBUF;

	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
}

static int events_socket(struct events *e)
{
	unsigned groups = 1u << (SKNLGRP_INET_TCP_DESTROY - 1) | 1u << (SKNLGRP_INET_UDP_DESTROY - 1) |
			  1u << (SKNLGRP_INET6_TCP_DESTROY - 1) | 1u << (SKNLGRP_INET6_UDP_DESTROY - 1);

	e->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!e->nl)
		return -errno;
	set_rcvbuf(mnl_socket_get_fd(e->nl));
	if (mnl_socket_bind(e->nl, groups, MNL_SOCKET_AUTOPID) < 0)
		return -errno;
	return 0;
}

static int events_init(struct events *e, size_t ring)
{
	int err;

	e->ready_fd = e->stop_fd = -1;
	if (event_ring_init(&e->ring, ring ? ring : EVENTS_RING_DEFAULT) < 0 ||
	    !(e->buf = malloc(EVENTS_RECV_BUF)))
		return -ENOMEM;
	if ((err = events_socket(e)))
		return err;
	e->ready_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (e->ready_fd < 0 || e->stop_fd < 0)
		return -errno;
	return stoppable_start(&e->thread, &e->lock, &e->room, events_thread, e);
}

static void events_free(struct events *e)
{
	if (e->nl)
		mnl_socket_close(e->nl);
	if (e->ready_fd >= 0)
		close(e->ready_fd);
	if (e->stop_fd >= 0)
		close(e->stop_fd);
	free(e->buf);
	event_ring_free(&e->ring);
	free(e);
}

struct events *events_open(size_t ring, bool follow, int *err)
{
	struct events *e = calloc(1, sizeof(*e));

	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	e->follow = follow;
	if ((*err = events_init(e, ring))) {
		events_free(e);
		return NULL;
	}
	return e;
}

void events_close(struct events *e)
{
	uint64_t one = 1;

	if (!e)
		return;
	/* the thread sleeps in poll(), or waits for room: wake both */
	if (write(e->stop_fd, &one, sizeof(one)) < 0) {
		/* cannot fail short of an overflow: the fd is readable then */
	}
	stoppable_stop(&e->thread);
	events_free(e);
}

int events_fd(const struct events *e)
{
	return e->ready_fd;
}

size_t events_take(struct events *e, struct close_event *out, size_t max)
{
	size_t n;
	uint64_t drain;

	pthread_mutex_lock(&e->lock);
	n = event_ring_take(&e->ring, out, max);
	/* the eventfd is readable exactly while the ring holds events (a push
	 * to an empty ring wrote it): drained when this take empties the ring,
	 * never read in vain */
	if (n && event_ring_empty(&e->ring) && read(e->ready_fd, &drain, sizeof(drain)) < 0) {
		/* cannot fail: it was written when the ring stopped being empty */
	}
	pthread_cond_broadcast(&e->room);
	pthread_mutex_unlock(&e->lock);
	return n;
}

/* The kernel counts each message it could not queue (sk_drops, which
 * SO_MEMINFO reports); ENOBUFS only says that some were. */
static uint64_t kernel_drops(const struct events *e, uint64_t enobufs)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	socklen_t len = sizeof(mem);

	if (getsockopt(mnl_socket_get_fd(e->nl), SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof(mem[0]))
		return enobufs;
	return mem[SK_MEMINFO_DROPS] > enobufs ? mem[SK_MEMINFO_DROPS] : enobufs;
}

uint64_t events_lost(const struct events *e)
{
	struct events *m = (struct events *)e;	/* the lock only */
	uint64_t enobufs, overwritten;

	pthread_mutex_lock(&m->lock);
	enobufs = e->enobufs;
	/* without a follower, the ring forgets the oldest by design */
	overwritten = e->follow ? e->ring.overwritten : 0;
	pthread_mutex_unlock(&m->lock);
	return kernel_drops(e, enobufs) + overwritten;
}

size_t events_rcvbuf(const struct events *e)
{
	int size = 0;
	socklen_t len = sizeof(size);

	if (getsockopt(mnl_socket_get_fd(e->nl), SOL_SOCKET, SO_RCVBUF, &size, &len) < 0)
		return 0;
	return (size_t)size;
}

const char *events_strerror(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "closed connections need CAP_NET_ADMIN (sock_diag's destroy events); run as root";
	case -EPROTONOSUPPORT:
	case -ENOENT:
		return "closed connections unavailable: the kernel has no sock_diag";
	case -ENOMEM:
		return "closed connections unavailable: out of memory";
	default:
		return "closed connections unavailable: the destroy-event socket failed";
	}
}
