/* view_history.c: H, the graphs of the focused pane's counts over time, in
 * btop's manner: braille dots (2x4 a cell) where the terminal speaks UTF-8,
 * '#' and '.' where it does not (TERM=vt100, a non-UTF-8 locale). What is
 * graphed and each column's height come from the model (history_watch.c,
 * history_graph.c); this file only picks characters. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/history.h"
#include "draw.h"
#include "state.h"
#include "term.h"
#include "theme.h"
#include "view_history.h"

#define GRAPHS_MAX 16
#define COLS_MAX 512

/* The braille character with dots bits (U+2800 + bits) as UTF-8. */
static void braille(char out[4], unsigned bits)
{
	out[0] = (char)0xe2;
	out[1] = (char)(0xa0 + (bits >> 6));
	out[2] = (char)(0x80 + (bits & 0x3f));
	out[3] = '\0';
}

/* The dots of one column of a cell, filled from the bottom: n of 4. */
static unsigned dots(int n, bool right)
{
	static const unsigned left_col[4] = { 0x40, 0x04, 0x02, 0x01 };
	static const unsigned right_col[4] = { 0x80, 0x20, 0x10, 0x08 };
	unsigned bits = 0;

	for (int i = 0; i < n && i < 4; i++)
		bits |= right ? right_col[i] : left_col[i];
	return bits;
}

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The graph's cells: rows of w cells from y, heights in steps per column
 * (2 columns a cell in braille, 4 steps a row; 1 and 2 in ASCII). */
static void cells_draw(int y, int x, int rows, int w, const int *heights, bool unicode)
{
	attrset(theme_attr(ROLE_BAR));
	for (int r = 0; r < rows; r++) {
		int base = (rows - 1 - r) * (unicode ? 4 : 2);

		for (int c = 0; c < w; c++) {
			char ch[4] = " ";

			if (unicode) {
				unsigned bits = dots(clamp(heights[2 * c] - base, 0, 4), false) |
						dots(clamp(heights[2 * c + 1] - base, 0, 4), true);

				if (bits)
					braille(ch, bits);
			} else {
				int n = clamp(heights[c] - base, 0, 2);

				ch[0] = n == 2 ? '#' : n == 1 ? '.' : ' ';
			}
			mvaddstr(y + r, x + c, ch);
		}
	}
}

static void title_draw(int y, int w, const char *name, const struct history_stats *st)
{
	char cur[24], lo[24], hi[24], line[256];

	history_value_format(st->has ? st->cur : NAN, cur, sizeof(cur));
	history_value_format(st->has ? st->min : NAN, lo, sizeof(lo));
	history_value_format(st->has ? st->max : NAN, hi, sizeof(hi));
	snprintf(line, sizeof(line), " %s  now %s  min %s  max %s", name, cur, lo, hi);
	attrset(theme_attr(ROLE_TITLE));
	draw_text(y, 0, w, line, ALIGN_LEFT);
}

static void axis_draw(int y, int w, double span)
{
	char left[24], mid[24];

	attrset(theme_attr(ROLE_DIM));
	draw_fill(y, 0, w);
	history_span_label(span, left, sizeof(left));
	history_span_label(span / 2, mid, sizeof(mid));
	draw_text(y, 0, w, left, ALIGN_LEFT);
	if (w > 30)
		draw_text(y, w / 2 - text_width(mid) / 2, text_width(mid), mid, ALIGN_LEFT);
	draw_text(y, w - 3, 3, "now", ALIGN_LEFT);
}

/* One series in rows [y, y + h): title, graph, axis. */
static void graph_draw(const struct ui *ui, size_t s, int y, int h, int w, bool unicode)
{
	const struct history *hist = ui->m.history;
	double now = history_now(&ui->m), span = history_zoom_span(hist, ui->m.history_zoom, now);
	int rows = h - 2, ncols = unicode ? 2 * w : w;
	float cols[2 * COLS_MAX];
	int heights[2 * COLS_MAX];
	struct history_stats st;

	history_stats(hist, s, now, span, &st);
	title_draw(y, w, hist->series[s].name, &st);
	history_columns(hist, s, now, span, cols, (size_t)ncols);
	history_heights(cols, (size_t)ncols, st.has && st.max > 0 ? st.max : 1,
			rows * (unicode ? 4 : 2), heights);
	cells_draw(y + 1, 0, rows, w, heights, unicode);
	axis_draw(y + 1 + rows, w, span);
}

void history_draw(struct ui *ui)
{
	size_t series[GRAPHS_MAX], n;
	int top = 1, bottom = LINES - 1, w = COLS < COLS_MAX ? COLS : COLS_MAX, each;
	bool unicode = term_unicode();

	/* a replay's graphs need its recording read whole */
	model_history_poll(&ui->m, true);
	n = history_chosen(&ui->m, series, GRAPHS_MAX);

	for (int p = 0; p < PANE_COUNT; p++)
		if (ui->shown[p] && ui->rects[p].y < top)
			top = ui->rects[p].y;
	attrset(theme_attr(ROLE_NORMAL));
	for (int y = top; y < bottom; y++)
		draw_fill(y, 0, COLS);
	if (!n) {
		draw_text(top, 0, COLS, ui->m.history ? " no history of this pane's selection yet"
						      : " no history (out of memory)", ALIGN_LEFT);
		return;
	}
	/* at least a title, two rows of graph and the axis each */
	if ((int)n * 4 > bottom - top)
		n = (size_t)((bottom - top) / 4);
	each = n ? (bottom - top) / (int)n : 0;
	for (size_t i = 0; i < n; i++)
		graph_draw(ui, series[i], top + (int)i * each, each, w, unicode);
}

bool history_key(struct ui *ui, int key, unsigned *redo)
{
	switch (key) {
	case 'H': case 27:
		ui->mode = MODE_NORMAL;
		*redo = REDO_REDRAW;
		return true;
	case '+': case '=': case ']':
		*redo = action_history_zoom(&ui->m, 1);
		return true;
	case '-': case '[':
		*redo = action_history_zoom(&ui->m, -1);
		return true;
	case '\r': case '\n': case KEY_ENTER:
		*redo = action_history_enter(&ui->m);
		return true;
	default:
		return false;	/* every other key does what it does elsewhere */
	}
}
