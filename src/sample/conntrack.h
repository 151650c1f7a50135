/* conntrack.h: the conntrack table through nfnetlink (ctnetlink): its flows,
 * its size and maximum, and the per-CPU statistics that say it hurts. */
#ifndef NETTOP_CONNTRACK_H
#define NETTOP_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;
struct snapshot;

struct ct_tuple {
	uint8_t src[16], dst[16];	/* IPv4 in the first 4 bytes */
	uint16_t sport, dport;		/* host order; ICMP: id in sport, type<<8|code in dport */
	uint8_t proto;			/* IPPROTO_* */
};

struct ct_flow {
	uint8_t family;			/* 4 or 6 */
	uint8_t tcp_state;		/* TCP_CONNTRACK_*, with has_tcp_state */
	bool has_tcp_state;
	bool has_counters;		/* nf_conntrack_acct */
	struct ct_tuple orig, reply;
	uint32_t status;		/* IPS_* */
	uint32_t timeout;		/* seconds left */
	uint32_t mark;
	uint64_t packets[2], bytes[2];	/* original, reply direction */
};

/* The per-CPU counters summed, in ctnetlink's names. */
#define CT_STATS_LIST(X) \
	X(found, CTA_STATS_FOUND) X(invalid, CTA_STATS_INVALID) \
	X(insert_failed, CTA_STATS_INSERT_FAILED) X(drop, CTA_STATS_DROP) \
	X(early_drop, CTA_STATS_EARLY_DROP) X(error, CTA_STATS_ERROR) \
	X(search_restart, CTA_STATS_SEARCH_RESTART) X(clash_resolve, CTA_STATS_CLASH_RESOLVE) \
	X(chaintoolong, CTA_STATS_CHAIN_TOOLONG)

struct ct_stats {
#define X(name, attr) uint64_t name;
	CT_STATS_LIST(X)
#undef X
};

struct ct_table {
	struct ct_flow *v;
	size_t n, cap;
	size_t malformed;
	bool partial;			/* the flow dump changed under every try */
	uint32_t count, max;		/* entries now, and the table's maximum */
	struct ct_stats stats;
	/* the statistics' growth since the previous sample (snapshot_derive()) */
	struct ct_stats delta;
	bool has_delta;
};

/* Why the table hurts: conntrack_alert()'s bits. */
enum ct_alert {
	CT_ALERT_FULL = 1 << 0,		/* 90% of the maximum or more */
	CT_ALERT_DROPS = 1 << 1,	/* drop, early_drop or insert_failed grew */
};

/* Walks a receive buffer of replies (a flow dump, the global or the per-CPU
 * statistics), filling t: 1 done, 0 more to come, -errno. */
int conntrack_walk_buf(const void *buf, size_t len, uint32_t seq, struct ct_table *t);
/* Count, maximum, statistics and (with flows) every flow of the calling
 * thread's namespace. -EOPNOTSUPP or -ENOENT when conntrack is not loaded. */
int conntrack_dump(struct mnl_socket *nl, void *buf, size_t buflen, bool flows, struct ct_table *t);
void conntrack_table_free(struct ct_table *t);
/* conntrack_sample.c: the table of *nl's namespace (the socket opened on
 * first use, by the caller's thread) into snap->conntrack, or why not into
 * snap->conntrack_absent. 0, or -ENOMEM: an absent table fails no sample. */
int conntrack_sample(struct mnl_socket **nl, void *buf, size_t len, struct snapshot *snap);
/* Copies src (flows too) into a zeroed dst: 0 or -ENOMEM. */
int conntrack_table_copy(struct ct_table *dst, const struct ct_table *src);
/* Sets cur's delta against prev (may be NULL: none). A statistic that went
 * backwards (a namespace's counters restart) gives no delta. */
void conntrack_table_derive(struct ct_table *cur, const struct ct_table *prev);
/* enum ct_alert bits of t: 90% full or more, drops since the previous sample. */
unsigned conntrack_alert(const struct ct_table *t);
/* Its fill in thousandths of the maximum (0 without one). */
unsigned conntrack_fill_permille(const struct ct_table *t);
/* "ESTABLISHED", as conntrack -L names TCP states. */
const char *conntrack_tcp_state(uint8_t s);
/* "tcp", "udp", "icmp", ... or NULL. */
const char *conntrack_proto_name(uint8_t proto);

#endif
