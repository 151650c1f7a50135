/* layout.c: where the panes go for a terminal size. Three shapes, widest
 * first: all four with three side by side on top; two on top, interfaces
 * and connections below; one pane at a time, like tabs. Below that, only a
 * "terminal too small" line. */
#include <string.h>

#include "screen.h"

#define MIN_COLS 30
#define MIN_LINES 6
#define GAP 1			/* blank column between side-by-side panes */
#define STATES_ROWS (ST_COUNT + 2)	/* title, column headers, 12 states */

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void place(struct ui *ui, enum pane_id id, int y, int x, int h, int w)
{
	ui->rects[id] = (struct rect){ y, x, h, w };
	ui->shown[id] = true;
}

static void layout_wide(struct ui *ui, int top, int avail, int cols)
{
	int band = clamp(avail / 2, 4, STATES_ROWS);
	int states_w = clamp(cols * 2 / 7, 30, 36);
	int remote_w = clamp(cols * 3 / 10, 32, 42);
	int ifaces_x = states_w + remote_w + 2 * GAP;

	place(ui, PANE_STATES, top, 0, band, states_w);
	place(ui, PANE_REMOTE, top, states_w + GAP, band, remote_w);
	place(ui, PANE_IFACES, top, ifaces_x, band, cols - ifaces_x);
	place(ui, PANE_CONNS, top + band, 0, avail - band, cols);
}

static void layout_medium(struct ui *ui, int top, int avail, int cols)
{
	size_t nifaces = ui->cur ? ui->cur->snap->nifaces : 1;
	int band = clamp(avail * 2 / 5, 4, STATES_ROWS);
	int ifaces_h = clamp((int)nifaces + 2, 3, avail / 5);
	int left = (cols - GAP) / 2;

	place(ui, PANE_STATES, top, 0, band, left);
	place(ui, PANE_REMOTE, top, left + GAP, band, cols - left - GAP);
	place(ui, PANE_IFACES, top + band, 0, ifaces_h, cols);
	place(ui, PANE_CONNS, top + band + ifaces_h, 0, avail - band - ifaces_h, cols);
}

void layout_compute(struct ui *ui, int lines, int cols)
{
	int top = 1, avail;

	memset(ui->shown, 0, sizeof(ui->shown));
	ui->tabs = false;
	ui->too_small = cols < MIN_COLS || lines < MIN_LINES;
	if (ui->too_small)
		return;
	/* the status line is the first thing to go on a short screen */
	ui->status_y = lines >= 12 ? lines - 2 : -1;
	avail = (ui->status_y >= 0 ? ui->status_y : lines - 1) - top;
	if (cols >= 100 && avail >= 24) {
		layout_wide(ui, top, avail, cols);
	} else if (cols >= 60 && avail >= 20) {
		layout_medium(ui, top, avail, cols);
	} else {
		ui->tabs = true;
		place(ui, ui->focus, top, 0, avail, cols);
	}
}
