/* rows_conntrack.c: the conntrack pane's rows: the sample's flows in sort
 * order, counted by protocol and TCP state, and the sources that opened the
 * most. Only while the pane is shown: the sampler dumps the table then. */
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>

#include "../view/group.h"
#include "../view/hash.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static const struct {
	const char *name;
	size_t offset;
} shown_stats[CT_STATS_SHOWN] = {
	{ "drop", offsetof(struct ct_stats, drop) },
	{ "early_drop", offsetof(struct ct_stats, early_drop) },
	{ "insert_failed", offsetof(struct ct_stats, insert_failed) },
	{ "search_restart", offsetof(struct ct_stats, search_restart) },
};

static uint64_t stat_of(const struct ct_stats *s, int i)
{
	uint64_t v;

	memcpy(&v, (const char *)s + shown_stats[i].offset, sizeof(v));
	return v;
}

const char *rows_conntrack_stat(const struct ct_table *t, int i, uint64_t *value)
{
	*value = stat_of(&t->stats, i);
	return shown_stats[i].name;
}

bool rows_conntrack_stat_rate(const struct ct_table *t, int i, double interval, double *rate)
{
	*rate = 0;
	if (!t->has_delta || interval <= 0)
		return false;
	*rate = (double)stat_of(&t->delta, i) / interval;
	return true;
}

static int tuple_addr_cmp(int family, const uint8_t *a, const uint8_t *b)
{
	return memcmp(a, b, family == 4 ? 4 : 16);
}

/* The original tuple, field by field: one order both ways for ties. */
static int flow_tuple_cmp(const struct ct_flow *x, const struct ct_flow *y)
{
	int c = CMP(x->family, y->family);

	if (!c)
		c = tuple_addr_cmp(x->family, x->orig.src, y->orig.src);
	if (!c)
		c = tuple_addr_cmp(x->family, x->orig.dst, y->orig.dst);
	if (!c)
		c = CMP(x->orig.proto, y->orig.proto);
	if (!c)
		c = CMP(x->orig.sport, y->orig.sport);
	return c ? c : CMP(x->orig.dport, y->orig.dport);
}

static uint64_t flow_sum(const uint64_t v[2])
{
	return v[0] + v[1];
}

static int flow_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a, uint32_t b)
{
	const struct ct_flow *x = &rows->conntrack.table->v[a], *y = &rows->conntrack.table->v[b];
	int c = 0;

	switch (p->sort[PANE_CONNTRACK]) {
	case CT_COL_PROTO: c = CMP(x->orig.proto, y->orig.proto); break;
	case CT_COL_STATE: c = CMP(x->has_tcp_state ? x->tcp_state : 255, y->has_tcp_state ? y->tcp_state : 255); break;
	case CT_COL_SOURCE: c = CMP(x->family, y->family);
		c = c ? c : tuple_addr_cmp(x->family, x->orig.src, y->orig.src); break;
	case CT_COL_DEST: c = CMP(x->family, y->family);
		c = c ? c : tuple_addr_cmp(x->family, x->orig.dst, y->orig.dst); break;
	case CT_COL_NAT: c = CMP(x->status & (IPS_SRC_NAT | IPS_DST_NAT), y->status & (IPS_SRC_NAT | IPS_DST_NAT)); break;
	case CT_COL_TIMEOUT: c = CMP(x->timeout, y->timeout); break;
	case CT_COL_PACKETS: c = CMP(flow_sum(x->packets), flow_sum(y->packets)); break;
	case CT_COL_BYTES: c = CMP(flow_sum(x->bytes), flow_sum(y->bytes)); break;
	}
	if (c)
		return p->descending[PANE_CONNTRACK] ? -c : c;
	return flow_tuple_cmp(x, y);
}

/* The CT_TOP_SOURCES sources with the most flows, ties by address. */
static int top_sources(struct conntrack_data *d)
{
	const struct ct_table *t = d->table;
	struct addr_groups g;
	struct ct_source best[CT_TOP_SOURCES + 1];
	size_t nbest = 0;

	if (addr_groups_init(&g, t->n) < 0)
		return -1;
	for (size_t i = 0; i < t->n; i++)
		if (addr_groups_add(&g, t->v[i].family, t->v[i].orig.src, 0) < 0)
			return addr_groups_free(&g), -1;
	if (addr_groups_sort(&g) < 0)
		return addr_groups_free(&g), -1;
	for (size_t i = 0, end; i < g.n4 + g.n6; i = end) {
		struct ct_source s = { .flows = 0 };
		size_t at;

		end = addr_groups_run(&g, i);
		s.flows = (uint32_t)(end - i);
		s.family = (uint8_t)addr_groups_addr(&g, i, s.addr);
		/* insertion into the few best: most flows first, stable */
		for (at = nbest; at > 0 && best[at - 1].flows < s.flows; at--)
			best[at] = best[at - 1];
		if (at < CT_TOP_SOURCES) {
			best[at] = s;
			nbest += nbest < CT_TOP_SOURCES;
		}
	}
	addr_groups_free(&g);
	memcpy(d->top, best, nbest * sizeof(*best));
	d->ntop = nbest;
	return 0;
}

