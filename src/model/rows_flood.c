/* rows_flood.c: the flood band's first pane: SYN_RECV and how fast it
 * changes, then the kernel's counters that show a flood even when syncookies
 * leave no SYN_RECV socket behind, each per second. */
#include <stdio.h>
#include <string.h>

#include "model.h"

/* Row 0 is SYN_RECV; row i > 0 is counters[i - 1]. */
static const enum tcp_counter counters[FLOOD_INDICATORS - 1] = {
	TCPC_syncookies_sent, TCPC_syncookies_recv, TCPC_syncookies_failed,
	TCPC_listen_overflows, TCPC_listen_drops, TCPC_tcp_req_q_full_drop,
	TCPC_tcp_req_q_full_do_cookies,
};

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

const char *rows_flood_name(uint32_t i)
{
	return i == 0 ? "SYN_RECV" : tcp_counter_key(counters[i - 1]);
}

void rows_flood_series(uint32_t i, char *buf, size_t len)
{
	if (i == 0)
		snprintf(buf, len, "states.SYN_RECV");
	else
		snprintf(buf, len, "tcp_rates.%s", tcp_counter_json(counters[i - 1]));
}

static bool counter_known(const struct snapshot *snap, enum tcp_counter c)
{
	return snap->tcp.present & (1ULL << c);
}

double rows_flood_count(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (i == 0)
		return d->report.syn_recv;
	return counter_known(snap, counters[i - 1]) ? (double)snap->tcp.v[counters[i - 1]] : -1;
}

bool rows_flood_rate_known(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (i == 0)
		return d->has_rate;
	return snap->interval > 0 && counter_known(snap, counters[i - 1]);
}

double rows_flood_rate(const struct flood_data *d, const struct snapshot *snap, uint32_t i)
{
	if (!rows_flood_rate_known(d, snap, i))
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
	case FLOOD_COL_NAME: c = CMP(a, b); break;
	case FLOOD_COL_COUNT: c = CMP(rows_flood_count(d, snap, a), rows_flood_count(d, snap, b)); break;
	case FLOOD_COL_RATE: c = CMP(rows_flood_rate(d, snap, a), rows_flood_rate(d, snap, b)); break;
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

/* Nothing to show until the first report. */
static size_t flood_rows(const struct model *m)
{
	return m->flood.seq ? FLOOD_INDICATORS : 0;
}

static uint64_t flood_row_key(const struct model *m, size_t row)
{
	return m->flood.counter_order[row];
}

static unsigned flood_enter(struct model *m, size_t row)
{
	if (m->flood.counter_order[row] != 0) {
		model_message(m, false, "the kernel's counters name no socket: "
			      "Enter on SYN_RECV, a listener or a source");
		return REDO_REDRAW;
	}
	if (!model_set_filter(m, "state syn-recv"))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

const struct pane_model pane_flood_model = {
	.title = "SYN flood",
	.short_title = "Flood",
	.default_sort = FLOOD_COL_NAME,
	.compute = flood_compute,
	.release = flood_pane_release,
	.rows = flood_rows,
	.row_key = flood_row_key,
	.enter = flood_enter,
};
