/* close_event.h: one socket the kernel freed, as plain data: the listener
 * (sample/events.c) fills it, the views join it to the samples. */
#ifndef NETTOP_CLOSE_EVENT_H
#define NETTOP_CLOSE_EVENT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "snapshot.h"

/* The kernel sends no uid, inode, queue or timer with a destroy event: those
 * fields of r are 0, and owner is OWNER_NONE. Its addresses are a's: r's
 * IPv6 pair is NULL (it belongs to no snapshot), so read them from a, or
 * adopt r into a snapshot (snapshot_set_addrs()) to pass it as a socket. */
struct close_event {
	struct sock_rec r;		/* ports, cookie, state, tcp_info */
	struct addr_pair a;		/* both addresses, zero-padded past IPv4's 4 bytes */
	struct sock_extra x;		/* the rest of its tcp_info */
	struct timespec wall;		/* when it was received (CLOCK_REALTIME) */
	struct timespec mono;		/* and on CLOCK_MONOTONIC, to compare with samples */
	/* tcp_info's payload counts (kernels since 4.19): bytes_acked counts
	 * the SYN and FIN too, these never do */
	bool has_sent;
	uint64_t bytes_sent, bytes_retrans;
};

#endif
