/* closed.c: the join of destroy events to the samples, and their counts. */
#include "closed.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"

static int64_t ts_ms(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000 + t->tv_nsec / 1000000;
}

static void copy_comm(char dst[16], const char *src)
{
	size_t n = src ? strnlen(src, 15) : 0;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

static size_t addr_len(int family)
{
	return family == 4 ? 4 : 16;
}

void closed_seen_init(struct closed_seen *t)
{
	memset(t, 0, sizeof(*t));
}

void closed_seen_free(struct closed_seen *t)
{
	free(t->slots);
	free(t->procs[0].p);
	free(t->procs[1].p);
	free(t->listeners);
	closed_seen_init(t);
}

static struct closed_seen_entry *seen_find(const struct closed_seen *t, uint64_t cookie)
{
	if (!t->slots || !cookie)
		return NULL;
	for (size_t h = hash_mix(cookie) & t->mask;; h = (h + 1) & t->mask) {
		if (t->slots[h].cookie == cookie)
			return &t->slots[h];
		if (!t->slots[h].cookie)
			return NULL;
	}
}

/* The slot for cookie in a table that has room: its own, or a free one. */
static struct closed_seen_entry *seen_slot(struct closed_seen_entry *slots, size_t mask, uint64_t cookie)
{
	size_t h = hash_mix(cookie) & mask;

	while (slots[h].cookie && slots[h].cookie != cookie)
		h = (h + 1) & mask;
	return &slots[h];
}

/* An entry's process, or NULL. */
static const struct closed_proc *seen_proc(const struct closed_seen *t, const struct closed_seen_entry *e)
{
	const struct closed_procs *g = &t->procs[e->in_newest ? 0 : 1];

	return e->proc >= 0 && (size_t)e->proc < g->n ? &g->p[e->proc] : NULL;
}

/* Appends a copy of p; its index, or -1 when out of memory. */
static int32_t procs_append(struct closed_procs *g, const struct closed_proc *p)
{
	if (g->n == g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 16;
		void *q = realloc(g->p, cap * sizeof(*g->p));

		if (!q)
			return -1;
		g->p = q;
		g->cap = cap;
	}
	g->p[g->n] = *p;
	return (int32_t)g->n++;
}

/* The sample's processes, at the same indexes as snap->procs. */
static int procs_copy(struct closed_procs *g, const struct snapshot *snap)
{
	memset(g, 0, sizeof(*g));
	if (!(snap->flags & SNAP_HAS_PROCS))
		return 0;
	for (size_t i = 0; i < snap->nprocs; i++) {
		struct closed_proc p = { .pid = snap->procs[i].pid, .uid = snap->procs[i].uid };

		copy_comm(p.comm, snap->procs[i].comm);
		if (procs_append(g, &p) < 0) {
			free(g->p);
			return -ENOMEM;
		}
	}
	return 0;
}

static void seen_learn(struct closed_seen_entry *e, const struct closed_seen *old,
		       struct closed_procs *procs, const struct snapshot *snap, const struct sock_rec *r)
{
	const struct closed_seen_entry *before = seen_find(old, r->cookie);
	const struct closed_proc *was;

	e->cookie = r->cookie;
	e->first_ms = before ? before->first_ms : ts_ms(&snap->mono);
	e->bytes_acked = r->bytes_acked;
	e->bytes_received = r->bytes_received;
	e->state = r->state;
	e->in_newest = true;
	e->proc = -1;
	if ((snap->flags & SNAP_HAS_PROCS) && r->owner >= 0 && (size_t)r->owner < procs->n)
		e->proc = r->owner;
	else if (before && (was = seen_proc(old, before)))
		e->proc = procs_append(procs, was);	/* known before, not now (a rescan due) */
}

static int listener_cmp(const void *a, const void *b)
{
	const struct closed_listener *x = a, *y = b;

	return x->port < y->port ? -1 : x->port > y->port;
}

static int listeners_learn(struct closed_seen *t, const struct snapshot *snap)
{
	size_t n = 0;
	struct closed_listener *l;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].state == ST_LISTEN && snap->socks[i].proto == PROTO_TCP;
	if (!(l = calloc(n ? n : 1, sizeof(*l))))
		return -ENOMEM;
	n = 0;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->state != ST_LISTEN || r->proto != PROTO_TCP)
			continue;
		l[n] = (struct closed_listener){ .family = r->family, .port = r->lport, .pid = -1 };
		memcpy(l[n].addr, r->laddr, sizeof(l[n].addr));
		if ((snap->flags & SNAP_HAS_PROCS) && r->owner >= 0 && (size_t)r->owner < snap->nprocs) {
			l[n].pid = snap->procs[r->owner].pid;
			l[n].uid = snap->procs[r->owner].uid;
			copy_comm(l[n].comm, snap->procs[r->owner].comm);
		}
		n++;
	}
	qsort(l, n, sizeof(*l), listener_cmp);
	free(t->listeners);
	t->listeners = l;
	t->nlisteners = n;
	return 0;
}

