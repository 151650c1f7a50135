/* group_rates.h: bytes per second summed per group of sockets: per remote
 * address (the top remote rows), per TCP listener (the bytes it served).
 * Each is the sum of its sockets' rates against the previous sample; the
 * bytes of sockets that closed in between are the destroy events' to add
 * (closed.h), where a front end listens to them. Pure: no I/O. */
#ifndef NETTOP_GROUP_RATES_H
#define NETTOP_GROUP_RATES_H

#include <stddef.h>
#include <stdint.h>

#include "view.h"

/* Fills rows[i].rx_bps, tx_bps (and has_rate) from the visible TCP sockets
 * to each row's address, and rx_pps, tx_pps (has_pps) in samples with
 * health records. 0, or -1 when out of memory (rates stay 0). */
int view_remote_rates(const struct snapshot *snap, const struct view_options *opts,
		      struct remote_row *rows, size_t n);

/* One TCP listener and the connections it accepted: those of its local
 * port and its address (or any address, for a wildcard listener). */
struct listener_rate {
	uint32_t sock;			/* the listener's index in snap->socks */
	uint32_t connections;		/* accepted, visible, not listening */
	uint64_t retrans;		/* their tcp_info total_retrans, summed */
	uint64_t rx_bytes, tx_bytes;	/* their payload so far (tcp_info) */
	double rx_bps, tx_bps;		/* their rates, summed */
	bool has_rate;			/* the sample has rates (tcp_info, twice) */
	double rx_pps, tx_pps;		/* their segments, where health records are */
};
/* Every visible TCP listener, in the snapshot's order. Returns the count
 * and a malloc'd *out, or -1 when out of memory. */
long view_listener_rates(const struct snapshot *snap, const struct view_options *opts,
			 struct listener_rate **out);
/* The listener of those (sorted by view_listener_rates()) at snap->socks[sock]'s
 * index, or NULL. */
const struct listener_rate *listener_rate_find(const struct listener_rate *rows, size_t n,
					       uint32_t sock);

/* Connected UDP sockets per remote address: the kernel counts no UDP bytes
 * per socket, so their queues (and, with health records, the receive
 * queue's drops) are what there is. */
struct udp_remote_row {
	uint8_t family;			/* IPv4-mapped IPv6 counts as 4 */
	uint8_t addr[16];
	uint32_t sockets;
	uint64_t recv_q, send_q;
	uint64_t drops;			/* with has_drops */
	bool has_drops;
};
/* The visible connected UDP sockets grouped so, most sockets first (ties
 * by address). Returns the count and a malloc'd *out, or -1. */
long view_udp_remotes(const struct snapshot *snap, const struct view_options *opts,
		      struct udp_remote_row **out);

#endif
