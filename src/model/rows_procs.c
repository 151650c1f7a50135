/* rows_procs.c: the connections pane grouped by program (P): per process,
 * its sockets, their states and their rates summed. Sockets whose owner is
 * not known yet ('?', found on a later sample) keep a row of their own,
 * apart from those that have none ('-'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static const struct proc_rec *proc_in(const struct snapshot *snap, const struct process_row *r)
{
	return r->proc >= 0 && (size_t)r->proc < snap->nprocs ? &snap->procs[r->proc] : NULL;
}

const struct proc_rec *rows_procs_proc(const struct model *m, const struct process_row *r)
{
	return proc_in(m->cur->snap, r);
}

/* Programs by name, then pid; the ownerless rows after every program. */
static int program_cmp(const struct snapshot *snap, const struct process_row *x,
		       const struct process_row *y)
{
	const struct proc_rec *p = proc_in(snap, x), *q = proc_in(snap, y);
	int c;

	if (!p || !q)
		return p ? -1 : q ? 1 : CMP(y->proc, x->proc);
	c = strcmp(p->comm, q->comm);
	return c ? c : CMP(p->pid, q->pid);
}

int rows_procs_order(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		     uint32_t b, process_name_cmp *by_name)
{
	const struct process_row *x = &rows->procs.rows[a], *y = &rows->procs.rows[b];
	const struct snapshot *snap = rows->cur->snap;
	int c = 0;

	switch (p->sort[PANE_CONNS]) {
	case PROCS_COL_PROGRAM: c = by_name(snap, x, y); break;
	case PROCS_COL_SOCKETS: c = CMP(x->sockets, y->sockets); break;
	case PROCS_COL_RX: c = CMP(x->rx_bps, y->rx_bps); break;
	case PROCS_COL_TX: c = CMP(x->tx_bps, y->tx_bps); break;
	case PROCS_COL_STATES: c = CMP(x->by_state[ST_ESTABLISHED], y->by_state[ST_ESTABLISHED]); break;
	}
	if (c)
		return p->descending[PANE_CONNS] ? -c : c;
	return by_name(snap, x, y);
}

static int procs_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		     uint32_t b)
{
	return rows_procs_order(rows, p, a, b, program_cmp);
}

static void procs_release(struct pane_rows *rows)
{
	free(rows->procs.rows);
	free(rows->procs.order);
	free(rows->procs.totals);
	rows->procs = (struct procs_data){ 0 };
}

/* view_by_process() counts sockets whose owner is still being looked up
 * with those that have none; they are moved to a row of their own. */
static void pending_split(const struct snapshot *snap, const struct view_options *v,
			  struct process_row *pending)
{
	memset(pending, 0, sizeof(*pending));
	pending->proc = OWNER_PENDING;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->owner != OWNER_PENDING || !view_sock_visible(snap, r, v))
			continue;
		pending->sockets++;
		pending->by_state[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		if (r->flags & SOCK_HAS_RATE)
			pending->rx_bps += r->rx_bps, pending->tx_bps += r->tx_bps;
	}
}

static void pending_apply(struct procs_data *d, const struct process_row *pending)
{
	size_t none = d->n;

	if (!pending->sockets)
		return;
	for (size_t i = 0; i < d->n; i++)
		if (d->rows[i].proc == OWNER_NONE)
			none = i;
	if (none < d->n) {
		struct process_row *r = &d->rows[none];

		r->sockets -= pending->sockets;
		for (int s = 0; s < ST_COUNT; s++)
			r->by_state[s] -= pending->by_state[s];
		r->rx_bps -= pending->rx_bps, r->tx_bps -= pending->tx_bps;
		if (!r->sockets)
			d->rows[none] = d->rows[--d->n];
	}
	d->rows[d->n++] = *pending;
}

static void procs_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct procs_data *d = &rows->procs;
	struct process_row pending, *grown;
	long n = view_by_process(rows->cur->snap, &p->view, &d->rows);

	if (n < 0) {
		d->rows = NULL;
		goto nomem;
	}
	/* room for the row of owners not known yet */
	if (!(grown = realloc(d->rows, ((size_t)n + 1) * sizeof(*grown))))
		goto nomem;
	d->rows = grown;
	if (!(d->order = malloc(((size_t)n + 1) * sizeof(*d->order))))
		goto nomem;
	d->n = (size_t)n;
	pending_split(rows->cur->snap, &p->view, &pending);
	pending_apply(d, &pending);
	for (size_t i = 0; i < d->n; i++)
		d->order[i] = (uint32_t)i;
	pane_sort_index(rows, p, d->order, d->n, procs_cmp);
	return;
nomem:
	procs_release(rows);
	model_rows_error(rows, "processes");
}

static size_t procs_rows(const struct model *m)
{
	return m->procs.n;
}

const struct process_row *rows_procs_at(const struct model *m, size_t row)
{
	return &m->procs.rows[m->procs.order[row]];
}

/* A process by its pid, which stays across samples (its index does not). */
static uint64_t procs_row_key(const struct model *m, size_t row)
{
	const struct proc_rec *p = rows_procs_proc(m, rows_procs_at(m, row));

	return p ? (uint64_t)(uint32_t)p->pid : (uint64_t)(int64_t)rows_procs_at(m, row)->proc;
}

/* Enter: that process's sockets, one row each. */
static unsigned procs_enter(struct model *m, size_t row)
{
	const struct proc_rec *p = rows_procs_proc(m, rows_procs_at(m, row));
	char expr[32];

	if (!p) {
		model_message(m, false, "no process to filter by");
		return REDO_REDRAW;
	}
	snprintf(expr, sizeof(expr), "pid %d", p->pid);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	return action_toggle_by_process(m) | REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_procs_model = {
	.title = "Connections by process",
	.short_title = "ByProc",
	.default_sort = PROCS_COL_SOCKETS,
	.default_descending = true,
	.compute = procs_compute,
	.release = procs_release,
	.rows = procs_rows,
	.row_key = procs_row_key,
	.enter = procs_enter,
};
