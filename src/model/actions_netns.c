/* actions_netns.c: B, the connections pane grouped by network namespace. */
#include "model.h"

/* Like P's two forms, the by-namespace form keeps its own selection and
 * sort; the by-process form is left first, so only one swap is ever out. */
unsigned action_toggle_by_netns(struct model *m)
{
	struct pane_state keep;
	unsigned redo = 0;

	if (m->by_process)
		redo = action_toggle_by_process(m);
	keep = m->panes[PANE_CONNS];
	m->by_netns = !m->by_netns;
	m->ops[PANE_CONNS] = m->by_netns ? &pane_netns_model : &pane_conns_model;
	m->panes[PANE_CONNS] = m->netns_other;
	m->netns_other = keep;
	if (m->by_netns && !m->all_netns)
		model_message(m, false, "connections by namespace: one namespace is sampled "
			      "(N: All namespaces, or --all-netns)");
	else
		model_message(m, false, m->by_netns ? "connections by namespace; B: one row per socket"
						    : "one row per socket");
	return redo | REDO_RECOMPUTE | REDO_REDRAW;
}
