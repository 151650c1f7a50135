/* view_closed.c: the Closed view (E) on screen: the last closed
 * connections, newest first (model/rows_closed.c). A connection no sample
 * saw lived less than an interval: its duration reads "<interval". Bytes
 * are the payload the application moved, exact. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../escape.h"
#include "../model/closed_log.h"
#include "../tcpstate.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ CLOSED_COL_TIME, "Time", 12, 0 },
	{ CLOSED_COL_PROTO, "Proto", 5, 0 },
	{ CLOSED_COL_LOCAL, "Local Address", 21, COL_GROW },
	{ CLOSED_COL_REMOTE, "Remote Address", 21, COL_GROW },
	{ CLOSED_COL_STATE, "State", 11, 0 },
	{ CLOSED_COL_DURATION, "Duration", 9, COL_RIGHT },
	{ CLOSED_COL_RX, "RX bytes", 10, COL_RIGHT },
	{ CLOSED_COL_TX, "TX bytes", 10, COL_RIGHT },
	{ CLOSED_COL_RETRANS, "Retr", 5, COL_RIGHT | COL_OPTIONAL },
	{ CLOSED_COL_RTT, "RTT", 8, COL_RIGHT | COL_OPTIONAL },
	{ CLOSED_COL_PROCESS, "PID/Program", 16, COL_GROW | COL_OPTIONAL },
};

static int closed_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void time_format(const struct close_event *ev, char *buf, size_t len)
{
	struct tm tm;
	time_t t = ev->wall.tv_sec;

	if (!localtime_r(&t, &tm)) {
		snprintf(buf, len, "?");
		return;
	}
	snprintf(buf, len, "%02d:%02d:%02d.%03ld", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 ev->wall.tv_nsec / 1000000);
}

static void duration_format(const struct closed_conn *c, char *buf, size_t len)
{
	int64_t ms = c->duration_ms;

	if (!c->seen)
		snprintf(buf, len, "<interval");
	else if (ms < 10000)
		snprintf(buf, len, "%" PRId64 "ms", ms);
	else if (ms < 600000)
		snprintf(buf, len, "%.1fs", ms / 1000.0);
	else
		snprintf(buf, len, "%" PRId64 "m", ms / 60000);
}

static void process_format(const struct closed_conn *c, char *buf, size_t len)
{
	int n;

	if (c->pid < 0) {
		snprintf(buf, len, "-");
		return;
	}
	n = snprintf(buf, len, "%d/", c->pid);
	if (n > 0 && (size_t)n < len)
		escape_text(buf + n, len - (size_t)n, c->comm, strnlen(c->comm, sizeof(c->comm)));
}

static void bytes_format(const struct closed_conn *c, uint64_t v, char *buf, size_t len)
{
	if (c->has_bytes)
		snprintf(buf, len, "%" PRIu64, v);
	else
		snprintf(buf, len, "-");
}

static void closed_cell(const struct ui *ui, size_t row, const struct column *col, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct closed_conn *c = &rows_closed_at(&ui->m, row)->c;
	const struct sock_rec *r = &c->ev.r;
	unsigned state = c->seen ? c->last_state : r->state;

	switch (col->id) {
	case CLOSED_COL_TIME: time_format(&c->ev, buf, len); break;
	case CLOSED_COL_PROTO: snprintf(buf, len, "%s%s", r->proto == PROTO_TCP ? "tcp" : "udp",
					r->family == 6 ? "6" : ""); break;
	case CLOSED_COL_LOCAL: names_endpoint(ui, r, c->ev.a.l, true, width, buf, len); break;
	case CLOSED_COL_REMOTE: names_endpoint(ui, r, c->ev.a.r, false, width, buf, len); break;
	case CLOSED_COL_STATE:
		snprintf(buf, len, "%s", tcpstate_name(state));
		*role = theme_state_role(state);
		break;
	case CLOSED_COL_DURATION:
		duration_format(c, buf, len);
		if (!c->seen)
			*role = ROLE_DIM;
		break;
	case CLOSED_COL_RX: bytes_format(c, c->rx_bytes, buf, len); break;
	case CLOSED_COL_TX: bytes_format(c, c->tx_bytes, buf, len); break;
	case CLOSED_COL_RETRANS:
		snprintf(buf, len, "%u", c->ev.x.total_retrans);
		if (c->ev.x.total_retrans)
			*role = ROLE_WARN;
		break;
	case CLOSED_COL_RTT:
		if (c->has_bytes && r->rtt_us && r->rtt_us < 1000)
			snprintf(buf, len, "%uus", r->rtt_us);
		else if (c->has_bytes && r->rtt_us)
			snprintf(buf, len, "%.1fms", r->rtt_us / 1000.0);
		else
			snprintf(buf, len, "-");
		break;
	case CLOSED_COL_PROCESS: process_format(c, buf, len); break;
	}
}

static void closed_summary(const struct ui *ui, char *buf, size_t len)
{
	const struct closed_log *l = ui->m.closed;

	if (!l) {
		snprintf(buf, len, "none yet");
		return;
	}
	if (!l->active) {
		snprintf(buf, len, "%s", l->note ? l->note : "no destroy events in this sample");
		return;
	}
	snprintf(buf, len, "%zu shown, %" PRIu64 " closed since start, %" PRIu64 " this interval%s%s",
		 l->n, l->tally.total, l->tally.interval_total, l->note ? "; " : "",
		 l->note ? l->note : "");
}

const struct pane_view pane_closed_view = {
	.columns = closed_columns,
	.cell = closed_cell,
	.summary = closed_summary,
};
