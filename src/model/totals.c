/* totals.c: running totals since the screen started, per remote address and
 * per process: connections seen, bytes in and out. Bytes come from each
 * socket's tcp_info deltas between samples (its rates times the interval),
 * and a socket first seen after the start brings all it moved, so a socket
 * that closed keeps the share it was seen with. The worker keeps them (in
 * its model_cache, one update per new sample) and copies those of the rows
 * it computes into the rows: the screen never reads the tables. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "history.h"
#include "model.h"

/* Addresses or processes kept, each; past it new ones are counted as
 * dropped (the remote pane says so). */
#define TOTALS_MAX 65536

struct total_entry {
	uint64_t a, b;			/* the address, or the pid and the name's hash */
	uint32_t extra;			/* family + 1 (0: a free slot), or 0x100 for a process */
	struct running_total t;
};

struct total_table {
	struct total_entry *e;
	size_t cap, n;
	uint64_t dropped;
};

struct totals {
	struct total_table remote, procs;
	uint64_t seq;			/* the last sample counted; 0: none */
};

static uint64_t key_hash(uint64_t a, uint64_t b, uint32_t extra)
{
	return hash_mix(a ^ hash_mix(b ^ hash_mix(extra)));
}

static struct total_entry *table_find(const struct total_table *t, uint64_t a, uint64_t b,
				      uint32_t extra)
{
	size_t mask = t->cap - 1;

	if (!t->cap)
		return NULL;
	for (size_t i = key_hash(a, b, extra) & mask;; i = (i + 1) & mask) {
		struct total_entry *e = &t->e[i];

		if (!e->extra)
			return NULL;
		if (e->a == a && e->b == b && e->extra == extra)
			return e;
	}
}

static int table_grow(struct total_table *t)
{
	size_t cap = t->cap ? 2 * t->cap : 1024;
	struct total_entry *old = t->e, *e = calloc(cap, sizeof(*e));

	if (!e)
		return -ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		size_t j;

		if (!old[i].extra)
			continue;
		for (j = key_hash(old[i].a, old[i].b, old[i].extra) & (cap - 1); e[j].extra;
		     j = (j + 1) & (cap - 1))
			;
		e[j] = old[i];
	}
	free(old);
	t->e = e;
	t->cap = cap;
	return 0;
}

/* The entry of the key, added when new; NULL when full (counted). */
static struct running_total *table_get(struct total_table *t, uint64_t a, uint64_t b,
				       uint32_t extra)
{
	struct total_entry *e = table_find(t, a, b, extra);
	size_t i;

	if (e)
		return &e->t;
	if ((t->n + 1) * 2 > t->cap && (t->n >= TOTALS_MAX || table_grow(t) < 0)) {
		t->dropped++;
		return NULL;
	}
	for (i = key_hash(a, b, extra) & (t->cap - 1); t->e[i].extra; i = (i + 1) & (t->cap - 1))
		;
	t->e[i] = (struct total_entry){ .a = a, .b = b, .extra = extra, .t = { .known = true } };
	t->n++;
	return &t->e[i].t;
}

/* An address as the remote pane keys it: IPv4-mapped IPv6 as IPv4. */
static void remote_key(int family, const uint8_t addr[16], uint64_t *a, uint64_t *b,
		       uint32_t *extra)
{
	uint8_t k[16] = { 0 };

	if (family == 6 && addr_is_v4mapped(addr)) {
		family = 4;
		memcpy(k, addr + 12, 4);
	} else {
		memcpy(k, addr, family == 4 ? 4 : 16);
	}
	memcpy(a, k, 8);
	memcpy(b, k + 8, 8);
	*extra = (uint32_t)family + 1;
}

static struct running_total *proc_total(struct total_table *t, const struct proc_rec *p, bool add)
{
	uint64_t name = p->comm ? hash_bytes(0, p->comm, strlen(p->comm)) : 0;
	struct total_entry *e;

	if (!add)
		return (e = table_find(t, (uint64_t)(uint32_t)p->pid, name, 0x100)) ? &e->t : NULL;
	return table_get(t, (uint64_t)(uint32_t)p->pid, name, 0x100);
}

static void total_add(struct running_total *t, bool fresh, uint64_t in, uint64_t out)
{
	if (!t)
		return;
	t->seen += fresh;
	t->bytes_in += in;
	t->bytes_out += out;
}

