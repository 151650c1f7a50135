/* pane_flood.c: the flood band's first pane: SYN_RECV and how fast it
 * changes, then the kernel's counters that show a flood even when syncookies
 * leave no SYN_RECV socket behind, each per second. */
#include <stdio.h>
#include <string.h>

#include "screen.h"

enum { COL_NAME, COL_COUNT, COL_RATE };

static const struct column columns[] = {
	{ COL_NAME, "Indicator", 20, COL_GROW },
	{ COL_COUNT, "Count", 8, COL_RIGHT | COL_OPTIONAL },
	{ COL_RATE, "Per sec", 7, COL_RIGHT },
};

/* Row 0 is SYN_RECV; row i > 0 is counters[i - 1]. */
static const enum tcp_counter counters[FLOOD_INDICATORS - 1] = {
	TCPC_syncookies_sent, TCPC_syncookies_recv, TCPC_syncookies_failed,
	TCPC_listen_overflows, TCPC_listen_drops, TCPC_tcp_req_q_full_drop,
	TCPC_tcp_req_q_full_do_cookies,
};

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static bool counter_known(const struct snapshot *snap, enum tcp_counter c)
{
	return snap->tcp.present & (1ULL << c);
}

static double count_of(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (i == 0)
		return d->report.syn_recv;
	return counter_known(snap, counters[i - 1]) ? (double)snap->tcp.v[counters[i - 1]] : -1;
}

static bool rate_known(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (i == 0)
		return d->has_rate;
	return snap->interval > 0 && counter_known(snap, counters[i - 1]);
}

static double rate_of(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (!rate_known(d, snap, i))
		return 0;
	return i == 0 ? d->syn_recv_rate : snap->tcp_rate[counters[i - 1]];
}

static int flood_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
		     uint32_t b)
{
	const struct flood_data *d = &rows->flood;
	const struct snapshot *snap = rows->cur->snap;
	int c = 0;

	switch (p->sort[PANE_FLOOD]) {
	case COL_NAME: c = CMP(a, b); break;
	case COL_COUNT: c = CMP(count_of(d, snap, a), count_of(d, snap, b)); break;
	case COL_RATE: c = CMP(rate_of(d, snap, a), rate_of(d, snap, b)); break;
	}
	if (c)
		return p->descending[PANE_FLOOD] ? -c : c;
	return CMP(a, b);
}

static void flood_compute(struct pane_rows *rows, const struct model_params *p)
{
	for (uint32_t i = 0; i < FLOOD_INDICATORS; i++)
		rows->flood.counter_order[i] = i;
	if (rows->flood.seq)
		pane_sort_index(rows, p, rows->flood.counter_order, FLOOD_INDICATORS, flood_cmp);
}

static void flood_pane_release(struct pane_rows *rows)
{
	(void)rows;
}

static int flood_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

/* Nothing to show until the first report. */
static size_t flood_rows(const struct ui *ui)
{
	return ui->flood.seq ? FLOOD_INDICATORS : 0;
}

static uint64_t flood_row_key(const struct ui *ui, size_t row)
{
	return ui->flood.counter_order[row];
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

static void flood_cell(const struct ui *ui, size_t row, const struct column *c, int width,
		       char *buf, size_t len, enum color_role *role)
{
	uint32_t i = ui->flood.counter_order[row];
	double rate = rate_of(&ui->flood, ui->cur->snap, i);
	bool raised = i == 0 ? (ui->flood.alert & FLOOD_SYN_RECV) != 0 : rate > 0;

	(void)width;
	switch (c->id) {
	case COL_NAME:
		snprintf(buf, len, "%s", i == 0 ? "SYN_RECV" : tcp_counter_key(counters[i - 1]));
		*role = raised ? ROLE_WARN : ROLE_NORMAL;
		break;
	case COL_COUNT:
		if (count_of(&ui->flood, ui->cur->snap, i) < 0)
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.0f", count_of(&ui->flood, ui->cur->snap, i));
		*role = count_of(&ui->flood, ui->cur->snap, i) > 0 ? ROLE_NORMAL : ROLE_DIM;
		break;
	case COL_RATE:
		if (!rate_known(&ui->flood, ui->cur->snap, i))
			snprintf(buf, len, "-");
		else
			number_format(rate, i == 0, buf, len);
		*role = rate > 0 ? (i == 0 ? ROLE_RISE : ROLE_WARN) : rate < 0 ? ROLE_FALL : ROLE_DIM;
		break;
	}
}

static void flood_summary(const struct ui *ui, char *buf, size_t len)
{
	char causes[64];

	if (!ui->cur)
		return;
	flood_cause_text(ui->flood.alert, causes, sizeof(causes));
	snprintf(buf, len, "%s%s", ui->flood.alert ? "ALERT: " : "quiet", causes);
}

static unsigned flood_enter(struct ui *ui, size_t row)
{
	if (ui->flood.counter_order[row] != 0) {
		ui_message(ui, false, "the kernel's counters name no socket: "
				      "Enter on SYN_RECV, a listener or a source");
		return REDO_REDRAW;
	}
	if (!model_set_filter(ui, "state syn-recv"))
		return REDO_REDRAW;
	ui->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_ops pane_flood_ops = {
	.title = "SYN flood",
	.short_title = "Flood",
	.default_sort = COL_NAME,
	.compute = flood_compute,
	.release = flood_pane_release,
	.columns = flood_columns,
	.rows = flood_rows,
	.row_key = flood_row_key,
	.cell = flood_cell,
	.summary = flood_summary,
	.enter = flood_enter,
};
