/* model.c: between the sampler thread and the panes: what to ask the
 * kernel for, which sample is current, and every pane's rows. The rows are
 * built by the worker thread (worker.c) from a copy of what the keys chose,
 * and swapped in whole when done: sorting a million rows never holds up a
 * key, and the rows on screen stay until their successors are ready. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lookup.h"
#include "closed_log.h"
#include "model.h"

void model_init(struct model *m, const struct options *o, const struct filter *initial)
{
	memset(m, 0, sizeof(*m));
	m->opts = o;
	m->protos = o->protos;
	/* the screen shows every socket unless -l asks for listeners only */
	m->listen = o->listen == LISTEN_ONLY ? LISTEN_ONLY : LISTEN_ALL;
	m->numeric = o->numeric;
	m->show_procs = o->show_procs;
	m->interval = o->interval;
	panes_init(m);
	m->all_netns = o->all_netns;
	m->netns_other = (struct pane_state){ .sort = pane_netns_model.default_sort,
					      .descending = pane_netns_model.default_descending };
	/* --group process and --flood[=net] open the screen on what they print */
	if (o->sections & SECTION_BY_PROCESS)
		action_toggle_by_process(m);
	if (o->sections & SECTION_BY_NETNS)
		action_toggle_by_netns(m);
	m->flood.shown = o->sections & SECTION_FLOOD;
	m->flood.by_network = o->flood_by_network;
	m->message[0] = '\0';
	m->filter = filter_hold(initial);	/* parsed once, by main() */
	m->prev_whole_max = MODEL_PREV_WHOLE_MAX;
	model_history_start(m);
}

void model_free(struct model *m)
{
	filter_free(m->filter);
	m->filter = NULL;
	model_history_free(m);
	closed_log_free(m->closed);
	m->closed = NULL;
}

void model_message(struct model *m, bool error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(m->message, sizeof(m->message), fmt, ap);
	va_end(ap);
	m->message_error = error;
	clock_gettime(CLOCK_MONOTONIC, &m->message_at);
}

void model_view_options(const struct model *m, struct view_options *v)
{
	*v = (struct view_options){ .protos = m->protos, .listen = m->listen, .filter = m->filter };
}

/* True when a shown connection column, or their sort, reads what needs()
 * says only some samples carry (the health records, struct sock_extra):
 * only then does the sampler keep it. */
static bool model_needs(const struct model *m, bool (*needs)(enum field_id id))
{
	if (!m->by_process && needs((enum field_id)m->panes[PANE_CONNS].sort))
		return true;
	for (int f = 0; f < FIELD_COUNT; f++)
		if (!m->col_hidden[f] && needs((enum field_id)f))
			return true;
	return false;
}

/* What the panes show; the session builds the request from it, widened to
 * what --batch would dump with the command line's options while exporting,
 * so that the exported metrics never follow the keys. */
void model_request(const struct model *m, struct sample_request *req)
{
	struct session_needs shown = {
		.protos = m->protos,
		.families = m->opts->families,
		.listen = m->listen,
		.filter = m->filter,
		/* the rtt and rate columns are on screen */
		.info = true,
		.health = model_needs(m, field_needs_health),
		/* a recording keeps what it records (record/codec.c) */
		.extra = model_needs(m, field_needs_extra) || m->opts->record,
		.procs = m->show_procs || m->by_process || m->closed_shown,
		.backend = m->opts->backend,
		/* owners not found within a quarter of the interval show as "?"
		 * and come with a later sample: the screen keeps its pace */
		.procs_budget_ms = (unsigned)(m->interval * 250),
		.links = true,
		/* the flood alert reads the kernel's syncookie and drop counters */
		.counters = true,
		.syn_packets = flood_wants_syn_packets(m),
		/* the flood panes count every TCP socket, whatever the filter */
		.every_tcp = m->flood.shown,
		/* the table is dumped while C shows it, or --conntrack asks */
		.conntrack = m->conntrack_shown || m->opts->conntrack,
		/* the Closed view and the closed/s columns */
		.events = true,
		.all_netns = m->all_netns,
		.cgroups = !m->col_hidden[FIELD_CGROUP],
	}, exported;

	session_needs_of_options(m->opts, m->cmdline_filter, &exported);
	session_request(&shown, m->exporter ? &exported : NULL, req);
}

