/* by_netns.c: the connections grouped by network namespace (--all-netns)
 * or by cgroup, as the by-process view groups them by program: one row per
 * namespace or cgroup with visible sockets, in process_row's shape (proc:
 * the namespace's or the cgroup's index). */
#include <stdlib.h>
#include <string.h>

#include "view.h"

static int row_cmp(const void *a, const void *b)
{
	const struct process_row *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	return x->proc < y->proc ? -1 : x->proc > y->proc;
}

/* The row of r: its namespace's or its cgroup's index. */
typedef size_t row_of_fn(const struct snapshot *snap, const struct sock_rec *r, size_t n);

/* Counts the visible sockets into v's n rows, keeps the rows that have
 * any, most sockets first: how many, with *rows = v. */
static long rows_tally(const struct snapshot *snap, const struct view_options *opts,
		       struct process_row *v, size_t n, row_of_fn *row_of, struct process_row **rows)
{
	size_t out = 0;

	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		struct process_row *row;

		if (!view_sock_visible(snap, r, opts))
			continue;
		row = &v[row_of(snap, r, n)];
		row->sockets++;
		row->by_state[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		if (r->flags & SOCK_HAS_RATE) {
			row->rx_bps += r->rx_bps;
			row->tx_bps += r->tx_bps;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].sockets)
			v[out++] = v[i];
	qsort(v, out, sizeof(*v), row_cmp);
	*rows = v;
	return (long)out;
}

static size_t netns_row(const struct snapshot *snap, const struct sock_rec *r, size_t n)
{
	(void)snap;
	return r->netns < n ? r->netns : 0;
}

/* sockets of no known cgroup share the last row */
static size_t cgroup_row(const struct snapshot *snap, const struct sock_rec *r, size_t n)
{
	uint64_t id = sock_extra_of(snap, r)->cgroup_id;

	return id ? snapshot_cgroup_index(snap, id) : n - 1;
}

long view_by_netns(const struct snapshot *snap, const struct view_options *opts,
		   struct process_row **rows)
{
	/* one row per namespace, and one for a sample of a single namespace */
	size_t n = snap->nnetns ? snap->nnetns : 1;
	struct process_row *v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i].proc = (int32_t)i;
	return rows_tally(snap, opts, v, n, netns_row, rows);
}

long view_by_cgroup(const struct snapshot *snap, const struct view_options *opts,
		    struct process_row **rows)
{
	/* one row per known cgroup, and one for sockets of none known */
	size_t n = snap->ncgroups + 1;
	struct process_row *v = calloc(n, sizeof(*v));

	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++)
		v[i].proc = i < snap->ncgroups ? (int32_t)i : -1;
	return rows_tally(snap, opts, v, n, cgroup_row, rows);
}
