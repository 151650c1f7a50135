/* closed_seen.c: what the samples knew of each socket, by cookie, for the
 * join of destroy events: an open-addressing table updated in place each
 * sample (no second table: at a million sockets it would be 53 MB more),
 * stale entries removed by backward shift. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "../tcpstate.h"
#include "closed_seen.h"
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
	free(t->fresh);
	closed_seen_init(t);
}

/* The table is sized to what it holds, not to a power of two (which
 * doubled it past 1,048,576 sockets: 80 MB at 1M): a slot's home is the
 * hash scaled to the table's size. */
static size_t home(const struct closed_seen *t, uint64_t cookie)
{
	return (size_t)(((unsigned __int128)hash_mix(cookie) * (t->mask + 1)) >> 64);
}

static size_t next_slot(const struct closed_seen *t, size_t h)
{
	return h == t->mask ? 0 : h + 1;
}

/* The slot holding cookie, or the free one where it would go. */
static struct closed_seen_entry *slot_of(const struct closed_seen *t, uint64_t cookie)
{
	size_t h = home(t, cookie);

	while (t->slots[h].cookie && t->slots[h].cookie != cookie)
		h = next_slot(t, h);
	return &t->slots[h];
}

const struct closed_seen_entry *closed_seen_find(const struct closed_seen *t, uint64_t cookie)
{
	const struct closed_seen_entry *e;

	if (!t->slots || !cookie)
		return NULL;
	e = slot_of(t, cookie);
	return e->cookie ? e : NULL;
}

/* Samples since e was last in one: 0 for the newest. The purge of each
 * sample keeps ages 0 and 1, so that two bits of the generation tell. */
static uint8_t age(const struct closed_seen *t, const struct closed_seen_entry *e)
{
	return (uint8_t)((t->gen - e->gen) & 3);
}

int64_t closed_seen_first_ms(const struct closed_seen *t, const struct closed_seen_entry *e)
{
	return t->base_ms + (int64_t)e->first_cs * 10;
}

/* A time as first_cs counts it (a replay's clock may start again lower). */
static uint32_t first_cs(const struct closed_seen *t, const struct snapshot *snap)
{
	int64_t cs = (ts_ms(&snap->mono) - t->base_ms) / 10;

	return cs < 0 ? 0 : cs > UINT32_MAX ? UINT32_MAX : (uint32_t)cs;
}

const struct closed_proc *closed_seen_proc(const struct closed_seen *t, const struct closed_seen_entry *e)
{
	const struct closed_procs *g;

	if (age(t, e) > 1)
		return NULL;
	g = &t->procs[age(t, e)];
	return e->proc >= 0 && (size_t)e->proc < g->n ? &g->p[e->proc] : NULL;
}

/* Makes room for want entries at a load of at most 3/4 (and gives back
 * most of a table a burst left far too big). A new table has an eighth
 * more than that: a count that goes up and down a little does not resize
 * it every sample. 0 or -ENOMEM. */
static int seen_resize(struct closed_seen *t, size_t want)
{
	size_t need = want + want / 3 + 1, size;
	struct closed_seen old = *t;

	if (t->slots && need <= t->mask + 1 && need * 8 > t->mask + 1)
		return 0;
	size = (need + need / 8 + 63) / 64 * 64;
	if (!(t->slots = calloc(size, sizeof(*t->slots)))) {
		t->slots = old.slots;
		return -ENOMEM;
	}
	t->mask = size - 1;
	for (size_t i = 0; old.slots && i <= old.mask; i++)
		if (old.slots[i].cookie)
			*slot_of(t, old.slots[i].cookie) = old.slots[i];
	free(old.slots);
	return 0;
}

/* An entry's proc has 26 bits: the processes of one sample past that many
 * (never: a host's pids are fewer) are not remembered. */
#define CLOSED_PROC_MAX ((1 << 25) - 1)

/* Appends a copy of p; its index, or -1 when out of memory. */
static int32_t procs_append(struct closed_procs *g, const struct closed_proc *p)
{
	if (g->n >= CLOSED_PROC_MAX)
		return -1;
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
			memset(g, 0, sizeof(*g));
			return -ENOMEM;
		}
	}
	return 0;
}

/* What a sample says of a socket: its bytes, state and process. */
static void seen_set(struct closed_seen_entry *e, const struct closed_procs *procs,
		     const struct snapshot *snap, const struct sock_rec *r, uint8_t gen)
{
	e->bytes_acked = r->bytes_acked;
	e->bytes_received = r->bytes_received;
	e->state = r->state < ST_COUNT ? r->state : ST_UNKNOWN;
	e->gen = gen & 3;
	e->proc = (snap->flags & SNAP_HAS_PROCS) && r->owner >= 0 && (size_t)r->owner < procs->n &&
		  r->owner < CLOSED_PROC_MAX ? r->owner : -1;
}

/* Where the processes of the two generations before went in the new one:
 * each is copied once, however many of its sockets it carries (a million
 * when the screen stops asking for owners). -1: not yet; NULL arrays: no
 * memory for them, each socket then gets a copy. */
struct carried {
	int32_t *to[2];
};

/* The index in procs of entry e's process of the generation before, which
 * this sample does not know: copied on its first socket. */
