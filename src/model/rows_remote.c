/* rows_remote.c: remote addresses with the most TCP connections, split by
 * state; Enter filters the connections by an address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/group_rates.h"
#include "../view/hash.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int addr_cmp(const struct remote_row *x, const struct remote_row *y)
{
	if (x->family != y->family)
		return CMP(x->family, y->family);
	return memcmp(x->addr, y->addr, x->family == 4 ? 4 : 16);
}

static int remote_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		      uint32_t b)
{
	const struct remote_row *x = &rows->remote.rows[a], *y = &rows->remote.rows[b];
	int c = 0;

	switch (p->sort[PANE_REMOTE]) {
	case REMOTE_COL_ADDRESS: c = addr_cmp(x, y); break;
	case REMOTE_COL_CONNS: c = CMP(x->connections, y->connections); break;
	case REMOTE_COL_STATES: c = CMP(x->by_state[ST_ESTABLISHED], y->by_state[ST_ESTABLISHED]); break;
	case REMOTE_COL_RX: c = CMP(x->rx_bps, y->rx_bps); break;
	case REMOTE_COL_TX: c = CMP(x->tx_bps, y->tx_bps); break;
	}
	if (c)
		return p->descending[PANE_REMOTE] ? -c : c;
	return addr_cmp(x, y);
}

static void remote_release(struct pane_rows *rows)
{
	free(rows->remote.rows);
	free(rows->remote.order);
	free(rows->remote.totals);
	rows->remote = (struct remote_data){ 0 };
}

static void remote_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct remote_data *d = &rows->remote;
	long n = rows->has_remotes ? top_remote_rows(&rows->remotes, 0, &d->rows)
				   : view_top_remote(rows->cur->snap, &p->view, 0, &d->rows);

	addr_groups_free(&rows->remotes);
	rows->has_remotes = false;
	if (n < 0) {
		d->rows = NULL;
		model_rows_error(rows, "remote addresses");
		return;
	}
	d->order = malloc(((size_t)n ? (size_t)n : 1) * sizeof(*d->order));
	if (!d->order) {
		remote_release(rows);
		model_rows_error(rows, "remote addresses");
		return;
	}
	d->n = (size_t)n;
	/* out of memory leaves the rates 0: the counts are still whole */
	(void)view_remote_rates(rows->cur->snap, &p->view, d->rows, d->n);
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	/* the view's own order is the default one: most connections first,
	 * ties by address */
	if (p->sort[PANE_REMOTE] != REMOTE_COL_CONNS || !p->descending[PANE_REMOTE])
		pane_sort_index(rows, p, d->order, d->n, remote_cmp);
}

static size_t remote_rows(const struct model *m)
{
	return m->remote.n;
}

const struct remote_row *rows_remote_at(const struct model *m, size_t row)
{
	return &m->remote.rows[m->remote.order[row]];
}

static uint64_t remote_row_key(const struct model *m, size_t row)
{
	const struct remote_row *r = rows_remote_at(m, row);

	return hash_bytes(r->family, r->addr, r->family == 4 ? 4 : 16);
}

static unsigned remote_enter(struct model *m, size_t row)
{
	char addr[64], expr[80];

	addr_format(addr, sizeof(addr), rows_remote_at(m, row)->family, rows_remote_at(m, row)->addr);
	snprintf(expr, sizeof(expr), "dst %s", addr);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

/* The sockets a row counts: TCP, to that address (view_top_remote). */
static bool remote_match(const struct sock_rec *r, const void *arg)
{
	const struct remote_row *row = arg;

	return r->proto == PROTO_TCP &&
	       kill_addr_in(r, row->family, row->addr, row->family == 4 ? 32 : 128);
}

/* K: every connection to the address that the row counts. */
static unsigned remote_kill(struct model *m, size_t row)
{
	const struct remote_row *target = rows_remote_at(m, row);
	struct view_options v;
	struct sock_rec *socks;
	char addr[64], place[80];
	long n;

	model_view_options(m, &v);
	n = kill_collect(m, &v, remote_match, target, &socks);
	if (n < 0) {
		model_message(m, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	addr_format(addr, sizeof(addr), target->family, target->addr);
	snprintf(place, sizeof(place), "to %s", addr);
	return kill_ask(m, socks, (size_t)n, "", place);
}

const struct pane_model pane_remote_model = {
	.title = "Top remote addresses",
	.short_title = "Remote",
	.default_sort = REMOTE_COL_CONNS,
	.default_descending = true,
	.compute = remote_compute,
	.release = remote_release,
	.rows = remote_rows,
	.row_key = remote_row_key,
	.enter = remote_enter,
	.kill = remote_kill,
};
