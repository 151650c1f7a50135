/* view.c: the census (one pass that counts and gathers for the other views)
 * and the state breakdown. */
#include "view.h"

#include <errno.h>

#include "conn_order.h"
#include "flood.h"


int view_census(const struct snapshot *snap, const struct view_options *opts, struct census *out,
		const struct census_gather *g)
{
	return view_census_range(snap, opts, 0, snap->nsocks, out, g);
}

void census_add(struct census *into, const struct census *part)
{
	into->tcp += part->tcp;
	into->udp += part->udp;
	into->syn_recv += part->syn_recv;
	into->rx_bps += part->rx_bps;
	into->tx_bps += part->tx_bps;
	into->states.total += part->states.total;
	for (int s = 0; s < ST_COUNT; s++)
		into->states.n[s] += part->states.n[s];
}

/* Sockets between two looks at g->cancelled: about a tenth of a millisecond. */
#define CENSUS_CANCEL_EVERY 8192

int view_census_range(const struct snapshot *snap, const struct view_options *opts, size_t from,
		      size_t to, struct census *out, const struct census_gather *g)
{
	struct addr_groups *remotes = g ? g->remotes : NULL;
	struct flood_gather *flood = g ? g->flood : NULL;
	struct conn_order *conns = g ? g->conns : NULL;
	int lost = 0;

	*out = (struct census){ 0 };
	for (size_t i = from; i < to; i++) {
		const struct sock_rec *r = &snap->socks[i];
		bool tcp = r->proto == PROTO_TCP;

		if (i % CENSUS_CANCEL_EVERY == 0 && g && g->cancelled && g->cancelled(g->cancel_arg))
			return -ECANCELED;
		out->tcp += tcp;
		out->udp += !tcp;
		out->syn_recv += tcp && r->state == ST_SYN_RECV;
		/* out of memory: the counts go on, that gathering stops */
		if (flood && tcp && (r->state == ST_LISTEN || r->state == ST_SYN_RECV) &&
		    flood_gather_add(flood, r) < 0)
			flood = NULL, lost |= CENSUS_LOST_FLOOD;
		if ((!tcp && !conns) || !view_sock_visible(snap, r, opts))
			continue;
		if (conns)
			conn_order_add(conns, r);
		if (!tcp)
			continue;
		out->states.n[r->state < ST_COUNT ? r->state : ST_UNKNOWN]++;
		out->states.total++;
		if (r->flags & SOCK_HAS_RATE)
			out->rx_bps += r->rx_bps, out->tx_bps += r->tx_bps;
		if (remotes && top_remote_add(remotes, r) < 0)
			remotes = NULL, lost |= CENSUS_LOST_REMOTES;
	}
	return lost;
}

void view_states(const struct snapshot *snap, const struct view_options *opts,
		 struct state_counts *out)
{
	struct census c;

	view_census(snap, opts, &c, NULL);	/* cannot fail without gatherings */
	*out = c.states;
}