static int32_t carry_proc(const struct closed_seen *t, struct closed_procs *procs,
			  struct carried *c, const struct closed_seen_entry *e)
{
	const struct closed_proc *was = closed_seen_proc(t, e);
	uint8_t a = age(t, e);
	int32_t *to;

	if (!was)
		return -1;
	if (!c->to[a] && t->procs[a].n && (c->to[a] = malloc(t->procs[a].n * sizeof(int32_t))))
		memset(c->to[a], 0xff, t->procs[a].n * sizeof(int32_t));
	if (!(to = c->to[a]))
		return procs_append(procs, was);
	if (to[e->proc] < 0)
		to[e->proc] = procs_append(procs, was);
	return to[e->proc];
}

/* The first pass, before t->gen moves on (an entry's age is still the old
 * one): updates the sockets already known. Returns how many are new. */
static size_t seen_update_known(struct closed_seen *t, struct closed_procs *procs,
				const struct snapshot *snap, uint8_t gen)
{
	struct carried carried = { { NULL, NULL } };
	size_t fresh = 0;

	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		struct closed_seen_entry *e = r->cookie ? slot_of(t, r->cookie) : NULL;
		struct closed_seen_entry before;

		if (!e || !e->cookie) {
			/* where they are, for the second pass (without room, it
			 * looks at every socket again) */
			if (e && !t->fresh_all &&
			    grow_array((void **)&t->fresh, &t->fresh_cap, fresh + 1, sizeof(*t->fresh), 1024))
				t->fresh_all = true;
			if (e && !t->fresh_all)
				t->fresh[fresh] = (uint32_t)i;
			fresh += e != NULL;
			continue;
		}
		if (e->gen == (gen & 3))
			continue;	/* twice in one sample */
		before = *e;
		seen_set(e, procs, snap, r, gen);
		if (e->proc < 0)	/* known before, not now (a rescan due, owners no longer asked) */
			e->proc = carry_proc(t, procs, &carried, &before);
	}
	free(carried.to[0]);
	free(carried.to[1]);
	return fresh;
}

/* The second pass, once the stale entries are gone and the table has room:
 * the sockets first seen in this sample (the fresh ones the first pass
 * found, or every socket). */
static void seen_add_new(struct closed_seen *t, const struct snapshot *snap, size_t fresh)
{
	size_t n = t->fresh_all ? snap->nsocks : fresh;

	for (size_t k = 0; k < n; k++) {
		const struct sock_rec *r = &snap->socks[t->fresh_all ? k : t->fresh[k]];
		struct closed_seen_entry *e;

		if (!r->cookie || (e = slot_of(t, r->cookie))->cookie)
			continue;
		if (4 * (t->used + 1) > 3 * (t->mask + 1))
			return;	/* more than counted: a cookie twice (never, but bounded) */
		e->cookie = r->cookie;
		e->first_cs = first_cs(t, snap);
		seen_set(e, &t->procs[0], snap, r, t->gen);
		t->used++;
	}
}

/* Empties slot i, moving back the entries after it that probed past it. */
static void seen_remove(struct closed_seen *t, size_t i)
{
	for (size_t j = next_slot(t, i); t->slots[j].cookie; j = next_slot(t, j)) {
		size_t k = home(t, t->slots[j].cookie);

		/* j may move to i unless its home lies cyclically in (i, j] */
		if (i <= j ? (k <= i || k > j) : (k <= i && k > j)) {
			t->slots[i] = t->slots[j];
			i = j;
		}
	}
	memset(&t->slots[i], 0, sizeof(t->slots[i]));
	t->used--;
}

/* Forgets what neither of the last two samples had. */
static void seen_purge(struct closed_seen *t)
{
	for (size_t i = 0; t->slots && i <= t->mask; i++)
		while (t->slots[i].cookie && age(t, &t->slots[i]) > 1)
			seen_remove(t, i);
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
		memcpy(l[n].addr, sock_laddr(r).b, sizeof(l[n].addr));
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
	struct closed_procs procs;
	uint8_t gen = (uint8_t)(t->gen + 1);
	size_t fresh;
	int err = 0;

	if (!t->has_sample)
		t->base_ms = ts_ms(&snap->mono);
	if (procs_copy(&procs, snap) < 0 || (!t->slots && seen_resize(t, snap->nsocks) < 0)) {
		free(procs.p);
		return -ENOMEM;
	}
	fresh = seen_update_known(t, &procs, snap, gen);
	/* from here on, the age of an entry is counted from this sample */
	t->gen = gen;
	free(t->procs[1].p);
	t->procs[1] = t->procs[0];
	t->procs[0] = procs;
	seen_purge(t);
	/* out of memory, the new sockets join as never seen */
	if (seen_resize(t, t->used + fresh) < 0)
		err = -ENOMEM;
	else
		seen_add_new(t, snap, fresh);
	t->fresh_all = false;
	/* the first sample's (every socket) is not kept for the few after */
	if (t->fresh_cap > 4096 && fresh < t->fresh_cap / 4) {
		free(t->fresh);
		t->fresh = NULL;
		t->fresh_cap = 0;
	}
	if (listeners_learn(t, snap) < 0)
		err = -ENOMEM;	/* the listeners of the sample before stay */
	t->has_sample = true;
	t->last_sample_ms = ts_ms(&snap->mono);
	return err;
}
