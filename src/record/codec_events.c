/* codec_events.c: the events section (doc/recording.md, payload item 9):
 * varint count, then per event u8 bits (1 IPv6, 2 UDP, 4 tcp_info, 16
 * bytes_sent known), u8 state, u8 retransmits, local and remote address (4
 * or 16 bytes), varints local port, remote port, cookie, svarint+varint
 * wall and monotonic time, with tcp_info varints rtt, rttvar, cwnd, total
 * retransmits, segments in and out, bytes acked and received, with
 * bytes_sent varints bytes sent and retransmitted; then varint events lost
 * and string note. */
#include "codec_events.h"

#include <stdlib.h>

#include "../close_event.h"
#include "../tcpstate.h"
#include "codec_sock.h"

enum { EV_V6 = 1, EV_UDP = 2, EV_INFO = 4, EV_SENT = 16 };
/* bits, state, retransmits, 2 x 4 address bytes, 3 varints, 2 times of 2 */
#define EVENT_MIN_BYTES 18

bool record_events_present(const struct snapshot *s)
{
	return (s->flags & SNAP_HAS_EVENTS) || s->events_note;
}

static void put_time(struct buf *b, const struct timespec *t)
{
	put_svarint(b, t->tv_sec);
	put_varint(b, (uint64_t)t->tv_nsec);
}

static void encode_event(struct buf *b, const struct close_event *e)
{
	const struct sock_rec *r = &e->r;
	size_t alen = r->family == 6 ? 16 : 4;

	put_u8(b, (uint8_t)((r->family == 6 ? EV_V6 : 0) | (r->proto == PROTO_UDP ? EV_UDP : 0) |
			    (r->flags & SOCK_HAS_INFO ? EV_INFO : 0) | (e->has_sent ? EV_SENT : 0)));
	put_u8(b, r->state);
	put_u8(b, r->retrans);
	record_put_ends(b, r, &e->a, alen);
	put_time(b, &e->wall);
	put_time(b, &e->mono);
	if (r->flags & SOCK_HAS_INFO)
		record_put_info(b, r, &e->x);
	if (e->has_sent) {
		put_varint(b, e->bytes_sent);
		put_varint(b, e->bytes_retrans);
	}
}

void record_events_encode(struct buf *b, const struct snapshot *s)
{
	put_varint(b, s->nclosed);
	for (size_t i = 0; i < s->nclosed; i++)
		encode_event(b, &s->closed[i]);
	put_varint(b, s->events_lost);
	put_str(b, s->events_note);
}

static void get_time(struct rd *r, struct timespec *t)
{
	t->tv_sec = (time_t)get_svarint(r);
	t->tv_nsec = (long)(get_varint(r) % 1000000000u);
}

static bool decode_event(struct rd *r, struct close_event *e)
{
	struct sock_rec *x = &e->r;
	uint8_t bits = get_u8(r);
	size_t alen = bits & EV_V6 ? 16 : 4;
	x->family = bits & EV_V6 ? 6 : 4;
	x->proto = bits & EV_UDP ? PROTO_UDP : PROTO_TCP;
	x->flags = bits & EV_INFO ? SOCK_HAS_INFO : 0;
	x->owner = OWNER_NONE;
	x->state = get_u8(r);
	x->retrans = get_u8(r);
	if (!record_get_ends(r, x, &e->a, alen))
		return false;
	sock_addrs_outside(x, &e->a);	/* an IPv6 pair stays e->a's alone (close_event.h) */
	get_time(r, &e->wall);
	get_time(r, &e->mono);
	if (bits & EV_INFO) {
		record_get_info(r, x, &e->x);
	}
	if ((e->has_sent = bits & EV_SENT)) {
		e->bytes_sent = get_varint(r);
		e->bytes_retrans = get_varint(r);
	}
	return !r->bad && x->state < ST_COUNT;
}

bool record_events_decode(struct rd *r, struct snapshot *s)
{
	size_t n = get_count(r, EVENT_MIN_BYTES);

	if (n && !(s->closed = calloc(n, sizeof(*s->closed))))
		return false;
	for (size_t i = 0; i < n && !r->bad; i++) {
		if (!decode_event(r, &s->closed[i]))
			return false;
		s->nclosed++;
	}
	s->events_lost = get_varint(r);
	s->events_note = get_str(r, &s->arena);
	if (s->events_note && !*s->events_note)
		s->events_note = NULL;
	return !r->bad;
}
