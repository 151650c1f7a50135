/* rows_ifaces.c: interfaces with byte and packet rates, errors and drops.
 * The snapshot already holds the rates; this pane only orders and shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/fields.h"
#include "../view/filter.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

const struct iface_rec *rows_ifaces_at(const struct model *m, size_t row)
{
	return &m->cur->snap->ifaces[m->ifaces.order[row]];
}

uint64_t rows_ifaces_errors(const struct iface_rec *r)
{
	return r->rx_errors + r->tx_errors;
}

uint64_t rows_ifaces_drops(const struct iface_rec *r)
{
	return r->rx_dropped + r->tx_dropped;
}

static int ifaces_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		      uint32_t b)
{
	const struct iface_rec *x = &rows->cur->snap->ifaces[a], *y = &rows->cur->snap->ifaces[b];
	int c = 0;

	switch (p->sort[PANE_IFACES]) {
	case IFACES_COL_NAME: c = strcmp(x->name, y->name); break;
	case IFACES_COL_RX: c = CMP(x->rx_bps, y->rx_bps); break;
	case IFACES_COL_TX: c = CMP(x->tx_bps, y->tx_bps); break;
	case IFACES_COL_RX_PKTS: c = CMP(x->rx_pps, y->rx_pps); break;
	case IFACES_COL_TX_PKTS: c = CMP(x->tx_pps, y->tx_pps); break;
	case IFACES_COL_ERRORS: c = CMP(rows_ifaces_errors(x), rows_ifaces_errors(y)); break;
	case IFACES_COL_DROPS: c = CMP(rows_ifaces_drops(x), rows_ifaces_drops(y)); break;
	}
	if (c)
		return p->descending[PANE_IFACES] ? -c : c;
	return CMP(x->ifindex, y->ifindex);
}

static void ifaces_release(struct pane_rows *rows)
{
	free(rows->ifaces.order);
	rows->ifaces = (struct ifaces_data){ 0 };
}

static void ifaces_compute(struct pane_rows *rows, const struct model_params *p)
{
	const struct snapshot *snap = rows->cur->snap;
	struct ifaces_data *d = &rows->ifaces;

	d->order = malloc((snap->nifaces ? snap->nifaces : 1) * sizeof(*d->order));
	if (!d->order) {
		model_rows_error(rows, "interfaces");
		return;
	}
	d->n = snap->nifaces;
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	pane_sort_index(rows, p, d->order, d->n, ifaces_cmp);
}

static size_t ifaces_rows(const struct model *m)
{
	return m->ifaces.n;
}

static uint64_t ifaces_row_key(const struct model *m, size_t row)
{
	return rows_ifaces_at(m, row)->ifindex;
}

/* "dev NAME": the sockets bound to the device, the one link between a
 * socket and an interface the kernel reports. The name is spelled so that
 * the filter reads back the raw bytes (escape_text's form would not match). */
static unsigned ifaces_enter(struct model *m, size_t row)
{
	char name[80], expr[96];
	const struct iface_rec *r = rows_ifaces_at(m, row);

	filter_word_quote(name, sizeof(name), r->name);
	snprintf(expr, sizeof(expr), "dev %s", name);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_ifaces_model = {
	.title = "Interfaces",
	.short_title = "Ifaces",
	.default_sort = IFACES_COL_NAME,
	.compute = ifaces_compute,
	.release = ifaces_release,
	.rows = ifaces_rows,
	.row_key = ifaces_row_key,
	.enter = ifaces_enter,
};