static void counts_make(struct conntrack_data *d)
{
	const struct ct_table *t = d->table;

	for (size_t i = 0; i < t->n; i++) {
		const struct ct_flow *f = &t->v[i];

		d->by_proto[f->orig.proto]++;
		if (f->orig.proto == IPPROTO_TCP)
			d->by_state[f->has_tcp_state && f->tcp_state < CT_TCP_STATES - 1 ? f->tcp_state
											   : CT_TCP_STATES - 1]++;
		d->accounted |= f->has_counters;
	}
}

static void conntrack_release(struct pane_rows *rows)
{
	free(rows->conntrack.order);
	rows->conntrack = (struct conntrack_data){ 0 };
}

static void conntrack_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct conntrack_data *d = &rows->conntrack;
	const struct snapshot *snap = rows->cur->snap;

	conntrack_release(rows);
	d->table = snap->conntrack;
	d->absent = snap->conntrack ? NULL : snap->conntrack_absent ? snap->conntrack_absent
				     : "not sampled yet";
	if (!d->table)
		return;
	d->order = malloc((d->table->n ? d->table->n : 1) * sizeof(*d->order));
	if (!d->order || top_sources(d) < 0) {
		conntrack_release(rows);
		model_rows_error(rows, "conntrack flows");
		return;
	}
	d->n = d->table->n;
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	counts_make(d);
	pane_sort_index(rows, p, d->order, d->n, flow_cmp);
}

static size_t conntrack_rows(const struct model *m)
{
	return m->conntrack.n;
}

const struct ct_flow *rows_conntrack_at(const struct model *m, size_t row)
{
	return &m->conntrack.table->v[m->conntrack.order[row]];
}

static uint64_t conntrack_row_key(const struct model *m, size_t row)
{
	const struct ct_flow *f = rows_conntrack_at(m, row);

	return hash_bytes(f->family, &f->orig, sizeof(f->orig));
}

void rows_conntrack_nat(const struct ct_flow *f, char *buf, size_t len)
{
	/* the reply comes back to the address the flow was translated to */
	const struct ct_tuple *r = &f->reply;

	buf[0] = '\0';
	if (f->status & IPS_SRC_NAT)
		endpoint_format(buf, len, f->family, r->dst, r->dport, ENDPOINT_SCREEN);
	else if (f->status & IPS_DST_NAT)
		endpoint_format(buf, len, f->family, r->src, r->sport, ENDPOINT_SCREEN);
	else
		return;
	memmove(buf + 5, buf, strnlen(buf, len - 6) + 1);
	memcpy(buf, f->status & IPS_SRC_NAT ? "snat " : "dnat ", 5);
	buf[len - 1] = '\0';
}

/* Enter: the whole flow on the status line (its reply tuple too). */
static unsigned conntrack_enter(struct model *m, size_t row)
{
	const struct ct_flow *f = rows_conntrack_at(m, row);
	char src[64], dst[64], rsrc[64], rdst[64];

	endpoint_format(src, sizeof(src), f->family, f->orig.src, f->orig.sport, ENDPOINT_SCREEN);
	endpoint_format(dst, sizeof(dst), f->family, f->orig.dst, f->orig.dport, ENDPOINT_SCREEN);
	endpoint_format(rsrc, sizeof(rsrc), f->family, f->reply.src, f->reply.sport, ENDPOINT_SCREEN);
	endpoint_format(rdst, sizeof(rdst), f->family, f->reply.dst, f->reply.dport, ENDPOINT_SCREEN);
	model_message(m, false, "%s -> %s, reply %s -> %s, mark %u", src, dst, rsrc, rdst, f->mark);
	return REDO_REDRAW;
}

unsigned conntrack_toggle_shown(struct model *m)
{
	m->conntrack_shown = !m->conntrack_shown;
	m->focus = m->conntrack_shown ? PANE_CONNTRACK : PANE_CONNS;
	/* --conntrack samples it hidden too: the header's alert still watches */
	model_message(m, false, m->conntrack_shown ? "conntrack table shown (C hides it)"
			       : m->opts->conntrack ? "conntrack table hidden; still sampled (--conntrack)"
						    : "conntrack table hidden: no longer sampled");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_conntrack_model = {
	.title = "Conntrack flows",
	.short_title = "Conntrack",
	.default_sort = CT_COL_BYTES,
	.default_descending = true,
	.compute = conntrack_compute,
	.release = conntrack_release,
	.rows = conntrack_rows,
	.row_key = conntrack_row_key,
	.enter = conntrack_enter,
};
