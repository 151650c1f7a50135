/* top_remote.c: the guide's "netstat -an | awk | sort | uniq -c | sort -rn"
 * as one hash-grouping pass and a sort of the groups. */
#include <stdlib.h>
#include <string.h>

#include "view.h"

struct remote_table {
	struct remote_row *rows;
	uint32_t *slots;		/* open addressing: row index + 1, 0 empty */
	size_t nrows, rows_cap, nslots;
};

static uint64_t addr_hash(int family, const uint8_t *a)
{
	uint64_t h = 1469598103934665603ULL ^ (uint64_t)family;

	for (int i = 0; i < (family == 4 ? 4 : 16); i++)
		h = (h ^ a[i]) * 1099511628211ULL;
	return h;
}

/* The row for (family, addr), created on first sight. */
static struct remote_row *table_row(struct remote_table *t, int family, const uint8_t *a)
{
	size_t alen = family == 4 ? 4 : 16, mask = t->nslots - 1;
	size_t h = addr_hash(family, a) & mask;
	struct remote_row *r;

	for (; t->slots[h]; h = (h + 1) & mask) {
		r = &t->rows[t->slots[h] - 1];
		if (r->family == family && !memcmp(r->addr, a, alen))
			return r;
	}
	if (t->nrows == t->rows_cap) {
		size_t cap = t->rows_cap * 2;
		struct remote_row *p = realloc(t->rows, cap * sizeof(*p));

		if (!p)
			return NULL;
		t->rows = p, t->rows_cap = cap;
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->family = (uint8_t)family;
	memcpy(r->addr, a, alen);
	t->slots[h] = (uint32_t)t->nrows;
	return r;
}

static int row_cmp(const void *a, const void *b)
{
	const struct remote_row *x = a, *y = b;

	if (x->connections != y->connections)
		return x->connections > y->connections ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, x->family == 4 ? 4 : 16);
}

long view_top_remote(const struct snapshot *snap, const struct view_options *opts,
		     size_t limit, struct remote_row **rows)
{
	struct remote_table t = { 0 };

	t.nslots = 16;
	while (t.nslots < snap->nsocks * 2)
		t.nslots <<= 1;
	t.slots = calloc(t.nslots, sizeof(*t.slots));
	t.rows_cap = 64;
	t.rows = malloc(t.rows_cap * sizeof(*t.rows));
	if (!t.slots || !t.rows)
		goto nomem;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *s = &snap->socks[i];
		int family = s->family;
		const uint8_t *a = s->raddr;
		struct remote_row *r;

		if (s->proto != PROTO_TCP || addr_is_any(family, a) ||
		    !view_sock_visible(snap, s, opts))
			continue;
		if (family == 6 && addr_is_v4mapped(a))
			family = 4, a += 12;
		r = table_row(&t, family, a);
		if (!r)
			goto nomem;
		r->connections++;
		r->by_state[s->state < ST_COUNT ? s->state : ST_UNKNOWN]++;
	}
	free(t.slots);
	qsort(t.rows, t.nrows, sizeof(*t.rows), row_cmp);
	if (limit && t.nrows > limit)
		t.nrows = limit;
	*rows = t.rows;
	return (long)t.nrows;
nomem:
	free(t.slots);
	free(t.rows);
	return -1;
}
