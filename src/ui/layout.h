/* layout.h: where each pane goes (layout.c). */
#ifndef NETTOP_UI_LAYOUT_H
#define NETTOP_UI_LAYOUT_H

#include "state.h"

void layout_compute(struct ui *ui, int lines, int cols);

#endif
