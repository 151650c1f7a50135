/* view_procs.c: the connections pane grouped by program (P) on screen:
 * '?' for sockets whose owner is not known yet, '-' for none
 * (rows_procs.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ PROCS_COL_PROGRAM, "PID/Program", 22, COL_GROW },
	{ PROCS_COL_SOCKETS, "Sockets", 7, COL_RIGHT },
	{ PROCS_COL_RX, "RX/s", 7, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_TX, "TX/s", 7, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_STATES, "By state", 30, COL_GROW | COL_OPTIONAL },
	/* since start (totals.c) */
	{ PROCS_COL_SEEN, "Seen", 5, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_IN, "In", 6, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_OUT, "Out", 6, COL_RIGHT | COL_OPTIONAL },
};

static int procs_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void program_format(const struct ui *ui, const struct process_row *r, char *buf, size_t len)
{
	const struct proc_rec *p = rows_procs_proc(&ui->m, r);
	int n;

	if (!p) {
		snprintf(buf, len, "%s", r->proc == OWNER_PENDING ? "?" : "-");
		return;
	}
	n = snprintf(buf, len, "%d/", p->pid);
	if (n > 0 && (size_t)n < len)
		escape_text(buf + n, len - (size_t)n, p->comm, strlen(p->comm));
}

static void procs_cell(const struct ui *ui, size_t row, const struct column *c, int width,
		       char *buf, size_t len, enum color_role *role)
{
	const struct process_row *r = rows_procs_at(&ui->m, row);

	(void)width;
	switch (c->id) {
	case PROCS_COL_PROGRAM:
		program_format(ui, r, buf, len);
		if (r->proc < 0)
			*role = ROLE_DIM;
		break;
	case PROCS_COL_SOCKETS: snprintf(buf, len, "%u", r->sockets); break;
	case PROCS_COL_RX: field_format_rate(buf, len, r->rx_bps); break;
	case PROCS_COL_TX: field_format_rate(buf, len, r->tx_bps); break;
	case PROCS_COL_STATES:
		pane_states_split(r->by_state, buf, len);
		if (r->by_state[ST_SYN_RECV] || r->by_state[ST_CLOSE_WAIT])
			*role = ROLE_WARN;
		break;
	default:
		totals_cell(ui->m.procs.totals ? &ui->m.procs.totals[r - ui->m.procs.rows] : NULL,
			    c->id - PROCS_COL_SEEN, buf, len);
		break;
	}
}

static void procs_summary(const struct ui *ui, char *buf, size_t len)
{
	size_t sockets = 0, procs = 0;
	double rx = 0, tx = 0;
	char rxs[16], txs[16];

	if (!ui->m.cur)
		return;
	for (size_t i = 0; i < ui->m.procs.n; i++) {
		sockets += ui->m.procs.rows[i].sockets;
		procs += ui->m.procs.rows[i].proc >= 0;
		rx += ui->m.procs.rows[i].rx_bps;
		tx += ui->m.procs.rows[i].tx_bps;
	}
	/* the pane's total line */
	field_format_rate(rxs, sizeof(rxs), rx);
	field_format_rate(txs, sizeof(txs), tx);
	snprintf(buf, len, "%zu process%s, %zu sockets, total RX/s %s TX/s %s", procs,
		 procs == 1 ? "" : "es", sockets, rxs, txs);
}

const struct pane_view pane_procs_view = {
	.columns = procs_columns,
	.cell = procs_cell,
	.summary = procs_summary,
};
