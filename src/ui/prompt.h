/* prompt.h: the one-line editor of the filter and search prompts (prompt.c). */
#ifndef NETTOP_UI_PROMPT_H
#define NETTOP_UI_PROMPT_H

#include <stdbool.h>

#include "state.h"

void prompt_open(struct ui *ui, enum ui_mode mode, const char *initial);
unsigned prompt_key(struct ui *ui, int key, bool function_key);
void prompt_draw(struct ui *ui, int y, int width);
void prompt_free(struct ui *ui);

#endif
