/* events.h: the sockets the kernel frees, from sock_diag's destroy groups
 * (SKNLGRP_INET{,6}_{TCP,UDP}_DESTROY): each comes with its final tcp_info,
 * so a connection that opened and closed between two samples is still
 * counted, with its bytes. */
#ifndef NETTOP_EVENTS_H
#define NETTOP_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../close_event.h"

/* The ring's length when the caller names none: the screen's last N. */
#define EVENTS_RING_DEFAULT 10000

struct events;

/* Opens the listener in the calling thread's network namespace and starts
 * its thread. ring: how many events are kept (0: EVENTS_RING_DEFAULT; the
 * screen's Closed view reads the last of them, event_ring_recent()).
 * follow: a reader takes every event in order (events_take); the thread
 * then waits for it rather than overwrite unread events, so a slow reader
 * leaves them in the kernel's buffer, and an overflow there is counted as
 * lost, never silent. NULL with *err: -EPERM without CAP_NET_ADMIN,
 * -EPROTONOSUPPORT without sock_diag, -ENOMEM. */
struct events *events_open(size_t ring, bool follow, int *err);
void events_close(struct events *e);
/* Readable (an eventfd) while events wait to be taken. */
int events_fd(const struct events *e);
/* Moves up to max of the events not yet taken to out, oldest first, and
 * clears the fd's readiness once none is left. Returns how many. */
size_t events_take(struct events *e, struct close_event *out, size_t max);
/* Events the kernel dropped (ENOBUFS), and the ones the ring overwrote before
 * a following reader took them, since events_open. */
uint64_t events_lost(const struct events *e);
/* The receive buffer asked for: 32 MiB, which the kernel reports doubled.
 * Without CAP_NET_ADMIN (SO_RCVBUFFORCE) net.core.rmem_max caps it. */
#define EVENTS_RCVBUF_WANTED (2u * 32 * 1024 * 1024)
/* The receive buffer the kernel granted, in bytes (as it reports it). */
size_t events_rcvbuf(const struct events *e);
/* What a failure of events_open means for a user. */
const char *events_strerror(int err);

/* Parses one destroy message (an inet_diag_msg with INET_DIAG_PROTOCOL and,
 * for TCP, INET_DIAG_INFO) into ev->r. Returns 0, or -EINVAL when it is too
 * short, not sock_diag's, or an attribute runs past it. */
int events_parse_msg(const void *msg, size_t len, struct close_event *ev);

/* Parses every message of a received buffer, calling fn for each event.
 * Returns the number of malformed messages skipped. Never reads past
 * buf + len. */
size_t events_walk_buf(const void *buf, size_t len, const struct timespec *wall,
		       const struct timespec *mono,
		       void (*fn)(void *arg, const struct close_event *ev), void *arg);

#endif
