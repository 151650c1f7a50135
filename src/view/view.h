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

/* True if r belongs in views built with opts. */
bool view_sock_visible(const struct snapshot *snap, const struct sock_rec *r,
		       const struct view_options *opts);

/* TCP sockets per netstat state. */
struct state_counts {
	uint32_t n[ST_COUNT];
	uint32_t total;
};
void view_states(const struct snapshot *snap, const struct view_options *opts,
		 struct state_counts *out);

/* One remote address with its TCP connections split by state. */
struct remote_row {
	uint8_t family;			/* IPv4-mapped IPv6 counts as 4 */
	uint8_t addr[16];
	uint32_t connections;
	uint32_t by_state[ST_COUNT];
};
/* Groups TCP sockets by remote address (wildcards left out), most first, ties
 * by address. Returns the number of rows (at most limit; 0 = no limit) in a
 * malloc'd *rows, or -1 when out of memory. */
long view_top_remote(const struct snapshot *snap, const struct view_options *opts,
		     size_t limit, struct remote_row **rows);

/* The visible sockets of one program (or of none). */
struct process_row {
	int32_t proc;			/* index into snap->procs, or OWNER_NONE */
	uint32_t sockets;
	uint32_t by_state[ST_COUNT];
	double rx_bps, tx_bps;
};
/* Groups visible sockets by owner, most sockets first. Returns the count and
 * a malloc'd *rows, or -1 when out of memory. */
long view_by_process(const struct snapshot *snap, const struct view_options *opts,
		     struct process_row **rows);

/* The visible sockets, sorted by a field. Returns the count and a malloc'd
 * array of indexes into snap->socks, or -1 when out of memory. */
struct conn_sort {
	enum field_id key;
	bool descending;
};
long view_conns(const struct snapshot *snap, const struct view_options *opts,
		const struct conn_sort *sort, uint32_t **index);

#endif
