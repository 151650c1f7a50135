/* census.c: the worker's one pass over a sample, model_compute()'s first
 * step: the header's totals, the states pane's counts, and what the remote
 * and connections panes sort, gathered as the sockets go by; half of them
 * on the helper thread. The states counted under each view are kept per
 * sample (model_cache), for the changes of the jobs after. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../thread.h"
#include "../view/hash.h"
#include "model.h"

static uint64_t filter_hash(const struct filter *f)
{
	const char *text;

	if (!f)
		return 0;
	text = filter_text(f);
	return hash_bytes(0, text, strlen(text)) | 1;
}

static struct states_kept states_key(const struct model_params *p, const struct sample *s)
{
	return (struct states_kept){ .seq = s->seq, .epoch = p->epoch, .protos = p->view.protos,
				     .listen = p->view.listen, .filter_hash = filter_hash(p->view.filter) };
}

static const struct state_counts *states_lookup(const struct model_cache *c,
						const struct states_kept *k)
{
	for (int i = 0; i < STATES_KEPT; i++) {
		const struct states_kept *e = &c->kept[i];

		if (e->seq && e->seq == k->seq && e->epoch == k->epoch && e->protos == k->protos &&
		    e->listen == k->listen && e->filter_hash == k->filter_hash)
			return &e->states;
	}
	return NULL;
}

/* s's counts under p's view into *out, if a job counted them, or counted
 * them without a filter that is a list of states alone (its counts are
 * those, the other states left out); false otherwise. */
static bool states_find(const struct model_cache *c, const struct model_params *p,
			const struct sample *s, struct state_counts *out)
{
	struct states_kept k = states_key(p, s);
	const struct state_counts *kept = states_lookup(c, &k);
	uint32_t mask = filter_state_mask(p->view.filter);

	if (kept) {
		*out = *kept;
		return true;
	}
	k.filter_hash = 0;
	if (!filter_states_only(p->view.filter) || !(kept = states_lookup(c, &k)))
		return false;
	*out = (struct state_counts){ 0 };
	for (int st = 0; st < ST_COUNT; st++)
		if (mask & ST_MASK(st))
			out->total += out->n[st] = kept->n[st];
	return true;
}

static void states_keep(struct model_cache *c, const struct model_params *p, const struct sample *s,
			const struct state_counts *states)
{
	struct states_kept k = states_key(p, s);

	if (states_lookup(c, &k))
		return;
	c->kept[c->kept_next] = states_key(p, s);
	c->kept[c->kept_next].states = *states;
	c->kept_next = (c->kept_next + 1) % STATES_KEPT;
}

static struct conn_sort conns_sort(const struct model_params *p)
{
	return (struct conn_sort){ (enum field_id)p->sort[PANE_CONNS], p->descending[PANE_CONNS] };
}

/* The connections' sort keys, ready to be gathered; NULL when the
 * connections pane is not shown per socket, or out of memory (it then
 * makes its own pass). */
static struct conn_order *conns_gathered(const struct model_params *p, const struct snapshot *snap)
{
	struct conn_sort sort = conns_sort(p);
	struct conn_order *o;

	if (p->ops[PANE_CONNS] != &pane_conns_model || !(o = malloc(sizeof(*o))))
		return NULL;
	if (conn_order_init(o, snap, &sort, snap->nsocks) < 0) {
		free(o);
		return NULL;
	}
	return o;
}

/* Below this many sockets one thread counts them all: a handover costs
 * more than the half it saves. */
#define CENSUS_SPLIT_MIN 20000

/* The second half of a sample's census, counted by the helper thread into
 * gatherers of its own, then added to the first half's. */
struct census_half {
	const struct snapshot *snap;
	const struct view_options *view;
	size_t from;
	struct census c;
	struct addr_groups remotes;
	struct conn_order conns;
	struct flood_gather flood;
	struct census_gather g;
	int err;
};

static void census_half_run(void *arg)
{
	struct census_half *h = arg;

	h->err = view_census_range(h->snap, h->view, h->from, h->snap->nsocks, &h->c, &h->g);
}

static void census_half_free(struct census_half *h)
{
	if (h->g.remotes)
		addr_groups_free(&h->remotes);
	if (h->g.conns)
		conn_order_free(&h->conns);
	if (h->g.flood)
		flood_gather_free(&h->flood);
}

