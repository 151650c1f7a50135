/* rows_closed.c: the Closed view (E), the connections pane's third form:
 * the last closed connections, newest first. Its rows are the log's
 * (closed_log.c), built on the loop's thread when rows are installed or a
 * key asks: a few thousand entries, not a sample's sockets, so the worker
 * has nothing to do for it. */
#include <stdio.h>
#include <string.h>

#include "closed_log.h"

static void closed_compute(struct pane_rows *rows, const struct model_params *p)
{
	(void)rows, (void)p;
}

static void closed_release(struct pane_rows *rows)
{
	(void)rows;
}

static size_t closed_rows(const struct model *m)
{
	return m->closed_shown && m->closed ? m->closed->n : 0;
}

const struct closed_entry *rows_closed_at(const struct model *m, size_t row)
{
	return closed_log_at(m->closed, row);
}

static uint64_t closed_row_key(const struct model *m, size_t row)
{
	return rows_closed_at(m, row)->seq;
}

/* Enter: the connections with the same remote address, closed and live (the
 * filter is the same for both forms). */
static unsigned closed_enter(struct model *m, size_t row)
{
	const struct close_event *ev = &rows_closed_at(m, row)->c.ev;
	const struct sock_rec *r = &ev->r;
	char addr[64], expr[80];

	if (!r->rport) {
		model_message(m, false, "a listener's close: no remote address to filter by");
		return REDO_REDRAW;
	}
	addr_format(addr, sizeof(addr), r->family, ev->a.r);
	snprintf(expr, sizeof(expr), "dst %s", addr);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_closed_model = {
	.title = "Closed",
	.short_title = "Closed",
	.default_sort = CLOSED_COL_TIME,
	.default_descending = true,
	.compute = closed_compute,
	.release = closed_release,
	.rows = closed_rows,
	.row_key = closed_row_key,
	.enter = closed_enter,
};

void closed_rows_refresh(struct model *m)
{
	const struct pane_state *ps = &m->panes[PANE_CONNS];
	struct view_options v;

	closed_panes_sort(m);
	if (!m->closed_shown || !m->closed)
		return;
	model_view_options(m, &v);
	closed_log_rows(m->closed, &v, ps->sort, ps->descending);
}

/* The Closed view and the form of the connections pane it hides keep their
 * own selection and sort. */
unsigned action_toggle_closed(struct model *m)
{
	struct pane_state keep = m->panes[PANE_CONNS];

	m->closed_shown = !m->closed_shown;
	m->panes[PANE_CONNS] = m->other_closed;
	m->other_closed = keep;
	m->ops[PANE_CONNS] = m->closed_shown ? &pane_closed_model
			     : m->by_process ? &pane_procs_model : &pane_conns_model;
	m->focus = PANE_CONNS;
	if (!m->closed_shown)
		model_message(m, false, "connections; E: the closed ones");
	else if (m->closed && m->closed->note)
		model_message(m, !m->closed->active, "closed connections: %s", m->closed->note);
	else
		model_message(m, false, "closed connections, newest first; E: the live ones");
	closed_rows_refresh(m);
	pane_reselect(m, PANE_CONNS);
	/* the processes of the sockets that close next are looked up */
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

void closed_log_sample(struct model *m, struct sample *s, const struct sample *before)
{
	if (!m->closed)
		m->closed = closed_log_new(m->closed_cap);
	if (m->closed)
		closed_log_take(m->closed, s, before);
}