#define SWAP(a, b) do { __typeof__(a) swap_ = (a); (a) = (b); (b) = swap_; } while (0)

void model_rows_error(struct pane_rows *rows, const char *what)
{
	if (!rows->error[0])
		snprintf(rows->error, sizeof(rows->error), "out of memory: %s not shown", what);
}

bool model_compute(struct pane_rows *rows, const struct model_params *p, struct model_cache *cache,
		   const struct compute_env *env)
{
	uint32_t syn_recv;

	rows->params = *p;
	rows->params.view.filter = NULL;
	if (p->only) {
		for (int i = 0; i < PANE_COUNT; i++)
			if (p->ops[i] && (p->only & 1u << i))
				p->ops[i]->compute(rows, p);
		rows_conns_presettle(rows, p);
		totals_rows(rows, cache);
		return true;
	}
	/* a newer job stops this one before the flood report touches the cache */
	if (!model_census(rows, p, cache, env, &syn_recv) ||
	    (env->cancelled && env->cancelled(env->cancel_arg)))
		return false;
	flood_rows_build(rows, p, syn_recv, cache);
	totals_update(cache, rows->cur, rows->prev);
	if (rows->has_flood)
		flood_gather_free(&rows->flood_gather);
	rows->has_flood = false;
	for (int i = 0; i < PANE_COUNT; i++)
		if (p->ops[i])
			p->ops[i]->compute(rows, p);
	rows_conns_presettle(rows, p);
	history_rows_collect(rows);
	totals_rows(rows, cache);
	cache->epoch = p->epoch;
	/* without a report, its counts in the cache are not of this sample */
	cache->seq = rows->flood.seq ? rows->cur->seq : 0;
	return true;
}

void model_rows_free(struct pane_rows *rows)
{
	static const struct pane_model *const all[] = {
		&pane_states_model, &pane_remote_model, &pane_ifaces_model, &pane_conns_model,
		&pane_procs_model, &pane_flood_model, &pane_listeners_model, &pane_sources_model,
		&pane_conntrack_model,
	};

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		all[i]->release(rows);
	flood_rows_release(&rows->flood);
	addr_groups_free(&rows->remotes);
	rows->has_remotes = false;
	if (rows->has_flood)
		flood_gather_free(&rows->flood_gather);
	rows->has_flood = false;
	sample_release(rows->cur);
	sample_release(rows->prev);
	rows->cur = rows->prev = NULL;
	history_rows_take(NULL, rows);	/* frees the values not added */
}

void model_params_free(struct model_params *p)
{
	filter_free(p->view.filter);
	p->view.filter = NULL;
}

/* What the keys chose, copied for the worker; false when out of memory. */
static bool params_make(const struct model *m, struct model_params *p)
{
	*p = (struct model_params){
		.opts = m->opts,
		.epoch = m->model_epoch,
		.view_gen = m->view_gen,
		.flood = flood_thresholds_of(m),
		.flood_by_network = m->flood.by_network,
		.prev_alert = m->replay != NULL,
		.prev_summary = m->next_prev_summary,
	};
	model_view_options(m, &p->view);
	/* the worker's hold: a key may replace m->filter meanwhile */
	p->view.filter = filter_hold(m->filter);
	p->conns_sel_key = m->panes[PANE_CONNS].sel_key;
	p->conns_keyed = m->panes[PANE_CONNS].keyed;
	p->conns_sel = m->panes[PANE_CONNS].sel;
	for (int i = 0; i < PANE_COUNT; i++) {
		p->ops[i] = pane_enabled(m, i) ? m->ops[i] : NULL;
		p->sort[i] = m->panes[i].sort;
		p->descending[i] = m->panes[i].descending;
	}
	return true;
}

/* Takes s: the exports go on while the screen stays (a live pause leaves
 * the sampler running when something is exported, action_toggle_pause()). */
static unsigned export_paused(struct model *m, struct sample *s)
{
	int err = worker_export_only(m->worker, s, m->model_epoch);

	if (!err)
		return 0;
	model_message(m, true, "--prometheus %s: %s", m->opts->prometheus ? m->opts->prometheus : "",
		      strerror(-err));
	return REDO_REDRAW;
}