/* Gatherers for the half like g's; false (none made) when out of memory. */
static bool census_half_init(struct census_half *h, const struct model_params *p,
			     const struct snapshot *snap, const struct census_gather *g)
{
	size_t n = snap->nsocks - snap->nsocks / 2;

	*h = (struct census_half){ .snap = snap, .view = &p->view, .from = snap->nsocks / 2 };
	h->g.cancelled = g->cancelled;
	h->g.cancel_arg = g->cancel_arg;
	if (g->remotes) {
		addr_groups_init_part(&h->remotes, g->remotes, h->from);
		h->g.remotes = &h->remotes;
	}
	/* the half's keys go into the whole order's own array, past its half */
	if (g->conns && conn_order_init_part(&h->conns, g->conns, h->from) == 0)
		h->g.conns = &h->conns;
	if (g->flood && flood_gather_init(&h->flood, snap, n, g->flood->by_network) == 0)
		h->g.flood = &h->flood;
	if (!g->remotes == !h->g.remotes && !g->conns == !h->g.conns && !g->flood == !h->g.flood)
		return true;
	census_half_free(h);
	return false;
}

/* The census of snap into c and g, on two cores when helper can take half:
 * the pass over 200k sockets is most of a frame's cost. Returns what
 * view_census() does: the gatherings lost (unusable then), or -ECANCELED. */
static int census_run(const struct model_params *p, const struct snapshot *snap,
		      const struct census_gather *g, struct helper *helper, struct census *c)
{
	struct census_half h;
	int lost;

	if (!helper || snap->nsocks < CENSUS_SPLIT_MIN || !census_half_init(&h, p, snap, g))
		return view_census(snap, &p->view, c, g);
	helper_run(helper, census_half_run, &h);
	lost = view_census_range(snap, &p->view, 0, h.from, c, g);
	helper_wait(helper);
	census_add(c, &h.c);
	if (lost == -ECANCELED || h.err == -ECANCELED) {
		lost = -ECANCELED;
	} else {
		lost |= h.err;
		if (g->remotes && !(lost & CENSUS_LOST_REMOTES) &&
		    addr_groups_append(g->remotes, &h.remotes) < 0)
			lost |= CENSUS_LOST_REMOTES;
		if (g->flood && !(lost & CENSUS_LOST_FLOOD) && flood_gather_append(g->flood, &h.flood) < 0)
			lost |= CENSUS_LOST_FLOOD;
	}
	if (g->conns)
		conn_order_append(g->conns, &h.conns);
	census_half_free(&h);
	return lost;
}

/* The remote and connections panes take what is gathered from rows; prev
 * is counted only when no job counted it under this view before. At 200k
 * sockets a pass costs milliseconds of the frame's 20. */
bool model_census(struct pane_rows *rows, const struct model_params *p, struct model_cache *cache,
		  const struct compute_env *env, uint32_t *syn_recv)
{
	bool prev_counted = false;
	const struct snapshot *snap = rows->cur->snap;
	struct states_data *d = &rows->states;
	struct census_gather g = { .cancelled = env->cancelled, .cancel_arg = env->cancel_arg };
	struct census c;
	int lost;

	d->has_prev = rows->prev != NULL;
	/* a key changed the view, and nothing kept serves it: prev is counted
	 * anew, on two cores too */
	if (d->has_prev && !states_find(cache, p, rows->prev, &d->prev)) {
		/* a summary (prev_keep.c) has no socket to count: no changes */
		if (p->prev_summary)
			d->has_prev = false;
		else if (census_run(p, rows->prev->snap, &g, env->helper, &c) == -ECANCELED)
			return false;
		else
			d->prev = c.states, prev_counted = true;
	}
	/* without memory for them, the panes make their own passes */
	rows->has_remotes = p->ops[PANE_REMOTE] && addr_groups_init(&rows->remotes, snap->nsocks) == 0;
	g.remotes = rows->has_remotes ? &rows->remotes : NULL;
	g.conns = rows->conns.order = conns_gathered(p, snap);
	rows->has_flood = flood_gather_init(&rows->flood_gather, snap, snap->nsocks,
					    p->flood_by_network) == 0;
	g.flood = rows->has_flood ? &rows->flood_gather : NULL;
	lost = census_run(p, snap, &g, env->helper, &c);
	if (g.conns)
		conn_order_finish(g.conns);
	if (lost == -ECANCELED)
		return false;
	if (lost & CENSUS_LOST_REMOTES) {
		addr_groups_free(&rows->remotes);
		rows->has_remotes = false;
	}
	if (lost & CENSUS_LOST_FLOOD) {
		flood_gather_free(&rows->flood_gather);
		rows->has_flood = false;
	}
	rows->tcp_total = c.tcp;
	rows->udp_total = c.udp;
	rows->shown_rx_bps = c.rx_bps;
	rows->shown_tx_bps = c.tx_bps;
	d->cur = c.states;
	*syn_recv = c.syn_recv;
	/* whole counts only: a pass stopped midway returned above */
	if (prev_counted)
		states_keep(cache, p, rows->prev, &d->prev);
	states_keep(cache, p, rows->cur, &d->cur);
	return true;
}
