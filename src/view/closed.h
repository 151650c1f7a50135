/* closed.h: closed connections joined, by socket cookie, to what the samples
 * knew of them (first seen, process, bytes so far), and counted per state,
 * remote address and listener. Pure: no I/O, no clock; tested on built
 * samples and events. */
#ifndef NETTOP_CLOSED_H
#define NETTOP_CLOSED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../close_event.h"
#include "../snapshot.h"
#include "../tcpstate.h"
#include "closed_seen.h"

/* One closed connection, joined. */
struct closed_conn {
	struct close_event ev;
	bool seen;			/* some sample had it */
	int64_t duration_ms;		/* seen: since first sampled (a lower bound) */
	int64_t duration_max_ms;	/* not seen: shorter than this (since the last sample); -1 */
	uint8_t last_state;		/* seen: as last sampled; else the kernel's state */
	bool accepted;			/* its local address is a listener's */
	bool has_bytes;			/* TCP with tcp_info */
	uint64_t rx_bytes, tx_bytes;	/* payload the application moved */
	uint64_t rx_credit, tx_credit;	/* of them, after the last sample that saw it */
	int32_t pid;			/* -1: unknown */
	uint32_t uid;			/* the process's, with pid */
	bool via_listener;		/* the process is its listener's */
	char comm[16];
	int32_t listener;		/* index into seen->listeners, or -1 */
};

/* Joins ev to what t knows. */
void closed_join(const struct closed_seen *t, const struct close_event *ev, struct closed_conn *out);

/* Counts of closed connections: per interval (reset by the caller at each
 * sample) and since the start. */
/* rx_bytes, tx_bytes: what the connections moved after the last sample
 * that saw them (all of it when none did): the bytes no sample counted. */
struct closed_remote {
	uint8_t family;			/* 0: a free slot */
	uint8_t addr[16];
	uint32_t closed;
	uint64_t rx_bytes, tx_bytes;
};

struct closed_listener_count {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	uint32_t interval;
	uint64_t total;
	uint64_t rx_bytes, tx_bytes;	/* this interval's, as closed_remote's */
	/* since the start: the closed connections' payload and retransmits */
	uint64_t rx_total, tx_total, retrans_total;
};

/* Listener series kept; more are summed into other_listeners. */
#define CLOSED_LISTENERS_MAX 4096

struct closed_tally {
	uint64_t total;
	uint64_t by_state[ST_COUNT];		/* since the start */
	uint64_t interval_total;
	uint32_t interval_by_state[ST_COUNT];
	struct closed_remote *remotes;		/* this interval: a hash */
	size_t remotes_mask, nremotes;
	struct closed_listener_count *listeners; /* since the start */
	size_t nlisteners, listeners_cap;
	uint64_t other_listeners;
};

void closed_tally_init(struct closed_tally *t);
void closed_tally_free(struct closed_tally *t);
/* Counts c; its listener from seen; its remote unless it had none (a
 * listener, an unconnected UDP socket). 0 or -ENOMEM (the totals still count). */
int closed_tally_add(struct closed_tally *t, const struct closed_seen *seen, const struct closed_conn *c);
/* Starts a new interval. */
void closed_tally_next(struct closed_tally *t);
/* The remotes of this interval, most closed first (ties by address), at most
 * k (0: all). Returns how many, or -ENOMEM; *out is the caller's to free. */
long closed_tally_remotes(const struct closed_tally *t, size_t k, struct closed_remote **out);
/* This interval's count of one remote address (IPv4-mapped as IPv4). */
uint32_t closed_tally_remote_closed(const struct closed_tally *t, uint8_t family,
				    const uint8_t addr[16]);
/* This interval's counts of one remote address, or NULL. */
const struct closed_remote *closed_tally_remote(const struct closed_tally *t, int family,
						const uint8_t addr[16]);
/* A listener's counts, or NULL. */
const struct closed_listener_count *closed_tally_listener(const struct closed_tally *t, uint8_t family,
							  const uint8_t addr[16], uint16_t port);

#endif
