/* netns_picker.h: the namespace in the header, and N's picker (netns_picker.c). */
#ifndef NETTOP_UI_NETNS_PICKER_H
#define NETTOP_UI_NETNS_PICKER_H

#include "state.h"

/* Names the namespace the screen starts in (--netns, or one under /run/netns). */
void netns_picker_init(struct ui *ui);
unsigned netns_picker_open(struct ui *ui);
void netns_picker_draw(struct ui *ui);
unsigned netns_picker_key(struct ui *ui, int key);
void netns_picker_free(struct ui *ui);

#endif