/* A replayed sample comes with the one recorded before it, which need not
 * be the one shown before (a step back, a jump): changes and rates are
 * against it, and the alert rises against its alert, as if played straight
 * through. */
unsigned model_take(struct model *m, struct sample *s, struct sample *before)
{
	unsigned redo = 0;

	/* published just before the pause took effect: the screen stays frozen
	 * (a replay publishes while paused only the steps asked for); with
	 * --count, the samples past the last one asked for are not shown */
	if ((m->paused && !m->replay) || (m->opts->count && m->samples >= m->opts->count)) {
		if (m->paused && !m->replay && m->exporter)
			redo |= export_paused(m, s);
		else
			sample_release(s);
		sample_release(before);
		return redo;
	}
	if (!m->next && s->snap->note)
		model_message(m, false, "%s", s->snap->note);
	sample_release(m->next_prev);
	if (m->replay) {
		m->next_prev = before;
		sample_release(m->next);
	} else {
		sample_release(before);
		m->next_prev = model_prev_keep(m, m->next);
	}
	closed_log_sample(m, s, before);
	m->next = s;
	m->samples++;
	return redo | REDO_RECOMPUTE;
}

/* The panes whose rows depend on the sample, the filter and their own sort
 * alone: sorting one of them again leaves every other pane as it is. */
#define SELF_CONTAINED (1u << PANE_REMOTE | 1u << PANE_IFACES | 1u << PANE_CONNS | 1u << PANE_CONNTRACK)

/* 0 (every pane), or the panes to sort again when nothing but their sort
 * differs from what the rows on screen were computed from: at 300k sockets
 * that is one pane's sort, not every pane's grouping and counting. */
static unsigned panes_to_sort(const struct model *m, const struct model_params *p)
{
	const struct model_params *s = &m->shown_params;
	unsigned changed = 0;

	if (!m->cur || m->cur != m->next || s->serial != m->jobs || s->epoch != p->epoch ||
	    s->view_gen != p->view_gen || s->flood_by_network != p->flood_by_network ||
	    s->prev_alert != p->prev_alert ||
	    s->flood.syn_recv_per_listener != p->flood.syn_recv_per_listener ||
	    s->flood.syncookies_per_sec != p->flood.syncookies_per_sec ||
	    s->flood.listen_drops_per_sec != p->flood.listen_drops_per_sec ||
	    memcmp(s->ops, p->ops, sizeof(p->ops)))
		return 0;
	for (int i = 0; i < PANE_COUNT; i++)
		if (s->sort[i] != p->sort[i] || s->descending[i] != p->descending[i])
			changed |= 1u << i;
	return changed & ~SELF_CONTAINED ? 0 : changed;
}

void model_recompute(struct model *m)
{
	struct model_params p;

	if (!m->next)
		return;
	if (!params_make(m, &p)) {
		model_params_free(&p);
		model_message(m, true, "out of memory: the panes show the previous sample");
		return;
	}
	p.only = panes_to_sort(m, &p);
	p.serial = ++m->jobs;
	sample_hold(m->next);
	if (m->next_prev)
		sample_hold(m->next_prev);
	worker_submit(m->worker, m->next, m->next_prev, &p);
}

/* The rows of the panes sorted again, alone. */
static void rows_swap_sorted(struct model *m, struct pane_rows *r, unsigned panes)
{
	if (panes & 1u << PANE_REMOTE)
		SWAP(m->remote, r->remote);
	if (panes & 1u << PANE_IFACES)
		SWAP(m->ifaces, r->ifaces);
	if (panes & 1u << PANE_CONNS) {
		SWAP(m->conns, r->conns);
		SWAP(m->procs, r->procs);
	}
	if (panes & 1u << PANE_CONNTRACK)
		SWAP(m->conntrack, r->conntrack);
}

