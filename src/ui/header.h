/* header.h: the top line, the status line and the key-hint bar (header.c). */
#ifndef NETTOP_UI_HEADER_H
#define NETTOP_UI_HEADER_H

#include <stdbool.h>

#include "state.h"

void header_draw(const struct ui *ui, int width);
void status_draw(struct ui *ui, int y, int width);
void hints_draw(const struct ui *ui, int y, int width);
/* True when the status line has something to say (a prompt, a message). */
bool status_wanted(const struct ui *ui);

#endif
