/* pane_states.c: the 12 TCP states with their counts, the change since the
 * previous sample, and a bar; Enter filters the connections by a state. */
#include <stdio.h>
#include <string.h>

#include "screen.h"

enum { COL_STATE, COL_COUNT, COL_CHANGE, COL_BAR };

static const struct column columns[] = {
	{ COL_STATE, "State", 11, 0 },
	{ COL_COUNT, "Count", 6, COL_RIGHT },
	{ COL_CHANGE, "Chg", 5, COL_RIGHT | COL_OPTIONAL },
	{ COL_BAR, "", 4, COL_GROW | COL_OPTIONAL },
};

static int display_rank(enum tcp_state s)
{
	for (int i = 0; i < ST_COUNT; i++)
		if (tcpstate_display_order[i] == s)
			return i;
	return ST_COUNT;
}

static long change(const struct states_data *d, uint32_t s)
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
	case COL_STATE: c = CMP(display_rank(a), display_rank(b)); break;
	case COL_COUNT: case COL_BAR: c = CMP(d->cur.n[a], d->cur.n[b]); break;
	case COL_CHANGE: c = CMP(change(d, a), change(d, b)); break;
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

static int states_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static size_t states_rows(const struct ui *ui)
{
	(void)ui;
	return ST_COUNT;
}

static uint64_t states_row_key(const struct ui *ui, size_t row)
{
	return ui->states.order[row];
}

static enum color_role state_role(enum tcp_state s, uint32_t count)
{
	if (!count)
		return ROLE_DIM;
	return theme_state_role(s);
}

static void bar_format(const struct states_data *d, uint32_t count, int width, char *buf, size_t len)
{
	uint32_t max = 0;
	size_t n;

	for (int s = 0; s < ST_COUNT; s++)
		max = d->cur.n[s] > max ? d->cur.n[s] : max;
	n = max ? (size_t)((double)count * width / max + 0.5) : 0;
	if (count && !n)
		n = 1;	/* one socket still deserves a mark */
	if (n >= len)
		n = len - 1;
	memset(buf, '|', n);
	buf[n] = '\0';
}

static void states_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct states_data *d = &ui->states;
	enum tcp_state s = (enum tcp_state)d->order[row];
	long delta = change(d, s);

	switch (c->id) {
	case COL_STATE:
		snprintf(buf, len, "%s", tcpstate_name(s));
		*role = state_role(s, d->cur.n[s]);
		break;
	case COL_COUNT:
		snprintf(buf, len, "%u", d->cur.n[s]);
		*role = d->cur.n[s] ? ROLE_NORMAL : ROLE_DIM;
		break;
	case COL_CHANGE:
		if (d->has_prev)
			snprintf(buf, len, delta > 0 ? "+%ld" : "%ld", delta);
		*role = delta > 0 ? ROLE_RISE : delta < 0 ? ROLE_FALL : ROLE_DIM;
		break;
	case COL_BAR:
		bar_format(d, d->cur.n[s], width, buf, len);
		*role = ROLE_BAR;
		break;
	}
}

static void states_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->cur)
		snprintf(buf, len, "%u sockets", ui->states.cur.total);
}

static unsigned states_enter(struct ui *ui, size_t row)
{
	char expr[64];

	snprintf(expr, sizeof(expr), "state %s", tcpstate_name((enum tcp_state)ui->states.order[row]));
	if (!model_set_filter(ui, expr))
		return REDO_REDRAW;
	ui->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_ops pane_states_ops = {
	.title = "TCP states",
	.short_title = "States",
	.default_sort = COL_STATE,
	.compute = states_compute,
	.release = states_release,
	.columns = states_columns,
	.rows = states_rows,
	.row_key = states_row_key,
	.cell = states_cell,
	.summary = states_summary,
	.enter = states_enter,
};
