/* conn_order.h: the connections in sort order, sorted only where they are
 * looked at. A screen shows forty of 200k rows: sorting all of them for
 * every frame costs more than the frame's budget, so the order is built
 * with each visible socket's key (one pass) and settled on demand by an
 * incremental quicksort: a row asked for is partitioned into its final
 * place, and every place settled so far bounds the work of the next one.
 * The first window costs O(n); the rows next to it little more; asking
 * for every row costs one quicksort in all.
 *
 * The order: by the field's key, the field's comparator where keys tie
 * and stand for several values (IPv6), then the cookie; descending is its
 * exact reverse. */
#ifndef NETTOP_CONN_ORDER_H
#define NETTOP_CONN_ORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"
#include "fields.h"
#include "keysort.h"
#include "view.h"

/* 16 bytes: a million sockets' order is 16 MB, and the screen holds two
 * (the rows shown, and the next ones as they are computed). */
struct conn_item {
	uint64_t key;			/* the sort field's key */
	uint32_t idx;			/* index into snap->socks */
	uint32_t tie;			/* the cookie's low half (see tie_exact) */
};

struct conn_order {
	struct conn_item *items;
	uint64_t *settled;		/* bit i: items[i] is in its final place */
	size_t n;
	bool descending;
	const struct snapshot *snap;	/* for the comparator */
	const struct field *field;	/* compare()s where a key stood for several values */
	uint64_t seed;			/* the pivots' random choice */
	/* while the keys are added */
	const struct field *key_field;	/* NULL: the snapshot's order */
	struct field_key_ctx kc;
	bool part;			/* conn_order_init_part()'s: writes into another's items */
	/* the cookies' range: within 2^32 of each other (always, until 2^32
	 * sockets were made since boot), tie - tie_base orders as the cookie;
	 * else the cookies are read from the sockets */
	uint64_t cookie_min, cookie_max;
	bool tie_exact;
	uint32_t tie_base;
	/* the place conn_order_find() last found (places settled stay) */
	uint64_t found_cookie;
	size_t found_at;
	bool found;
};

/* The visible sockets of snap with their sort keys (sort NULL: the
 * snapshot's order, all settled). 0, or -1 when out of memory. The order
 * reads snap until conn_order_free(). */
int conn_order_build(struct conn_order *o, const struct snapshot *snap,
		     const struct view_options *opts, const struct conn_sort *sort);
/* conn_order_build() in steps, for a pass that gathers more (view_census()):
 * init with room for cap sockets, add each visible socket of snap in the
 * snapshot's order (or append orders of consecutive parts of it), finish. */
int conn_order_init(struct conn_order *o, const struct snapshot *snap, const struct conn_sort *sort,
		    size_t cap);
static inline void conn_order_add(struct conn_order *o, const struct sock_rec *r)
{
	if (r->cookie < o->cookie_min)
		o->cookie_min = r->cookie;
	if (r->cookie > o->cookie_max)
		o->cookie_max = r->cookie;
	o->items[o->n++] = (struct conn_item){
		o->key_field ? o->key_field->sort_key(&o->kc, r) : 0,
		(uint32_t)(r - o->snap->socks), (uint32_t)r->cookie };
}
/* Adds part's sockets after o's (o has room for them); part is left as it was. */
void conn_order_append(struct conn_order *o, const struct conn_order *part);
/* A part of o (init()ed, room for every socket) for the sockets from
 * index from on, added (by another thread) into o's own items past from:
 * no array of its own. conn_order_append(o, part) moves them down after
 * o's; conn_order_free(part) frees nothing of o's. 0, or -1 when out of
 * memory. */
int conn_order_init_part(struct conn_order *part, const struct conn_order *o, size_t from);
void conn_order_finish(struct conn_order *o);
void conn_order_free(struct conn_order *o);

/* The index into snap->socks of the row'th visible socket (row < o->n),
 * settling its place first. Not const: it sorts as it goes. */
uint32_t conn_order_at(struct conn_order *o, size_t row);
/* The row of the socket with this cookie, or -1 when it is not visible. */
long conn_order_find(struct conn_order *o, uint64_t cookie);

#endif
