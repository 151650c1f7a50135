/* rows_listeners.c: the listeners that hold SYN_RECV sockets, with their
 * accept queue and backlog: which service a flood hits, and how full it is. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "model.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static const struct sock_rec *listener_sock(const struct snapshot *snap,
					    const struct flood_data *d, uint32_t i)
{
	return &snap->socks[d->report.listeners[i].sock];
}

static const struct sock_rec *sock_of(const struct model *m, uint32_t i)
{
	return listener_sock(m->cur->snap, &m->flood, i);
}

const struct flood_listener *rows_listeners_at(const struct model *m, size_t row)
{
	return &m->flood.report.listeners[m->flood.listener_order[row]];
}

const struct sock_rec *rows_listeners_sock(const struct model *m, const struct flood_listener *l)
{
	return &m->cur->snap->socks[l->sock];
}

static int local_cmp(const struct sock_rec *x, const struct sock_rec *y)
{
	if (x->family != y->family)
		return CMP(x->family, y->family);
	if (x->lport != y->lport)
		return CMP(x->lport, y->lport);
	return memcmp(sock_laddr(x).b, sock_laddr(y).b, 16);
}

static int listeners_cmp(const struct pane_rows *rows, const struct model_params *p, uint32_t a,
			 uint32_t b)
{
	const struct flood_data *d = &rows->flood;
	const struct sock_rec *x = listener_sock(rows->cur->snap, d, a);
	const struct sock_rec *y = listener_sock(rows->cur->snap, d, b);
	int c = 0;

	switch (p->sort[PANE_LISTENERS]) {
	case LISTENERS_COL_LOCAL: c = local_cmp(x, y); break;
	case LISTENERS_COL_SYN_RECV:
		c = CMP(d->report.listeners[a].syn_recv, d->report.listeners[b].syn_recv);
		break;
	case LISTENERS_COL_ACCEPT: c = CMP(x->recv_q, y->recv_q); break;
	case LISTENERS_COL_BACKLOG: c = CMP(x->send_q, y->send_q); break;
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

static size_t listeners_rows(const struct model *m)
{
	return m->flood.nlisteners;
}

static uint64_t listeners_row_key(const struct model *m, size_t row)
{
	const struct sock_rec *r = sock_of(m, m->flood.listener_order[row]);

	return hash_addr(r->family | (uint64_t)r->lport << 8 | (uint64_t)r->netns << 24,
			 sock_laddr(r).b);
}

static unsigned listeners_enter(struct model *m, size_t row)
{
	const struct sock_rec *l = sock_of(m, m->flood.listener_order[row]);
	const char *ns = snapshot_netns_name(m->cur->snap, l);
	char expr[200];
	int n = snprintf(expr, sizeof(expr), "state syn-recv and sport %u", l->lport);

	/* a name that is one filter word narrows it to the listener's namespace */
	if (ns && strcspn(ns, " \t\\'\"()") == strlen(ns) && strlen(ns) < 128 && n > 0)
		snprintf(expr + n, sizeof(expr) - (size_t)n, " and netns %s", ns);
	if (!model_set_filter(m, expr))
		return REDO_REDRAW;
	m->focus = PANE_CONNS;
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

/* A listener's request sockets: its port, and its address unless it listens
 * on every address (an IPv6 wildcard also takes IPv4 clients). */
static bool listener_match(const struct sock_rec *r, const void *arg)
{
	const struct sock_rec *l = arg;
	struct addr16 ra = sock_laddr(r), la = sock_laddr(l);
	const uint8_t *a = ra.b;
	int family = r->family;

	if (r->proto != PROTO_TCP || r->state != ST_SYN_RECV || r->lport != l->lport ||
	    r->netns != l->netns)
		return false;
	if (addr_is_any(l->family, la.b))
		return l->family == 6 || family == 4 || addr_is_v4mapped(a);
	if (family == 6 && addr_is_v4mapped(a) && l->family == 4)
		a += 12, family = 4;
	return family == l->family && !memcmp(a, la.b, family == 4 ? 4 : 16);
}

static unsigned listeners_kill(struct model *m, size_t row)
{
	const struct sock_rec *l = sock_of(m, m->flood.listener_order[row]);
	struct view_options v;
	struct sock_rec *socks;
	char local[64], place[80];
	long n;

	flood_view_options(&v);
	n = kill_collect(m, &v, listener_match, l, &socks);
	if (n < 0) {
		model_message(m, true, "out of memory: nothing closed");
		return REDO_REDRAW;
	}
	endpoint_format(local, sizeof(local), l->family, sock_laddr(l).b, l->lport, ENDPOINT_SCREEN);
	snprintf(place, sizeof(place), "on %s", local);
	return kill_ask(m, socks, (size_t)n, "SYN_RECV", place);
}

const struct pane_model pane_listeners_model = {
	.title = "Listeners",
	.short_title = "Listen",
	.default_sort = LISTENERS_COL_SYN_RECV,
	.default_descending = true,
	.compute = listeners_compute,
	.release = listeners_release,
	.rows = listeners_rows,
	.row_key = listeners_row_key,
	.enter = listeners_enter,
	.kill = listeners_kill,
};
