/* closed_seen.h: what the samples knew of each socket, kept by cookie for
 * the join of destroy events (closed.h): first seen, bytes, state, process,
 * and the TCP listeners of the newest sample. Pure: no I/O, no clock. */
#ifndef NETTOP_CLOSED_SEEN_H
#define NETTOP_CLOSED_SEEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

/* What the samples knew of one socket: kept while it is in the newest
 * sample, and one sample longer, since its event may come after it. 32
 * bytes, updated in place, 3 slots for every 2 at most: the table stays a
 * fraction of the samples' own memory at a million sockets (48 MB). */
struct closed_seen_entry {
	uint64_t cookie;		/* 0: a free slot */
	uint64_t bytes_acked, bytes_received;
	uint32_t first_cs;		/* when first sampled: 10 ms units since base_ms */
	int32_t proc : 26;		/* index into the procs of its generation; -1: none */
	uint32_t state : 4;		/* as last sampled (enum tcp_state) */
	uint32_t gen : 2;		/* the sample that last had it (mod 4: ages are 0 or 1) */
};

/* A process that owned a socket, copied out of its sample. */
struct closed_proc {
	int32_t pid;
	uint32_t uid;
	char comm[16];
};

struct closed_procs {
	struct closed_proc *p;
	size_t n, cap;
};

/* A TCP listener of the newest sample, to find who accepted a socket. */
struct closed_listener {
	uint8_t family;
	uint8_t addr[16];
	uint16_t port;
	int32_t pid;
	uint32_t uid;
	char comm[16];
};

struct closed_seen {
	struct closed_seen_entry *slots;
	size_t mask;			/* the last slot's index (slots - 1); 0: none */
	size_t used;
	uint8_t gen;			/* the newest sample's */
	/* [0]: the newest sample's processes; [1]: the one before (the
	 * carried entries') */
	struct closed_procs procs[2];
	struct closed_listener *listeners;	/* by port */
	size_t nlisteners;
	bool has_sample;
	int64_t base_ms;		/* CLOCK_MONOTONIC, ms, of the first sample */
	int64_t last_sample_ms;		/* CLOCK_MONOTONIC of the newest sample */
	/* closed_seen_update()'s: where the sockets new to the table are in the
	 * sample (its second pass looks at them alone); fresh_all: at all */
	uint32_t *fresh;
	size_t fresh_cap;
	bool fresh_all;
};

void closed_seen_init(struct closed_seen *t);
void closed_seen_free(struct closed_seen *t);
/* Learns snap's sockets (owners when snap has them) and forgets those that
 * were in neither snap nor the sample before. Returns 0 or -ENOMEM (the
 * table then holds what it could learn). */
int closed_seen_update(struct closed_seen *t, const struct snapshot *snap);
/* The entry of a cookie, or NULL. */
const struct closed_seen_entry *closed_seen_find(const struct closed_seen *t, uint64_t cookie);
/* When an entry's socket was first sampled: CLOCK_MONOTONIC, ms (to 10 ms). */
int64_t closed_seen_first_ms(const struct closed_seen *t, const struct closed_seen_entry *e);
/* An entry's process, or NULL. */
const struct closed_proc *closed_seen_proc(const struct closed_seen *t, const struct closed_seen_entry *e);

#endif
