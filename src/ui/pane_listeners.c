/* pane_listeners.c: the listeners that hold SYN_RECV sockets, with their
 * accept queue and backlog: which service a flood hits, and how full it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "screen.h"

enum { COL_LOCAL, COL_SYN_RECV, COL_ACCEPT, COL_BACKLOG };

static const struct column columns[] = {
	{ COL_LOCAL, "Listener", 14, COL_GROW },
	{ COL_SYN_RECV, "SYN_RECV", 8, COL_RIGHT },
	{ COL_ACCEPT, "Accept-Q", 8, COL_RIGHT | COL_OPTIONAL },
	{ COL_BACKLOG, "Backlog", 7, COL_RIGHT | COL_OPTIONAL },
};

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static const struct sock_rec *listener_sock(const struct snapshot *snap,
					    const struct flood_data *d, uint32_t i)
{
	return &snap->socks[d->report.listeners[i].sock];
}

static const struct flood_listener *listener_at(const struct ui *ui, uint32_t i)
{
	return &ui->flood.report.listeners[i];
}

static const struct sock_rec *sock_of(const struct ui *ui, uint32_t i)
{
	return listener_sock(ui->cur->snap, &ui->flood, i);
}

static int local_cmp(const struct sock_rec *x, const struct sock_rec *y)
{
	if (x->family != y->family)
		return CMP(x->family, y->family);
	if (x->lport != y->lport)
		return CMP(x->lport, y->lport);
	return memcmp(x->laddr, y->laddr, sizeof(x->laddr));
}

static int listeners_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
			 uint32_t b)
{
	const struct flood_data *d = &rows->flood;
	const struct sock_rec *x = listener_sock(rows->cur->snap, d, a);
	const struct sock_rec *y = listener_sock(rows->cur->snap, d, b);
	int c = 0;

	switch (p->sort[PANE_LISTENERS]) {
	case COL_LOCAL: c = local_cmp(x, y); break;
	case COL_SYN_RECV: c = CMP(d->report.listeners[a].syn_recv, d->report.listeners[b].syn_recv); break;
	case COL_ACCEPT: c = CMP(x->recv_q, y->recv_q); break;
	case COL_BACKLOG: c = CMP(x->send_q, y->send_q); break;
	}
	if (c)
		return p->descending[PANE_LISTENERS] ? -c : c;
	return local_cmp(x, y);
}

static void listeners_release(struct pane_rows *rows)
{
	free(rows->flood.listener_order);
	rows->flood.listener_order = NULL;
	rows->flood.nlisteners = 0;
}

static void listeners_compute(struct pane_rows *rows, const struct model_params *p)
{
	struct flood_data *d = &rows->flood;
	size_t n = d->seq ? d->report.nlisteners : 0;

	if (!(d->listener_order = malloc((n ? n : 1) * sizeof(*d->listener_order)))) {
		model_rows_error(rows, "listeners");
		return;
	}
	d->nlisteners = n;
	for (size_t i = 0; i < n; i++)
		d->listener_order[i] = (uint32_t)i;
	pane_sort_index(rows, p, d->listener_order, n, listeners_cmp);
}

static int listeners_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static size_t listeners_rows(const struct ui *ui)
{
	return ui->flood.nlisteners;
}

static uint64_t listeners_row_key(const struct ui *ui, size_t row)
{
	const struct sock_rec *r = sock_of(ui, ui->flood.listener_order[row]);

	return hash_addr(r->family | (uint64_t)r->lport << 8, r->laddr);
}

static void listeners_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			   char *buf, size_t len, enum color_role *role)
{
	uint32_t i = ui->flood.listener_order[row];
	const struct sock_rec *r = sock_of(ui, i);
	uint32_t syn_recv = listener_at(ui, i)->syn_recv;

	(void)width;
	switch (c->id) {
	case COL_LOCAL:
		endpoint_format(buf, len, r->family, r->laddr, r->lport, ENDPOINT_SCREEN);
		break;
	case COL_SYN_RECV:
		snprintf(buf, len, "%u", syn_recv);
		if (ui->flood_threshold && syn_recv >= ui->flood_threshold)
			*role = ROLE_WARN;
		break;
	case COL_ACCEPT:
		snprintf(buf, len, "%u", r->recv_q);
		/* a full accept queue drops the handshakes that did complete */
		if (r->send_q && r->recv_q >= r->send_q)
			*role = ROLE_WARN;
		break;
	case COL_BACKLOG:
		snprintf(buf, len, "%u", r->send_q);
		break;
	}
}

static void listeners_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->cur)
		snprintf(buf, len, "%zu under SYN_RECV", ui->flood.nlisteners);
}

static unsigned listeners_enter(struct ui *ui, size_t row)
{
	char expr[64];

	snprintf(expr, sizeof(expr), "state syn-recv and sport %u",
		 sock_of(ui, ui->flood.listener_order[row])->lport);
	if (!model_set_filter(ui, expr))
		return REDO_REDRAW;
	ui->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

/* A listener's request sockets: its port, and its address unless it listens
 * on every address (an IPv6 wildcard also takes IPv4 clients). */
static bool listener_match(const struct sock_rec *r, const void *arg)
{
	const struct sock_rec *l = arg;
	const uint8_t *a = r->laddr;
	int family = r->family;

	if (r->proto != PROTO_TCP || r->state != ST_SYN_RECV || r->lport != l->lport)
		return false;
	if (addr_is_any(l->family, l->laddr))
		return l->family == 6 || family == 4 || addr_is_v4mapped(a);
	if (family == 6 && addr_is_v4mapped(a) && l->family == 4)
		a += 12, family = 4;
	return family == l->family && !memcmp(a, l->laddr, family == 4 ? 4 : 16);
}

static unsigned listeners_kill(struct ui *ui, size_t row)
{
	const struct sock_rec *l = sock_of(ui, ui->flood.listener_order[row]);
	struct view_options v;
	struct sock_rec *socks;
	char local[64], place[80];
	long n;

	flood_view_options(ui, &v);
	n = kill_collect(ui, &v, listener_match, l, &socks);
	if (n < 0) {
		ui_message(ui, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	endpoint_format(local, sizeof(local), l->family, l->laddr, l->lport, ENDPOINT_SCREEN);
	snprintf(place, sizeof(place), "on %s", local);
	return kill_ask(ui, socks, (size_t)n, "SYN_RECV", place);
}

const struct pane_ops pane_listeners_ops = {
	.title = "Listeners",
	.short_title = "Listen",
	.default_sort = COL_SYN_RECV,
	.default_descending = true,
	.compute = listeners_compute,
	.release = listeners_release,
	.columns = listeners_columns,
	.rows = listeners_rows,
	.row_key = listeners_row_key,
	.cell = listeners_cell,
	.summary = listeners_summary,
	.enter = listeners_enter,
	.kill = listeners_kill,
};
