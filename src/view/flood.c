/* flood.c: a SYN flood shows as request sockets (SYN_RECV) on a listener,
 * or, once the SYN queue is full and syncookies are on, only as the kernel's
 * counters: both are read here. */
#include "flood.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "../tcpstate.h"
#include "group.h"
#include "hash.h"

const struct flood_thresholds flood_default_thresholds = {
	.syn_recv_per_listener = 256,
	.syncookies_per_sec = 0.000001,
	.listen_drops_per_sec = 0.000001,
};

/* Open addressing over a small key: (family, prefix, masked addr) or a
 * listener's (family, addr, port); grown as rows come, so that a flood's
 * table stays as small as its sources. */
struct group_table {
	struct flood_source *rows;
	uint64_t *slots;		/* hash's top half << 32 | row index + 1; 0 empty */
	size_t nrows, cap, nslots;
};

static uint64_t key_hash(const struct flood_source *k)
{
	return hash_addr((uint64_t)k->family | (uint64_t)k->prefix << 8 | (uint64_t)k->port << 16 |
			 (uint64_t)k->netns << 32, k->addr);
}

static bool same_key(const struct flood_source *a, const struct flood_source *b)
{
	return a->family == b->family && a->prefix == b->prefix && a->port == b->port &&
	       a->netns == b->netns && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static void slot_put(uint64_t *slots, size_t nslots, uint64_t h, size_t row)
{
	size_t i = h & (nslots - 1);

	while (slots[i])
		i = (i + 1) & (nslots - 1);
	slots[i] = (h >> 32) << 32 | (uint64_t)(row + 1);
}

/* Room for about n rows to start with. */
static int table_init(struct group_table *t, size_t n)
{
	size_t size = 16;

	while (size < n * 2 && size < 4096)
		size <<= 1;
	t->slots = calloc(size, sizeof(*t->slots));
	t->cap = size / 2;
	t->rows = malloc(t->cap * sizeof(*t->rows));
	t->nrows = 0;
	t->nslots = size;
	return t->slots && t->rows ? 0 : -ENOMEM;
}

static int table_grow(struct group_table *t)
{
	size_t n = t->nslots * 2;
	uint64_t *slots = calloc(n, sizeof(*slots));
	struct flood_source *rows = slots ? realloc(t->rows, n / 2 * sizeof(*rows)) : NULL;

	if (!rows) {
		free(slots);
		return -ENOMEM;
	}
	t->rows = rows;
	t->cap = n / 2;
	for (size_t r = 0; r < t->nrows; r++)
		slot_put(slots, n, key_hash(&t->rows[r]), r);
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return 0;
}

/* The row of key (of hash h) in t, or -1. */
static long table_probe(const struct group_table *t, const struct flood_source *key, uint64_t h)
{
	for (size_t i = h & (t->nslots - 1); t->slots[i]; i = (i + 1) & (t->nslots - 1)) {
		const struct flood_source *r = &t->rows[(uint32_t)t->slots[i] - 1];

		if (t->slots[i] >> 32 == h >> 32 && same_key(r, key))
			return (long)(uint32_t)t->slots[i] - 1;
	}
	return -1;
}

/* Counts one more for key, adding its row on first sight. */
static int table_count(struct group_table *t, const struct flood_source *key)
{
	uint64_t h = key_hash(key);
	long row = table_probe(t, key, h);

	if (row >= 0) {
		t->rows[row].syn_recv++;
		return 0;
	}
	if (t->nrows == t->cap && table_grow(t) < 0)
		return -ENOMEM;
	t->rows[t->nrows] = *key;
	t->rows[t->nrows].syn_recv = 1;
	slot_put(t->slots, t->nslots, h, t->nrows++);
	return 0;
}

/* The source key of a request socket: IPv4-mapped addresses count as IPv4. */
static void source_key(const struct sock_rec *r, bool by_network, struct flood_source *k)
{
	struct addr16 ra = sock_raddr(r);
	const uint8_t *a = ra.b;
	int family = r->family;

	memset(k, 0, sizeof(*k));
	if (family == 6 && addr_is_v4mapped(a))
		family = 4, a += 12;
	k->family = (uint8_t)family;
	k->prefix = family == 4 ? (by_network ? 24 : 32) : (by_network ? 64 : 128);
	memcpy(k->addr, a, (size_t)k->prefix / 8);
}

static uint32_t source_count(const void *rows, size_t i)
{
	return ((const struct flood_source *)rows)[i].syn_recv;
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
	k->netns = r->netns;	/* one address and port may listen in many namespaces */
	memcpy(k->addr, addr, r->family == 4 ? 4 : 16);
}

static long table_find(const struct group_table *t, const struct flood_source *key)
{
	return table_probe(t, key, key_hash(key));
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

	listener_key(r, sock_laddr(r).b, &k);
	if ((row = table_find(t, &k)) >= 0)
		return row;
	listener_key(r, any, &k);
	if ((row = table_find(t, &k)) >= 0 || r->family != 4)
		return row;
	k.family = 6;
	return table_find(t, &k);
}

/* Grows *v (of *cap items of size bytes) to hold one more; -ENOMEM. */
static int room_for_one(void **v, size_t n, size_t *cap, size_t size)
{
	return grow_array(v, cap, n + 1, size, 64);
}

static bool same_local(const struct sock_rec *a, const struct sock_rec *b)
{
	return a->lport == b->lport && a->family == b->family && a->netns == b->netns &&
	       !memcmp(sock_laddr(a).b, sock_laddr(b).b, 16);
}

int flood_gather_init(struct flood_gather *fg, const struct snapshot *snap, size_t cap,
		      bool by_network)
{
	*fg = (struct flood_gather){ .snap = snap, .by_network = by_network };
	return addr_groups_init(&fg->sources, cap) < 0 ? -ENOMEM : 0;
}

void flood_gather_free(struct flood_gather *fg)
{
	free(fg->listeners);
	free(fg->runs);
	addr_groups_free(&fg->sources);
	*fg = (struct flood_gather){ 0 };
}

/* A request for the same local address and port as the one before it
 * lengthens its run: a flood's requests are mostly for one listener. */
static int run_add(struct flood_gather *fg, const struct sock_rec *r, uint32_t count)
{
	struct flood_run *last = fg->nruns ? &fg->runs[fg->nruns - 1] : NULL;

	if (last && same_local(last->first, r)) {
		last->count += count;
		return 0;
	}
	if (room_for_one((void **)&fg->runs, fg->nruns, &fg->runs_cap, sizeof(*fg->runs)) < 0)
		return -ENOMEM;
	fg->runs[fg->nruns++] = (struct flood_run){ r, count };
	return 0;
}

int flood_gather_add(struct flood_gather *fg, const struct sock_rec *r)
{
	struct flood_source key;

	if (r->state == ST_LISTEN) {
		if (room_for_one((void **)&fg->listeners, fg->nlisteners, &fg->listeners_cap,
				 sizeof(*fg->listeners)) < 0)
			return -ENOMEM;
		fg->listeners[fg->nlisteners++] = (uint32_t)(r - fg->snap->socks);
		return 0;
	}
	if (r->state != ST_SYN_RECV)
		return 0;
	fg->nrequests++;
	source_key(r, fg->by_network, &key);
	/* the namespace rides along: a source row says whose listeners it floods */
	if (addr_groups_add(&fg->sources, key.family, key.addr, key.prefix | (uint32_t)r->netns << 8) < 0)
		return -ENOMEM;
	return run_add(fg, r, 1);
}

int flood_gather_append(struct flood_gather *fg, const struct flood_gather *part)
{
	for (size_t i = 0; i < part->nlisteners; i++) {
		if (room_for_one((void **)&fg->listeners, fg->nlisteners, &fg->listeners_cap,
				 sizeof(*fg->listeners)) < 0)
			return -ENOMEM;
		fg->listeners[fg->nlisteners++] = part->listeners[i];
	}
	for (size_t i = 0; i < part->nruns; i++)
		if (run_add(fg, part->runs[i].first, part->runs[i].count) < 0)
			return -ENOMEM;
	fg->nrequests += part->nrequests;
	return addr_groups_append(&fg->sources, &part->sources) < 0 ? -ENOMEM : 0;
}

/* Counts request sockets per listener. Rows of the table are listeners;
 * their syn_recv field counts. */
static int count_listeners(const struct snapshot *snap, const struct flood_gather *fg,
			   struct flood_report *out)
{
	struct group_table t;
	uint32_t *sock_of_row = malloc((fg->nlisteners ? fg->nlisteners : 1) * sizeof(*sock_of_row));

	if (table_init(&t, fg->nlisteners) < 0 || !sock_of_row)
		goto nomem;
	for (size_t i = 0; i < fg->nlisteners; i++) {
		const struct sock_rec *r = &snap->socks[fg->listeners[i]];
		struct flood_source k;

		listener_key(r, sock_laddr(r).b, &k);
		if (table_find(&t, &k) >= 0)
			continue;	/* SO_REUSEPORT siblings share one row */
		sock_of_row[t.nrows] = fg->listeners[i];
		if (table_count(&t, &k) < 0)
			goto nomem;
		t.rows[t.nrows - 1].syn_recv = 0;
	}
	for (size_t i = 0; i < fg->nruns; i++) {
		long row = listener_of(&t, fg->runs[i].first);

		if (row >= 0)
			t.rows[row].syn_recv += fg->runs[i].count;
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

/* SYN_RECV sockets per source, sorted by address (group.h) and counted in
 * runs; then most first, ties in address order. */
static int count_sources(struct flood_gather *fg, struct flood_report *out)
{
	struct addr_groups *g = &fg->sources;
	struct flood_source *rows = NULL;
	uint32_t *order = NULL;
	size_t n = g->n4 + g->n6, nrows = 0, k = 0;
	int err = -ENOMEM;

	if (addr_groups_sort(g) < 0)
		goto out;
	for (size_t i = 0; i < n; i = addr_groups_run(g, i))
		nrows++;
	rows = calloc(nrows ? nrows : 1, sizeof(*rows));
	order = malloc((nrows ? nrows : 1) * sizeof(*order));
	out->sources = malloc((nrows ? nrows : 1) * sizeof(*out->sources));
	if (!rows || !order || !out->sources)
		goto out;
	for (size_t i = 0, j; i < n; i = j, k++) {
		j = addr_groups_run(g, i);
		rows[k].family = (uint8_t)addr_groups_addr(g, i, rows[k].addr);
		rows[k].prefix = (uint8_t)addr_groups_aux(g, i);
		rows[k].netns = (uint16_t)(addr_groups_aux(g, i) >> 8);
		rows[k].syn_recv = (uint32_t)(j - i);
		for (size_t m = i; m < j; m++)
			if ((uint16_t)(addr_groups_aux(g, m) >> 8) != rows[k].netns)
				rows[k].netns = FLOOD_NETNS_SEVERAL;
	}
	if (group_order_by_count(order, nrows, source_count, rows) < 0)
		goto out;
	for (size_t i = 0; i < nrows; i++)
		out->sources[i] = rows[order[i]];
	out->nsources = nrows;
	err = 0;
out:
	free(rows);
	free(order);
	return err;
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

int view_flood_gathered(struct flood_gather *fg, const struct flood_thresholds *th, size_t limit,
			struct flood_report *out)
{
	memset(out, 0, sizeof(*out));
	if (count_listeners(fg->snap, fg, out) < 0 || count_sources(fg, out) < 0) {
		flood_report_free(out);
		return -ENOMEM;
	}
	out->syn_recv = fg->nrequests;
	out->alert = alert_of(fg->snap, th, out);
	if (limit && out->nlisteners > limit)
		out->nlisteners = limit;
	if (limit && out->nsources > limit)
		out->nsources = limit;
	return 0;
}

int view_flood(const struct snapshot *snap, const struct view_options *opts,
	       const struct flood_thresholds *th, bool by_network, size_t limit,
	       struct flood_report *out)
{
	struct flood_gather fg;
	int err = flood_gather_init(&fg, snap, snap->nsocks, by_network);

	for (size_t i = 0; !err && i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		/* every listener; the requests the view shows */
		if (r->proto == PROTO_TCP && (r->state == ST_LISTEN ||
		    (r->state == ST_SYN_RECV && view_sock_visible(snap, r, opts))))
			err = flood_gather_add(&fg, r);
	}
	if (!err)
		err = view_flood_gathered(&fg, th, limit, out);
	else
		memset(out, 0, sizeof(*out));
	flood_gather_free(&fg);
	return err;
}

void view_flood_quiet(const struct snapshot *snap, const struct flood_thresholds *th,
		      struct flood_report *out)
{
	memset(out, 0, sizeof(*out));
	out->alert = alert_of(snap, th, out);
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
