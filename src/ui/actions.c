/* actions.c: the keys that change what is sampled or shown. Each says what
 * must be redone (enum redo) and leaves the doing to the loop. */
#include <stdio.h>

#include "screen.h"

unsigned action_toggle_pause(struct ui *ui)
{
	ui->paused = !ui->paused;
	/* what is exported goes on: the sampler runs, the screen keeps its
	 * sample (model_take() hands the new ones to the exporter alone) */
	if (!ui->exporter)
		session_pause(ui->session, ui->paused);
	ui_message(ui, false, ui->paused ? "paused: the screen stays browsable; Space resumes"
					 : "resumed");
	return REDO_REDRAW;
}

unsigned action_toggle_proto(struct ui *ui, unsigned proto)
{
	unsigned bit = 1u << proto;
	const char *name = proto == PROTO_TCP ? "TCP" : "UDP";

	if (ui->protos == bit) {
		ui_message(ui, true, "%s is all that is shown: it stays", name);
		return REDO_REDRAW;
	}
	ui->protos ^= bit;
	ui->view_gen++;
	ui_message(ui, false, "%s sockets %s", name, ui->protos & bit ? "shown" : "hidden");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_toggle_listen(struct ui *ui)
{
	ui->listen = ui->listen == LISTEN_ONLY ? LISTEN_ALL : LISTEN_ONLY;
	ui->view_gen++;
	ui_message(ui, false, ui->listen == LISTEN_ONLY ? "listening sockets only" : "all sockets");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_toggle_numeric(struct ui *ui)
{
	if (ui->numeric && names_start(ui) < 0) {
		ui_message(ui, true, "out of memory: addresses stay numeric");
		return REDO_REDRAW;
	}
	ui->numeric = !ui->numeric;
	ui_message(ui, false, ui->numeric ? "numeric addresses and ports"
					  : "names: shown as they are found; numbers until then");
	return REDO_REDRAW;
}

unsigned action_toggle_procs(struct ui *ui)
{
	ui->show_procs = !ui->show_procs;
	ui_message(ui, false, ui->show_procs ? "process column shown" : "process column hidden");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

/* step < 0: faster. The steps are the values people pick anyway. */
unsigned action_interval_step(struct ui *ui, int step)
{
	static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };
	const int n = (int)(sizeof(steps) / sizeof(steps[0]));
	double next = ui->interval;

	if (step < 0) {
		for (int i = n - 1; i >= 0; i--)
			if (steps[i] < ui->interval - 1e-9) {
				next = steps[i];
				break;
			}
	} else {
		for (int i = 0; i < n; i++)
			if (steps[i] > ui->interval + 1e-9) {
				next = steps[i];
				break;
			}
	}
	if (next == ui->interval) {
		ui_message(ui, false, "refresh every %gs: the %s there is", ui->interval,
			   step < 0 ? "fastest" : "slowest");
		return REDO_REDRAW;
	}
	ui->interval = next;
	session_set_interval(ui->session, next);
	ui_message(ui, false, "refresh every %gs", next);
	return REDO_RESAMPLE | REDO_REDRAW;	/* the process scan budget follows the interval */
}

unsigned action_enter(struct ui *ui)
{
	const struct pane_state *ps = &ui->panes[ui->focus];

	if (!ui->cur || ps->sel >= ui->ops[ui->focus]->rows(ui))
		return 0;
	return ui->ops[ui->focus]->enter(ui, ps->sel);
}

/* The two forms of the connections pane keep their own selection and sort. */
unsigned action_toggle_by_process(struct ui *ui)
{
	struct pane_state keep = ui->panes[PANE_CONNS];

	/* the other form's rows come with the next rows computed; until then
	 * it has none (the old form's are freed then) */
	ui->by_process = !ui->by_process;
	ui->ops[PANE_CONNS] = ui->by_process ? &pane_procs_ops : &pane_conns_ops;
	ui->panes[PANE_CONNS] = ui->other_conns;
	ui->other_conns = keep;
	ui_message(ui, false, ui->by_process ? "connections by process; P: one row per socket"
					     : "one row per socket");
	/* owners are looked up for the grouping */
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_kill(struct ui *ui)
{
	const struct pane_ops *ops = ui->ops[ui->focus];
	const struct pane_state *ps = &ui->panes[ui->focus];

	if (ui->replay) {
		ui_message(ui, false, "a recording's sockets are not live: K closes live ones only");
		return REDO_REDRAW;
	}
	if (ui->kill.running) {
		ui_message(ui, false, "still closing %s: the result comes first", ui->kill.what);
		return REDO_REDRAW;
	}
	if (!ops->kill) {
		ui_message(ui, false, "K closes a connection, or the sockets of a remote address, "
				      "a listener or a SYN source: select one in its pane");
		return REDO_REDRAW;
	}
	if (!ui->cur || ps->sel >= ops->rows(ui)) {
		ui_message(ui, false, "nothing selected to close");
		return REDO_REDRAW;
	}
	return ops->kill(ui, ps->sel);
}
