/* rows_conns.c: the connections table. Its columns are the field registry's
 * (fields.h), so the screen, the printers, sorting and the filter agree on
 * what a column is and how it reads; which of them show, and in which
 * order, is the setup screen's (setup.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"

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

static size_t conns_rows(const struct model *m)
{
	return m->conns.order ? m->conns.order->n : 0;
}

const struct sock_rec *rows_conns_at(const struct model *m, size_t row)
{
	return &m->cur->snap->socks[conn_order_at(m->conns.order, row)];
}

static uint64_t conns_row_key(const struct model *m, size_t row)
{
	return rows_conns_at(m, row)->cookie;
}

static long conns_find_key(const struct model *m, uint64_t key)
{
	return m->conns.order ? conn_order_find(m->conns.order, key) : -1;
}

/* Rows either side of the selection sorted ahead: more than a screen. */
#define PRESETTLE_ROWS 100

void rows_conns_presettle(struct pane_rows *rows, const struct model_params *p)
{
	struct conn_order *o = rows->conns.order;
	long row = -1;
	size_t from, to;

	if (!o || !o->n || p->ops[PANE_CONNS] != &pane_conns_model)
		return;
	if (p->conns_keyed)
		row = conn_order_find(o, p->conns_sel_key);
	if (row < 0)	/* gone: the pane stays at the same height */
		row = (long)(p->conns_sel < o->n ? p->conns_sel : o->n - 1);
	from = (size_t)row > PRESETTLE_ROWS ? (size_t)row - PRESETTLE_ROWS : 0;
	to = (size_t)row + PRESETTLE_ROWS < o->n ? (size_t)row + PRESETTLE_ROWS : o->n - 1;
	for (size_t r = from; r <= to; r++)
		(void)conn_order_at(o, r);
}

static unsigned conns_enter(struct model *m, size_t row)
{
	(void)row;
	model_message(m, false, "Enter filters from the states, remote addresses and interfaces panes");
	return REDO_REDRAW;
}

/* K: the selected socket alone (its peer, if local, gets the reset). */
static unsigned conns_kill(struct model *m, size_t row)
{
	const struct sock_rec *r = rows_conns_at(m, row);
	struct sock_rec *copy = kill_copy_one(r);
	char state[32], local[64], remote[64], place[160];

	if (!copy) {
		model_message(m, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	field_get(FIELD_STATE)->format(m->cur->snap, r, state, sizeof(state));
	endpoint_format(local, sizeof(local), r->family, sock_laddr(r).b, r->lport, ENDPOINT_SCREEN);
	endpoint_format(remote, sizeof(remote), r->family, sock_raddr(r).b, r->rport, ENDPOINT_SCREEN);
	if (sock_is_listening(r))
		snprintf(place, sizeof(place), "on %s", local);
	else
		snprintf(place, sizeof(place), "%s -> %s", local, remote);
	return kill_ask(m, copy, 1, state, place);
}

const struct pane_model pane_conns_model = {
	.title = "Connections",
	.short_title = "Conns",
	.default_sort = FIELD_LOCAL,
	.compute = conns_compute,
	.release = conns_release,
	.rows = conns_rows,
	.row_key = conns_row_key,
	.find_key = conns_find_key,
	.enter = conns_enter,
	.kill = conns_kill,
};
