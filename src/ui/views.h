/* views.h: each pane's view as the model's rows stand (P switches the
 * connections pane's), its columns for sorting and its rows' text for
 * search (views.c). */
#ifndef NETTOP_UI_VIEWS_H
#define NETTOP_UI_VIEWS_H

#include <stddef.h>

#include "pane_view.h"
#include "state.h"

/* views.c */
/* The view of the pane's rows as the model has them now (P switches the
 * connections pane's). */
const struct pane_view *pane_view(const struct ui *ui, enum pane_id id);
int view_columns(const struct ui *ui, enum pane_id id, struct column *out);
/* Selects the next row after the selection that contains text (any case). */
bool view_search(struct ui *ui, const char *text);
unsigned view_sort_set(struct ui *ui, enum pane_id id, int column);
unsigned view_sort_step(struct ui *ui, int step);

#endif
