/* history_point.c: what one sample adds to the history, named as the JSON
 * sample names it ("states.SYN_RECV", "tcp_rates.syncookies_sent",
 * "listener.127.0.0.1:80.syn_recv", "remote.10.0.0.2.connections",
 * "iface.eth0.rx_bps"), so that --series and --json agree by name. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../snapshot.h"
#include "../tcpstate.h"
#include "../view/flood.h"
#include "../view/view.h"
#include "history.h"

static int entry_add(struct history_point *pt, enum history_class cls, double v, const char *fmt,
		     ...) __attribute__((format(printf, 4, 5)));

static int entry_add(struct history_point *pt, enum history_class cls, double v, const char *fmt,
		     ...)
{
	struct history_entry *e;
	va_list ap;

	if (pt->n == pt->cap) {
		size_t cap = pt->cap ? 2 * pt->cap : 128;

		if (!(e = realloc(pt->e, cap * sizeof(*e))))
			return -ENOMEM;
		pt->e = e;
		pt->cap = cap;
	}
	e = &pt->e[pt->n++];
	va_start(ap, fmt);
	vsnprintf(e->name, sizeof(e->name), fmt, ap);
	va_end(ap);
	e->cls = (uint8_t)cls;
	e->v = v;
	return 0;
}

static int rates_add(struct history_point *pt, const struct snapshot *snap)
{
	int err = 0;

	for (int c = 0; c < TCPC_COUNT && !err; c++) {
		bool known = snap->interval > 0 && (snap->tcp.present & (1ULL << c));

		if (tcp_counter_has_rate((enum tcp_counter)c))
			err = entry_add(pt, HC_FIXED, known ? snap->tcp_rate[c] : NAN, "tcp_rates.%s",
					tcp_counter_json((enum tcp_counter)c));
	}
	return err;
}

struct listener_value {
	uint32_t sock, syn_recv;
};

/* One pass over the sockets: every TCP socket by state (the states pane's
 * counts follow its filter, the history's do not), the totals, and the
 * TCP listening sockets in the snapshot's order. */
struct sock_pass {
	uint32_t n[ST_COUNT], tcp, udp;
	struct listener_value *listeners;
	size_t nlisteners, cap;
};

