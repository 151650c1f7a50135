/* view_remote.c: the top remote addresses on screen, split by state; the
 * count column widens for counts too long for its title (rows_remote.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/closed_log.h"
#include "../escape.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ REMOTE_COL_ADDRESS, "Remote address", 15, COL_GROW },
	{ REMOTE_COL_CONNS, "Conns", 5, COL_RIGHT },
	{ REMOTE_COL_RX, "RX/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ REMOTE_COL_TX, "TX/s", 6, COL_RIGHT | COL_OPTIONAL },
	{ REMOTE_COL_STATES, "By state", 10, COL_GROW | COL_OPTIONAL },
	/* since start (totals.c) */
	{ REMOTE_COL_SEEN, "Seen", 5, COL_RIGHT | COL_OPTIONAL },
	{ REMOTE_COL_IN, "In", 6, COL_RIGHT | COL_OPTIONAL },
	{ REMOTE_COL_OUT, "Out", 6, COL_RIGHT | COL_OPTIONAL },
	{ REMOTE_COL_CLOSED, "Closed/s", 8, COL_RIGHT | COL_OPTIONAL },
};

static int remote_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return closed_columns_fit(ui->m.closed, out, (int)(sizeof(columns) / sizeof(columns[0])),
				  REMOTE_COL_CLOSED);
}

/* With every namespace sampled: " in NAME" (escaped), or " (several netns)"
 * when its connections are in more than one. */
static void remote_netns(const struct snapshot *snap, const struct remote_row *r, char *buf,
			 size_t len)
{
	size_t n = strlen(buf);

	if (!snap->nnetns || n + 5 >= len)
		return;
	if (r->netns < 0 || (size_t)r->netns >= snap->nnetns) {
		snprintf(buf + n, len - n, " (several netns)");
		return;
	}
	memcpy(buf + n, " in ", 5);
	escape_text(buf + n + 4, len - n - 4, snap->netns[r->netns].name,
		    strlen(snap->netns[r->netns].name));
}

static void remote_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct remote_row *r = rows_remote_at(&ui->m, row);

	(void)width;
	switch (c->id) {
	case REMOTE_COL_ADDRESS:
		names_host(ui, r->family, r->addr, buf, len);
		remote_netns(ui->m.cur->snap, r, buf, len);
		break;
	case REMOTE_COL_CONNS:
		snprintf(buf, len, "%u", r->connections);
		break;
	case REMOTE_COL_CLOSED:
		closed_rate_format(ui->m.closed ? closed_log_remote_rate(ui->m.closed, r->family, r->addr)
						: -1, buf, len);
		break;
	case REMOTE_COL_STATES:
		pane_states_split(r->by_state, buf, len);
		if (r->by_state[ST_SYN_RECV] || r->by_state[ST_CLOSE_WAIT])
			*role = ROLE_WARN;
		break;
	case REMOTE_COL_RX:
	case REMOTE_COL_TX:
		if (!r->has_rate)
			snprintf(buf, len, "-");
		else
			field_format_rate(buf, len, c->id == REMOTE_COL_RX ? r->rx_bps : r->tx_bps);
		break;
	default:
		totals_cell(ui->m.remote.totals ? &ui->m.remote.totals[r - ui->m.remote.rows] : NULL,
			    c->id - REMOTE_COL_SEEN, buf, len);
		break;
	}
}

static void remote_summary(const struct ui *ui, char *buf, size_t len)
{
	double rx = 0, tx = 0;
	char rxs[16], txs[16], note[80] = "";

	if (!ui->m.cur)
		return;
	if (ui->m.remote.totals_dropped)
		snprintf(note, sizeof(note), " (totals: %llu not kept, tables full)",
			 (unsigned long long)ui->m.remote.totals_dropped);
	if (!ui->m.remote.n || !ui->m.remote.rows[0].has_rate) {
		snprintf(buf, len, "%zu addresses%s", ui->m.remote.n, note);
		return;
	}
	/* the pane's total line: every address, shown or not */
	for (size_t i = 0; i < ui->m.remote.n; i++)
		rx += ui->m.remote.rows[i].rx_bps, tx += ui->m.remote.rows[i].tx_bps;
	field_format_rate(rxs, sizeof(rxs), rx);
	field_format_rate(txs, sizeof(txs), tx);
	snprintf(buf, len, "%zu addresses, total RX/s %s TX/s %s%s", ui->m.remote.n, rxs, txs, note);
}

const struct pane_view pane_remote_view = {
	.columns = remote_columns,
	.cell = remote_cell,
	.summary = remote_summary,
};
