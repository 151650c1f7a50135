/* view_ifaces.c: interfaces on screen, with byte and packet rates, errors
 * and drops (rows_ifaces.c orders them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../view/fields.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ IFACES_COL_NAME, "Iface", 8, COL_GROW },
	{ IFACES_COL_RX, "RX/s", 7, COL_RIGHT },
	{ IFACES_COL_TX, "TX/s", 7, COL_RIGHT },
	{ IFACES_COL_RX_PKTS, "RXpk/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ IFACES_COL_TX_PKTS, "TXpk/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ IFACES_COL_ERRORS, "Err", 4, COL_RIGHT | COL_OPTIONAL },
	{ IFACES_COL_DROPS, "Drop", 4, COL_RIGHT | COL_OPTIONAL },
};

static int ifaces_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
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
	const struct iface_rec *r = rows_ifaces_at(&ui->m, row);

	(void)width;
	if (!r->up)
		*role = ROLE_DIM;
	switch (c->id) {
	case IFACES_COL_NAME: escape_text(buf, len, r->name, strlen(r->name)); break;
	case IFACES_COL_RX: rate_format(r, r->rx_bps, buf, len); break;
	case IFACES_COL_TX: rate_format(r, r->tx_bps, buf, len); break;
	case IFACES_COL_RX_PKTS: rate_format(r, r->rx_pps, buf, len); break;
	case IFACES_COL_TX_PKTS: rate_format(r, r->tx_pps, buf, len); break;
	case IFACES_COL_ERRORS:
		snprintf(buf, len, "%llu", (unsigned long long)rows_ifaces_errors(r));
		if (rows_ifaces_errors(r))
			*role = ROLE_WARN;
		break;
	case IFACES_COL_DROPS:
		snprintf(buf, len, "%llu", (unsigned long long)rows_ifaces_drops(r));
		if (rows_ifaces_drops(r))
			*role = ROLE_WARN;
		break;
	}
}

static void ifaces_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->m.cur)
		snprintf(buf, len, "%zu", ui->m.ifaces.n);
}

const struct pane_view pane_ifaces_view = {
	.columns = ifaces_columns,
	.cell = ifaces_cell,
	.summary = ifaces_summary,
};
