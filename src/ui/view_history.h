/* view_history.h: H, the history graphs (view_history.c). */
#ifndef NETTOP_UI_VIEW_HISTORY_H
#define NETTOP_UI_VIEW_HISTORY_H

#include <stdbool.h>

#include "state.h"

/* The graphs over the panes' place. */
void history_draw(struct ui *ui);
/* H's own keys (zoom, Enter, Esc); false for a key it leaves to the
 * others, which work in H as anywhere. */
bool history_key(struct ui *ui, int key, unsigned *redo);

#endif
