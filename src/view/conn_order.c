/* conn_order.c: keys in one pass; places settled by quicksort partitions,
 * on demand. An item in its final place splits the items around it (all
 * before it order before it), so the unsettled items form segments between
 * settled ones, and a row is found by partitioning only its own segment. */
#include "conn_order.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tcpstate.h"

/* Segments this short are sorted by insertion, whole. */
#define SHORT_SEGMENT 16

struct proc_sort_ctx {
	const struct snapshot *snap;
};

static int proc_cmp(const void *a, const void *b, void *arg)
{
	const struct proc_sort_ctx *ctx = arg;
	const struct proc_rec *x = &ctx->snap->procs[*(const uint32_t *)a];
	const struct proc_rec *y = &ctx->snap->procs[*(const uint32_t *)b];
	int c = strcmp(x->comm, y->comm);

	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

/* Each owner's place among the owners, by name then pid, as cmp_process
 * orders them. NULL when out of memory. */
static uint32_t *procs_rank(const struct snapshot *snap)
{
	size_t n = snap->nprocs;
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
	uint32_t *rank = malloc((n ? n : 1) * sizeof(*rank));
	struct proc_sort_ctx ctx = { snap };

	if (!order || !rank) {
		free(order);
		free(rank);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, n, sizeof(*order), proc_cmp, &ctx);
	for (size_t i = 0; i < n; i++)
		rank[order[i]] = (uint32_t)i;
	free(order);
	return rank;
}

static void state_ranks(uint8_t rank[16])
{
	_Static_assert(ST_COUNT <= 16, "state_rank holds every state");
	for (int s = 0; s < ST_COUNT; s++) {
		rank[s] = 0;
		for (int t = 0; t < ST_COUNT; t++)
			rank[s] += strcmp(tcpstate_name(t), tcpstate_name(s)) < 0;
	}
}

static bool is_settled(const struct conn_order *o, size_t i)
{
	return o->settled[i / 64] >> (i % 64) & 1;
}

static void settle(struct conn_order *o, size_t i)
{
	o->settled[i / 64] |= 1ULL << (i % 64);
}

static void settle_all(struct conn_order *o)
{
	memset(o->settled, 0xff, (o->n + 63) / 64 * sizeof(*o->settled));
}

int conn_order_init(struct conn_order *o, const struct snapshot *snap, const struct conn_sort *sort,
		    size_t cap)
{
	struct timespec now;

	if (!cap)
		cap = 1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	*o = (struct conn_order){
		.items = malloc(cap * sizeof(*o->items)),
		.settled = calloc((cap + 63) / 64, sizeof(*o->settled)),
		.descending = sort && sort->descending,
		.snap = snap,
		.seed = (uint64_t)now.tv_nsec * 0x9e3779b97f4a7c15ULL | 1,
		.key_field = sort ? field_get(sort->key) : NULL,
		.kc = { .snap = snap },
		.cookie_min = UINT64_MAX,
	};
	if (o->key_field == field_get(FIELD_PROCESS) && !(o->kc.proc_rank = procs_rank(snap)))
		goto nomem;
	if (!o->items || !o->settled)
		goto nomem;
	state_ranks(o->kc.state_rank);
	return 0;
nomem:
	conn_order_free(o);
	return -1;
}

int conn_order_init_part(struct conn_order *part, const struct conn_order *o, size_t from)
{
	*part = (struct conn_order){
		.items = o->items + from, .snap = o->snap, .key_field = o->key_field,
		.kc = { .snap = o->snap }, .part = true, .cookie_min = UINT64_MAX,
	};
	/* the ranks are read as keys are made: the part's own copy */
	if (part->key_field == field_get(FIELD_PROCESS) && !(part->kc.proc_rank = procs_rank(o->snap)))
		return -1;
	memcpy(part->kc.state_rank, o->kc.state_rank, sizeof(part->kc.state_rank));
	return 0;
}

void conn_order_append(struct conn_order *o, const struct conn_order *part)
{
	memmove(o->items + o->n, part->items, part->n * sizeof(*part->items));
	if (part->cookie_min < o->cookie_min)
		o->cookie_min = part->cookie_min;
	if (part->cookie_max > o->cookie_max)
		o->cookie_max = part->cookie_max;
	o->n += part->n;
	o->kc.lossy |= part->kc.lossy;
}

void conn_order_finish(struct conn_order *o)
{
	free((void *)o->kc.proc_rank);
	o->kc.proc_rank = NULL;
	/* compare() is asked only where a key stood for several values */
	o->field = o->kc.lossy ? o->key_field : NULL;
	o->tie_exact = !o->n || o->cookie_max - o->cookie_min <= UINT32_MAX;
	o->tie_base = (uint32_t)o->cookie_min;
	if (!o->key_field)
		settle_all(o);
}

int conn_order_build(struct conn_order *o, const struct snapshot *snap,
		     const struct view_options *opts, const struct conn_sort *sort)
{
	if (conn_order_init(o, snap, sort, snap->nsocks) < 0)
		return -1;
	for (size_t i = 0; i < snap->nsocks; i++)
		if (view_sock_visible(snap, &snap->socks[i], opts))
			conn_order_add(o, &snap->socks[i]);
	conn_order_finish(o);
	return 0;
}

void conn_order_free(struct conn_order *o)
{
	free((void *)o->kc.proc_rank);
	if (!o->part) {
		free(o->items);
		free(o->settled);
	}
	*o = (struct conn_order){ 0 };
}

static int item_cmp(const struct conn_order *o, const struct conn_item *a, const struct conn_item *b)
{
	uint64_t ca, cb;
	int c;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	if (o->field && (c = o->field->compare(o->snap, &o->snap->socks[a->idx],
					       &o->snap->socks[b->idx])))
		return c;
	if (o->tie_exact) {
		/* cookie - cookie_min, modulo 2^32: the whole difference */
		ca = (uint32_t)(a->tie - o->tie_base);
		cb = (uint32_t)(b->tie - o->tie_base);
	} else {
		ca = o->snap->socks[a->idx].cookie;
		cb = o->snap->socks[b->idx].cookie;
	}
	if (ca != cb)
		return ca < cb ? -1 : 1;
	/* a cookie seen twice in one dump still has one place */
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static void swap(struct conn_item *a, struct conn_item *b)
{
	struct conn_item t = *a;

	*a = *b;
	*b = t;
}

/* xorshift64: pivots no input can predict, so no input makes the
 * partitions quadratic. */
static size_t random_below(struct conn_order *o, size_t n)
{
	o->seed ^= o->seed << 13;
	o->seed ^= o->seed >> 7;
	o->seed ^= o->seed << 17;
	return (size_t)(o->seed % n);
}

/* The middle of three random items of [lo, hi). */
static size_t pivot_pick(struct conn_order *o, size_t lo, size_t hi)
{
	size_t a = lo + random_below(o, hi - lo), b = lo + random_below(o, hi - lo);
	size_t c = lo + random_below(o, hi - lo);
	const struct conn_item *it = o->items;

	if (item_cmp(o, &it[a], &it[b]) > 0) {
		size_t t = a;

		a = b, b = t;
	}
	if (item_cmp(o, &it[b], &it[c]) <= 0)
		return b;
	return item_cmp(o, &it[a], &it[c]) > 0 ? a : c;
}

/* Partitions [lo, hi) around a pivot and returns the pivot's final place. */
static size_t partition(struct conn_order *o, size_t lo, size_t hi)
{
	struct conn_item *it = o->items, pivot;
	size_t i = lo, j = hi;

	swap(&it[lo], &it[pivot_pick(o, lo, hi)]);
	pivot = it[lo];
	for (;;) {
		do
			i++;
		while (i < hi && item_cmp(o, &it[i], &pivot) < 0);
		do
			j--;
		while (item_cmp(o, &pivot, &it[j]) < 0);	/* stops at lo, the pivot */
		if (i >= j)
			break;
		swap(&it[i], &it[j]);
	}
	swap(&it[lo], &it[j]);
	return j;
}

static void insertion_sort(struct conn_order *o, size_t lo, size_t hi)
{
	struct conn_item *it = o->items;

	for (size_t i = lo + 1; i < hi; i++) {
		struct conn_item x = it[i];
		size_t j = i;

		for (; j > lo && item_cmp(o, &it[j - 1], &x) > 0; j--)
			it[j] = it[j - 1];
		it[j] = x;
	}
	for (size_t i = lo; i < hi; i++)
		settle(o, i);
}

/* The unsettled segment [*lo, *hi) around place i: it reaches the nearest
 * settled places (or the ends), a word of the bitmap at a time. */
static void segment_of(const struct conn_order *o, size_t i, size_t *lo, size_t *hi)
{
	size_t w = i / 64, words = (o->n + 63) / 64;
	uint64_t below = o->settled[w] & ((1ULL << (i % 64)) - 1);
	uint64_t above = o->settled[w] & ~((2ULL << (i % 64)) - 1);

	while (!below && w > 0)
		below = o->settled[--w];
	*lo = below ? w * 64 + 64 - (size_t)__builtin_clzll(below) : 0;
	w = i / 64;
	while (!above && ++w < words)
		above = o->settled[w];
	*hi = above ? w * 64 + (size_t)__builtin_ctzll(above) : o->n;
	if (*hi > o->n)
		*hi = o->n;
}

/* Puts the right item in place i (ascending). */
static void settle_place(struct conn_order *o, size_t i)
{
	size_t lo, hi;

	if (is_settled(o, i))
		return;
	segment_of(o, i, &lo, &hi);
	while (hi - lo > SHORT_SEGMENT) {
		size_t p = partition(o, lo, hi);

		settle(o, p);
		if (p == i)
			return;
		if (i < p)
			hi = p;
		else
			lo = p + 1;
	}
	insertion_sort(o, lo, hi);
}

static size_t place_of_row(const struct conn_order *o, size_t row)
{
	return o->descending ? o->n - 1 - row : row;
}

uint32_t conn_order_at(struct conn_order *o, size_t row)
{
	size_t i = place_of_row(o, row);

	settle_place(o, i);
	return o->items[i].idx;
}

/* Puts the item that orders as target does in its final place and returns
 * that place; [lo, hi) is the segment it is in. One partition per step, as
 * settle_place() does, but each step goes the target's way. */
static size_t settle_item(struct conn_order *o, size_t lo, size_t hi, const struct conn_item *target)
{
	while (hi - lo > SHORT_SEGMENT) {
		size_t p = partition(o, lo, hi);
		int c = item_cmp(o, target, &o->items[p]);

		settle(o, p);
		if (c == 0)
			return p;
		if (c < 0)
			hi = p;
		else
			lo = p + 1;
	}
	insertion_sort(o, lo, hi);
	while (lo < hi && item_cmp(o, &o->items[lo], target) != 0)
		lo++;
	return lo;
}

long conn_order_find(struct conn_order *o, uint64_t cookie)
{
	size_t at = o->n, lo, hi;
	struct conn_item target;

	if (o->found && o->found_cookie == cookie)
		return (long)place_of_row(o, o->found_at);
	for (size_t i = 0; i < o->n && at == o->n; i++)
		if (o->items[i].tie == (uint32_t)cookie && o->snap->socks[o->items[i].idx].cookie == cookie)
			at = i;
	if (at == o->n)
		return -1;
	if (!is_settled(o, at)) {
		target = o->items[at];
		segment_of(o, at, &lo, &hi);
		at = settle_item(o, lo, hi, &target);
	}
	o->found = true;
	o->found_cookie = cookie;
	o->found_at = at;
	return (long)place_of_row(o, at);
}
