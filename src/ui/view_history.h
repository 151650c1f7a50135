/* view_history.h: H, the history graphs (view_history.c). */
#ifndef NETTOP_UI_VIEW_HISTORY_H
#define NETTOP_UI_VIEW_HISTORY_H

#include <stdbool.h>

#include "state.h"

/* False where braille cannot show: a non-UTF-8 locale, TERM=vt100. */
bool history_unicode(void);
/* The graphs over the panes' place. */
void history_draw(struct ui *ui);
unsigned history_key(struct ui *ui, int key);

#endif
