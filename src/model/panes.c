/* panes.c: what every pane shares: focus, a selection that follows its row
 * from sample to sample, sorting by a column, and search. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "closed_log.h"
#include "model.h"

void panes_init(struct model *m)
{
	static const struct pane_model *const ops[PANE_COUNT] = {
		[PANE_STATES] = &pane_states_model,
		[PANE_REMOTE] = &pane_remote_model,
		[PANE_IFACES] = &pane_ifaces_model,
		[PANE_FLOOD] = &pane_flood_model,
		[PANE_LISTENERS] = &pane_listeners_model,
		[PANE_SOURCES] = &pane_sources_model,
		[PANE_CONNS] = &pane_conns_model,
		[PANE_CONNTRACK] = &pane_conntrack_model,
	};
	for (int p = 0; p < PANE_COUNT; p++) {
		m->ops[p] = ops[p];
		m->panes[p] = (struct pane_state){
			.sort = ops[p]->default_sort,
			.descending = ops[p]->default_descending,
		};
	}
	m->focus = PANE_CONNS;
	/* --conntrack: the screen opens on the table */
	m->conntrack_shown = m->opts->conntrack;
	if (m->conntrack_shown)
		m->focus = PANE_CONNTRACK;
	m->other_conns = (struct pane_state){
		.sort = pane_procs_model.default_sort,
		.descending = pane_procs_model.default_descending,
	};
	m->other_closed = (struct pane_state){
		.sort = pane_closed_model.default_sort,
		.descending = pane_closed_model.default_descending,
	};
}

/* The connections pane's columns as the registry orders and shows them. */
void panes_columns_default(struct model *m)
{
	for (int f = 0; f < FIELD_COUNT; f++) {
		m->col_order[f] = (uint8_t)f;
		/* the process column is p's and -p's to show */
		m->col_hidden[f] = f != FIELD_PROCESS && !(field_get(f)->flags & FIELD_DEFAULT);
	}
}

bool pane_enabled(const struct model *m, enum pane_id id)
{
	/* the conntrack pane is shown alone */
	if (m->conntrack_shown || id == PANE_CONNTRACK)
		return m->conntrack_shown && id == PANE_CONNTRACK;
	if (id == PANE_FLOOD || id == PANE_LISTENERS || id == PANE_SOURCES)
		return m->flood.shown;
	return id < PANE_COUNT;
}

size_t pane_rows(const struct model *m, enum pane_id id)
{
	return m->cur ? m->ops[id]->rows(m) : 0;
}

static void remember_key(struct model *m, enum pane_id id)
{
	struct pane_state *ps = &m->panes[id];

	ps->keyed = ps->sel < pane_rows(m, id);
	if (ps->keyed)
		ps->sel_key = m->ops[id]->row_key(m, ps->sel);
}

void pane_reselect(struct model *m, enum pane_id id)
{
	struct pane_state *ps = &m->panes[id];
	size_t n = pane_rows(m, id);

	if (ps->keyed && m->ops[id]->find_key) {
		long row = m->ops[id]->find_key(m, ps->sel_key);

		if (row >= 0) {
			ps->sel = (size_t)row;
			return;
		}
	}
	/* a linear scan: cheap next to the dump that produced the rows */
	for (size_t i = 0; ps->keyed && !m->ops[id]->find_key && i < n; i++) {
		if (m->ops[id]->row_key(m, i) == ps->sel_key) {
			ps->sel = i;
			return;
		}
	}
	/* the row is gone: stay at the same height on screen */
	if (ps->sel >= n)
		ps->sel = n ? n - 1 : 0;
	remember_key(m, id);
}

void pane_select(struct model *m, enum pane_id id, long row)
{
	size_t n = pane_rows(m, id);

	if (row < 0 || !n)
		row = 0;
	else if ((size_t)row >= n)
		row = (long)n - 1;
	m->panes[id].sel = (size_t)row;
	remember_key(m, id);
}

unsigned pane_move(struct model *m, long delta)
{
	struct pane_state *ps = &m->panes[m->focus];
	long sel = (long)ps->sel;

	if (delta == LONG_MIN || delta == LONG_MAX)
		sel = delta == LONG_MIN ? 0 : LONG_MAX;
	else
		sel += delta;
	pane_select(m, m->focus, sel);
	return REDO_REDRAW;
}

unsigned pane_focus_step(struct model *m, int step)
{
	do
		m->focus = (enum pane_id)((m->focus + PANE_COUNT + step) % PANE_COUNT);
	while (!pane_enabled(m, m->focus));
	return REDO_REDRAW;
}

static int column_index(const struct column *cols, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (cols[i].id == id)
			return i;
	return -1;
}

unsigned pane_sort_set(struct model *m, enum pane_id id, int column, const struct column *cols,
		       int n)
{
	int i = column_index(cols, n, column);

	if (i < 0)
		return 0;
	m->panes[id].sort = column;
	model_message(m, false, "%s sorted by %s", m->ops[id]->title,
		      cols[i].title[0] ? cols[i].title : "bar");
	return REDO_RECOMPUTE;
}

unsigned pane_sort_step(struct model *m, int step, const struct column *cols, int n)
{
	int i = column_index(cols, n, m->panes[m->focus].sort);

	if (n <= 0)
		return 0;
	i = i < 0 ? 0 : (i + n + step) % n;
	return pane_sort_set(m, m->focus, cols[i].id, cols, n);
}

unsigned pane_sort_invert(struct model *m)
{
	struct pane_state *ps = &m->panes[m->focus];

	ps->descending = !ps->descending;
	model_message(m, false, "%s: %s order", m->ops[m->focus]->title,
		      ps->descending ? "descending" : "ascending");
	return REDO_RECOMPUTE;
}

bool pane_search(struct model *m, bool (*match)(const void *arg, enum pane_id id, size_t row),
		 const void *arg)
{
	enum pane_id id = m->focus;
	size_t n = pane_rows(m, id), start = m->panes[id].sel;

	for (size_t k = 1; k <= n; k++) {
		size_t row = (start + k) % n;

		if (match(arg, id, row)) {
			pane_select(m, id, (long)row);
			return true;
		}
	}
	return false;
}

struct sort_ctx {
	const struct pane_rows *rows;
	const struct model_params *p;
	pane_cmp_fn *cmp;
};

static int index_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *ctx = arg;

	return ctx->cmp(ctx->rows, ctx->p, *(const uint32_t *)a, *(const uint32_t *)b);
}

void pane_sort_index(const struct pane_rows *rows, const struct model_params *p, uint32_t *idx,
		     size_t n, pane_cmp_fn *cmp)
{
	struct sort_ctx ctx = { rows, p, cmp };

	qsort_r(idx, n, sizeof(*idx), index_cmp, &ctx);
}

/* "estab 5 time-wait 2": ss's short names keep the split readable. */
void pane_states_split(const uint32_t by_state[ST_COUNT], char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < ST_COUNT && used < len; i++) {
		enum tcp_state s = tcpstate_display_order[i];
		int n;

		if (!by_state[s])
			continue;
		n = snprintf(buf + used, len - used, "%s%s %u", used ? " " : "", tcpstate_ss_name(s),
			     by_state[s]);
		if (n < 0)
			break;
		used += (size_t)n;
	}
}
