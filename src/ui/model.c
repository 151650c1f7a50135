/* model.c: between the sampler thread and the panes: what to ask the
 * kernel for, which sample is current, and every pane's rows. The rows are
 * built by the worker thread (worker.c) from a copy of what the keys chose,
 * and swapped in whole when done: sorting a million rows never holds up a
 * key, and the rows on screen stay until their successors are ready. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../lookup.h"
#include "screen.h"

void model_view_options(const struct ui *ui, struct view_options *v)
{
	*v = (struct view_options){ .protos = ui->protos, .listen = ui->listen, .filter = ui->filter };
}

/* What the panes show; the session builds the request from it, widened to
 * what --batch would dump with the command line's options while exporting,
 * so that the exported metrics never follow the keys. */
void model_request(const struct ui *ui, struct sample_request *req)
{
	struct session_needs shown = {
		.protos = ui->protos,
		.families = ui->opts->families,
		.listen = ui->listen,
		.filter = ui->filter,
		/* the rtt and rate columns are on screen */
		.info = true,
		.procs = ui->show_procs || ui->by_process,
		/* owners not found within a quarter of the interval show as "?"
		 * and come with a later sample: the screen keeps its pace */
		.procs_budget_ms = (unsigned)(ui->interval * 250),
		.links = true,
		/* the flood alert reads the kernel's syncookie and drop counters */
		.counters = true,
		.syn_packets = flood_wants_syn_packets(ui),
		/* the flood panes count every TCP socket, whatever the filter */
		.every_tcp = ui->flood.shown,
	}, exported;

	session_needs_of_options(ui->opts, ui->cmdline_filter, &exported);
	session_request(&shown, ui->exporter ? &exported : NULL, req);
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

/* The pause a replay is in after a sample or event of its own, and what
 * the status line says of it. */
static unsigned replay_synced(struct ui *ui, int err)
{
	char buf[96];
	bool error;
	const char *say = replay_sync(ui->replay, err, &ui->paused, &error, buf, sizeof(buf));

	if (say)
		ui_message(ui, error, "%s", say);
	return REDO_REDRAW;
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
	struct sample *s = session_acquire(ui->session, &before, &err);
	struct destroy_result killed;
	unsigned redo = 0;

	if (session_destroy_result(ui->session, &killed))
		redo |= kill_finished(ui, &killed);
	if (ui->replay)
		redo |= replay_synced(ui, err);
	else if (err)
		ui_message(ui, true, "sampling failed: %s", strerror(-err));
	if ((record_err = session_record_error(ui->session))) {
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
		session_set_request(ui->session, &req, true);
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