int closed_seen_update(struct closed_seen *t, const struct snapshot *snap)
{
	size_t want = snap->nsocks, size = 64;
	struct closed_seen_entry *slots;
	struct closed_procs procs;

	for (size_t i = 0; i <= t->mask && t->slots; i++)
		want += t->slots[i].cookie && t->slots[i].in_newest;
	while (size < want + want / 3 + 1)
		size *= 2;
	if (procs_copy(&procs, snap) < 0 || !(slots = calloc(size, sizeof(*slots)))) {
		free(procs.p);
		return -ENOMEM;
	}
	for (size_t i = 0; i < snap->nsocks; i++)
		if (snap->socks[i].cookie)
			seen_learn(seen_slot(slots, size - 1, snap->socks[i].cookie), t, &procs, snap,
				   &snap->socks[i]);
	/* gone since the last sample: its event may still be on its way; its
	 * process is in procs[0], which becomes procs[1] below */
	for (size_t i = 0; i <= t->mask && t->slots; i++) {
		const struct closed_seen_entry *e = &t->slots[i];
		struct closed_seen_entry *s;

		if (!e->cookie || !e->in_newest || (s = seen_slot(slots, size - 1, e->cookie))->cookie)
			continue;
		*s = *e;
		s->in_newest = false;
	}
	if (listeners_learn(t, snap) < 0) {
		free(procs.p);
		free(slots);
		return -ENOMEM;
	}
	free(t->slots);
	t->slots = slots;
	t->mask = size - 1;
	free(t->procs[1].p);
	t->procs[1] = t->procs[0];
	t->procs[0] = procs;
	t->has_sample = true;
	t->last_sample_ms = ts_ms(&snap->mono);
	return 0;
}

/* The listener that accepted a socket at this local address, or -1: the
 * same port, and the same address or a wildcard one (an IPv6 wildcard takes
 * IPv4 too, unless it is v6only, which the sample does not say). */
static int32_t listener_find(const struct closed_seen *t, const struct sock_rec *r)
{
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

		if (l->family == r->family && !memcmp(l->addr, r->laddr, addr_len(r->family)))
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
	const struct closed_seen_entry *e = seen_find(t, ev->r.cookie);

	memset(out, 0, sizeof(*out));
	out->ev = *ev;
	out->pid = -1;
	out->duration_max_ms = -1;
	out->last_state = ev->r.state;
	/* a listener's own close (no remote port) was accepted by nobody */
	out->listener = ev->r.proto == PROTO_TCP && ev->r.rport ? listener_find(t, &ev->r) : -1;
	out->accepted = out->listener >= 0;
	join_bytes(ev, out);
	out->seen = e != NULL;
	if (e) {
		int64_t d = ts_ms(&ev->mono) - e->first_ms;
		const struct closed_proc *p = seen_proc(t, e);

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
