/* model.c: between the sampler thread and the panes: what to ask the
 * kernel for, which sample is current, and every pane's rows. The rows are
 * built by the worker thread (worker.c) from a copy of what the keys chose,
 * and swapped in whole when done: sorting a million rows never holds up a
 * key, and the rows on screen stay until their successors are ready. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lookup.h"
#include "../sample/replay_thread.h"
#include "screen.h"

void model_view_options(const struct ui *ui, struct view_options *v)
{
	*v = (struct view_options){ .protos = ui->protos, .listen = ui->listen, .filter = ui->filter };
}

/* What the panes need the kernel to dump. */
static void screen_request(const struct ui *ui, struct sample_request *req)
{
	*req = (struct sample_request){
		/* the kernel skips what the filter rules out */
		.protos = ui->protos & filter_protos(ui->filter),
		.families = ui->opts->families & filter_families(ui->filter),
		.state_mask = filter_state_mask(ui->filter),
		/* the rtt and rate columns are on screen */
		.want_info = true,
		.want_procs = ui->show_procs || ui->by_process || filter_needs_procs(ui->filter),
		/* owners not found within a quarter of the interval show as "?"
		 * and come with a later sample: the screen keeps its pace */
		.procs_budget_ms = (unsigned)(ui->interval * 250),
		.want_links = true,
		/* the flood alert reads the kernel's syncookie and drop counters */
		.want_counters = true,
		.want_syn_packets = flood_wants_syn_packets(ui),
	};
	/* the flood panes count every TCP socket, whatever the filter: the
	 * kernel is then asked for everything and the views filter */
	if (ui->flood.shown) {
		req->protos |= SAMPLE_TCP;
		req->families = ui->opts->families;
		req->state_mask = ST_MASK_ALL;
		return;
	}
	/* owned by the filter: the sampler thread keeps its own copy */
	req->bytecode = filter_bytecode(ui->filter, 4, &req->bytecode_len);
	/* listeners only, TCP only: the kernel need not walk the established hash */
	if (ui->listen == LISTEN_ONLY && !(ui->protos & (1u << PROTO_UDP)))
		req->state_mask &= ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE);
}

/* Widens req to what --batch would dump with the command line's options,
 * so that the exported metrics never follow the keys: the views filter the
 * rest out, for the panes and for the exporter alike. */
static void export_request(const struct ui *ui, struct sample_request *req)
{
	const struct options *o = ui->opts;
	const struct filter *f = ui->cmdline_filter;
	uint32_t states = filter_state_mask(f);
	bool same_filter = (!f && !ui->filter) ||
			   (f && ui->filter && !strcmp(filter_text(f), filter_text(ui->filter)));

	if (o->listen == LISTEN_ONLY && !(o->protos & (1u << PROTO_UDP)))
		states &= ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE);
	req->protos |= o->protos & filter_protos(f);
	req->families |= o->families & filter_families(f);
	req->state_mask |= states;
	req->want_counters = true;
	/* a narrower dump serves both only when both filters are one */
	if (!same_filter)
		req->bytecode = NULL, req->bytecode_len = 0;
}

void model_request(const struct ui *ui, struct sample_request *req)
{
	screen_request(ui, req);
	if (ui->exporter)
		export_request(ui, req);
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
		return true;
	}
	/* a newer job stops this one before the flood report touches the cache */
	if (!model_census(rows, p, cache, env, &syn_recv) ||
	    (env->cancelled && env->cancelled(env->cancel_arg)))
		return false;
	flood_rows_build(rows, p, syn_recv, cache);
	if (rows->has_flood)
		flood_gather_free(&rows->flood_gather);
	rows->has_flood = false;
	for (int i = 0; i < PANE_COUNT; i++)
		if (p->ops[i])
			p->ops[i]->compute(rows, p);
	cache->epoch = p->epoch;
	/* without a report, its counts in the cache are not of this sample */
	cache->seq = rows->flood.seq ? rows->cur->seq : 0;
	return true;
}

