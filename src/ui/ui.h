/* ui.h: the full-screen monitor. The only part of nettop that knows curses. */
#ifndef NETTOP_UI_H
#define NETTOP_UI_H

#include "../options.h"
#include "../view/filter.h"

/* Runs the screen until the user quits. initial (may be NULL) is the filter
 * from the command line; the UI parses its own from then on. Returns the
 * process exit status. */
int ui_run(const struct options *o, const struct filter *initial);

#endif
