/* screen.c: one full redraw. curses compares it with what the terminal
 * shows and sends only the difference, so redrawing whole is cheap. */
#include <stdio.h>

#include "draw.h"
#include "header.h"
#include "help.h"
#include "layout.h"
#include "menu.h"
#include "names.h"
#include "netns_picker.h"
#include "screen.h"
#include "setup.h"
#include "state.h"
#include "table.h"
#include "theme.h"
#include "view_conntrack.h"
#include "view_history.h"

static void too_small_draw(void)
{
	char text[64];

	snprintf(text, sizeof(text), "terminal too small (%dx%d)", COLS, LINES);
	attrset(theme_attr(ROLE_NORMAL));
	draw_text(0, 0, COLS, text, ALIGN_LEFT);
}

static void cursor_place(const struct ui *ui)
{
	if ((ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH) && ui->cursor_y >= 0) {
		curs_set(1);
		move(ui->cursor_y, ui->cursor_x);
	} else {
		curs_set(0);
	}
}

void screen_draw(struct ui *ui)
{
	int bottom = LINES - 1;

	erase();
	ui->cursor_y = -1;
	/* a replay's history, once read (the flood band's sparklines) */
	model_history_poll(&ui->m, false);
	layout_compute(ui, LINES, COLS);
	if (ui->too_small) {
		too_small_draw();
		curs_set(0);
		refresh();
		return;
	}
	header_draw(ui, COLS);
	/* names are looked up for what is drawn, as it is drawn */
	names_frame_begin(ui);
	for (int p = 0; p < PANE_COUNT; p++)
		if (ui->shown[p] && p == PANE_CONNTRACK)
			view_conntrack_draw(ui, &ui->rects[p]);
		else if (ui->shown[p])
			table_draw(ui, p, &ui->rects[p]);
	names_frame_end(ui);
	if (ui->status_y >= 0)
		status_draw(ui, ui->status_y, COLS);
	if (ui->status_y < 0 && status_wanted(ui))
		status_draw(ui, bottom, COLS);
	else
		hints_draw(ui, bottom, COLS);
	if (ui->mode == MODE_HELP)
		help_draw(ui);
	else if (ui->mode == MODE_SORT_MENU)
		menu_draw(ui);
	else if (ui->mode == MODE_SETUP)
		setup_draw(ui);
	else if (ui->mode == MODE_NETNS)
		netns_picker_draw(ui);
	else if (ui->mode == MODE_HISTORY)
		history_draw(ui);
	cursor_place(ui);
	refresh();
}
