/* closed_panes.c: sorting the states, remote and flood listeners panes by
 * their closed/s column. The worker sorts by every other column; these
 * rates are the closed log's, which lives on the loop's thread, so the rows
 * the worker installed are sorted again here: 12 states, the remote
 * addresses shown, a few listeners, and only while that column is the
 * sort. Ties keep the worker's order. */
#include <stdlib.h>

#include "closed_log.h"

struct keyed {
	double rate;
	uint32_t pos;			/* in the worker's order: ties keep it */
	uint32_t idx;
};

static int keyed_cmp(const void *pa, const void *pb, void *arg)
{
	const struct keyed *a = pa, *b = pb;
	bool descending = *(const bool *)arg;
	int c = (a->rate > b->rate) - (a->rate < b->rate);

	if (c)
		return descending ? -c : c;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/* Sorts order (n indexes) by rate_of(arg, index). */
static void order_by_rate(uint32_t *order, size_t n, bool descending,
			  double (*rate_of)(const struct model *m, uint32_t idx), const struct model *m)
{
	struct keyed *k = n ? malloc(n * sizeof(*k)) : NULL;

	if (!k)
		return;		/* out of memory: the worker's order stays */
	for (size_t i = 0; i < n; i++)
		k[i] = (struct keyed){ rate_of(m, order[i]), (uint32_t)i, order[i] };
	qsort_r(k, n, sizeof(*k), keyed_cmp, &descending);
	for (size_t i = 0; i < n; i++)
		order[i] = k[i].idx;
	free(k);
}

static double state_rate(const struct model *m, uint32_t state)
{
	return closed_log_state_rate(m->closed, state);
}

static double remote_rate(const struct model *m, uint32_t i)
{
	return closed_log_remote_rate(m->closed, m->remote.rows[i].family, m->remote.rows[i].addr);
}

static double listener_rate(const struct model *m, uint32_t i)
{
	return closed_log_listener_rate(m->closed, &m->cur->snap->socks[m->flood.report.listeners[i].sock]);
}

void closed_panes_sort(struct model *m)
{
	const struct pane_state *p = m->panes;

	if (!m->closed || !m->cur)
		return;
	if (p[PANE_STATES].sort == STATES_COL_CLOSED)
		order_by_rate(m->states.order, ST_COUNT, p[PANE_STATES].descending, state_rate, m);
	if (p[PANE_REMOTE].sort == REMOTE_COL_CLOSED && m->remote.order)
		order_by_rate(m->remote.order, m->remote.n, p[PANE_REMOTE].descending, remote_rate, m);
	if (p[PANE_LISTENERS].sort == LISTENERS_COL_CLOSED && m->flood.listener_order)
		order_by_rate(m->flood.listener_order, m->flood.nlisteners, p[PANE_LISTENERS].descending,
			      listener_rate, m);
}
