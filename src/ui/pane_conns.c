/* pane_conns.c: the connections table. Its columns are the field registry's
 * (fields.h), so the screen, the printers, sorting and the filter agree on
 * what a column is and how it reads; which of them show, and in which
 * order, is the setup screen's (setup.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

/* Addresses and names are what gets long; the numbers keep their width. */
static bool field_grows(enum field_id f)
{
	return f == FIELD_LOCAL || f == FIELD_REMOTE || f == FIELD_PROCESS;
}

/* What netstat shows stays; the rest gives way on a narrow screen. */
static bool field_optional(enum field_id f)
{
	return f == FIELD_PROCESS || (field_get(f)->flags & FIELD_NEEDS_INFO);
}

static bool field_shown(const struct ui *ui, enum field_id f)
{
	const struct field *fd = field_get(f);
	bool have_info = ui->cur && (ui->cur->snap->flags & SNAP_HAS_INFO);

	if (ui->col_hidden[f])
		return false;
	if (f == FIELD_PROCESS)
		return ui->show_procs;
	return !(fd->flags & FIELD_NEEDS_INFO) || have_info;
}

static int conns_columns(const struct ui *ui, struct column *out)
{
	int n = 0;

	for (int i = 0; i < FIELD_COUNT && n < MAX_COLUMNS; i++) {
		enum field_id f = ui->col_order[i];
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

static void conns_release(struct pane_rows *rows)
{
	if (rows->conns.order)
		conn_order_free(rows->conns.order);
	free(rows->conns.order);
	rows->conns = (struct conns_data){ 0 };
}

/* The keys only: the rows are sorted as the screen reaches them. A new
 * sample's keys are gathered by the model's census pass (model.c). */
static void conns_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct conn_sort sort = { (enum field_id)p->sort[PANE_CONNS], p->descending[PANE_CONNS] };
	struct conn_order *o;

	if (rows->conns.order)
		return;
	o = malloc(sizeof(*o));
	if (!o || conn_order_build(o, rows->cur->snap, &p->view, &sort) < 0) {
		free(o);
		model_rows_error(rows, "connections");
		return;
	}
	rows->conns.order = o;
}

static size_t conns_rows(const struct ui *ui)
{
	return ui->conns.order ? ui->conns.order->n : 0;
}

static const struct sock_rec *sock_at(const struct ui *ui, size_t row)
{
	return &ui->cur->snap->socks[conn_order_at(ui->conns.order, row)];
}

static uint64_t conns_row_key(const struct ui *ui, size_t row)
{
	return sock_at(ui, row)->cookie;
}

static long conns_find_key(const struct ui *ui, uint64_t key)
{
	return ui->conns.order ? conn_order_find(ui->conns.order, key) : -1;
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
	const struct sock_rec *r = sock_at(ui, row);

	if (c->id == FIELD_LOCAL || c->id == FIELD_REMOTE)
		names_endpoint(ui, r, c->id == FIELD_LOCAL, width, buf, len);
	else
		field_get(c->id)->format(ui->cur->snap, r, buf, len);
	if (c->id == FIELD_STATE)
		*role = state_role(r);
}

static void conns_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->cur)
		snprintf(buf, len, "%zu of %zu sockets", conns_rows(ui), ui->cur->snap->nsocks);
}

static unsigned conns_enter(struct ui *ui, size_t row)
{
	(void)row;
	ui_message(ui, false, "Enter filters from the states, remote addresses and interfaces panes");
	return REDO_REDRAW;
}

/* K: the selected socket alone (its peer, if local, gets the reset). */
static unsigned conns_kill(struct ui *ui, size_t row)
{
	const struct sock_rec *r = sock_at(ui, row);
	struct sock_rec *copy = malloc(sizeof(*copy));
	char state[32], local[64], remote[64], place[160];

	if (!copy) {
		ui_message(ui, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	*copy = *r;
	field_get(FIELD_STATE)->format(ui->cur->snap, r, state, sizeof(state));
	endpoint_format(local, sizeof(local), r->family, r->laddr, r->lport, ENDPOINT_SCREEN);
	endpoint_format(remote, sizeof(remote), r->family, r->raddr, r->rport, ENDPOINT_SCREEN);
	if (sock_is_listening(r))
		snprintf(place, sizeof(place), "on %s", local);
	else
		snprintf(place, sizeof(place), "%s -> %s", local, remote);
	return kill_ask(ui, copy, 1, state, place);
}

const struct pane_ops pane_conns_ops = {
	.title = "Connections",
	.short_title = "Conns",
	.default_sort = FIELD_LOCAL,
	.compute = conns_compute,
	.release = conns_release,
	.columns = conns_columns,
	.rows = conns_rows,
	.row_key = conns_row_key,
	.find_key = conns_find_key,
	.cell = conns_cell,
	.summary = conns_summary,
	.enter = conns_enter,
	.kill = conns_kill,
};
