/* codec_sock.c: a socket's ends and tcp_info in a recording
 * (doc/recording.md), one layout for sample records and destroy events. */
#include "codec_sock.h"

#include <string.h>

void record_put_ends(struct buf *b, const struct sock_rec *r, const struct addr_pair *a, size_t alen)
{
	put_bytes(b, a->l, alen);
	put_bytes(b, a->r, alen);
	put_varint(b, r->lport);
	put_varint(b, r->rport);
	put_varint(b, r->cookie);
}

bool record_get_ends(struct rd *r, struct sock_rec *x, struct addr_pair *a, size_t alen)
{
	const unsigned char *la, *ra;

	if (!(la = get_bytes(r, alen)) || !(ra = get_bytes(r, alen)))
		return false;
	memset(a, 0, sizeof(*a));
	memcpy(a->l, la, alen);
	memcpy(a->r, ra, alen);
	x->lport = (uint16_t)get_varint(r);
	x->rport = (uint16_t)get_varint(r);
	x->cookie = get_varint(r);
	return true;
}

void record_put_info(struct buf *b, const struct sock_rec *r, const struct sock_extra *e)
{
	put_varint(b, r->rtt_us);
	put_varint(b, e->rttvar_us);
	put_varint(b, e->cwnd);
	put_varint(b, e->total_retrans);
	put_varint(b, e->segs_in);
	put_varint(b, e->segs_out);
	put_varint(b, r->bytes_acked);
	put_varint(b, r->bytes_received);
}

void record_get_info(struct rd *r, struct sock_rec *x, struct sock_extra *e)
{
	struct sock_extra none;

	if (!e)
		e = &none;
	x->rtt_us = (uint32_t)get_varint(r);
	e->rttvar_us = (uint32_t)get_varint(r);
	e->cwnd = (uint32_t)get_varint(r);
	e->total_retrans = (uint32_t)get_varint(r);
	e->segs_in = (uint32_t)get_varint(r);
	e->segs_out = (uint32_t)get_varint(r);
	x->bytes_acked = get_varint(r);
	x->bytes_received = get_varint(r);
}
