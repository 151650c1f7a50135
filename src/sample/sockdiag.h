/* sockdiag.h: TCP and UDP sockets through NETLINK_SOCK_DIAG. */
#ifndef NETTOP_SOCKDIAG_H
#define NETTOP_SOCKDIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"
#include "../sock_health.h"

struct mnl_socket;

/* What one dump asks the kernel for. */
struct sockdiag_request {
	uint8_t family;			/* 4 or 6 */
	uint8_t proto;			/* enum sock_proto */
	bool want_info;			/* ask for tcp_info (dumps ~30% slower) */
	bool want_health;		/* and INET_DIAG_CONG, INET_DIAG_SKMEMINFO (sock_health.h) */
	uint32_t state_mask;		/* ST_MASK() bits of enum tcp_state */
	const void *bytecode;		/* INET_DIAG_REQ_BYTECODE, or NULL */
	size_t bytecode_len;
};

/* The result of walking one receive buffer of a dump. */
enum sockdiag_walk {
	SOCKDIAG_MORE,			/* keep receiving */
	SOCKDIAG_DONE,			/* NLMSG_DONE seen */
	SOCKDIAG_ERROR,			/* NLMSG_ERROR or a malformed message */
};

struct sockdiag_walker {
	uint32_t seq;			/* expected sequence number; 0 accepts any */
	uint8_t proto;			/* enum sock_proto of the dump */
	bool interrupted;		/* NLM_F_DUMP_INTR seen */
	int error;			/* -errno with SOCKDIAG_ERROR */
	size_t malformed;		/* messages rejected and skipped */
};

/* Parses one inet_diag_msg into r, its extra fields into x (zeroed; NULL:
 * not kept) and its addresses into a (NULL: IPv6 ones not kept),
 * zero-padded: an IPv4 socket's are in r too, an IPv6 one's are for the
 * caller to keep (snapshot_set_addrs()).
 * Returns 0, or -EINVAL if the message is too short or an attribute runs
 * past it; r, x and a are then unspecified. */
int sockdiag_parse_msg(const void *msg, size_t len, uint8_t proto, struct sock_rec *r,
		       struct sock_extra *x, struct addr_pair *a);

/* Parses what a health column reads of one message into h (zeroed):
 * sockdiag_parse_msg()'s checks, then tcp_info's health fields,
 * INET_DIAG_CONG and INET_DIAG_SKMEMINFO, each when present. 0 or -EINVAL. */
int sockdiag_parse_health(const void *msg, size_t len, uint8_t proto, struct sock_health *h);

/* Walks a buffer of netlink messages as received, appending sockets to snap.
 * Never reads past buf + len. */
enum sockdiag_walk sockdiag_walk_buf(struct sockdiag_walker *w, const void *buf, size_t len,
				     struct snapshot *snap);

/* Runs one dump on nl, appending to snap. Retries an interrupted dump a few
 * times, then keeps the last one and sets SNAP_PARTIAL. Returns 0 or -errno. */
int sockdiag_dump(struct mnl_socket *nl, void *buf, size_t buflen,
		  const struct sockdiag_request *req, struct snapshot *snap);

#endif
