/* model.c: between the sampler thread and the panes: what to ask the
 * kernel for, which sample is current, and rebuilding every pane's rows. */
#include <stdio.h>
#include <string.h>

#include "../sample/replay_thread.h"
#include "screen.h"

void model_view_options(const struct ui *ui, struct view_options *v)
{
	*v = (struct view_options){ .protos = ui->protos, .listen = ui->listen, .filter = ui->filter };
}

void model_request(const struct ui *ui, struct sample_request *req)
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

/* Counted once per sample, not per redraw: a key press redraws. */
static void totals_count(struct ui *ui)
{
	const struct snapshot *snap = ui->cur->snap;

	ui->tcp_total = ui->udp_total = 0;
	for (size_t i = 0; i < snap->nsocks; i++) {
		if (snap->socks[i].proto == PROTO_TCP)
			ui->tcp_total++;
		else
			ui->udp_total++;
	}
}

/* A replayed sample comes with the one recorded before it, which need not
 * be the one shown before (a step back, a jump): changes and rates are
 * against it, and its flood report is made first, as if played straight
 * through. Leaves before as the previous sample and no current one. */
static unsigned replay_before(struct ui *ui, struct sample *before)
{
	unsigned redo = 0;

	sample_release(ui->prev);
	ui->prev = NULL;
	if (before && (!ui->cur || ui->cur->seq != before->seq)) {
		sample_release(ui->cur);
		sample_hold(before);
		ui->cur = before;
		redo = flood_update(ui);
	}
	sample_release(ui->cur);
	ui->cur = NULL;
	ui->prev = before;
	return redo;
}

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
		ui_message(ui, true, "recording stopped: --record %s: %s", ui->opts->record,
			   strerror(-record_err));
		redo |= REDO_REDRAW;
	}
	if (!s)
		return redo | (err ? REDO_REDRAW : 0);
	/* published just before the pause took effect: the screen stays frozen
	 * (a replay publishes while paused only the steps asked for) */
	if (ui->paused && !ui->replay) {
		sample_release(s);
		return redo;
	}
	if (!ui->cur && s->snap->note)
		ui_message(ui, false, "%s", s->snap->note);
	if (ui->replay) {
		redo |= replay_before(ui, before);
	} else {
		sample_release(ui->prev);
		ui->prev = ui->cur;
	}
	ui->cur = s;
	ui->samples++;
	totals_count(ui);
	return redo | REDO_RECOMPUTE | flood_update(ui);
}

void model_recompute(struct ui *ui)
{
	if (!ui->cur)
		return;
	for (int p = 0; p < PANE_COUNT; p++) {
		ui->ops[p]->compute(ui);
		pane_reselect(ui, p);
	}
}

void model_release(struct ui *ui)
{
	for (int p = 0; p < PANE_COUNT; p++)
		ui->ops[p]->release(ui);
	/* the connections pane's other form (P) */
	pane_conns_ops.release(ui);
	pane_procs_ops.release(ui);
	flood_release(ui);
	kill_release(ui);
	sample_release(ui->prev);
	sample_release(ui->cur);
	ui->prev = ui->cur = NULL;
}

bool model_set_filter(struct ui *ui, const char *expr)
{
	struct filter *f = NULL;
	char err[256];

	expr += strspn(expr, " \t");
	if (*expr && !(f = filter_parse(expr, err, sizeof(err)))) {
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
