/* screen.h: one frame of the screen (screen.c). */
#ifndef NETTOP_UI_SCREEN_H
#define NETTOP_UI_SCREEN_H

#include "state.h"

void screen_draw(struct ui *ui);

#endif
