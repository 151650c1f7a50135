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
};

struct rect {
	int y, x, h, w;
};

struct prompt {
	char buf[256];			/* UTF-8 */
	size_t len, cursor;		/* bytes */
};

struct ui {
	struct model m;			/* what is shown; the keys' actions change it */
	struct resolver *names;		/* names.c: NULL until names are first shown */
	bool resolving;			/* drawing the panes: names may be looked up */

	/* the screen */
	struct rect rects[PANE_COUNT];
	bool shown[PANE_COUNT];
	int page[PANE_COUNT];		/* rows shown at the last draw, for PgUp/PgDn */
	bool too_small, tabs;		/* tabs: one pane at a time */
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
