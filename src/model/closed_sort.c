/* closed_sort.c: the Closed view's rows: the log's entries that the view
 * shows, sorted by a column; ties newest first, both ways. */
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "closed_log.h"

struct sort_ctx {
	const struct closed_log *l;
	int column;
	bool descending;
};

static int cmp_u64(uint64_t a, uint64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_i64(int64_t a, int64_t b)
{
	return (a > b) - (a < b);
}

static int cmp_endpoint(int fa, const uint8_t *a, uint16_t pa, int fb, const uint8_t *b, uint16_t pb)
{
	int c = fa - fb;

	if (!c)
		c = memcmp(a, b, 16);
	return c ? c : (int)pa - (int)pb;
}

/* A connection never sampled lived less than an interval: before every
 * duration known, but by its bound. */
static int64_t duration_key(const struct closed_conn *c)
{
	return c->seen ? c->duration_ms : c->duration_max_ms - (INT64_MAX / 2);
}

static uint8_t state_of(const struct closed_conn *c)
{
	return c->seen ? c->last_state : c->ev.r.state;
}

static int column_cmp(int column, const struct closed_entry *x, const struct closed_entry *y)
{
	const struct closed_conn *a = &x->c, *b = &y->c;
	const struct sock_rec *ra = &a->ev.r, *rb = &b->ev.r;

	switch (column) {
	case CLOSED_COL_PROTO: return (int)ra->proto - (int)rb->proto;
	case CLOSED_COL_LOCAL:
		return cmp_endpoint(ra->family, a->ev.a.l, ra->lport, rb->family, b->ev.a.l, rb->lport);
	case CLOSED_COL_REMOTE:
		return cmp_endpoint(ra->family, a->ev.a.r, ra->rport, rb->family, b->ev.a.r, rb->rport);
	case CLOSED_COL_STATE: return (int)state_of(a) - (int)state_of(b);
	case CLOSED_COL_DURATION: return cmp_i64(duration_key(a), duration_key(b));
	case CLOSED_COL_RX: return cmp_u64(a->has_bytes ? a->rx_bytes + 1 : 0, b->has_bytes ? b->rx_bytes + 1 : 0);
	case CLOSED_COL_TX: return cmp_u64(a->has_bytes ? a->tx_bytes + 1 : 0, b->has_bytes ? b->tx_bytes + 1 : 0);
	case CLOSED_COL_RETRANS: return cmp_u64(a->ev.x.total_retrans, b->ev.x.total_retrans);
	case CLOSED_COL_RTT: return cmp_u64(ra->rtt_us, rb->rtt_us);
	case CLOSED_COL_PROCESS: {
		int c = strcmp(a->pid >= 0 ? a->comm : "", b->pid >= 0 ? b->comm : "");

		return c ? c : cmp_i64(a->pid, b->pid);
	}
	default: return 0;	/* CLOSED_COL_TIME: the order they closed in */
	}
}

static int entry_cmp(const void *pa, const void *pb, void *arg)
{
	const struct sort_ctx *s = arg;
	const struct closed_entry *x = &s->l->ring[*(const uint32_t *)pa];
	const struct closed_entry *y = &s->l->ring[*(const uint32_t *)pb];
	int c = column_cmp(s->column, x, y);

	if (c)
		return s->descending ? -c : c;
	/* newest first among equals; by time, that is the whole order */
	c = cmp_u64(y->seq, x->seq);
	return s->column == CLOSED_COL_TIME && !s->descending ? -c : c;
}

void closed_log_rows(struct closed_log *l, const struct view_options *v, int column, bool descending)
{
	uint64_t kept = l->head - l->floor;
	struct sort_ctx ctx = { l, column, descending };

	if (kept > l->cap)
		kept = l->cap;
	l->n = 0;
	if (grow_array((void **)&l->order, &l->order_cap, kept ? kept : 1, sizeof(*l->order), 1024) < 0)
		return;
	for (uint64_t k = l->head - kept; k < l->head; k++) {
		uint32_t i = (uint32_t)(k % l->cap);

		if (closed_visible(&l->filter, &l->ring[i].c, v))
			l->order[l->n++] = i;
	}
	qsort_r(l->order, l->n, sizeof(*l->order), entry_cmp, &ctx);
}
