/* sampler.h: takes one snapshot of the kernel's sockets, links and counters. */
#ifndef NETTOP_SAMPLER_H
#define NETTOP_SAMPLER_H

#include <stdbool.h>
#include <stdint.h>

#include "../snapshot.h"

enum { SAMPLE_TCP = 1u << PROTO_TCP, SAMPLE_UDP = 1u << PROTO_UDP };
enum { SAMPLE_V4 = 1u << 4, SAMPLE_V6 = 1u << 6 };
/* --backend: where the sockets come from. AUTO: BPF iterators when they
 * load, else sock_diag (the snapshot says which, and why). */
enum sample_backend { BACKEND_AUTO, BACKEND_BPF, BACKEND_SOCKDIAG };

/* What a sample must contain; derived from the options and what is shown. */
struct sample_request {
	unsigned protos;		/* SAMPLE_TCP | SAMPLE_UDP */
	unsigned families;		/* SAMPLE_V4 | SAMPLE_V6 */
	uint32_t state_mask;		/* ST_MASK() bits; pushed into the dump */
	bool want_info;			/* tcp_info: rtt and rates */
	bool want_health;		/* sock_health.h */
	/* struct sock_extra (snapshot.h): uid, timer expiry, rttvar, cwnd,
	 * retransmits, segment counts (health and cgroups keep it too) */
	bool want_extra;
	const void *bytecode;		/* inet_diag filter for every dump, or NULL; */
	size_t bytecode_len;		/* must stay valid while the request is used */
	bool want_procs;		/* owners from /proc/PID/fd */
	unsigned procs_budget_ms;	/* time for rescanning processes per sample; 0: no limit */
	bool want_syn_packets;		/* count SYNs per source (AF_PACKET; privileged) */
	bool want_links;
	bool want_counters;
	unsigned backend;		/* enum sample_backend; read when the sampler opens */
	bool want_conntrack;		/* the conntrack table: count, max, stats, flows */
	bool want_events;		/* the screen's thread: destroy events with each sample */
	bool all_netns;			/* every network namespace (sock_diag), each socket tagged */
	bool want_cgroups;		/* cgroup ids, shown: a note says when paths are unknown */
	bool want_cgroup_ids;		/* cgroup ids, for JSON: no note */
};

struct sampler;

/* Opens the netlink sockets, and the BPF iterators unless backend is
 * BACKEND_SOCKDIAG. Never fails for lack of sock_diag: it then reads
 * /proc/net instead, and *note says so. NULL only when out of memory. */
struct sampler *sampler_open(unsigned backend, const char **note);
/* Loads the BPF iterators and unloads them: 0, or -errno and *why (a
 * constant string) when --backend bpf cannot work. */
int sampler_probe_bpf(const char **why);
/* Opened for BACKEND_BPF, which did not load: why (a constant); else NULL. */
const char *sampler_bpf_failure(const struct sampler *s);
void sampler_close(struct sampler *s);
/* Takes a snapshot, with rates against prev (may be NULL). NULL with *err
 * set (-errno) on failure. */
struct snapshot *sampler_take(struct sampler *s, const struct sample_request *req,
			      const struct snapshot *prev, int *err);

/* Closes one socket of a snapshot this sampler took (SOCK_DESTROY). 0 or
 * -errno; destroy_strerror() explains it. */
int sampler_destroy(struct sampler *s, const struct sock_rec *r);

#endif
