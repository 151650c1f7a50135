/* sock_health.h: a socket's TCP health (the rest of tcp_info, the
 * congestion algorithm) and its memory (SK_MEMINFO), kept apart from
 * struct sock_rec: only samples that show or print them carry them, in an
 * array parallel to snapshot.socks, so the common sample stays at 80
 * bytes a socket. sock_diag fills them from its messages, the BPF sampler
 * from its records' ext part (rec.h). */
#ifndef NETTOP_SOCK_HEALTH_H
#define NETTOP_SOCK_HEALTH_H

#include <stdbool.h>
#include <stdint.h>

#include "snapshot.h"

enum health_flags {
	HEALTH_INFO = 1 << 0,		/* the tcp_info fields are valid */
	HEALTH_RATES = 1 << 1,		/* the per-second ones, against the sample before */
	HEALTH_MEM = 1 << 2,		/* the SK_MEMINFO fields are valid */
	HEALTH_CONG = 1 << 3,		/* cong is valid */
};

struct sock_health {
	uint8_t flags;			/* enum health_flags */
	char cong[15];			/* "cubic", "bbr" (the kernel's, printable ASCII) */
	uint32_t lost, ssthresh, min_rtt_us, unacked, notsent;
	uint32_t drops;			/* SK_MEMINFO_DROPS: packets the receive queue dropped */
	uint32_t rmem, wmem;		/* bytes queued: SK_MEMINFO_RMEM_ALLOC, WMEM_ALLOC */
	uint64_t delivery_rate, pacing_rate;	/* bytes per second */
	uint64_t busy_us, rwnd_limited_us, sndbuf_limited_us;	/* since the socket began */
	/* against the sample before, with HEALTH_RATES */
	float retrans_ps;
	float segs_in_ps, segs_out_ps;	/* segments received and sent per second */
	float busy_share, rwnd_limited_share, sndbuf_limited_share;	/* 0..1 of the interval */
};

/* The health record of socket i of s, zeroed, growing the array to the
 * sockets' room; NULL when out of memory (the sample then has none). */
struct sock_health *sock_health_slot(struct snapshot *s, size_t i);
/* The congestion algorithm's name, len bytes (or up to a NUL), into h: set
 * only when it is printable ASCII (it is the kernel's, but a recorded or
 * fuzzed message is anyone's). */
void sock_health_set_cong(struct sock_health *h, const char *name, size_t len);
/* The health of r (a record of snap->socks), or NULL when snap has none. */
static inline const struct sock_health *sock_health_of(const struct snapshot *snap,
						       const struct sock_rec *r)
{
	uintptr_t p = (uintptr_t)r, base = (uintptr_t)snap->socks;

	if (!snap->health || !(snap->flags & SNAP_HAS_HEALTH) || p < base ||
	    p >= base + snap->nsocks * sizeof(*r))
		return NULL;
	return &snap->health[(p - base) / sizeof(*r)];
}
/* The per-second fields of cur's socket i from prev's socket j (the same
 * socket, dt seconds before). */
void sock_health_derive(struct snapshot *cur, size_t i, const struct snapshot *prev, size_t j,
			double dt);

#endif
