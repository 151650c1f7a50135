/* view.c: the visible-socket rule, the state breakdown and the connection index. */
#include "view.h"

#include <stdlib.h>
#include <string.h>

#include "keysort.h"

bool view_sock_visible(const struct snapshot *snap, const struct sock_rec *r,
		       const struct view_options *opts)
{
	if (!(opts->protos & (1u << r->proto)))
		return false;
	if (opts->listen == LISTEN_EXCLUDE && sock_is_listening(r))
		return false;
	if (opts->listen == LISTEN_ONLY && !sock_is_listening(r))
		return false;
	return filter_match(opts->filter, snap, r);
}

void view_states(const struct snapshot *snap, const struct view_options *opts,
		 struct state_counts *out)
{
	*out = (struct state_counts){ 0 };
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->proto != PROTO_TCP || !view_sock_visible(snap, r, opts))
			continue;
		out->n[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		out->total++;
	}
}

struct sort_ctx {
	const struct snapshot *snap;
	const struct field *field;
	bool descending;
};

static int proc_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *ctx = arg;
	const struct proc_rec *x = &ctx->snap->procs[*(const uint32_t *)a];
	const struct proc_rec *y = &ctx->snap->procs[*(const uint32_t *)b];
	int c = strcmp(x->comm, y->comm);

	return c ? c : (x->pid > y->pid) - (x->pid < y->pid);
}

static int conn_cmp(const void *a, const void *b, void *arg)
{
	const struct sort_ctx *ctx = arg;
	const struct sock_rec *ra = &ctx->snap->socks[*(const uint32_t *)a];
	const struct sock_rec *rb = &ctx->snap->socks[*(const uint32_t *)b];
	int c = ctx->field->compare(ctx->snap, ra, rb);

	if (!c)	/* a stable order between equal keys keeps rows from jumping */
		c = ra->cookie < rb->cookie ? -1 : ra->cookie > rb->cookie;
	return ctx->descending ? -c : c;
}

/* Each owner's place among the owners, by name then pid, as cmp_process
 * orders them. NULL when out of memory. */
static uint32_t *procs_rank(const struct snapshot *snap)
{
	size_t n = snap->nprocs;
	uint32_t *order = malloc((n ? n : 1) * sizeof(*order));
	uint32_t *rank = malloc((n ? n : 1) * sizeof(*rank));
	struct sort_ctx ctx = { snap, NULL, false };

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

/* A few items of one key, by tie: an insertion sort. */
static void ties_sort(struct sort_item *items, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		struct sort_item it = items[i];
		size_t j = i;

		for (; j > 0 && items[j - 1].tie > it.tie; j--)
			items[j] = items[j - 1];
		items[j] = it;
	}
}

/* Sorts idx by the field's keys (ascending), then settles the ties of keys
 * that stand for several values with the comparator. -1 when out of memory. */
static int sort_by_key(const struct snapshot *snap, const struct field *field, uint32_t *idx,
		       size_t n)
{
	struct sort_item *items = malloc(n * sizeof(*items)), *tmp = malloc(n * sizeof(*tmp));
	struct field_key_ctx kc = { .snap = snap };
	struct sort_ctx ctx = { snap, field, false };
	int err = -1;

	if (field == field_get(FIELD_PROCESS) && !(kc.proc_rank = procs_rank(snap)))
		goto out;
	if (!items || !tmp)
		goto out;
	state_ranks(kc.state_rank);
	for (size_t i = 0; i < n; i++) {
		const struct sock_rec *r = &snap->socks[idx[i]];

		items[i] = (struct sort_item){ field->sort_key(&kc, r), r->cookie, idx[i], 0 };
	}
	/* by key, then each run of one key by cookie: when keys differ (most
	 * sorts) the cookie's passes are saved */
	keysort_by_key(items, tmp, n);
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && items[j].key == items[i].key; j++)
			;
		if (j - i > 16)
			keysort(items + i, tmp, j - i);
		else
			ties_sort(items + i, j - i);
	}
	for (size_t i = 0; i < n; i++)
		idx[i] = items[i].idx;
	for (size_t i = 0, j; kc.lossy && i < n; i = j) {
		for (j = i + 1; j < n && items[j].key == items[i].key; j++)
			;
		if (j - i > 1)
			qsort_r(idx + i, j - i, sizeof(*idx), conn_cmp, &ctx);
	}
	err = 0;
out:
	free((void *)kc.proc_rank);
	free(items);
	free(tmp);
	return err;
}

static void reverse(uint32_t *idx, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint32_t t = idx[i];

		idx[i] = idx[n - 1 - i];
		idx[n - 1 - i] = t;
	}
}

long view_conns(const struct snapshot *snap, const struct view_options *opts,
		const struct conn_sort *sort, uint32_t **index)
{
	uint32_t *idx = malloc((snap->nsocks ? snap->nsocks : 1) * sizeof(*idx));
	size_t n = 0;

	if (!idx)
		return -1;
	for (size_t i = 0; i < snap->nsocks; i++)
		if (view_sock_visible(snap, &snap->socks[i], opts))
			idx[n++] = (uint32_t)i;
	if (sort && n > 1) {
		const struct field *field = field_get(sort->key);
		struct sort_ctx ctx = { snap, field, false };

		/* the order is a total one (ties by cookie): descending is its reverse */
		if (sort_by_key(snap, field, idx, n) < 0)
			qsort_r(idx, n, sizeof(*idx), conn_cmp, &ctx);
		if (sort->descending)
			reverse(idx, n);
	}
	*index = idx;
	return (long)n;
}
