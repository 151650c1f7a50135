/* history_watch.c: the screen's history. The worker gathers each new
 * sample's values from what the panes computed anyway (the flood report,
 * the remote addresses), the loop adds them as the rows come in; a replay's
 * history is its recording's (history_replay.c). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "model.h"

void model_history_start(struct model *m)
{
	struct history *h = malloc(sizeof(*h));
	int err;

	if (!h || history_init(h, m->opts->history ? m->opts->history : HISTORY_DEFAULT_POINTS) < 0) {
		free(h);
		model_message(m, true, "out of memory: no history (H)");
		return;
	}
	m->history = h;
	if (m->opts->replay &&
	    !(m->history_loader = history_loader_start(m->opts->replay, h->base_cap, &err)))
		model_message(m, true, "the recording's history cannot be read: %s", strerror(-err));
}

void model_history_poll(struct model *m, bool wait)
{
	struct history read;
	int err;

	if (!m->history_loader || !history_loader_take(&m->history_loader, &read, wait, &err))
		return;
	history_free(m->history);
	*m->history = read;
	if (err)
		model_message(m, true, "the recording's history reads short: %s", strerror(-err));
}

void model_history_restart(struct model *m)
{
	size_t points;

	m->history_seq = 0;
	if (!m->history || m->replay)
		return;
	points = m->history->base_cap;
	history_free(m->history);
	if (history_init(m->history, points) < 0) {
		free(m->history);
		m->history = NULL;
	}
}

void model_history_free(struct model *m)
{
	history_loader_stop(m->history_loader);
	m->history_loader = NULL;
	if (m->history)
		history_free(m->history);
	free(m->history);
	m->history = NULL;
}

void history_rows_collect(struct pane_rows *rows)
{
	struct history_sources src = { .snap = rows->cur->snap };
	struct history_point *pt = calloc(1, sizeof(*pt));

	if (!pt)
		return;
	if (rows->flood.seq)
		src.flood = &rows->flood.report;
	if (rows->remote.rows) {
		src.remotes = rows->remote.rows;
		src.nremotes = rows->remote.n;
	}
	if (history_point_collect(pt, &src) < 0) {
		history_point_free(pt);
		free(pt);
		return;
	}
	pt->seq = rows->cur->seq;
	rows->history_point = pt;
}

void history_rows_take(struct model *m, struct pane_rows *rows)
{
	struct history_point *pt = rows->history_point;

	if (m)
		model_history_poll(m, false);
	/* a replay's history came from its recording */
	if (pt && m && m->history && !m->replay && pt->seq > m->history_seq) {
		history_point_add(m->history, pt);
		m->history_seq = pt->seq;
	}
	if (pt) {
		history_point_free(pt);
		free(pt);
	}
	rows->history_point = NULL;
}

double history_now(const struct model *m)
{
	const struct snapshot *s = m->cur ? m->cur->snap : NULL;

	return s ? (double)s->wall.tv_sec + (double)s->wall.tv_nsec / 1e9 : 0;
}

/* Appends the series named prefix, arg and suffix, if there is one. */
static size_t pick(const struct model *m, size_t *series, size_t n, size_t max,
		   const char *prefix, const char *arg, const char *suffix)
{
	char name[256];
	long s;

	if (n >= max)
		return n;
	snprintf(name, sizeof(name), "%s%s%s", prefix, arg, suffix);
	if ((s = history_find(m->history, name)) >= 0)
		series[n++] = (size_t)s;
	return n;
}

/* The states with a count in the window (ESTABLISHED when none), or the
 * selected one alone. */
static size_t chosen_states(const struct model *m, size_t *series, size_t max)
{
	const struct pane_state *p = &m->panes[PANE_STATES];
	double now = history_now(m), span = history_zoom_span(m->history, m->history_zoom, now);
	size_t n = 0;

	if (m->history_large && p->sel < ST_COUNT)
		return pick(m, series, 0, max, "states.",
			    tcpstate_name((enum tcp_state)m->states.order[p->sel]), "");
	for (int i = 0; i < ST_COUNT && n < max; i++) {
		struct history_stats st;
		size_t before = n;

		n = pick(m, series, n, max, "states.", tcpstate_name(tcpstate_display_order[i]), "");
		if (n == before)
			continue;
		history_stats(m->history, series[before], now, span, &st);
		if (!st.has || st.max <= 0)
			n = before;
	}
	return n ? n : pick(m, series, 0, max, "states.", "ESTABLISHED", "");
}

