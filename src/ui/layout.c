/* layout.c: where the panes go for a terminal size. Three shapes, widest
 * first: all four with three side by side on top; two on top, interfaces
 * and connections below; one pane at a time, like tabs. Below that, only a
 * "terminal too small" line. The config's layout caps the shape (stacked:
 * the second at most; single: tabs always). The flood band (three panes side by side),
 * when shown, goes above the connections and leaves them a few rows. */
#include <string.h>

#include "layout.h"

#define MIN_COLS 30
#define MIN_LINES 6
#define GAP 1			/* blank column between side-by-side panes */
#define STATES_ROWS (ST_COUNT + 2)	/* title, column headers, 12 states */
#define FLOOD_ROWS (FLOOD_INDICATORS + 2)
#define MIN_CONNS_ROWS 5		/* what the flood band leaves the connections */

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void place(struct ui *ui, enum pane_id id, int y, int x, int h, int w)
{
	ui->rects[id] = (struct rect){ y, x, h, w };
	ui->shown[id] = true;
}

/* The flood band: counters, listeners and sources side by side, h rows. */
static void place_flood(struct ui *ui, int y, int h, int cols)
{
	/* room for the indicators' sparklines from 150 columns on */
	int counters_w = cols >= 150 ? clamp(cols * 31 / 100, 46, 52) : clamp(cols * 31 / 100, 20, 37);
	/* at most 80: past it the sources, whose rows are longer, take the rest */
	int listeners_w = clamp((cols - counters_w - 2 * GAP) / 2, 16, 80);
	int sources_x = counters_w + listeners_w + 2 * GAP;

	place(ui, PANE_FLOOD, y, 0, h, counters_w);
	place(ui, PANE_LISTENERS, y, counters_w + GAP, h, listeners_w);
	place(ui, PANE_SOURCES, y, sources_x, h, cols - sources_x);
}

/* Rows of the flood band when shown: all of it if the connections keep a
 * few rows, else what is left, down to a title and a row. */
static int flood_rows(const struct ui *ui, int left)
{
	if (!ui->m.flood.shown)
		return 0;
	return clamp(left - MIN_CONNS_ROWS, 3, FLOOD_ROWS);
}

static void layout_wide(struct ui *ui, int top, int avail, int cols)
{
	int band = clamp(avail / 2, 4, STATES_ROWS);
	int states_w = clamp(cols * 2 / 7, 30, 36);
	int remote_w = clamp(cols * 3 / 10, 32, 42);
	int ifaces_x = states_w + remote_w + 2 * GAP;
	int flood_h = flood_rows(ui, avail - band);

	place(ui, PANE_STATES, top, 0, band, states_w);
	place(ui, PANE_REMOTE, top, states_w + GAP, band, remote_w);
	place(ui, PANE_IFACES, top, ifaces_x, band, cols - ifaces_x);
	if (flood_h)
		place_flood(ui, top + band, flood_h, cols);
	place(ui, PANE_CONNS, top + band + flood_h, 0, avail - band - flood_h, cols);
}

static void layout_medium(struct ui *ui, int top, int avail, int cols)
{
	size_t nifaces = ui->m.cur ? ui->m.cur->snap->nifaces : 1;
	int band = clamp(avail * 2 / 5, 4, STATES_ROWS);
	int ifaces_h = clamp((int)nifaces + 2, 3, avail / 5);
	int left = (cols - GAP) / 2;
	int flood_h = ui->m.flood.shown ? clamp(avail / 4, 3, FLOOD_ROWS) : 0;
	int conns_y = top + band + ifaces_h + flood_h;

	place(ui, PANE_STATES, top, 0, band, left);
	place(ui, PANE_REMOTE, top, left + GAP, band, cols - left - GAP);
	place(ui, PANE_IFACES, top + band, 0, ifaces_h, cols);
	if (flood_h)
		place_flood(ui, top + band + ifaces_h, flood_h, cols);
	place(ui, PANE_CONNS, conns_y, 0, avail - (conns_y - top), cols);
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
	if (ui->m.conntrack_shown) {
		/* C: the conntrack pane alone, whatever the shape */
		ui->m.focus = PANE_CONNTRACK;
		place(ui, PANE_CONNTRACK, top, 0, avail, cols);
		return;
	}
	if (ui->layout == LAYOUT_AUTO && cols >= 100 && avail >= 24) {
		layout_wide(ui, top, avail, cols);
	} else if (ui->layout != LAYOUT_SINGLE && cols >= 60 && avail >= 20) {
		layout_medium(ui, top, avail, cols);
	} else {
		ui->tabs = true;
		if (!pane_enabled(&ui->m, ui->m.focus))
			ui->m.focus = PANE_CONNS;
		place(ui, ui->m.focus, top, 0, avail, cols);
	}
}
