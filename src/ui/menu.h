/* menu.h: F6's list of sort columns (menu.c). */
#ifndef NETTOP_UI_MENU_H
#define NETTOP_UI_MENU_H

#include "state.h"

void menu_open(struct ui *ui);
void menu_draw(struct ui *ui);
unsigned menu_key(struct ui *ui, int key);

#endif
