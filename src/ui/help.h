/* help.h: the help screen (help.c). */
#ifndef NETTOP_UI_HELP_H
#define NETTOP_UI_HELP_H

#include "state.h"

void help_draw(struct ui *ui);
unsigned help_key(struct ui *ui, int key);

#endif
