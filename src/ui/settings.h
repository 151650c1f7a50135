/* settings.h: the config file (settings.c). Its settings apply at start,
 * under the command line's; a setting the user changes is written back,
 * and only then. */
#ifndef NETTOP_UI_SETTINGS_H
#define NETTOP_UI_SETTINGS_H

#include <stddef.h>

#include "state.h"

/* -1 with the message in err when nettop must not start (a broken --theme). */
int settings_start(struct ui *ui, char *err, size_t errlen);
/* After keys: writes what the user changed since the last call, if anything. */
void settings_sync(struct ui *ui);
/* The file written, for the setup screen ("" when there is none). */
const char *settings_path(const struct ui *ui);
void settings_free(struct ui *ui);

#endif
