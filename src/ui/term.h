/* term.h: the terminal's state (term.c). */
#ifndef NETTOP_UI_TERM_H
#define NETTOP_UI_TERM_H

#include <stdbool.h>

/* term.c: the terminal's state, restored on every way out. */
int term_start(bool want_color);
/* The quit signal that arrived (0: none), for the exit status. */
int term_quit_signal(void);
void term_stop(void);
/* Read end of the self-pipe the signal handlers write to. */
int term_signal_fd(void);
enum term_event { TERM_QUIT = 1 << 0, TERM_RESIZE = 1 << 1 };
/* Drains the self-pipe: which signals arrived (enum term_event). */
unsigned term_read_signals(void);
/* Makes curses take the terminal's new size. */
void term_resize(void);
/* Whether the terminal draws Unicode (braille, blocks): a UTF-8 locale and
 * a TERM other than vt*, linux or dumb; ASCII otherwise. */
bool term_unicode(void);

#endif
