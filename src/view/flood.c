/* flood.c: a SYN flood shows as request sockets (SYN_RECV) on a listener,
 * or, once the SYN queue is full and syncookies are on, only as the kernel's
 * counters: both are read here. */
#include "flood.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tcpstate.h"

const struct flood_thresholds flood_default_thresholds = {
	.syn_recv_per_listener = 256,
	.syncookies_per_sec = 0.000001,
	.listen_drops_per_sec = 0.000001,
};

/* Open addressing over a small key: (family, prefix, masked addr) or a
 * listener's (family, addr, port). */
struct group_table {
	struct flood_source *rows;
	uint32_t *slots;		/* row index + 1; 0 empty */
	size_t nrows, cap, mask;
};

static uint64_t key_hash(const struct flood_source *k)
{
	uint64_t h = 1469598103934665603ULL ^ k->family ^ (uint64_t)k->prefix << 8 ^ (uint64_t)k->port << 16;

	for (int i = 0; i < 16; i++)
		h = (h ^ k->addr[i]) * 1099511628211ULL;
	return h;
}

static bool same_key(const struct flood_source *a, const struct flood_source *b)
{
	return a->family == b->family && a->prefix == b->prefix && a->port == b->port &&
	       !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static int table_init(struct group_table *t, size_t n)
{
	size_t size = 16;

	while (size < n * 2)
		size <<= 1;
	t->slots = calloc(size, sizeof(*t->slots));
	t->rows = malloc((n ? n : 1) * sizeof(*t->rows));
	t->nrows = 0;
	t->cap = n ? n : 1;
	t->mask = size - 1;
	return t->slots && t->rows ? 0 : -ENOMEM;
}

/* Counts one more for key; the table was sized for every possible key. */
static void table_count(struct group_table *t, const struct flood_source *key)
{
	size_t h = key_hash(key) & t->mask;

	for (; t->slots[h]; h = (h + 1) & t->mask) {
		struct flood_source *r = &t->rows[t->slots[h] - 1];

		if (same_key(r, key)) {
			r->syn_recv++;
			return;
		}
	}
	t->rows[t->nrows] = *key;
	t->rows[t->nrows].syn_recv = 1;
	t->slots[h] = (uint32_t)++t->nrows;
}

/* The source key of a request socket: IPv4-mapped addresses count as IPv4. */
static void source_key(const struct sock_rec *r, bool by_network, struct flood_source *k)
{
	const uint8_t *a = r->raddr;
	int family = r->family;

	memset(k, 0, sizeof(*k));
	if (family == 6 && addr_is_v4mapped(a))
		family = 4, a += 12;
	k->family = (uint8_t)family;
	k->prefix = family == 4 ? (by_network ? 24 : 32) : (by_network ? 64 : 128);
	memcpy(k->addr, a, (size_t)k->prefix / 8);
}

static int source_cmp(const void *a, const void *b)
{
	const struct flood_source *x = a, *y = b;

	if (x->syn_recv != y->syn_recv)
		return x->syn_recv > y->syn_recv ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, sizeof(x->addr));
}

static int listener_cmp(const void *a, const void *b)
{
	const struct flood_listener *x = a, *y = b;

	if (x->syn_recv != y->syn_recv)
		return x->syn_recv > y->syn_recv ? -1 : 1;
	return x->sock < y->sock ? -1 : x->sock > y->sock;
}

/* A listener's key: its port, family and address (all-zero for a wildcard). */
static void listener_key(const struct sock_rec *r, const uint8_t *addr, struct flood_source *k)
{
	memset(k, 0, sizeof(*k));
	k->family = r->family;
	k->prefix = 0;
	k->port = r->lport;
	memcpy(k->addr, addr, r->family == 4 ? 4 : 16);
}

/* The row of key in t, or -1. */
static long table_find(const struct group_table *t, const struct flood_source *key)
{
	for (size_t h = key_hash(key) & t->mask; t->slots[h]; h = (h + 1) & t->mask) {
		const struct flood_source *r = &t->rows[t->slots[h] - 1];

		if (same_key(r, key))
			return (long)t->slots[h] - 1;
	}
	return -1;
}

static void table_free(struct group_table *t)
{
	free(t->slots);
	free(t->rows);
}

/* The listener row a request socket belongs to: its own address and port,
 * else the wildcard listener on that port (for an IPv4 client of a
 * dual-stack listener, the IPv6 wildcard). */
static long listener_of(const struct group_table *t, const struct sock_rec *r)
{
	static const uint8_t any[16];
	struct flood_source k;
	long row;

	listener_key(r, r->laddr, &k);
	if ((row = table_find(t, &k)) >= 0)
		return row;
	listener_key(r, any, &k);
	if ((row = table_find(t, &k)) >= 0 || r->family != 4)
		return row;
	k.family = 6;
	return table_find(t, &k);
}

