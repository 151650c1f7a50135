/* rows_states.c: the 12 TCP states with their counts, the change since the
 * previous sample, and a bar; Enter filters the connections by a state. */
#include <stdio.h>
#include <string.h>

#include "model.h"

static int display_rank(enum tcp_state s)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (tcpstate_display_order[i] == s)
			return i;
	return ST_COUNT;
}

long rows_states_change(const struct states_data *d, uint32_t s)
{
	return d->has_prev ? (long)d->cur.n[s] - (long)d->prev.n[s] : 0;
}

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* Ties fall back to the display order, so equal counts never swap places. */
static int states_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		      uint32_t b)
{
	const struct states_data *d = &rows->states;
	int c = 0;

	switch (p->sort[PANE_STATES]) {
	case STATES_COL_STATE: c = CMP(display_rank(a), display_rank(b)); break;
	case STATES_COL_COUNT: case STATES_COL_BAR: c = CMP(d->cur.n[a], d->cur.n[b]); break;
	case STATES_COL_CHANGE: c = CMP(rows_states_change(d, a), rows_states_change(d, b)); break;
	}
	if (c)
		return p->descending[PANE_STATES] ? -c : c;
	return CMP(display_rank(a), display_rank(b));
}

/* The counts are the model's (model.c counts each sample once). */
static void states_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct states_data *d = &rows->states;

	for (int i = 0; i < ST_COUNT; i++)
		d->order[i] = tcpstate_display_order[i];
	pane_sort_index(rows, p, d->order, ST_COUNT, states_cmp);
}

static void states_release(struct pane_rows *rows)
{
	(void)rows;
}

static size_t states_rows(const struct model *m)
{
	(void)m;
	return ST_COUNT;
}

static uint64_t states_row_key(const struct model *m, size_t row)
{
	return m->states.order[row];
}

static unsigned states_enter(struct model *m, size_t row)
{
	char expr[64];

	snprintf(expr, sizeof(expr), "state %s", tcpstate_name((enum tcp_state)m->states.order[row]));
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_states_model = {
	.title = "TCP states",
	.short_title = "States",
	.default_sort = STATES_COL_STATE,
	.compute = states_compute,
	.release = states_release,
	.rows = states_rows,
	.row_key = states_row_key,
	.enter = states_enter,
};
