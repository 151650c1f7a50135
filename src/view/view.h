/* view.h: pure functions from (snapshot, options) to rows. No I/O, no curses. */
#ifndef NETTOP_VIEW_H
#define NETTOP_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"
#include "../tcpstate.h"
#include "fields.h"
#include "filter.h"
#include "group.h"

enum listen_mode {
	LISTEN_ALL,			/* every socket (-a; the screen and JSON) */
	LISTEN_EXCLUDE,			/* netstat's default: no servers */
	LISTEN_ONLY,			/* -l */
};

struct view_options {
	unsigned protos;		/* bits 1 << PROTO_TCP, 1 << PROTO_UDP */
	enum listen_mode listen;
	const struct filter *filter;	/* NULL: none */
};

/* True if r belongs in views built with opts (inline: asked of every
 * socket of every sample, by each pass). */
static inline bool view_sock_visible(const struct snapshot *snap, const struct sock_rec *r,
				     const struct view_options *opts)
{
	if (!(opts->protos & (1u << r->proto)))
		return false;
	if (opts->listen == LISTEN_EXCLUDE && sock_is_listening(r))
		return false;
	if (opts->listen == LISTEN_ONLY && !sock_is_listening(r))
		return false;
	return !opts->filter || filter_match(opts->filter, snap, r);
}

/* TCP sockets per netstat state. */
struct state_counts {
	uint32_t n[ST_COUNT];
	uint32_t total;
};
void view_states(const struct snapshot *snap, const struct view_options *opts,
		 struct state_counts *out);

/* What the screen counts of every sample, in one pass: each pass over 200k
 * sockets costs milliseconds of a frame's budget. */
struct census {
	size_t tcp, udp;		/* every socket of the snapshot */
	struct state_counts states;	/* the visible TCP ones */
	uint32_t syn_recv;		/* every TCP SYN_RECV one, whatever opts say */
	double rx_bps, tx_bps;		/* the visible TCP ones' rates, summed */
};
/* What view_census() gathers in the same pass, each when not NULL. */
struct conn_order;
struct flood_gather;
struct census_gather {
	/* the visible TCP sockets' remote addresses, for top_remote_rows()
	 * (addr_groups_init()ed for snap->nsocks) */
	struct addr_groups *remotes;
	/* the visible sockets' sort keys (conn_order_init()ed; the caller
	 * finishes it) */
	struct conn_order *conns;
	/* every TCP listener and request socket, whatever the view, for
	 * view_flood_gathered() (flood_gather_init()ed) */
	struct flood_gather *flood;
	/* asked now and then: true stops the pass (its results are not
	 * wanted any more: a newer job replaced them) */
	bool (*cancelled)(const void *arg);
	const void *cancel_arg;
};
/* Counts into out, and gathers into g (NULL: nothing). 0; else the
 * gatherings lost for want of memory (CENSUS_LOST_*: the rest is whole),
 * or -ECANCELED when g->cancelled() stopped it (nothing is whole then). */
enum { CENSUS_LOST_REMOTES = 1, CENSUS_LOST_FLOOD = 2 };
int view_census(const struct snapshot *snap, const struct view_options *opts, struct census *out,
		const struct census_gather *g);
/* The same over the sockets [from, to) alone: two threads take a half
 * each, and their counts add up (census_add()). */
int view_census_range(const struct snapshot *snap, const struct view_options *opts, size_t from,
		      size_t to, struct census *out, const struct census_gather *g);
void census_add(struct census *into, const struct census *part);

/* One remote address with its TCP connections split by state. */
struct remote_row {
	uint8_t family;			/* IPv4-mapped IPv6 counts as 4 */
	uint8_t addr[16];
	uint32_t connections;
	uint32_t by_state[ST_COUNT];
	double rx_bps, tx_bps;		/* summed: view_remote_rates() (group_rates.h) */
	bool has_rate;
	double rx_pps, tx_pps;		/* segments, summed where health records are */
	bool has_pps;
	int32_t netns;			/* the namespace of all its connections, or -1: several */
};
/* Groups TCP sockets by remote address (wildcards left out), most first, ties
 * by address. Returns the number of rows (at most limit; 0 = no limit) in a
 * malloc'd *rows, or -1 when out of memory. */
long view_top_remote(const struct snapshot *snap, const struct view_options *opts,
		     size_t limit, struct remote_row **rows);
/* view_top_remote() in two steps, for a pass that gathers more: adds s's
 * remote address to g (when TCP, not a wildcard; s must be visible), then
 * sorts g and makes the rows. 0 / the rows' number, or -1 (out of memory). */
int top_remote_add6(struct addr_groups *g, const struct sock_rec *s, uint32_t state);
static inline int top_remote_add(struct addr_groups *g, const struct sock_rec *s)
{
	/* the namespace rides along: a remote row says whose connections they are */
	uint32_t state = (s->state < ST_COUNT ? s->state : ST_UNKNOWN) | (uint32_t)s->netns << 8;

	if (s->proto != PROTO_TCP)
		return 0;
	if (s->family == 4) {	/* the common case, without a copy */
		uint32_t any;

		memcpy(&any, s->addr.v4.r, sizeof(any));
		return !any ? 0 : addr_groups_add4(g, s->addr.v4.r, state);
	}
	return top_remote_add6(g, s, state);
}
long top_remote_rows(struct addr_groups *g, size_t limit, struct remote_row **rows);

/* The visible sockets of one program (or of none). */
struct process_row {
	int32_t proc;			/* index into snap->procs, or OWNER_NONE */
	uint32_t sockets;
	uint32_t by_state[ST_COUNT];
	double rx_bps, tx_bps;
	double rx_pps, tx_pps;		/* segments, where health records are */
};
/* Groups visible sockets by owner, most sockets first. Returns the count and
 * a malloc'd *rows, or -1 when out of memory. */
long view_by_process(const struct snapshot *snap, const struct view_options *opts,
		     struct process_row **rows);

/* Groups visible sockets by network namespace (process_row.proc: the index
 * into snap->netns; 0 for a sample of one namespace), most sockets first.
 * Returns the count and a malloc'd *rows, or -1 when out of memory. */
long view_by_netns(const struct snapshot *snap, const struct view_options *opts,
		   struct process_row **rows);

/* The same by cgroup (proc: the index into snap->cgroups, -1 for sockets
 * whose cgroup is not known: request and TIME_WAIT sockets, BPF samples). */
long view_by_cgroup(const struct snapshot *snap, const struct view_options *opts,
		    struct process_row **rows);

/* How the connections are sorted (conn_order.h). */
struct conn_sort {
	enum field_id key;
	bool descending;
};

#endif