static size_t chosen_list(const struct model *m, size_t *series, size_t max,
			  const char *const *names)
{
	size_t n = 0;

	for (; *names; names++)
		n = pick(m, series, n, max, "", *names, "");
	return n;
}

static const char *const flood_series[] = {
	"states.SYN_RECV", "tcp_rates.syncookies_sent", "tcp_rates.syncookies_recv",
	"tcp_rates.syncookies_failed", "tcp_rates.listen_overflows", "tcp_rates.listen_drops",
	"tcp_rates.tcp_req_q_full_drop", "tcp_rates.tcp_req_q_full_do_cookies", NULL,
};
static const char *const total_series[] = {
	"total.tcp", "total.udp", "tcp_rates.active_opens", "tcp_rates.passive_opens",
	"tcp_rates.retrans_segs", "tcp_rates.out_rsts", "tcp_rates.estab_resets", NULL,
};

/* The selected row's name, as the history names it; false when none. */
static bool selected_name(const struct model *m, enum pane_id id, char *buf, size_t len)
{
	size_t sel = m->panes[id].sel;

	if (sel >= pane_rows(m, id))
		return false;
	if (id == PANE_REMOTE) {
		const struct remote_row *r = rows_remote_at(m, sel);

		return addr_format(buf, len, r->family, r->addr) > 0;
	}
	if (id == PANE_IFACES) {
		history_iface_name(buf, len, rows_ifaces_at(m, sel)->name);
		return true;
	}
	if (id == PANE_LISTENERS) {
		const struct sock_rec *s = rows_listeners_sock(m, rows_listeners_at(m, sel));

		return endpoint_format(buf, len, s->family, sock_laddr(s).b, s->lport, ENDPOINT_BRACKET) > 0;
	}
	return false;
}

size_t history_chosen(const struct model *m, size_t *series, size_t max)
{
	char name[80];
	size_t n = 0;

	if (!m->history)
		return 0;
	switch (m->focus) {
	case PANE_STATES:
		return chosen_states(m, series, max);
	case PANE_FLOOD:
		return chosen_list(m, series, max, flood_series);
	case PANE_REMOTE:
		if (selected_name(m, PANE_REMOTE, name, sizeof(name)))
			n = pick(m, series, n, max, "remote.", name, ".connections");
		return n;
	case PANE_IFACES:
		if (!selected_name(m, PANE_IFACES, name, sizeof(name)))
			return 0;
		n = pick(m, series, n, max, "iface.", name, ".rx_bps");
		n = pick(m, series, n, max, "iface.", name, ".tx_bps");
		n = pick(m, series, n, max, "iface.", name, ".rx_pps");
		return pick(m, series, n, max, "iface.", name, ".tx_pps");
	case PANE_LISTENERS:
		if (!selected_name(m, PANE_LISTENERS, name, sizeof(name)))
			return 0;
		n = pick(m, series, n, max, "listener.", name, ".syn_recv");
		return pick(m, series, n, max, "listener.", name, ".accept_queue");
	default:
		return chosen_list(m, series, max, total_series);
	}
}

unsigned action_history_zoom(struct model *m, int step)
{
	static const char *const names[HISTORY_ZOOMS] = { "1 minute", "10 minutes", "1 hour",
							  "everything kept" };
	int z = m->history_zoom - step;

	z = z < 0 ? 0 : z >= HISTORY_ZOOMS ? HISTORY_ZOOMS - 1 : z;
	m->history_zoom = z;
	model_message(m, false, "history: %s", names[z]);
	return REDO_REDRAW;
}

unsigned action_history_enter(struct model *m)
{
	if (m->focus != PANE_STATES) {
		model_message(m, false, "Enter graphs one state large: focus the states pane (Tab)");
		return REDO_REDRAW;
	}
	m->history_large = !m->history_large;
	return REDO_REDRAW;
}
