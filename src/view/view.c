/* view.c: the visible-socket rule, the state breakdown and the connection index. */
#include "view.h"

#include <stdlib.h>

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
	if (sort) {
		struct sort_ctx ctx = { snap, field_get(sort->key), sort->descending };

		qsort_r(idx, n, sizeof(*idx), conn_cmp, &ctx);
	}
	*index = idx;
	return (long)n;
}
