/* theme.h: colour roles and themes on screen (theme.c, theme_pick.c). */
#ifndef NETTOP_UI_THEME_H
#define NETTOP_UI_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

/* theme.c: drawing code names a role, never a colour; a theme is one table
 * of roles, so themes can come later without touching the panes. */
#define COLOR_ROLE_LIST(X) \
	X(NORMAL)		/* plain text */ \
	X(HEADER)		/* the top line */ \
	X(HEADER_ALERT)		/* PAUSED, PARTIAL, an active filter */ \
	X(TITLE)		/* a pane's title bar */ \
	X(TITLE_FOCUS)		/* the focused pane's title bar */ \
	X(COLUMN)		/* column headers */ \
	X(COLUMN_SORTED)	/* the sort column's header */ \
	X(CURSOR)		/* the selected row of the focused pane */ \
	X(BAR)			/* the states pane's bars */ \
	X(RISE)			/* a count that grew */ \
	X(FALL)			/* a count that shrank */ \
	X(DIM)			/* zero counts, TIME_WAIT, interfaces down */ \
	X(WARN)			/* states worth a look: SYN_RECV, CLOSE_WAIT; errors */ \
	X(LISTEN)		/* listening sockets */ \
	X(KEY)			/* a key in the hint bar */ \
	X(KEY_LABEL)		/* what that key does */ \
	X(MESSAGE)		/* the status line */ \
	X(ERROR)		/* an error on the status line */ \
	X(ALERT)		/* the SYN flood banner in the header */ \
	X(CONFIRM)		/* a y/n question on the status line */ \
	X(STATE_ESTABLISHED)	/* each TCP state, where a state is shown */ \
	X(STATE_SYN_SENT) \
	X(STATE_SYN_RECV) \
	X(STATE_FIN_WAIT1) \
	X(STATE_FIN_WAIT2) \
	X(STATE_TIME_WAIT) \
	X(STATE_CLOSE) \
	X(STATE_CLOSE_WAIT) \
	X(STATE_LAST_ACK) \
	X(STATE_LISTEN) \
	X(STATE_CLOSING) \
	X(STATE_UNKNOWN)

enum color_role {
#define X(name) ROLE_##name,
	COLOR_ROLE_LIST(X)
#undef X
	ROLE_COUNT
};

void theme_init(bool color);
/* The colour role of a TCP state (enum tcp_state). */
enum color_role theme_state_role(unsigned state);
attr_t theme_attr(enum color_role role);
/* False without colours (NO_COLOR, --no-color, vt100): the monochrome forms. */
bool theme_colored(void);
/* The theme in use: its name or path as given ("default" built in). */
const char *theme_current(void);
/* Makes the theme file at path (called name) the one in use, at once when
 * the screen is up. 0, or -1 with "FILE:LINE: what is wrong" in err. */
int theme_use_file(const char *path, const char *name, char *err, size_t errlen);

/* theme_pick.c: themes by name in $XDG_CONFIG_HOME/nettop/themes, the
 * installed share/nettop/themes and ./themes (or by path). */
/* 0, or -1 with why in err (not found, or FILE:LINE: what is wrong). */
int theme_select(const char *name, char *err, size_t errlen);
/* T (step 1) and the setup screen: the next or previous theme found; a
 * broken one leaves the theme in use and says why. Returns enum redo. */
struct model;
unsigned theme_step(struct model *m, int step);

#endif
