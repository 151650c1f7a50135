/* setup.h: F2's setup screen: columns, theme, interval, flood threshold (setup.c). */
#ifndef NETTOP_UI_SETUP_H
#define NETTOP_UI_SETUP_H

#include "state.h"

unsigned setup_open(struct ui *ui);
void setup_draw(struct ui *ui);
unsigned setup_key(struct ui *ui, int key);

#endif
