/* pane_remote.c: remote addresses with the most TCP connections, split by
 * state; Enter filters the connections by an address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "screen.h"

enum { COL_ADDRESS, COL_CONNS, COL_STATES };

static const struct column columns[] = {
	{ COL_ADDRESS, "Remote address", 15, COL_GROW },
	{ COL_CONNS, "Conns", 5, COL_RIGHT },
	{ COL_STATES, "By state", 10, COL_GROW | COL_OPTIONAL },
};

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
	case COL_ADDRESS: c = addr_cmp(x, y); break;
	case COL_CONNS: c = CMP(x->connections, y->connections); break;
	case COL_STATES: c = CMP(x->by_state[ST_ESTABLISHED], y->by_state[ST_ESTABLISHED]); break;
	}
	if (c)
		return p->descending[PANE_REMOTE] ? -c : c;
	return addr_cmp(x, y);
}

static void remote_release(struct pane_rows *rows)
{
	free(rows->remote.rows);
	free(rows->remote.order);
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
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	/* the view's own order is the default one: most connections first,
	 * ties by address */
	if (p->sort[PANE_REMOTE] != COL_CONNS || !p->descending[PANE_REMOTE])
		pane_sort_index(rows, p, d->order, d->n, remote_cmp);
}

/* The count column widens for a count of more digits than its title has
 * room for: 100000 connections from one address show whole. */
static int remote_columns(const struct ui *ui, struct column *out)
{
	uint32_t most = ui->remote.n ? ui->remote.rows[0].connections : 0;
	int digits = 1;

	memcpy(out, columns, sizeof(columns));
	/* rows[] is the view's order: most connections first */
	for (; most >= 10; most /= 10)
		digits++;
	if (digits > out[COL_CONNS].width)
		out[COL_CONNS].width = digits;
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static size_t remote_rows(const struct ui *ui)
{
	return ui->remote.n;
}

static const struct remote_row *row_at(const struct ui *ui, size_t row)
{
	return &ui->remote.rows[ui->remote.order[row]];
}

static uint64_t remote_row_key(const struct ui *ui, size_t row)
{
	const struct remote_row *r = row_at(ui, row);

	return hash_bytes(r->family, r->addr, r->family == 4 ? 4 : 16);
}

static void remote_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct remote_row *r = row_at(ui, row);

	(void)width;
	switch (c->id) {
	case COL_ADDRESS:
		names_host(ui, r->family, r->addr, buf, len);
		break;
	case COL_CONNS:
		snprintf(buf, len, "%u", r->connections);
		break;
	case COL_STATES:
		pane_states_split(r->by_state, buf, len);
		if (r->by_state[ST_SYN_RECV] || r->by_state[ST_CLOSE_WAIT])
			*role = ROLE_WARN;
		break;
	}
}

static void remote_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->cur)
		snprintf(buf, len, "%zu addresses", ui->remote.n);
}

static unsigned remote_enter(struct ui *ui, size_t row)
{
	char addr[64], expr[80];

	addr_format(addr, sizeof(addr), row_at(ui, row)->family, row_at(ui, row)->addr);
	snprintf(expr, sizeof(expr), "dst %s", addr);
	if (!model_set_filter(ui, expr))
		return REDO_REDRAW;
	ui->focus = PANE_CONNS;
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
static unsigned remote_kill(struct ui *ui, size_t row)
{
	const struct remote_row *m = row_at(ui, row);
	struct view_options v;
	struct sock_rec *socks;
	char addr[64], place[80];
	long n;

	model_view_options(ui, &v);
	n = kill_collect(ui, &v, remote_match, m, &socks);
	if (n < 0) {
		ui_message(ui, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	addr_format(addr, sizeof(addr), m->family, m->addr);
	snprintf(place, sizeof(place), "to %s", addr);
	return kill_ask(ui, socks, (size_t)n, "", place);
}

const struct pane_ops pane_remote_ops = {
	.title = "Top remote addresses",
	.short_title = "Remote",
	.default_sort = COL_CONNS,
	.default_descending = true,
	.compute = remote_compute,
	.release = remote_release,
	.columns = remote_columns,
	.rows = remote_rows,
	.row_key = remote_row_key,
	.cell = remote_cell,
	.summary = remote_summary,
	.enter = remote_enter,
	.kill = remote_kill,
};
