/* rows_sources.c: where a flood comes from: SYN_RECV sockets per source,
 * and, when SYNs are counted, the SYNs per second each source sent (they
 * show even when syncookies leave no SYN_RECV socket). Sources group by
 * address or by network (/24, /64), switched with g. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static uint64_t source_hash(const struct source_row *r)
{
	return hash_addr((uint64_t)r->family | (uint64_t)r->prefix << 8, r->addr);
}

static bool same_source(const struct source_row *a, const struct source_row *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* Rows keyed by source in open addressing; sized for every row at once. */
struct source_table {
	struct source_row *rows;
	uint32_t *slots;		/* row + 1; 0 empty */
	size_t n, mask;
};

static struct source_row *table_row(struct source_table *t, const struct source_row *key)
{
	size_t h = source_hash(key) & t->mask;

	for (; t->slots[h]; h = (h + 1) & t->mask)
		if (same_source(&t->rows[t->slots[h] - 1], key))
			return &t->rows[t->slots[h] - 1];
	t->rows[t->n] = *key;
	t->rows[t->n].syn_recv = t->rows[t->n].packets = 0;
	t->slots[h] = (uint32_t)++t->n;
	return &t->rows[t->n - 1];
}

/* A SYN's source address as a row key of the current grouping. */
static void packet_key(const struct syn_source *p, bool by_network, struct source_row *k)
{
	memset(k, 0, sizeof(*k));
	k->netns = UINT16_MAX;	/* a SYN counted on the host's link: no namespace known */
	k->family = p->family;
	k->prefix = p->family == 4 ? (by_network ? 24 : 32) : (by_network ? 64 : 128);
	memcpy(k->addr, p->addr, (size_t)k->prefix / 8);
}

/* report.sources and the SYN packets, merged into flood.sources. */
static int sources_merge(struct pane_rows *rows)
{
	struct flood_data *d = &rows->flood;
	const struct snapshot *snap = rows->cur->snap;
	size_t npackets = snap->flags & SNAP_HAS_SYN_PACKETS ? snap->nsyn_packets : 0;
	size_t max = d->report.nsources + npackets, size = 16;
	struct source_table t = { 0 };

	while (size < max * 2)
		size <<= 1;
	t.rows = malloc((max ? max : 1) * sizeof(*t.rows));
	t.slots = calloc(size, sizeof(*t.slots));
	t.mask = size - 1;
	if (!t.rows || !t.slots) {
		free(t.rows);
		free(t.slots);
		return -1;
	}
	for (size_t i = 0; i < d->report.nsources; i++) {
		const struct flood_source *s = &d->report.sources[i];
		struct source_row k = { .family = s->family, .prefix = s->prefix, .netns = s->netns };

		memcpy(k.addr, s->addr, sizeof(k.addr));
		table_row(&t, &k)->syn_recv += s->syn_recv;
	}
	for (size_t i = 0; i < npackets; i++) {
		struct source_row k;

		packet_key(&snap->syn_packets[i], d->by_network, &k);
		table_row(&t, &k)->packets += snap->syn_packets[i].packets;
	}
	free(t.slots);
	d->sources = t.rows;
	d->nsources = t.n;
	return 0;
}

static int address_cmp(const struct source_row *x, const struct source_row *y)
{
	if (x->family != y->family)
		return CMP(x->family, y->family);
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int sources_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		       uint32_t b)
{
	const struct source_row *x = &rows->flood.sources[a], *y = &rows->flood.sources[b];
	int sort = p->sort[PANE_SOURCES], c = 0;

	switch (sort) {
	case SOURCES_COL_SOURCE: c = address_cmp(x, y); break;
	case SOURCES_COL_SYN_RECV: c = CMP(x->syn_recv, y->syn_recv); break;
	case SOURCES_COL_PACKETS: c = CMP(x->packets, y->packets); break;
	}
	if (c)
		return p->descending[PANE_SOURCES] ? -c : c;
	/* the other count, most first, breaks ties before the address does */
	c = sort == SOURCES_COL_PACKETS ? CMP(y->syn_recv, x->syn_recv) : CMP(y->packets, x->packets);
	return c ? c : address_cmp(x, y);
}

static void sources_release(struct pane_rows *rows)
{
	struct flood_data *d = &rows->flood;

	free(d->sources);
	free(d->source_order);
	d->sources = NULL;
	d->source_order = NULL;
	d->nsources = 0;
}

static void sources_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct flood_data *d = &rows->flood;

	if (!d->seq)
		return;
	if (sources_merge(rows) < 0 ||
	    !(d->source_order = malloc((d->nsources ? d->nsources : 1) * sizeof(*d->source_order)))) {
		sources_release(rows);
		model_rows_error(rows, "SYN sources");
		return;
	}
	for (size_t i = 0; i < d->nsources; i++)
		d->source_order[i] = (uint32_t)i;
	/* without SYN packets, the report's order is the default one: most
	 * SYN_RECV first, ties by address */
	if (rows->cur->snap->flags & SNAP_HAS_SYN_PACKETS ||
	    p->sort[PANE_SOURCES] != SOURCES_COL_SYN_RECV ||
	    !p->descending[PANE_SOURCES])
		pane_sort_index(rows, p, d->source_order, d->nsources, sources_cmp);
}

static size_t sources_rows(const struct model *m)
{
	return m->flood.nsources;
}

const struct source_row *rows_sources_at(const struct model *m, size_t row)
{
	return &m->flood.sources[m->flood.source_order[row]];
}

static uint64_t sources_row_key(const struct model *m, size_t row)
{
	return source_hash(rows_sources_at(m, row));
}

static unsigned sources_enter(struct model *m, size_t row)
{
	char addr[64], expr[100];

	flood_source_format(rows_sources_at(m, row), addr, sizeof(addr));
	snprintf(expr, sizeof(expr), "state syn-recv and dst %s", addr);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

static bool source_match(const struct sock_rec *r, const void *arg)
{
	const struct source_row *s = arg;

	return r->proto == PROTO_TCP && r->state == ST_SYN_RECV &&
	       kill_addr_in(r, s->family, s->addr, s->prefix);
}

/* K: the SYN_RECV sockets from the source (the SYNs it sends on are not
 * for SOCK_DESTROY to stop). */
static unsigned sources_kill(struct model *m, size_t row)
{
	struct source_row s = *rows_sources_at(m, row);
	struct view_options v;
	struct sock_rec *socks;
	char addr[64], place[80];
	long n;

	flood_view_options(&v);
	n = kill_collect(m, &v, source_match, &s, &socks);
	if (n < 0) {
		model_message(m, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	flood_source_format(&s, addr, sizeof(addr));
	snprintf(place, sizeof(place), "from %s", addr);
	return kill_ask(m, socks, (size_t)n, "SYN_RECV", place);
}

const struct pane_model pane_sources_model = {
	.title = "SYN sources",
	.short_title = "Sources",
	.default_sort = SOURCES_COL_SYN_RECV,
	.default_descending = true,
	.compute = sources_compute,
	.release = sources_release,
	.rows = sources_rows,
	.row_key = sources_row_key,
	.enter = sources_enter,
	.kill = sources_kill,
};
