/* view_flood.c: the flood band's first pane on screen: SYN_RECV and how
 * fast it changes, then the kernel's counters (rows_flood.c). */
#include <stdio.h>
#include <string.h>

#include "../model/history.h"
#include "names.h"
#include "pane_view.h"
#include "term.h"

static const struct column columns[] = {
	{ FLOOD_COL_NAME, "Indicator", 20, COL_GROW },
	{ FLOOD_COL_COUNT, "Count", 8, COL_RIGHT | COL_OPTIONAL },
	{ FLOOD_COL_RATE, "Per sec", 7, COL_RIGHT },
	{ FLOOD_COL_TREND, "Last 60s", 8, COL_OPTIONAL },
};

static int flood_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void number_format(double v, bool sign, char *buf, size_t len)
{
	const char *minus = v < 0 ? "-" : sign && v > 0 ? "+" : "";

	if (v < 0)
		v = -v;
	if (v < 1000)
		snprintf(buf, len, "%s%.0f", minus, v);
	else
		snprintf(buf, len, "%s%.1f%c", minus, v >= 1e6 ? v / 1e6 : v / 1e3, v >= 1e6 ? 'M' : 'K');
}

/* The indicator's last minute as a sparkline: one block character (or an
 * ASCII one) a column, the tallest the minute's largest value. */
static void trend_format(const struct ui *ui, uint32_t i, int width, char *buf, size_t len)
{
	static const char ascii[] = " .-=#";
	const struct history *h = ui->m.history;
	double now = history_now(&ui->m);
	bool unicode = term_unicode();
	float cols[64];
	int heights[64], levels = unicode ? 8 : 4;
	char name[HISTORY_NAME_MAX];
	struct history_stats st;
	size_t n = width < 64 ? (size_t)width : 64, o = 0;
	long s;

	buf[0] = '\0';
	rows_flood_series(i, name, sizeof(name));
	if (!h || (s = history_find(h, name)) < 0)
		return;
	history_stats(h, (size_t)s, now, 60, &st);
	history_columns(h, (size_t)s, now, 60, cols, n);
	history_heights(cols, n, st.has && st.max > 0 ? st.max : 1, levels, heights);
	for (size_t c = 0; c < n && o + 4 < len; c++) {
		if (!unicode || !heights[c]) {
			buf[o++] = ascii[unicode ? 0 : heights[c]];
		} else {	/* U+2581 … U+2588 */
			buf[o++] = (char)0xe2;
			buf[o++] = (char)0x96;
			buf[o++] = (char)(0x80 + heights[c]);
		}
	}
	buf[o] = '\0';
}

static void flood_cell(const struct ui *ui, size_t row, const struct column *c, int width,
		       char *buf, size_t len, enum color_role *role)
{
	uint32_t i = ui->m.flood.counter_order[row];
	double rate = rows_flood_rate(&ui->m.flood, ui->m.cur->snap, i);
	bool raised = i == 0 ? (ui->m.flood.alert & FLOOD_SYN_RECV) != 0 : rate > 0;

	switch (c->id) {
	case FLOOD_COL_NAME:
		snprintf(buf, len, "%s", rows_flood_name(i));
		*role = raised ? ROLE_WARN : ROLE_NORMAL;
		break;
	case FLOOD_COL_COUNT:
		if (rows_flood_count(&ui->m.flood, ui->m.cur->snap, i) < 0)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.0f", rows_flood_count(&ui->m.flood, ui->m.cur->snap, i));
		*role = rows_flood_count(&ui->m.flood, ui->m.cur->snap, i) > 0 ? ROLE_NORMAL : ROLE_DIM;
		break;
	case FLOOD_COL_RATE:
		if (!rows_flood_rate_known(&ui->m.flood, ui->m.cur->snap, i))
			snprintf(buf, len, "-");
		else
			number_format(rate, i == 0, buf, len);
		*role = rate > 0 ? (i == 0 ? ROLE_RISE : ROLE_WARN) : rate < 0 ? ROLE_FALL : ROLE_DIM;
		break;
	case FLOOD_COL_TREND:
		trend_format(ui, i, width, buf, len);
		*role = ROLE_BAR;
		break;
	}
}

static void flood_summary(const struct ui *ui, char *buf, size_t len)
{
	char causes[64];

	if (!ui->m.cur)
		return;
	flood_cause_text(ui->m.flood.alert, causes, sizeof(causes));
	snprintf(buf, len, "%s%s", ui->m.flood.alert ? "ALERT: " : "quiet", causes);
}

const struct pane_view pane_flood_view = {
	.columns = flood_columns,
	.cell = flood_cell,
	.summary = flood_summary,
};
