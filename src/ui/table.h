/* table.h: a pane as a title bar, column headers and rows (table.c). */
#ifndef NETTOP_UI_TABLE_H
#define NETTOP_UI_TABLE_H

#include "state.h"

void table_draw(struct ui *ui, enum pane_id id, const struct rect *r);

#endif
