/* top_remote.c: the guide's "netstat -an | awk | sort | uniq -c | sort -rn",
 * literally: the remote addresses gathered (here, or by view_census() in
 * its pass) and sorted (group.h), runs counted, the runs sorted by count. */
#include <stdlib.h>
#include <string.h>

#include "group.h"
#include "view.h"

static uint32_t row_connections(const void *rows, size_t i)
{
	return ((const struct remote_row *)rows)[i].connections;
}

/* The groups' rows, in address order; their number, or -1. */
static long rows_of(const struct addr_groups *g, struct remote_row **out)
{
	size_t n = g->n4 + g->n6, nrows = 0, k = 0;
	struct remote_row *rows;

	for (size_t i = 0; i < n; i = addr_groups_run(g, i))
		nrows++;
	if (!(rows = calloc(nrows ? nrows : 1, sizeof(*rows))))
		return -1;
	for (size_t i = 0, j; i < n; i = j, k++) {
		struct remote_row *r = &rows[k];

		j = addr_groups_run(g, i);
		r->family = (uint8_t)addr_groups_addr(g, i, r->addr);
		r->connections = (uint32_t)(j - i);
		r->netns = (int32_t)(addr_groups_aux(g, i) >> 8);
		for (size_t s = i; s < j; s++) {
			uint32_t aux = addr_groups_aux(g, s);

			r->by_state[aux & 0xff]++;
			if ((int32_t)(aux >> 8) != r->netns)
				r->netns = -1;
		}
	}
	*out = rows;
	return (long)nrows;
}

/* An IPv6 socket's remote address: IPv4-mapped ones count as IPv4. */
int top_remote_add6(struct addr_groups *g, const struct sock_rec *s, uint32_t state)
{
	uint8_t a[16] = { 0 };
	struct addr16 r = sock_raddr(s);

	if (addr_is_any(6, r.b))
		return 0;
	if (addr_is_v4mapped(r.b)) {
		memcpy(a, r.b + 12, 4);
		return addr_groups_add(g, 4, a, state);
	}
	return addr_groups_add(g, 6, r.b, state);
}

long top_remote_rows(struct addr_groups *g, size_t limit, struct remote_row **out)
{
	struct remote_row *rows = NULL, *sorted = NULL;
	uint32_t *order = NULL;
	long n = -1;

	if (addr_groups_sort(g) < 0 || (n = rows_of(g, &rows)) < 0)
		goto out;
	/* most connections first; ties stay in address order */
	order = malloc((n ? (size_t)n : 1) * sizeof(*order));
	sorted = malloc((n ? (size_t)n : 1) * sizeof(*sorted));
	if (!order || !sorted || group_order_by_count(order, (size_t)n, row_connections, rows) < 0) {
		free(sorted);
		n = -1;
		goto out;
	}
	if (limit && (size_t)n > limit)
		n = (long)limit;
	for (long i = 0; i < n; i++)
		sorted[i] = rows[order[i]];
	*out = sorted;
out:
	free(order);
	free(rows);
	return n;
}

long view_top_remote(const struct snapshot *snap, const struct view_options *opts,
		     size_t limit, struct remote_row **out)
{
	struct addr_groups g;
	long n = -1;

	if (addr_groups_init(&g, snap->nsocks) < 0)
		return -1;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *s = &snap->socks[i];

		if (s->proto == PROTO_TCP && view_sock_visible(snap, s, opts) &&
		    top_remote_add(&g, s) < 0)
			goto out;
	}
	n = top_remote_rows(&g, limit, out);
out:
	addr_groups_free(&g);
	return n;
}
