/* panes.c: what every pane shares: focus, a selection that follows its row
 * from sample to sample, sorting by a column, and search. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "screen.h"

void panes_init(struct ui *ui)
{
	static const struct pane_ops *const ops[PANE_COUNT] = {
		[PANE_STATES] = &pane_states_ops,
		[PANE_REMOTE] = &pane_remote_ops,
		[PANE_IFACES] = &pane_ifaces_ops,
		[PANE_FLOOD] = &pane_flood_ops,
		[PANE_LISTENERS] = &pane_listeners_ops,
		[PANE_SOURCES] = &pane_sources_ops,
		[PANE_CONNS] = &pane_conns_ops,
	};
	for (int p = 0; p < PANE_COUNT; p++) {
		ui->ops[p] = ops[p];
		ui->panes[p] = (struct pane_state){
			.sort = ops[p]->default_sort,
			.descending = ops[p]->default_descending,
		};
	}
	ui->focus = PANE_CONNS;
	ui->other_conns = (struct pane_state){
		.sort = pane_procs_ops.default_sort,
		.descending = pane_procs_ops.default_descending,
	};
}

bool pane_enabled(const struct ui *ui, enum pane_id id)
{
	if (id == PANE_FLOOD || id == PANE_LISTENERS || id == PANE_SOURCES)
		return ui->flood.shown;
	return id < PANE_COUNT;
}

static size_t pane_rows(const struct ui *ui, enum pane_id id)
{
	return ui->cur ? ui->ops[id]->rows(ui) : 0;
}

static void remember_key(struct ui *ui, enum pane_id id)
{
	struct pane_state *ps = &ui->panes[id];

	ps->keyed = ps->sel < pane_rows(ui, id);
	if (ps->keyed)
		ps->sel_key = ui->ops[id]->row_key(ui, ps->sel);
}

void pane_reselect(struct ui *ui, enum pane_id id)
{
	struct pane_state *ps = &ui->panes[id];
	size_t n = pane_rows(ui, id);

	if (ps->keyed && ui->ops[id]->find_key) {
		long row = ui->ops[id]->find_key(ui, ps->sel_key);

		if (row >= 0) {
			ps->sel = (size_t)row;
			return;
		}
	}
	/* a linear scan: cheap next to the dump that produced the rows */
	for (size_t i = 0; ps->keyed && !ui->ops[id]->find_key && i < n; i++) {
		if (ui->ops[id]->row_key(ui, i) == ps->sel_key) {
			ps->sel = i;
			return;
		}
	}
	/* the row is gone: stay at the same height on screen */
	if (ps->sel >= n)
		ps->sel = n ? n - 1 : 0;
	remember_key(ui, id);
}

void pane_select(struct ui *ui, enum pane_id id, long row)
{
	size_t n = pane_rows(ui, id);

	if (row < 0 || !n)
		row = 0;
	else if ((size_t)row >= n)
		row = (long)n - 1;
	ui->panes[id].sel = (size_t)row;
	remember_key(ui, id);
}

unsigned pane_move(struct ui *ui, long delta)
{
	struct pane_state *ps = &ui->panes[ui->focus];
	long sel = (long)ps->sel;

	if (delta == LONG_MIN || delta == LONG_MAX)
		sel = delta == LONG_MIN ? 0 : LONG_MAX;
	else
		sel += delta;
	pane_select(ui, ui->focus, sel);
	return REDO_REDRAW;
}

unsigned pane_focus_step(struct ui *ui, int step)
{
	do
		ui->focus = (enum pane_id)((ui->focus + PANE_COUNT + step) % PANE_COUNT);
	while (!pane_enabled(ui, ui->focus));
	return REDO_REDRAW;
}

static int column_index(const struct column *cols, int n, int id)
{
	for (int i = 0; i < n; i++)
		if (cols[i].id == id)
			return i;
	return -1;
}

unsigned pane_sort_set(struct ui *ui, enum pane_id id, int column)
{
	struct column cols[MAX_COLUMNS];
	int n = ui->ops[id]->columns(ui, cols);
	int i = column_index(cols, n, column);

	if (i < 0)
		return 0;
	ui->panes[id].sort = column;
	ui_message(ui, false, "%s sorted by %s", ui->ops[id]->title,
		   cols[i].title[0] ? cols[i].title : "bar");
	return REDO_RECOMPUTE;
}

unsigned pane_sort_step(struct ui *ui, int step)
{
	struct column cols[MAX_COLUMNS];
	int n = ui->ops[ui->focus]->columns(ui, cols);
	int i = column_index(cols, n, ui->panes[ui->focus].sort);

	if (n <= 0)
		return 0;
	i = i < 0 ? 0 : (i + n + step) % n;
	return pane_sort_set(ui, ui->focus, cols[i].id);
}

void pane_row_text(const struct ui *ui, enum pane_id id, size_t row, char *buf, size_t len)
{
	struct column cols[MAX_COLUMNS];
	int n = ui->ops[id]->columns(ui, cols);
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used + 1 < len; i++) {
		enum color_role role;

		ui->ops[id]->cell(ui, row, &cols[i], cols[i].width, buf + used, len - used, &role);
		used += strlen(buf + used);
		if (used + 1 < len)
			buf[used++] = ' ', buf[used] = '\0';
	}
}

bool pane_search(struct ui *ui, const char *text)
{
	enum pane_id id = ui->focus;
	size_t n = pane_rows(ui, id), start = ui->panes[id].sel;

	for (size_t k = 1; k <= n; k++) {
		size_t row = (start + k) % n;
		char line[1024];

		pane_row_text(ui, id, row, line, sizeof(line));
		if (strcasestr(line, text)) {
			pane_select(ui, id, (long)row);
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
