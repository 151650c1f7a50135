/* actions.c: the keys that change what is sampled or shown. Each says what
 * must be redone (enum redo) and leaves the doing to the loop. */
#include <stdio.h>

#include "model.h"

unsigned action_toggle_pause(struct model *m)
{
	m->paused = !m->paused;
	/* what is exported goes on: the sampler runs, the screen keeps its
	 * sample (model_take() hands the new ones to the exporter alone); no
	 * sampler: a model on its own (the unit tests) */
	if (!m->exporter && m->session)
		session_pause(m->session, m->paused);
	model_message(m, false, m->paused ? "paused: the screen stays browsable; Space resumes"
					  : "resumed");
	return REDO_REDRAW;
}

unsigned action_toggle_proto(struct model *m, unsigned proto)
{
	unsigned bit = 1u << proto;
	const char *name = proto == PROTO_TCP ? "TCP" : "UDP";

	if (m->protos == bit) {
		model_message(m, true, "%s is all that is shown: it stays", name);
		return REDO_REDRAW;
	}
	m->protos ^= bit;
	m->view_gen++;
	model_message(m, false, "%s sockets %s", name, m->protos & bit ? "shown" : "hidden");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_toggle_listen(struct model *m)
{
	m->listen = m->listen == LISTEN_ONLY ? LISTEN_ALL : LISTEN_ONLY;
	m->view_gen++;
	model_message(m, false, m->listen == LISTEN_ONLY ? "listening sockets only" : "all sockets");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_toggle_numeric(struct model *m, bool names_ready)
{
	if (m->numeric && !names_ready) {
		model_message(m, true, "out of memory: addresses stay numeric");
		return REDO_REDRAW;
	}
	m->numeric = !m->numeric;
	model_message(m, false, m->numeric ? "numeric addresses and ports"
					   : "names: shown as they are found; numbers until then");
	return REDO_REDRAW;
}

unsigned action_toggle_procs(struct model *m)
{
	m->show_procs = !m->show_procs;
	model_message(m, false, m->show_procs ? "process column shown" : "process column hidden");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

/* step < 0: faster. The steps are the values people pick anyway. */
unsigned action_interval_step(struct model *m, int step)
{
	static const double steps[] = { 0.1, 0.2, 0.5, 1, 2, 3, 5, 10, 30, 60 };
	const int n = (int)(sizeof(steps) / sizeof(steps[0]));
	double next = m->interval;

	if (step < 0) {
		for (int i = n - 1; i >= 0; i--)
			if (steps[i] < m->interval - 1e-9) {
				next = steps[i];
				break;
			}
	} else {
		for (int i = 0; i < n; i++)
			if (steps[i] > m->interval + 1e-9) {
				next = steps[i];
				break;
			}
	}
	if (next == m->interval) {
		model_message(m, false, "refresh every %gs: the %s there is", m->interval,
			      step < 0 ? "fastest" : "slowest");
		return REDO_REDRAW;
	}
	m->interval = next;
	if (m->session)
		session_set_interval(m->session, next);
	model_message(m, false, "refresh every %gs", next);
	return REDO_RESAMPLE | REDO_REDRAW;	/* the process scan budget follows the interval */
}

unsigned action_enter(struct model *m)
{
	const struct pane_state *ps = &m->panes[m->focus];

	if (ps->sel >= pane_rows(m, m->focus))
		return 0;
	return m->ops[m->focus]->enter(m, ps->sel);
}

/* The two forms of the connections pane keep their own selection and sort. */
unsigned action_toggle_by_process(struct model *m)
{
	struct pane_state keep;

	if (m->by_netns)
		action_toggle_by_netns(m);
	keep = m->panes[PANE_CONNS];
	/* the other form's rows come with the next rows computed; until then
	 * it has none (the old form's are freed then) */
	m->by_process = !m->by_process;
	m->ops[PANE_CONNS] = m->by_process ? &pane_procs_model : &pane_conns_model;
	m->panes[PANE_CONNS] = m->other_conns;
	m->other_conns = keep;
	model_message(m, false, m->by_process ? "connections by process; P: one row per socket"
					      : "one row per socket");
	/* owners are looked up for the grouping */
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned action_kill(struct model *m)
{
	const struct pane_model *ops = m->ops[m->focus];
	const struct pane_state *ps = &m->panes[m->focus];

	if (m->replay) {
		model_message(m, false, "a recording's sockets are not live: K closes live ones only");
		return REDO_REDRAW;
	}
	if (m->kill.running) {
		model_message(m, false, "still closing %s: the result comes first", m->kill.what);
		return REDO_REDRAW;
	}
	if (!ops->kill) {
		model_message(m, false, "K closes a connection, or the sockets of a remote address, "
			      "a listener or a SYN source: select one in its pane");
		return REDO_REDRAW;
	}
	if (ps->sel >= pane_rows(m, m->focus)) {
		model_message(m, false, "nothing selected to close");
		return REDO_REDRAW;
	}
	return ops->kill(m, ps->sel);
}