/* Counts request sockets per listener. Rows of the table are listeners;
 * their syn_recv field counts. */
static int count_listeners(const struct snapshot *snap, const struct view_options *opts,
			   struct flood_report *out)
{
	struct group_table t;
	uint32_t *sock_of_row;
	size_t nlisten = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		nlisten += snap->socks[i].state == ST_LISTEN && snap->socks[i].proto == PROTO_TCP;
	sock_of_row = malloc((nlisten ? nlisten : 1) * sizeof(*sock_of_row));
	if (table_init(&t, nlisten) < 0 || !sock_of_row)
		goto nomem;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		struct flood_source k;

		if (r->state != ST_LISTEN || r->proto != PROTO_TCP)
			continue;
		listener_key(r, r->laddr, &k);
		if (table_find(&t, &k) >= 0)
			continue;	/* SO_REUSEPORT siblings share one row */
		sock_of_row[t.nrows] = (uint32_t)i;
		table_count(&t, &k);
		t.rows[t.nrows - 1].syn_recv = 0;
	}
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		long row;

		if (r->state == ST_SYN_RECV && r->proto == PROTO_TCP &&
		    view_sock_visible(snap, r, opts) && (row = listener_of(&t, r)) >= 0)
			t.rows[row].syn_recv++;
	}
	out->listeners = calloc(t.nrows ? t.nrows : 1, sizeof(*out->listeners));
	if (!out->listeners)
		goto nomem;
	for (size_t j = 0; j < t.nrows; j++)
		if (t.rows[j].syn_recv)
			out->listeners[out->nlisteners++] =
				(struct flood_listener){ sock_of_row[j], t.rows[j].syn_recv };
	free(sock_of_row);
	table_free(&t);
	qsort(out->listeners, out->nlisteners, sizeof(*out->listeners), listener_cmp);
	return 0;
nomem:
	free(sock_of_row);
	table_free(&t);
	return -ENOMEM;
}

static int count_sources(const struct snapshot *snap, const struct view_options *opts,
			 bool by_network, struct flood_report *out)
{
	struct group_table t;

	if (table_init(&t, out->syn_recv) < 0) {
		table_free(&t);
		return -ENOMEM;
	}
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		struct flood_source k;

		if (r->state != ST_SYN_RECV || r->proto != PROTO_TCP || !view_sock_visible(snap, r, opts))
			continue;
		source_key(r, by_network, &k);
		table_count(&t, &k);
	}
	free(t.slots);
	qsort(t.rows, t.nrows, sizeof(*t.rows), source_cmp);
	out->sources = t.rows;
	out->nsources = t.nrows;
	return 0;
}

static unsigned alert_of(const struct snapshot *snap, const struct flood_thresholds *th,
			 const struct flood_report *r)
{
	unsigned alert = 0;
	double cookies = snap->tcp_rate[TCPC_syncookies_sent];
	double drops = snap->tcp_rate[TCPC_listen_drops];

	if (th->syn_recv_per_listener && r->nlisteners &&
	    r->listeners[0].syn_recv >= th->syn_recv_per_listener)
		alert |= FLOOD_SYN_RECV;
	if (snap->interval > 0 && th->syncookies_per_sec > 0 && cookies >= th->syncookies_per_sec)
		alert |= FLOOD_SYNCOOKIES;
	if (snap->interval > 0 && th->listen_drops_per_sec > 0 && drops >= th->listen_drops_per_sec)
		alert |= FLOOD_LISTEN_DROPS;
	return alert;
}

int view_flood(const struct snapshot *snap, const struct view_options *opts,
	       const struct flood_thresholds *th, bool by_network, size_t limit,
	       struct flood_report *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < snap->nsocks; i++)
		out->syn_recv += snap->socks[i].state == ST_SYN_RECV && snap->socks[i].proto == PROTO_TCP &&
				 view_sock_visible(snap, &snap->socks[i], opts);
	if (count_listeners(snap, opts, out) < 0 || count_sources(snap, opts, by_network, out) < 0) {
		flood_report_free(out);
		return -ENOMEM;
	}
	out->alert = alert_of(snap, th, out);
	if (limit && out->nlisteners > limit)
		out->nlisteners = limit;
	if (limit && out->nsources > limit)
		out->nsources = limit;
	return 0;
}

void flood_report_free(struct flood_report *r)
{
	free(r->listeners);
	free(r->sources);
	r->listeners = NULL;
	r->sources = NULL;
	r->nlisteners = r->nsources = 0;
}

void flood_cause_text(unsigned alert, char *buf, size_t len)
{
	static const char *const names[] = { "SYN_RECV", "syncookies", "listen drops" };
	size_t used = 0;

	if (len)
		buf[0] = '\0';
	for (int i = 0; i < 3; i++)
		if (alert & (1u << i) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? ", " : "", names[i]);
}
