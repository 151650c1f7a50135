/* view_netns.c: the connections pane grouped by network namespace (B) on
 * screen (rows_netns.c); names are a container's own: escaped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ PROCS_COL_PROGRAM, "Namespace", 22, COL_GROW },
	{ PROCS_COL_SOCKETS, "Sockets", 7, COL_RIGHT },
	{ PROCS_COL_RX, "RX/s", 7, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_TX, "TX/s", 7, COL_RIGHT | COL_OPTIONAL },
	{ PROCS_COL_STATES, "By state", 30, COL_GROW | COL_OPTIONAL },
};

static int netns_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void netns_cell(const struct ui *ui, size_t row, const struct column *c, int width,
		       char *buf, size_t len, enum color_role *role)
{
	const struct process_row *r = rows_procs_at(&ui->m, row);
	const char *name;

	(void)width;
	switch (c->id) {
	case PROCS_COL_PROGRAM:
		name = rows_netns_name(&ui->m, r);
		escape_text(buf, len, name ? name : "-", strlen(name ? name : "-"));
		break;
	case PROCS_COL_SOCKETS: snprintf(buf, len, "%u", r->sockets); break;
	case PROCS_COL_RX: field_format_rate(buf, len, r->rx_bps); break;
	case PROCS_COL_TX: field_format_rate(buf, len, r->tx_bps); break;
	case PROCS_COL_STATES:
		pane_states_split(r->by_state, buf, len);
		if (r->by_state[ST_SYN_RECV] || r->by_state[ST_CLOSE_WAIT])
			*role = ROLE_WARN;
		break;
	}
}

static void netns_summary(const struct ui *ui, char *buf, size_t len)
{
	size_t sockets = 0;
	const struct snapshot *snap = ui->m.cur ? ui->m.cur->snap : NULL;

	if (!snap)
		return;
	for (size_t i = 0; i < ui->m.procs.n; i++)
		sockets += ui->m.procs.rows[i].sockets;
	snprintf(buf, len, "%zu namespaces, %zu sockets%s", snap->nnetns, sockets,
		 snap->netns_unreadable ? "; some not entered" : "");
}

const struct pane_view pane_netns_view = {
	.columns = netns_columns,
	.cell = netns_cell,
	.summary = netns_summary,
};
