/* by_process.c: the connections grouped by owning program, as a "by process"
 * view: sockets, their states, and rates summed. */
#include <stdlib.h>
#include <string.h>

#include "../sock_health.h"
#include "view.h"

static int row_cmp(const void *a, const void *b)
{
	const struct process_row *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	return x->proc < y->proc ? -1 : x->proc > y->proc;
}

long view_by_process(const struct snapshot *snap, const struct view_options *opts,
		     struct process_row **rows)
{
	/* one row per process record, plus one for sockets without an owner */
	size_t n = snap->nprocs + 1, out = 0;
	struct process_row *v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i].proc = i < snap->nprocs ? (int32_t)i : OWNER_NONE;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		const struct sock_health *h;
		struct process_row *row;

		if (!view_sock_visible(snap, r, opts))
			continue;
		row = &v[r->owner >= 0 && (size_t)r->owner < snap->nprocs ? (size_t)r->owner : n - 1];
		row->sockets++;
		row->by_state[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		if (r->flags & SOCK_HAS_RATE) {
			row->rx_bps += r->rx_bps;
			row->tx_bps += r->tx_bps;
		}
		if ((h = sock_health_of(snap, r)) && (h->flags & HEALTH_RATES)) {
			row->rx_pps += h->segs_in_ps;
			row->tx_pps += h->segs_out_ps;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].sockets)
			v[out++] = v[i];
	qsort(v, out, sizeof(*v), row_cmp);
	*rows = v;
	return (long)out;
}
