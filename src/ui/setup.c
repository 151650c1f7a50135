/* setup.c: F2's setup screen, over the panes like the help: the connection
 * columns (shown or hidden, and their order), the theme, the refresh
 * interval and the SYN flood threshold. Every change applies at once; the
 * loop's settings_sync() writes it to the config file. */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "header.h"
#include "settings.h"
#include "setup.h"
#include "state.h"
#include "theme.h"

/* The rows after the columns, one per setting. */
enum setup_item { ITEM_THEME, ITEM_INTERVAL, ITEM_THRESHOLD, ITEM_COUNT };
#define SETUP_ROWS (FIELD_COUNT + ITEM_COUNT)
/* Screen lines above the first row: the title, the file, the columns' heading. */
#define SETUP_TOP 3

unsigned setup_open(struct ui *ui)
{
	ui->mode = MODE_SETUP;
	if (ui->setup_sel < 0 || ui->setup_sel >= SETUP_ROWS)
		ui->setup_sel = 0;
	return REDO_REDRAW;
}

static bool column_visible(const struct ui *ui, enum field_id f)
{
	return f == FIELD_PROCESS ? ui->m.show_procs && !ui->m.col_hidden[f] : !ui->m.col_hidden[f];
}

static void column_row(const struct ui *ui, int i, char *buf, size_t len)
{
	enum field_id f = ui->m.col_order[i];
	const struct field *fd = field_get(f);

	snprintf(buf, len, "   [%c] %-16s %s", column_visible(ui, f) ? 'x' : ' ', fd->title, fd->help);
}

static void item_row(const struct ui *ui, enum setup_item item, char *buf, size_t len)
{
	switch (item) {
	case ITEM_THEME:
		snprintf(buf, len, " Theme             < %s >%s", theme_current(),
			 theme_colored() ? "" : "  (no colours on this terminal)");
		break;
	case ITEM_INTERVAL:
		snprintf(buf, len, " Refresh interval  < %gs >", ui->m.interval);
		break;
	case ITEM_THRESHOLD:
		snprintf(buf, len, " Flood threshold   < %u >  SYN_RECV on one listener that raises the alert",
			 ui->m.flood_threshold);
		break;
	case ITEM_COUNT:
		buf[0] = '\0';
		break;
	}
}

/* Screen line of row i: the items come after a blank line. */
static int row_line(int i)
{
	return SETUP_TOP + i + (i >= FIELD_COUNT ? 1 : 0);
}