/* What one connection adds: its bytes since the sample before, or all of
 * them when it is new. */
static void sock_count(struct totals *t, const struct snapshot *snap, const struct sock_rec *r)
{
	bool fresh = !(r->flags & SOCK_HAS_RATE);
	uint64_t in = fresh ? r->bytes_received : (uint64_t)((double)r->rx_bps * snap->interval + 0.5);
	uint64_t out = fresh ? r->bytes_acked : (uint64_t)((double)r->tx_bps * snap->interval + 0.5);
	uint64_t a, b;
	uint32_t extra;

	if (!fresh && !in && !out)
		return;
	remote_key(r->family, sock_raddr(r).b, &a, &b, &extra);
	total_add(table_get(&t->remote, a, b, extra), fresh, in, out);
	if (r->owner >= 0 && (size_t)r->owner < snap->nprocs)
		total_add(proc_total(&t->procs, &snap->procs[r->owner], true), fresh, in, out);
}

void totals_update(struct model_cache *cache, const struct sample *cur, const struct sample *prev)
{
	const struct snapshot *snap = cur->snap;
	struct totals *t = cache->totals;
	bool first;

	if (!t && !(t = cache->totals = calloc(1, sizeof(*t))))
		return;
	if (cur->seq <= t->seq) {
		/* a replay stepped back: the totals start again from there */
		if (cur->seq < t->seq)
			totals_free(cache), totals_update(cache, cur, prev);
		return;
	}
	/* what the sockets moved before the start is not the screen's; nor
	 * can a socket be told new against a sample without tcp_info */
	first = !t->seq;
	t->seq = cur->seq;
	if (first || !(snap->flags & SNAP_HAS_INFO) || !prev || !(prev->snap->flags & SNAP_HAS_INFO))
		return;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->proto == PROTO_TCP && (r->flags & SOCK_HAS_INFO) && !sock_is_listening(r) &&
		    !addr_is_any(r->family, sock_raddr(r).b))
			sock_count(t, snap, r);
	}
}

/* The totals of the rows computed: the remote addresses' and (P) the
 * processes', in the rows' own order. */
void totals_rows(struct pane_rows *rows, const struct model_cache *cache)
{
	const struct totals *t = cache->totals;
	const struct snapshot *snap = rows->cur->snap;

	if (!t)
		return;
	rows->remote.totals_dropped = t->remote.dropped + t->procs.dropped;
	if (rows->remote.rows && !rows->remote.totals &&
	    (rows->remote.totals = calloc(rows->remote.n + 1, sizeof(struct running_total))))
		for (size_t i = 0; i < rows->remote.n; i++) {
			const struct remote_row *r = &rows->remote.rows[i];
			const struct total_entry *e;
			uint64_t a, b;
			uint32_t extra;

			remote_key(r->family, r->addr, &a, &b, &extra);
			if ((e = table_find(&t->remote, a, b, extra)))
				rows->remote.totals[i] = e->t;
		}
	if (rows->procs.rows && !rows->procs.totals &&
	    (rows->procs.totals = calloc(rows->procs.n + 1, sizeof(struct running_total))))
		for (size_t i = 0; i < rows->procs.n; i++) {
			int32_t p = rows->procs.rows[i].proc;
			const struct running_total *found;

			if (p >= 0 && (size_t)p < snap->nprocs &&
			    (found = proc_total((struct total_table *)&t->procs, &snap->procs[p], false)))
				rows->procs.totals[i] = *found;
		}
}

void totals_free(struct model_cache *cache)
{
	struct totals *t = cache->totals;

	if (!t)
		return;
	free(t->remote.e);
	free(t->procs.e);
	free(t);
	cache->totals = NULL;
}

bool totals_cell(const struct running_total *t, int which, char *buf, size_t len)
{
	uint64_t v;

	if (which < TOTAL_SEEN || which > TOTAL_OUT)
		return false;
	if (!t || !t->known) {
		snprintf(buf, len, "-");
		return true;
	}
	v = which == TOTAL_SEEN ? t->seen : which == TOTAL_IN ? t->bytes_in : t->bytes_out;
	history_value_format((double)v, buf, len);
	return true;
}
