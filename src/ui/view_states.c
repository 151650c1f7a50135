/* view_states.c: the 12 TCP states on screen, with their counts, the
 * change since the sample before, and a bar (rows_states.c). */
#include <stdio.h>
#include <string.h>

#include "../model/closed_log.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ STATES_COL_STATE, "State", 11, 0 },
	{ STATES_COL_COUNT, "Count", 6, COL_RIGHT },
	{ STATES_COL_CHANGE, "Chg", 5, COL_RIGHT | COL_OPTIONAL },
	{ STATES_COL_CLOSED, "Closed/s", 8, COL_RIGHT | COL_OPTIONAL },
	{ STATES_COL_BAR, "", 4, COL_GROW | COL_OPTIONAL },
};

static int states_columns(const struct ui *ui, struct column *out)
{
	memcpy(out, columns, sizeof(columns));
	return closed_columns_fit(ui->m.closed, out, (int)(sizeof(columns) / sizeof(columns[0])),
				  STATES_COL_CLOSED);
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
	const struct states_data *d = &ui->m.states;
	enum tcp_state s = (enum tcp_state)d->order[row];
	long delta = rows_states_change(d, s);

	switch (c->id) {
	case STATES_COL_STATE:
		snprintf(buf, len, "%s", tcpstate_name(s));
		*role = state_role(s, d->cur.n[s]);
		break;
	case STATES_COL_COUNT:
		snprintf(buf, len, "%u", d->cur.n[s]);
		*role = d->cur.n[s] ? ROLE_NORMAL : ROLE_DIM;
		break;
	case STATES_COL_CHANGE:
		if (d->has_prev)
			snprintf(buf, len, delta > 0 ? "+%ld" : "%ld", delta);
		*role = delta > 0 ? ROLE_RISE : delta < 0 ? ROLE_FALL : ROLE_DIM;
		break;
	case STATES_COL_CLOSED:
		closed_rate_format(ui->m.closed ? closed_log_state_rate(ui->m.closed, s) : -1, buf, len);
		*role = buf[0] == '-' || !strcmp(buf, "0") ? ROLE_DIM : ROLE_NORMAL;
		break;
	case STATES_COL_BAR:
		bar_format(d, d->cur.n[s], width, buf, len);
		*role = ROLE_BAR;
		break;
	}
}

static void states_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->m.cur)
		snprintf(buf, len, "%u sockets", ui->m.states.cur.total);
}

const struct pane_view pane_states_view = {
	.columns = states_columns,
	.cell = states_cell,
	.summary = states_summary,
};