void setup_draw(struct ui *ui)
{
	const char *path = settings_path(ui);
	char line[512];
	int scroll;

	for (int y = 0; y < LINES; y++) {
		attrset(theme_attr(ROLE_NORMAL));
		draw_fill(y, 0, COLS);
	}
	attrset(theme_attr(ROLE_TITLE_FOCUS));
	draw_text(0, 0, COLS, " Setup: changes apply at once", ALIGN_LEFT);
	snprintf(line, sizeof(line), " %s%s", *path ? "saved to " : "not saved (no config file)", path);
	attrset(theme_attr(ROLE_DIM));
	draw_text(1, 0, COLS, line, ALIGN_LEFT);
	attrset(theme_attr(ROLE_COLUMN));
	draw_text(2, 0, COLS, " Connection columns", ALIGN_LEFT);
	/* the rows scroll to keep the selected one above the status line */
	scroll = row_line(ui->setup_sel) - (LINES - 3);
	for (int i = 0; i < SETUP_ROWS; i++) {
		int y = row_line(i) - (scroll > 0 ? scroll : 0);

		if (y < SETUP_TOP)
			continue;
		if (y >= LINES - 2)
			break;
		if (i < FIELD_COUNT)
			column_row(ui, i, line, sizeof(line));
		else
			item_row(ui, (enum setup_item)(i - FIELD_COUNT), line, sizeof(line));
		attrset(theme_attr(i == ui->setup_sel ? ROLE_CURSOR : ROLE_NORMAL));
		draw_text(y, 0, COLS, line, ALIGN_LEFT);
	}
	/* what the last change did, or why it did nothing */
	if (LINES > SETUP_TOP + 2 && status_wanted(ui))
		status_draw(ui, LINES - 2, COLS);
	attrset(theme_attr(ROLE_KEY_LABEL));
	draw_text(LINES - 1, 0, COLS,
		  " Up/Down select  Space show/hide  [ ] move a column  Left/Right change  Esc close",
		  ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}

static unsigned column_toggle(struct ui *ui, int i)
{
	enum field_id f = ui->m.col_order[i];
	int shown = 0;

	if (f == FIELD_PROCESS) {
		ui->m.col_hidden[f] = false;
		return action_toggle_procs(&ui->m);
	}
	for (int k = 0; k < FIELD_COUNT; k++)
		shown += k != FIELD_PROCESS && !ui->m.col_hidden[k];
	if (!ui->m.col_hidden[f] && shown <= 1) {
		model_message(&ui->m, true, "%s is the last column shown: it stays", field_get(f)->title);
		return REDO_REDRAW;
	}
	ui->m.col_hidden[f] = !ui->m.col_hidden[f];
	model_message(&ui->m, false, "column %s %s", field_get(f)->title,
		      ui->m.col_hidden[f] ? "hidden" : "shown");
	/* a health column asks the kernel for more, from the next sample */
	return REDO_RECOMPUTE | (field_needs_health(f) || field_needs_extra(f) ? REDO_REQUEST : 0);
}

/* Moves the selected column one place up (-1) or down; the selection follows. */
static unsigned column_move(struct ui *ui, int step)
{
	int i = ui->setup_sel, j = i + step;
	uint8_t keep;

	if (i >= FIELD_COUNT || j < 0 || j >= FIELD_COUNT)
		return REDO_REDRAW;
	keep = ui->m.col_order[i];
	ui->m.col_order[i] = ui->m.col_order[j];
	ui->m.col_order[j] = keep;
	ui->setup_sel = j;
	return REDO_RECOMPUTE;
}

/* Halving and doubling reach any threshold worth having in a few keys. */
static unsigned threshold_step(struct ui *ui, int step)
{
	unsigned t = ui->m.flood_threshold;

	if (step > 0 && t <= 1000000000u / 2)
		t *= 2;
	else if (step < 0 && t > 1)
		t /= 2;
	ui->m.flood_threshold = t;
	model_message(&ui->m, false, "SYN flood alert at %u SYN_RECV on one listener, from the next sample", t);
	return REDO_REDRAW;
}

static unsigned item_change(struct ui *ui, int step)
{
	switch (ui->setup_sel - FIELD_COUNT) {
	case ITEM_THEME: return theme_step(&ui->m, step);
	case ITEM_INTERVAL:
		if (ui->m.replay) {
			model_message(&ui->m, false, "a replay keeps its recorded pace: [ and ] change the speed");
			return REDO_REDRAW;
		}
		return action_interval_step(&ui->m, step);
	case ITEM_THRESHOLD: return threshold_step(ui, step);
	}
	return 0;
}

unsigned setup_key(struct ui *ui, int key)
{
	bool column = ui->setup_sel < FIELD_COUNT;

	switch (key) {
	case KEY_UP: case 'k':
		ui->setup_sel = ui->setup_sel > 0 ? ui->setup_sel - 1 : 0;
		return REDO_REDRAW;
	case KEY_DOWN: case 'j':
		ui->setup_sel = ui->setup_sel + 1 < SETUP_ROWS ? ui->setup_sel + 1 : SETUP_ROWS - 1;
		return REDO_REDRAW;
	case KEY_HOME: ui->setup_sel = 0; return REDO_REDRAW;
	case KEY_END: ui->setup_sel = SETUP_ROWS - 1; return REDO_REDRAW;
	case ' ': case '\r': case '\n': case KEY_ENTER:
		return column ? column_toggle(ui, ui->setup_sel) : item_change(ui, 1);
	case '[': case KEY_SR:
		return column_move(ui, -1);
	case ']': case KEY_SF:
		return column_move(ui, 1);
	case KEY_LEFT: case '-':
		return column ? REDO_REDRAW : item_change(ui, -1);
	case KEY_RIGHT: case '+': case '=':
		return column ? REDO_REDRAW : item_change(ui, 1);
	case KEY_RESIZE:
		return REDO_REDRAW;
	default:
		/* Esc, q, F2, S: back to the panes */
		ui->mode = MODE_NORMAL;
		return REDO_REDRAW;
	}
}