void model_rows_free(struct pane_rows *rows)
{
	static const struct pane_ops *const all[] = {
		&pane_states_ops, &pane_remote_ops, &pane_ifaces_ops, &pane_conns_ops,
		&pane_procs_ops, &pane_flood_ops, &pane_listeners_ops, &pane_sources_ops,
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
}

void model_params_free(struct model_params *p)
{
	filter_free(p->view.filter);
	p->view.filter = NULL;
}

/* What the keys chose, copied for the worker; false when out of memory. */
static bool params_make(const struct ui *ui, struct model_params *p)
{
	*p = (struct model_params){
		.opts = ui->opts,
		.epoch = ui->model_epoch,
		.view_gen = ui->view_gen,
		.flood = flood_thresholds_of(ui),
		.flood_by_network = ui->flood.by_network,
		.prev_alert = ui->replay != NULL,
	};
	model_view_options(ui, &p->view);
	/* the worker's hold: a key may replace ui->filter meanwhile */
	p->view.filter = filter_hold(ui->filter);
	for (int i = 0; i < PANE_COUNT; i++) {
		p->ops[i] = pane_enabled(ui, i) ? ui->ops[i] : NULL;
		p->sort[i] = ui->panes[i].sort;
		p->descending[i] = ui->panes[i].descending;
	}
	return true;
}

/* Takes s: the exports go on while the screen stays (a live pause leaves
 * the sampler running when something is exported, action_toggle_pause()). */
static unsigned export_paused(struct ui *ui, struct sample *s)
{
	int err = worker_export_only(ui->worker, s, ui->model_epoch);

	if (!err)
		return 0;
	ui_message(ui, true, "--prometheus %s: %s", ui->opts->prometheus ? ui->opts->prometheus : "",
		   strerror(-err));
	return REDO_REDRAW;
}

/* A replayed sample comes with the one recorded before it, which need not
 * be the one shown before (a step back, a jump): changes and rates are
 * against it, and the alert rises against its alert, as if played straight
 * through. */
unsigned model_take(struct ui *ui)
{
	int err, record_err;
	struct sample *before = NULL;
	struct sample *s = ui->replay ? replay_thread_acquire(ui->replay, &before, &err)
				      : sampler_thread_acquire(ui->sampler, &err);
	struct destroy_result killed;
	unsigned redo = 0;

	if (sampler_thread_destroy_result(ui->sampler, &killed))
		redo |= kill_finished(ui, &killed);
	if (ui->replay)
		redo |= playback_sync(ui, err);
	else if (err)
		ui_message(ui, true, "sampling failed: %s", strerror(-err));
	if ((record_err = sampler_thread_record_error(ui->sampler))) {
		ui->record_err = record_err;
		ui_message(ui, true, "recording stopped: --record %s: %s", ui->opts->record,
			   strerror(-record_err));
		redo |= REDO_REDRAW;
	}
	if (!s) {
		sample_release(before);
		return redo | (err ? REDO_REDRAW : 0);
	}
	/* published just before the pause took effect: the screen stays frozen
	 * (a replay publishes while paused only the steps asked for); with
	 * --count, the samples past the last one asked for are not shown */
	if ((ui->paused && !ui->replay) || (ui->opts->count && ui->samples >= ui->opts->count)) {
		if (ui->paused && !ui->replay && ui->exporter)
			redo |= export_paused(ui, s);
		else
			sample_release(s);
		sample_release(before);
		return redo;
	}
	if (!ui->next && s->snap->note)
		ui_message(ui, false, "%s", s->snap->note);
	sample_release(ui->next_prev);
	if (ui->replay) {
		ui->next_prev = before;
		sample_release(ui->next);
	} else {
		ui->next_prev = ui->next;
	}
	ui->next = s;
	ui->samples++;
	return redo | REDO_RECOMPUTE;
}

/* The panes whose rows depend on the sample, the filter and their own sort
 * alone: sorting one of them again leaves every other pane as it is. */
#define SELF_CONTAINED (1u << PANE_REMOTE | 1u << PANE_IFACES | 1u << PANE_CONNS)

/* 0 (every pane), or the panes to sort again when nothing but their sort
 * differs from what the rows on screen were computed from: at 300k sockets
 * that is one pane's sort, not every pane's grouping and counting. */
static unsigned panes_to_sort(const struct ui *ui, const struct model_params *p)
{
	const struct model_params *s = &ui->shown_params;
	unsigned changed = 0;

	if (!ui->cur || ui->cur != ui->next || s->serial != ui->jobs || s->epoch != p->epoch ||
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

void model_recompute(struct ui *ui)
{
	struct model_params p;

	if (!ui->next)
		return;
	if (!params_make(ui, &p)) {
		model_params_free(&p);
		ui_message(ui, true, "out of memory: the panes show the previous sample");
		return;
	}
	p.only = panes_to_sort(ui, &p);
	p.serial = ++ui->jobs;
	sample_hold(ui->next);
	if (ui->next_prev)
		sample_hold(ui->next_prev);
	worker_submit(ui->worker, ui->next, ui->next_prev, &p);
}

/* The rows of the panes sorted again, alone. */
static void rows_swap_sorted(struct ui *ui, struct pane_rows *r, unsigned panes)
{
	if (panes & 1u << PANE_REMOTE)
		SWAP(ui->remote, r->remote);
	if (panes & 1u << PANE_IFACES)
		SWAP(ui->ifaces, r->ifaces);
	if (panes & 1u << PANE_CONNS) {
		SWAP(ui->conns, r->conns);
		SWAP(ui->procs, r->procs);
	}
}

/* Everything the panes draw, with the samples it is of. */
static void rows_swap(struct ui *ui, struct pane_rows *r)
{
	SWAP(ui->cur, r->cur);
	SWAP(ui->prev, r->prev);
	SWAP(ui->tcp_total, r->tcp_total);
	SWAP(ui->udp_total, r->udp_total);
	SWAP(ui->states, r->states);
	SWAP(ui->remote, r->remote);
	SWAP(ui->ifaces, r->ifaces);
	SWAP(ui->conns, r->conns);
	SWAP(ui->procs, r->procs);
	flood_rows_swap(&ui->flood, &r->flood);
}

static unsigned rows_install(struct ui *ui, struct pane_rows *rows);

unsigned model_install(struct ui *ui)
{
	double start = frame_log_now_ms();
	struct pane_rows *rows = worker_take(ui->worker);
	bool same_sample, sorted_only;
	double compute_ms;
	unsigned redo;

	if (!rows)
		return 0;
	same_sample = rows->cur == ui->cur;
	sorted_only = rows->params.only;
	compute_ms = rows->compute_ms;
	redo = rows_install(ui, rows);
	if (ui->resample_after && ui->shown_params.serial >= ui->resample_after) {
		struct sample_request req;

		ui->resample_after = 0;
		model_request(ui, &req);
		sampler_thread_set_request(ui->sampler, &req, true);
	}
	/* what they replaced goes with them, freed by the worker: unmapping
	 * 200k sockets' snapshot is not the loop's work */
	worker_discard(ui->worker, rows);
	if (redo)
		frame_log_installed(sorted_only, same_sample, compute_ms, frame_log_now_ms() - start);
	return redo;
}

/* Swaps in the rows (the caller frees what they hold then: the rows they
 * replaced); 0 when they came too late to be shown. */
static unsigned rows_install(struct ui *ui, struct pane_rows *rows)
{
	unsigned redo = REDO_REDRAW, alert_before;
	bool fresh;

	/* of samples forgotten since, or a new sort of rows no longer shown */
	if (rows->params.epoch != ui->model_epoch ||
	    (rows->params.only && (rows->cur != ui->cur || rows->params.serial < ui->shown_params.serial)))
		return 0;
	ui->shown_params = rows->params;
	if (rows->params.only) {
		rows_swap_sorted(ui, rows, rows->params.only);
		if (rows->error[0])
			ui_message(ui, true, "%s", rows->error);
		for (int p = 0; p < PANE_COUNT; p++)
			if (ui->shown_params.only & 1u << p)
				pane_reselect(ui, p);
		return REDO_REDRAW;
	}
	/* rows of the sample already shown (a key asked for them) leave the
	 * alert as it is; a replay that jumped rises against the sample
	 * recorded before */
	fresh = rows->flood.seq && rows->flood.seq != ui->flood.seq;
	alert_before = ui->replay && rows->prev && rows->prev != ui->cur ? rows->prev_alert
									 : ui->flood.alert;
	rows_swap(ui, rows);
	if (!ui->flood.seq)
		ui->flood.alert = 0;
	else if (fresh)
		redo |= flood_alert_update(ui, alert_before);
	if (rows->error[0])
		ui_message(ui, true, "%s", rows->error);
	for (int p = 0; p < PANE_COUNT; p++)
		pane_reselect(ui, p);
	return redo;
}

void model_release(struct ui *ui)
{
	struct pane_rows shown = { 0 };

	/* what the worker computes or computed meanwhile is of these samples */
	ui->model_epoch++;
	rows_swap(ui, &shown);
	model_rows_free(&shown);
	kill_release(ui);
	sample_release(ui->next);
	sample_release(ui->next_prev);
	ui->next = ui->next_prev = NULL;
}

bool model_set_filter(struct ui *ui, const char *expr)
{
	struct filter *f = NULL;
	char err[256];

	expr += strspn(expr, " \t");
	if (*expr && !(f = filter_parse(expr, lookup_filter_names(), err, sizeof(err)))) {
		ui_message(ui, true, "%s", err);
		return false;
	}
	filter_free(ui->filter);
	ui->filter = f;
	ui->view_gen++;
	if (f)
		ui_message(ui, false, "filter: %s", filter_text(f));
	else
		ui_message(ui, false, "filter cleared");
	return true;
}