/* Everything the panes draw, with the samples it is of. */
static void rows_swap(struct model *m, struct pane_rows *r)
{
	SWAP(m->cur, r->cur);
	SWAP(m->prev, r->prev);
	SWAP(m->tcp_total, r->tcp_total);
	SWAP(m->udp_total, r->udp_total);
	SWAP(m->shown_rx_bps, r->shown_rx_bps);
	SWAP(m->shown_tx_bps, r->shown_tx_bps);
	SWAP(m->states, r->states);
	SWAP(m->remote, r->remote);
	SWAP(m->ifaces, r->ifaces);
	SWAP(m->conns, r->conns);
	SWAP(m->procs, r->procs);
	SWAP(m->conntrack, r->conntrack);
	flood_rows_swap(&m->flood, &r->flood);
}

static unsigned rows_install(struct model *m, struct pane_rows *rows);

unsigned model_install(struct model *m, struct model_installed *done)
{
	struct pane_rows *rows = worker_take(m->worker);
	bool same_sample, sorted_only;
	double compute_ms;
	unsigned redo;

	if (!rows)
		return 0;
	same_sample = rows->cur == m->cur;
	sorted_only = rows->params.only;
	compute_ms = rows->compute_ms;
	redo = rows_install(m, rows);
	if (m->resample_after && m->shown_params.serial >= m->resample_after) {
		struct sample_request req;

		m->resample_after = 0;
		model_request(m, &req);
		if (m->session)
			session_set_request(m->session, &req, true);
	}
	/* what they replaced goes with them, freed by the worker: unmapping
	 * 200k sockets' snapshot is not the loop's work */
	worker_discard(m->worker, rows);
	if (redo)
		*done = (struct model_installed){ sorted_only, same_sample, compute_ms };
	return redo;
}

/* Swaps in the rows (the caller frees what they hold then: the rows they
 * replaced); 0 when they came too late to be shown. */
static unsigned rows_install(struct model *m, struct pane_rows *rows)
{
	unsigned redo = REDO_REDRAW, alert_before;
	bool fresh;

	/* of samples forgotten since, or a new sort of rows no longer shown */
	if (rows->params.epoch != m->model_epoch ||
	    (rows->params.only && (rows->cur != m->cur || rows->params.serial < m->shown_params.serial)))
		return 0;
	m->shown_params = rows->params;
	if (rows->params.only) {
		rows_swap_sorted(m, rows, rows->params.only);
		closed_rows_refresh(m);
		if (rows->error[0])
			model_message(m, true, "%s", rows->error);
		for (int p = 0; p < PANE_COUNT; p++)
			if (m->shown_params.only & 1u << p)
				pane_reselect(m, p);
		return REDO_REDRAW;
	}
	/* rows of the sample already shown (a key asked for them) leave the
	 * alert as it is; a replay that jumped rises against the sample
	 * recorded before */
	fresh = rows->flood.seq && rows->flood.seq != m->flood.seq;
	alert_before = m->replay && rows->prev && rows->prev != m->cur ? rows->prev_alert
								       : m->flood.alert;
	rows_swap(m, rows);
	history_rows_take(m, rows);
	if (!m->flood.seq)
		m->flood.alert = 0;
	else if (fresh)
		redo |= flood_alert_update(m, alert_before);
	if (rows->error[0])
		model_message(m, true, "%s", rows->error);
	closed_rows_refresh(m);
	for (int p = 0; p < PANE_COUNT; p++)
		pane_reselect(m, p);
	return redo;
}

void model_release(struct model *m)
{
	struct pane_rows shown = { 0 };

	/* what the worker computes or computed meanwhile is of these samples */
	m->model_epoch++;
	rows_swap(m, &shown);
	model_rows_free(&shown);
	kill_release(m);
	sample_release(m->next);
	sample_release(m->next_prev);
	m->next = m->next_prev = NULL;
	m->next_prev_summary = false;
	model_history_restart(m);
}

bool model_set_filter(struct model *m, const char *expr)
{
	struct filter *f = NULL;
	char err[256];

	expr += strspn(expr, " \t");
	if (*expr && !(f = filter_parse(expr, lookup_filter_names(), err, sizeof(err)))) {
		model_message(m, true, "%s", err);
		return false;
	}
	filter_free(m->filter);
	m->filter = f;
	m->view_gen++;
	if (f)
		model_message(m, false, "filter: %s", filter_text(f));
	else
		model_message(m, false, "filter cleared");
	return true;
}
