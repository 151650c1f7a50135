/* pane_ifaces.c: interfaces with byte and packet rates, errors and drops.
 * The snapshot already holds the rates; this pane only orders and shows them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../view/fields.h"
#include "../view/filter.h"
#include "screen.h"

enum { COL_NAME, COL_RX, COL_TX, COL_RX_PKTS, COL_TX_PKTS, COL_ERRORS, COL_DROPS };

static const struct column columns[] = {
	{ COL_NAME, "Iface", 8, COL_GROW },
	{ COL_RX, "RX/s", 7, COL_RIGHT },
	{ COL_TX, "TX/s", 7, COL_RIGHT },
	{ COL_RX_PKTS, "RXpk/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ COL_TX_PKTS, "TXpk/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ COL_ERRORS, "Err", 4, COL_RIGHT | COL_OPTIONAL },
	{ COL_DROPS, "Drop", 4, COL_RIGHT | COL_OPTIONAL },
};

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static const struct iface_rec *iface_at(const struct ui *ui, size_t row)
{
	return &ui->cur->snap->ifaces[ui->ifaces.order[row]];
}

static uint64_t errors(const struct iface_rec *r)
{
	return r->rx_errors + r->tx_errors;
}

static uint64_t drops(const struct iface_rec *r)
{
	return r->rx_dropped + r->tx_dropped;
}

static int ifaces_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		      uint32_t b)
{
	const struct iface_rec *x = &rows->cur->snap->ifaces[a], *y = &rows->cur->snap->ifaces[b];
	int c = 0;

	switch (p->sort[PANE_IFACES]) {
	case COL_NAME: c = strcmp(x->name, y->name); break;
	case COL_RX: c = CMP(x->rx_bps, y->rx_bps); break;
	case COL_TX: c = CMP(x->tx_bps, y->tx_bps); break;
	case COL_RX_PKTS: c = CMP(x->rx_pps, y->rx_pps); break;
	case COL_TX_PKTS: c = CMP(x->tx_pps, y->tx_pps); break;
	case COL_ERRORS: c = CMP(errors(x), errors(y)); break;
	case COL_DROPS: c = CMP(drops(x), drops(y)); break;
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

static int ifaces_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static size_t ifaces_rows(const struct ui *ui)
{
	return ui->ifaces.n;
}

static uint64_t ifaces_row_key(const struct ui *ui, size_t row)
{
	return iface_at(ui, row)->ifindex;
}

static void rate_format(const struct iface_rec *r, double v, char *buf, size_t len)
{
	if (r->has_rate)
		field_format_rate(buf, len, v);
	else
		snprintf(buf, len, "-");
}

static void ifaces_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct iface_rec *r = iface_at(ui, row);

	(void)width;
	if (!r->up)
		*role = ROLE_DIM;
	switch (c->id) {
	case COL_NAME: escape_text(buf, len, r->name, strlen(r->name)); break;
	case COL_RX: rate_format(r, r->rx_bps, buf, len); break;
	case COL_TX: rate_format(r, r->tx_bps, buf, len); break;
	case COL_RX_PKTS: rate_format(r, r->rx_pps, buf, len); break;
	case COL_TX_PKTS: rate_format(r, r->tx_pps, buf, len); break;
	case COL_ERRORS:
		snprintf(buf, len, "%llu", (unsigned long long)errors(r));
		if (errors(r))
			*role = ROLE_WARN;
		break;
	case COL_DROPS:
		snprintf(buf, len, "%llu", (unsigned long long)drops(r));
		if (drops(r))
			*role = ROLE_WARN;
		break;
	}
}

static void ifaces_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->cur)
		snprintf(buf, len, "%zu", ui->ifaces.n);
}

/* "dev NAME": the sockets bound to the device, the one link between a
 * socket and an interface the kernel reports. The name is spelled so that
 * the filter reads back the raw bytes (escape_text's form would not match). */
static unsigned ifaces_enter(struct ui *ui, size_t row)
{
	char name[80], expr[96];
	const struct iface_rec *r = iface_at(ui, row);

	filter_word_quote(name, sizeof(name), r->name);
	snprintf(expr, sizeof(expr), "dev %s", name);
	if (!model_set_filter(ui, expr))
		return REDO_REDRAW;
	ui->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_ops pane_ifaces_ops = {
	.title = "Interfaces",
	.short_title = "Ifaces",
	.default_sort = COL_NAME,
	.compute = ifaces_compute,
	.release = ifaces_release,
	.columns = ifaces_columns,
	.rows = ifaces_rows,
	.row_key = ifaces_row_key,
	.cell = ifaces_cell,
	.summary = ifaces_summary,
	.enter = ifaces_enter,
};
