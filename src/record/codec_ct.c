/* codec_ct.c: the conntrack table in a recording, as a section of its
 * frame (sections.c): its size, maximum and statistics, then every flow; or why it was
 * absent. A replay shows the conntrack pane as it was. */
#include "codec_ct.h"

#include <stdlib.h>
#include <string.h>

#include "../sample/conntrack.h"

enum { CT_ABSENT = 0, CT_TABLE = 1 };
enum { FLOW_V6 = 1, FLOW_TCP_STATE = 2, FLOW_COUNTERS = 4 };
/* bits, state, two IPv4 tuples (4 + 4 address bytes, 2 port varints, a
 * protocol), status, timeout and mark varints */
#define FLOW_MIN_BYTES 27

static void put_tuple(struct buf *b, const struct ct_tuple *t, int family)
{
	size_t alen = family == 6 ? 16 : 4;

	put_bytes(b, t->src, alen);
	put_bytes(b, t->dst, alen);
	put_varint(b, t->sport);
	put_varint(b, t->dport);
	put_u8(b, t->proto);
}

static void put_flow(struct buf *b, const struct ct_flow *f)
{
	put_u8(b, (uint8_t)((f->family == 6 ? FLOW_V6 : 0) | (f->has_tcp_state ? FLOW_TCP_STATE : 0) |
			    (f->has_counters ? FLOW_COUNTERS : 0)));
	put_u8(b, f->tcp_state);
	put_tuple(b, &f->orig, f->family);
	put_tuple(b, &f->reply, f->family);
	put_varint(b, f->status);
	put_varint(b, f->timeout);
	put_varint(b, f->mark);
	if (f->has_counters)
		for (int d = 0; d < 2; d++) {
			put_varint(b, f->packets[d]);
			put_varint(b, f->bytes[d]);
		}
}

void record_ct_encode(struct buf *b, const struct snapshot *s)
{
	const struct ct_table *t = s->conntrack;

	if (!t) {
		put_u8(b, CT_ABSENT);
		put_str(b, s->conntrack_absent);
		return;
	}
	put_u8(b, CT_TABLE);
	put_varint(b, t->count);
	put_varint(b, t->max);
	put_u8(b, t->partial);
	put_varint(b, t->malformed);
#define X(name, attr) put_varint(b, t->stats.name);
	CT_STATS_LIST(X)
#undef X
	put_varint(b, t->n);
	for (size_t i = 0; i < t->n; i++)
		put_flow(b, &t->v[i]);
}

static void get_tuple(struct rd *r, struct ct_tuple *t, int family)
{
	size_t alen = family == 6 ? 16 : 4;
	const unsigned char *src = get_bytes(r, alen), *dst = get_bytes(r, alen);

	if (src && dst) {
		memcpy(t->src, src, alen);
		memcpy(t->dst, dst, alen);
	}
	t->sport = (uint16_t)get_varint(r);
	t->dport = (uint16_t)get_varint(r);
	t->proto = get_u8(r);
}

static void get_flow(struct rd *r, struct ct_flow *f)
{
	uint8_t bits = get_u8(r);

	if (bits & ~(FLOW_V6 | FLOW_TCP_STATE | FLOW_COUNTERS))
		r->bad = true;
	f->family = bits & FLOW_V6 ? 6 : 4;
	f->has_tcp_state = bits & FLOW_TCP_STATE;
	f->has_counters = bits & FLOW_COUNTERS;
	f->tcp_state = get_u8(r);
	get_tuple(r, &f->orig, f->family);
	get_tuple(r, &f->reply, f->family);
	f->status = (uint32_t)get_varint(r);
	f->timeout = (uint32_t)get_varint(r);
	f->mark = (uint32_t)get_varint(r);
	if (f->has_counters)
		for (int d = 0; d < 2; d++) {
			f->packets[d] = get_varint(r);
			f->bytes[d] = get_varint(r);
		}
}

static bool get_table(struct rd *r, struct ct_table *t)
{
	t->count = (uint32_t)get_varint(r);
	t->max = (uint32_t)get_varint(r);
	t->partial = get_u8(r) != 0;
	t->malformed = (size_t)get_varint(r);
#define X(name, attr) t->stats.name = get_varint(r);
	CT_STATS_LIST(X)
#undef X
	t->cap = get_count(r, FLOW_MIN_BYTES);
	if (t->cap && !(t->v = calloc(t->cap, sizeof(*t->v))))
		return false;
	for (; t->n < t->cap && !r->bad; t->n++)
		get_flow(r, &t->v[t->n]);
	return !r->bad;
}

bool record_ct_decode(struct rd *r, struct snapshot *s)
{
	uint8_t kind = get_u8(r);

	if (s->conntrack || s->conntrack_absent)
		return false;	/* a second table */
	if (kind == CT_ABSENT) {
		s->conntrack_absent = get_str(r, &s->arena);
		return s->conntrack_absent && *s->conntrack_absent;
	}
	if (kind != CT_TABLE || !(s->conntrack = calloc(1, sizeof(*s->conntrack))))
		return false;
	return get_table(r, s->conntrack);
}
