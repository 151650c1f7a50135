/* route.h: the routing tables through rtnetlink (RTM_GETROUTE). */
#ifndef NETTOP_ROUTE_H
#define NETTOP_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

struct route_rec {
	uint8_t family;			/* 4 or 6 */
	uint8_t dst_len;
	uint8_t type;			/* RTN_* */
	uint8_t protocol;		/* RTPROT_* */
	bool has_gw;
	uint8_t dst[16], gw[16];
	uint32_t table;
	uint32_t oif;			/* 0: none */
	uint32_t priority;
	uint32_t advmss, window, rtt;	/* RTAX_* metrics, as stored */
	uint32_t expires;		/* RTA_CACHEINFO's rta_expires, 0: none */
};

struct route_table {
	struct route_rec *v;
	size_t n, cap;
	size_t malformed;
};

/* Walks a receive buffer of a dump (seq 0: any), appending to t: 1 done,
 * 0 more to come, -errno. */
int route_walk_buf(const void *buf, size_t len, uint32_t seq, struct route_table *t);
/* Dumps the routes of family (4 or 6), every table. 0 or -errno. */
int route_dump(struct mnl_socket *nl, void *buf, size_t buflen, int family, struct route_table *t);
void route_table_free(struct route_table *t);

#endif
