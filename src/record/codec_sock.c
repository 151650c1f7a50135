/* codec_sock.c: a socket's ends and tcp_info in a recording
 * (doc/recording.md), one layout for sample records and destroy events. */
#include "codec_sock.h"

#include <string.h>

void record_put_ends(struct buf *b, const struct sock_rec *r, size_t alen)
{
	put_bytes(b, r->laddr, alen);
	put_bytes(b, r->raddr, alen);
	put_varint(b, r->lport);
	put_varint(b, r->rport);
	put_varint(b, r->cookie);
}

bool record_get_ends(struct rd *r, struct sock_rec *x, size_t alen)
{
	const unsigned char *la, *ra;

	if (!(la = get_bytes(r, alen)) || !(ra = get_bytes(r, alen)))
		return false;
	memcpy(x->laddr, la, alen);
	memcpy(x->raddr, ra, alen);
	x->lport = (uint16_t)get_varint(r);
	x->rport = (uint16_t)get_varint(r);
	x->cookie = get_varint(r);
	return true;
}

void record_put_info(struct buf *b, const struct sock_rec *r)
{
	put_varint(b, r->rtt_us);
	put_varint(b, r->rttvar_us);
	put_varint(b, r->cwnd);
	put_varint(b, r->total_retrans);
	put_varint(b, r->segs_in);
	put_varint(b, r->segs_out);
	put_varint(b, r->bytes_acked);
	put_varint(b, r->bytes_received);
}

void record_get_info(struct rd *r, struct sock_rec *x)
{
	x->rtt_us = (uint32_t)get_varint(r);
	x->rttvar_us = (uint32_t)get_varint(r);
	x->cwnd = (uint32_t)get_varint(r);
	x->total_retrans = (uint32_t)get_varint(r);
	x->segs_in = (uint32_t)get_varint(r);
	x->segs_out = (uint32_t)get_varint(r);
	x->bytes_acked = get_varint(r);
	x->bytes_received = get_varint(r);
}
