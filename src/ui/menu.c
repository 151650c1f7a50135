/* menu.c: F6's list of the focused pane's columns; Enter sorts by one. */
#include <stdio.h>

#include "draw.h"
#include "menu.h"
#include "state.h"
#include "theme.h"
#include "views.h"

void menu_open(struct ui *ui)
{
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, ui->m.focus, cols);

	ui->menu_sel = 0;
	for (int i = 0; i < n; i++)
		if (cols[i].id == ui->m.panes[ui->m.focus].sort)
			ui->menu_sel = i;
	ui->mode = MODE_SORT_MENU;
}

void menu_draw(struct ui *ui)
{
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, ui->m.focus, cols);
	int w = 18;

	for (int i = 0; i < n; i++)
		if (text_width(cols[i].title) + 4 > w)
			w = text_width(cols[i].title) + 4;
	if (w > COLS)
		w = COLS;
	/* below the header, at the left: where the eye already is */
	attrset(theme_attr(ROLE_TITLE_FOCUS));
	draw_text(1, 0, w, " Sort by", ALIGN_LEFT);
	for (int i = 0; i < n && i + 2 < LINES; i++) {
		char item[80];
		/* the states pane's bar has no title: it sorts like the count */
		const char *title = cols[i].title[0] ? cols[i].title : "(bar)";

		snprintf(item, sizeof(item), "  %s", title);
		attrset(theme_attr(i == ui->menu_sel ? ROLE_CURSOR : ROLE_KEY_LABEL));
		draw_text(2 + i, 0, w, item, ALIGN_LEFT);
	}
	attrset(theme_attr(ROLE_NORMAL));
}

unsigned menu_key(struct ui *ui, int key)
{
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, ui->m.focus, cols);

	switch (key) {
	case KEY_UP: ui->menu_sel = ui->menu_sel > 0 ? ui->menu_sel - 1 : 0; break;
	case KEY_DOWN: ui->menu_sel = ui->menu_sel + 1 < n ? ui->menu_sel + 1 : n - 1; break;
	case KEY_HOME: ui->menu_sel = 0; break;
	case KEY_END: ui->menu_sel = n - 1; break;
	case KEY_ENTER: case '\r': case '\n':
		ui->mode = MODE_NORMAL;
		if (ui->menu_sel >= 0 && ui->menu_sel < n)
			return view_sort_set(ui, ui->m.focus, cols[ui->menu_sel].id) | REDO_REDRAW;
		break;
	default:
		ui->mode = MODE_NORMAL;
	}
	return REDO_REDRAW;
}
