/* state.h: the screen's state: the model it draws, and what only the
 * screen has (the panes' places, the mode, the prompt). No .c of its own. */
#ifndef NETTOP_UI_STATE_H
#define NETTOP_UI_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "../model/model.h"

enum ui_mode {
	MODE_NORMAL, MODE_HELP, MODE_FILTER, MODE_SEARCH, MODE_SORT_MENU, MODE_CONFIRM,
	MODE_SETUP, MODE_NETNS,
	MODE_HISTORY,
};

struct rect {
	int y, x, h, w;
};

/* The config's "layout": auto picks the shape by the terminal's size;
 * stacked never puts three panes side by side; single shows one at a time. */
enum layout_mode { LAYOUT_AUTO, LAYOUT_STACKED, LAYOUT_SINGLE };

struct prompt {
	char *buf;			/* UTF-8; grows: a filter has no length limit */
	size_t len, cursor;		/* bytes */
	size_t size;			/* of buf */
};

struct ui {
	struct model m;			/* what is shown; the keys' actions change it */
	int record_err;			/* what stopped --record (-errno): told again at exit */
	unsigned long http_errors_shown; /* the --listen errors the status line told */
	struct resolver *names;		/* names.c: NULL until names are first shown */
	bool resolving;			/* drawing the panes: names may be looked up */

	/* the screen */
	struct rect rects[PANE_COUNT];
	bool shown[PANE_COUNT];
	int page[PANE_COUNT];		/* rows shown at the last draw, for PgUp/PgDn */
	bool too_small, tabs;		/* tabs: one pane at a time */
	enum layout_mode layout;
	int status_y;			/* -1: no status line */
	enum ui_mode mode;
	struct prompt prompt;
	char search[256];
	int help_top, menu_sel;
	char host[256];			/* escaped */
	int cursor_y, cursor_x;		/* the prompt's cursor; -1: hidden */

	/* settings.c and setup.c: the config file */
	struct settings *settings;
	int setup_sel;

	/* netns_picker.c: N's list */
	struct netns_info *netns_list;
	size_t netns_n, netns_sel, netns_top;
};

#endif
