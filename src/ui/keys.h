/* keys.h: key bindings as one table (keys.c). */
#ifndef NETTOP_UI_KEYS_H
#define NETTOP_UI_KEYS_H

#include <stddef.h>

#include "state.h"

unsigned keys_dispatch(struct ui *ui, int key);
/* The help screen's key section: one line per action, with its keys. */
int keys_help_count(void);
void keys_help_line(int i, char *keys, size_t klen, const char **help);
/* The hint bar's entries, in order: NULL past the end. */
const char *keys_hint(int i, const char **label);

#endif
