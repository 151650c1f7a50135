/* codec_sock.h: the parts of a socket both a sample's records (codec.c)
 * and a destroy event's (codec_events.c) write the same way (codec_sock.c). */
#ifndef NETTOP_RECORD_CODEC_SOCK_H
#define NETTOP_RECORD_CODEC_SOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "../snapshot.h"
#include "bytes.h"

/* Local and remote address (alen bytes each), then varints local port,
 * remote port and cookie. */
void record_put_ends(struct buf *b, const struct sock_rec *r, size_t alen);
/* False when the addresses are cut short. */
bool record_get_ends(struct rd *r, struct sock_rec *x, size_t alen);
/* tcp_info's varints: rtt, rttvar, cwnd, total retransmits, segments in and
 * out, bytes acked and received. */
void record_put_info(struct buf *b, const struct sock_rec *r);
void record_get_info(struct rd *r, struct sock_rec *x);

#endif