static int pass_listener(struct sock_pass *p, uint32_t sock)
{
	if (p->nlisteners == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 64;
		struct listener_value *grown = realloc(p->listeners, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		p->listeners = grown;
		p->cap = cap;
	}
	p->listeners[p->nlisteners++] = (struct listener_value){ sock, 0 };
	return 0;
}

static int sock_pass(const struct snapshot *snap, struct sock_pass *p)
{
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->proto != PROTO_TCP) {
			p->udp++;
			continue;
		}
		p->tcp++;
		p->n[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		if (r->state == ST_LISTEN && pass_listener(p, (uint32_t)i) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int states_add(struct history_point *pt, const struct sock_pass *p)
{
	int err = 0;

	for (int st = 1; st <= ST_COUNT && !err; st++)	/* UNKNOWN last, as the JSON */
		err = entry_add(pt, HC_FIXED, p->n[st % ST_COUNT], "states.%s",
				tcpstate_name((enum tcp_state)(st % ST_COUNT)));
	if (!err)
		err = entry_add(pt, HC_FIXED, p->tcp, "total.tcp");
	if (!err)
		err = entry_add(pt, HC_FIXED, p->udp, "total.udp");
	return err;
}

static int by_sock(const void *a, const void *b)
{
	const struct listener_value *x = a, *y = b;

	return (x->sock > y->sock) - (x->sock < y->sock);
}

static int by_load(const void *a, const void *b)
{
	const struct listener_value *x = a, *y = b;

	if (x->syn_recv != y->syn_recv)
		return x->syn_recv < y->syn_recv ? 1 : -1;
	return by_sock(a, b);
}

/* The listening sockets with the report's SYN_RECV counts, most first: the
 * first HISTORY_PER_KIND. */
static int listeners_add(struct history_point *pt, const struct snapshot *snap,
			 const struct flood_report *r, struct sock_pass *p)
{
	struct listener_value *v = p->listeners;
	int err = 0;

	/* the pass found them in the snapshot's order: sorted by sock */
	for (size_t i = 0; r && i < r->nlisteners; i++) {
		struct listener_value key = { r->listeners[i].sock, 0 }, *found;

		if ((found = bsearch(&key, v, p->nlisteners, sizeof(*v), by_sock)))
			found->syn_recv = r->listeners[i].syn_recv;
	}
	if (p->nlisteners)
		qsort(v, p->nlisteners, sizeof(*v), by_load);
	for (size_t i = 0; i < p->nlisteners && i < HISTORY_PER_KIND && !err; i++) {
		const struct sock_rec *s = &snap->socks[v[i].sock];
		char addr[64];

		endpoint_format(addr, sizeof(addr), s->family, sock_laddr(s).b, s->lport, ENDPOINT_BRACKET);
		err = entry_add(pt, HC_LISTENER, v[i].syn_recv, "listener.%s.syn_recv", addr);
		if (!err)
			err = entry_add(pt, HC_LISTENER, s->recv_q, "listener.%s.accept_queue", addr);
	}
	return err;
}

static int remotes_add(struct history_point *pt, const struct history_sources *src)
{
	int err = 0;

	for (size_t i = 0; i < src->nremotes && i < HISTORY_PER_KIND && !err; i++) {
		char addr[64];

		addr_format(addr, sizeof(addr), src->remotes[i].family, src->remotes[i].addr);
		err = entry_add(pt, HC_REMOTE, src->remotes[i].connections, "remote.%s.connections",
				addr);
	}
	return err;
}

/* Interface names are untrusted: escaped, and a comma (which separates
 * --series names) is written as \x2c. */
void history_iface_name(char *out, size_t len, const char *name)
{
	char esc[40], *o = out;

	escape_text(esc, sizeof(esc), name ? name : "", name ? strlen(name) : 0);
	for (const char *c = esc; *c && o + 5 < out + len; c++) {
		if (*c == ',') {
			memcpy(o, "\\x2c", 4);
			o += 4;
		} else {
			*o++ = *c;
		}
	}
	*o = '\0';
}

static int ifaces_add(struct history_point *pt, const struct snapshot *snap)
{
	int err = 0;

	for (size_t i = 0; i < snap->nifaces && i < HISTORY_PER_KIND && !err; i++) {
		const struct iface_rec *r = &snap->ifaces[i];
		const double nan = NAN;
		char name[48];

		history_iface_name(name, sizeof(name), r->name);
		err = entry_add(pt, HC_IFACE, r->has_rate ? r->rx_bps : nan, "iface.%s.rx_bps", name);
		if (!err)
			err = entry_add(pt, HC_IFACE, r->has_rate ? r->tx_bps : nan, "iface.%s.tx_bps", name);
		if (!err)
			err = entry_add(pt, HC_IFACE, r->has_rate ? r->rx_pps : nan, "iface.%s.rx_pps", name);
		if (!err)
			err = entry_add(pt, HC_IFACE, r->has_rate ? r->tx_pps : nan, "iface.%s.tx_pps", name);
	}
	return err;
}

int history_point_collect(struct history_point *pt, const struct history_sources *src)
{
	const struct snapshot *snap = src->snap;
	struct sock_pass p = { 0 };
	int err;

	pt->n = 0;
	pt->t = (double)snap->wall.tv_sec + (double)snap->wall.tv_nsec / 1e9;
	if (!(err = sock_pass(snap, &p)) && !(err = states_add(pt, &p)) && !(err = rates_add(pt, snap)) &&
	    !(err = listeners_add(pt, snap, src->flood, &p)) && !(err = remotes_add(pt, src)))
		err = ifaces_add(pt, snap);
	free(p.listeners);
	return err;
}

void history_point_free(struct history_point *pt)
{
	free(pt->e);
	*pt = (struct history_point){ 0 };
}

void history_point_add(struct history *h, const struct history_point *pt)
{
	history_begin(h, pt->t);
	for (size_t i = 0; i < pt->n; i++)
		history_set(h, pt->e[i].name, pt->e[i].cls, pt->e[i].v);
	history_end(h);
}

int history_add_snapshot(struct history *h, const struct snapshot *snap)
{
	struct view_options v = { .protos = 1u << PROTO_TCP, .listen = LISTEN_ALL };
	struct history_point pt = { 0 };
	struct history_sources src = { .snap = snap };
	struct flood_report r;
	struct remote_row *rows = NULL;
	long n;
	int err;

	if (view_flood(snap, &v, &flood_default_thresholds, false, 0, &r) < 0)
		return -ENOMEM;
	if ((n = view_top_remote(snap, &v, HISTORY_PER_KIND, &rows)) < 0) {
		flood_report_free(&r);
		return -ENOMEM;
	}
	src.flood = &r;
	src.remotes = rows;
	src.nremotes = (size_t)n;
	if (!(err = history_point_collect(&pt, &src)))
		history_point_add(h, &pt);
	history_point_free(&pt);
	free(rows);
	flood_report_free(&r);
	return err;
}
