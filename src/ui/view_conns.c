/* view_conns.c: the connections table on screen. Its columns are the field
 * registry's (fields.h), so the screen, the printers, sorting and the filter
 * agree on what a column is and how it reads; which of them show, and in
 * which order, is the setup screen's (setup.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "pane_view.h"

/* Addresses and names are what gets long; the numbers keep their width. */
static bool field_grows(enum field_id f)
{
	return f == FIELD_LOCAL || f == FIELD_REMOTE || f == FIELD_PROCESS || f == FIELD_CGROUP;
}

/* What netstat shows stays; the rest gives way on a narrow screen. */
static bool field_optional(enum field_id f)
{
	return f == FIELD_PROCESS || (field_get(f)->flags & FIELD_NEEDS_INFO);
}

static bool field_shown(const struct ui *ui, enum field_id f)
{
	const struct field *fd = field_get(f);
	bool have_info = ui->m.cur && (ui->m.cur->snap->flags & SNAP_HAS_INFO);

	if (ui->m.col_hidden[f])
		return false;
	if (f == FIELD_PROCESS)
		return ui->m.show_procs;
	if (fd->flags & FIELD_NEEDS_NETNS)
		return ui->m.cur && ui->m.cur->snap->nnetns;
	return !(fd->flags & FIELD_NEEDS_INFO) || have_info;
}

static int conns_columns(const struct ui *ui, struct column *out)
{
	int n = 0;

	for (int i = 0; i < FIELD_COUNT && n < MAX_COLUMNS; i++) {
		enum field_id f = ui->m.col_order[i];
		const struct field *fd = field_get(f);

		if (!field_shown(ui, f))
			continue;
		out[n++] = (struct column){
			.id = f,
			.title = fd->title,
			.width = fd->width,
			.flags = (fd->flags & FIELD_RIGHT ? COL_RIGHT : 0) |
				 (field_grows(f) ? COL_GROW : 0) | (field_optional(f) ? COL_OPTIONAL : 0),
		};
	}
	return n;
}

/* Each state has its own role (themes colour them one by one); servers that
 * are not TCP listeners (unconnected UDP) look like listeners. */
static enum color_role state_role(const struct sock_rec *r)
{
	if (sock_is_listening(r) && r->state != ST_LISTEN)
		return ROLE_LISTEN;
	return theme_state_role(r->state);
}

static void conns_cell(const struct ui *ui, size_t row, const struct column *c, int width,
		       char *buf, size_t len, enum color_role *role)
{
	const struct sock_rec *r = rows_conns_at(&ui->m, row);

	if (c->id == FIELD_LOCAL || c->id == FIELD_REMOTE)
		names_endpoint(ui, r, sock_addr_of(r, c->id == FIELD_LOCAL).b, c->id == FIELD_LOCAL,
			       width, buf, len);
	else
		field_get(c->id)->format(ui->m.cur->snap, r, buf, len);
	if (c->id == FIELD_STATE)
		*role = state_role(r);
}

static void conns_summary(const struct ui *ui, char *buf, size_t len)
{
	char rx[16], tx[16];

	if (!ui->m.cur)
		return;
	if (!(ui->m.cur->snap->flags & SNAP_HAS_INFO) || ui->m.cur->snap->interval <= 0) {
		snprintf(buf, len, "%zu of %zu sockets", pane_rows(&ui->m, PANE_CONNS), ui->m.cur->snap->nsocks);
		return;
	}
	/* the pane's total line: what the shown connections move */
	field_format_rate(rx, sizeof(rx), ui->m.shown_rx_bps);
	field_format_rate(tx, sizeof(tx), ui->m.shown_tx_bps);
	snprintf(buf, len, "%zu of %zu sockets, total RX/s %s TX/s %s", pane_rows(&ui->m, PANE_CONNS),
		 ui->m.cur->snap->nsocks, rx, tx);
}

const struct pane_view pane_conns_view = {
	.columns = conns_columns,
	.cell = conns_cell,
	.summary = conns_summary,
};
