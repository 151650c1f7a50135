/* closed.c: the join of one destroy event to what the samples knew
 * (closed_seen.c keeps that). */
#include "closed.h"

#include <string.h>

static int64_t ts_ms(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

static size_t addr_len(int family)
{
	return family == 4 ? 4 : 16;
}

/* The listener that accepted a closed socket at its local address, or -1:
 * the same port, and the same address or a wildcard one (an IPv6 wildcard
 * takes IPv4 too, unless it is v6only, which the sample does not say). */
static int32_t listener_find(const struct closed_seen *t, const struct close_event *ev)
{
	const struct sock_rec *r = &ev->r;
	size_t lo = 0, hi = t->nlisteners;
	int32_t wildcard = -1;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (t->listeners[mid].port < r->lport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < t->nlisteners && t->listeners[i].port == r->lport; i++) {
		const struct closed_listener *l = &t->listeners[i];

		if (l->family == r->family && !memcmp(l->addr, ev->a.l, addr_len(r->family)))
			return (int32_t)i;
		if (addr_is_any(l->family, l->addr) && (l->family == r->family || l->family == 6))
			wildcard = (int32_t)i;
	}
	return wildcard;
}

/* Payload from tcp_info: bytes_acked counts the SYN (the side that
 * connected) and the FIN, bytes_received the FIN; bytes_sent less
 * bytes_retrans never counts either, and bounds it when no FIN was acked
 * (a reset). */
static void join_bytes(const struct close_event *ev, struct closed_conn *c)
{
	const struct sock_rec *r = &ev->r;
	uint64_t syn = c->accepted ? 0 : 1;
	uint64_t acked = r->bytes_acked > syn ? r->bytes_acked - syn : 0;

	c->has_bytes = r->proto == PROTO_TCP && (r->flags & SOCK_HAS_INFO);
	if (!c->has_bytes)
		return;
	if (ev->has_sent) {
		uint64_t once = ev->bytes_sent > ev->bytes_retrans ? ev->bytes_sent - ev->bytes_retrans : 0;

		c->tx_bytes = acked < once ? acked : once;
	} else {
		c->tx_bytes = acked ? acked - 1 : 0;
	}
	c->rx_bytes = r->bytes_received ? r->bytes_received - 1 : 0;
}

static void join_credit(const struct closed_seen_entry *e, struct closed_conn *c)
{
	uint64_t syn = c->accepted ? 0 : 1;
	uint64_t tx_before = e->bytes_acked > syn ? e->bytes_acked - syn : 0;

	c->tx_credit = c->tx_bytes > tx_before ? c->tx_bytes - tx_before : 0;
	c->rx_credit = c->rx_bytes > e->bytes_received ? c->rx_bytes - e->bytes_received : 0;
}

void closed_join(const struct closed_seen *t, const struct close_event *ev, struct closed_conn *out)
{
	const struct closed_seen_entry *e = closed_seen_find(t, ev->r.cookie);

	memset(out, 0, sizeof(*out));
	out->ev = *ev;
	out->pid = -1;
	out->duration_max_ms = -1;
	out->last_state = ev->r.state;
	/* a listener's own close (no remote port) was accepted by nobody */
	out->listener = ev->r.proto == PROTO_TCP && ev->r.rport ? listener_find(t, ev) : -1;
	out->accepted = out->listener >= 0;
	join_bytes(ev, out);
	out->seen = e != NULL;
	if (e) {
		int64_t d = ts_ms(&ev->mono) - closed_seen_first_ms(t, e);
		const struct closed_proc *p = closed_seen_proc(t, e);

		out->duration_ms = d > 0 ? d : 0;
		out->last_state = e->state;
		if (p) {
			out->pid = p->pid;
			out->uid = p->uid;
			memcpy(out->comm, p->comm, sizeof(out->comm));
		}
		if (out->has_bytes)
			join_credit(e, out);
	} else {
		if (t->has_sample) {
			int64_t d = ts_ms(&ev->mono) - t->last_sample_ms;

			out->duration_max_ms = d > 0 ? d : 0;
		}
		out->rx_credit = out->rx_bytes;
		out->tx_credit = out->tx_bytes;
	}
	if (out->pid < 0 && out->listener >= 0 && t->listeners[out->listener].pid >= 0) {
		out->pid = t->listeners[out->listener].pid;
		out->uid = t->listeners[out->listener].uid;
		memcpy(out->comm, t->listeners[out->listener].comm, sizeof(out->comm));
		out->via_listener = true;
	}
}
