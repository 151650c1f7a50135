/* codec_sock.h: the parts of a socket both a sample's records (codec.c)
 * and a destroy event's (codec_events.c) write the same way (codec_sock.c). */
#ifndef NETTOP_RECORD_CODEC_SOCK_H
#define NETTOP_RECORD_CODEC_SOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "../snapshot.h"
#include "bytes.h"

/* Local and remote address (alen bytes each, a's), then varints local
 * port, remote port and cookie (r's). */
void record_put_ends(struct buf *b, const struct sock_rec *r, const struct addr_pair *a, size_t alen);
/* The same into x and a (zero-padded); false when the addresses are cut
 * short. x's addresses are for the caller to set from a. */
bool record_get_ends(struct rd *r, struct sock_rec *x, struct addr_pair *a, size_t alen);
/* tcp_info's varints: rtt, rttvar, cwnd, total retransmits, segments in and
 * out (all but rtt of e: the socket's struct sock_extra), bytes acked and
 * received. A NULL e for record_get_info(): e's are read past. */
void record_put_info(struct buf *b, const struct sock_rec *r, const struct sock_extra *e);
void record_get_info(struct rd *r, struct sock_rec *x, struct sock_extra *e);

#endif
