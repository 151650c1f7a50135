/* conntrack.h: the conntrack table through nfnetlink (ctnetlink): its flows,
 * its size and maximum, and the per-CPU statistics that say it hurts. */
#ifndef NETTOP_CONNTRACK_H
#define NETTOP_CONNTRACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

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
	uint32_t count, max;		/* entries now, and the table's maximum */
	struct ct_stats stats;
};

/* Walks a receive buffer of replies (a flow dump, the global or the per-CPU
 * statistics), filling t: 1 done, 0 more to come, -errno. */
int conntrack_walk_buf(const void *buf, size_t len, uint32_t seq, struct ct_table *t);
/* Count, maximum, statistics and (with flows) every flow of the calling
 * thread's namespace. -EOPNOTSUPP or -ENOENT when conntrack is not loaded. */
int conntrack_dump(struct mnl_socket *nl, void *buf, size_t buflen, bool flows, struct ct_table *t);
void conntrack_table_free(struct ct_table *t);
/* "ESTABLISHED", as conntrack -L names TCP states. */
const char *conntrack_tcp_state(uint8_t s);
/* "tcp", "udp", "icmp", ... or NULL. */
const char *conntrack_proto_name(uint8_t proto);

#endif
