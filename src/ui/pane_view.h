/* pane_view.h: how each pane draws its rows (view_*.c): the model has
 * the rows (struct pane_model), table.c draws them through these. */
#ifndef NETTOP_UI_PANE_VIEW_H
#define NETTOP_UI_PANE_VIEW_H

#include <stddef.h>

#include "state.h"
#include "theme.h"

/* What a pane looks like: its columns, and each cell's text and role.
 * The rows are the model's (struct pane_model); table.c draws them. */
struct pane_view {
	int (*columns)(const struct ui *ui, struct column *out);
	/* Writes the cell's text (untrusted text escaped) and may pick a role. */
	void (*cell)(const struct ui *ui, size_t row, const struct column *c, int width,
		     char *buf, size_t len, enum color_role *role);
	/* Text after the title: a count, a note. */
	void (*summary)(const struct ui *ui, char *buf, size_t len);
};

extern const struct pane_view pane_states_view, pane_remote_view, pane_ifaces_view;
extern const struct pane_view pane_conns_view, pane_procs_view;
extern const struct pane_view pane_netns_view;	/* view_netns.c: B */
extern const struct pane_view pane_flood_view, pane_listeners_view, pane_sources_view;
extern const struct pane_view pane_conntrack_view;
extern const struct pane_view pane_closed_view;

#endif
