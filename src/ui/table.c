/* table.c: every pane draws the same way: a title bar, a line of column
 * headers, then rows from the pane's cell() with the selection highlighted.
 * Only what is on screen is formatted, whatever the number of rows. */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "table.h"
#include "theme.h"
#include "views.h"

#define MIN_GROW_WIDTH 12	/* the last resort before columns drop off the right */

static int columns_need(const struct column *cols, int n)
{
	int need = -1;

	for (int i = 0; i < n; i++)
		need += cols[i].width + 1;
	return need;
}

/* Drops the rightmost optional column; false when none is left. */
static bool drop_optional(struct column *cols, int *n)
{
	for (int i = *n - 1; i >= 0; i--) {
		if (!(cols[i].flags & COL_OPTIONAL))
			continue;
		memmove(cols + i, cols + i + 1, (size_t)(*n - i - 1) * sizeof(*cols));
		(*n)--;
		return true;
	}
	return false;
}

static bool shrink_growing(struct column *cols, int n, int excess)
{
	bool shrunk = false;

	for (int i = 0; i < n && excess > 0; i++)
		if ((cols[i].flags & COL_GROW) && cols[i].width > MIN_GROW_WIDTH)
			cols[i].width--, excess--, shrunk = true;
	return shrunk;
}

/* Fits cols into width, giving up what matters least first: optional
 * columns (rates, counters), then width of the addresses (marked as cut),
 * then columns from the right. Growing columns share any room left. Returns
 * how many columns are drawn. */
static int columns_fit(struct column *cols, int n, int width)
{
	int extra, grow = 0;

	while (columns_need(cols, n) > width && drop_optional(cols, &n))
		;
	while (columns_need(cols, n) > width && shrink_growing(cols, n, columns_need(cols, n) - width))
		;
	while (n > 1 && columns_need(cols, n) > width)
		n--;
	if (columns_need(cols, n) > width)
		cols[0].width = width;
	for (int i = 0; i < n; i++)
		grow += !!(cols[i].flags & COL_GROW);
	extra = width - columns_need(cols, n);
	for (int i = 0; i < n && extra > 0 && grow; i++) {
		int add;

		if (!(cols[i].flags & COL_GROW))
			continue;
		add = extra / grow--;
		cols[i].width += add;
		extra -= add;
	}
	return n;
}

static void title_draw(struct ui *ui, enum pane_id id, const struct rect *r)
{
	char text[256], summary[128] = "";
	int x = r->x;

	attrset(theme_attr(ui->m.focus == id ? ROLE_TITLE_FOCUS : ROLE_TITLE));
	draw_fill(r->y, r->x, r->w);
	if (ui->tabs) {
		/* every pane's name, so it is clear Tab leads to the others */
		for (int p = 0; p < PANE_COUNT; p++) {
			if (!pane_enabled(&ui->m, p))
				continue;
			snprintf(text, sizeof(text), p == (int)id ? "[%s]" : " %s ", ui->m.ops[p]->short_title);
			draw_run(r->y, &x, r->x + r->w, text);
		}
	} else {
		snprintf(text, sizeof(text), " %s", ui->m.ops[id]->title);
		draw_run(r->y, &x, r->x + r->w, text);
	}
	pane_view(ui, id)->summary(ui, summary, sizeof(summary));
	snprintf(text, sizeof(text), "  %s", summary);
	draw_run(r->y, &x, r->x + r->w, text);
}

static void headers_draw(const struct ui *ui, enum pane_id id, const struct rect *r,
			 const struct column *cols, int n)
{
	const struct pane_state *ps = &ui->m.panes[id];
	int x = r->x;

	attrset(theme_attr(ROLE_COLUMN));
	draw_fill(r->y + 1, r->x, r->w);
	for (int i = 0; i < n; i++) {
		char title[64];
		bool sorted = cols[i].id == ps->sort;

		snprintf(title, sizeof(title), "%s%s", cols[i].title,
			 !sorted ? "" : ps->descending ? "v" : "^");
		if (text_width(title) > cols[i].width)
			snprintf(title, sizeof(title), "%s", cols[i].title);
		attrset(theme_attr(sorted ? ROLE_COLUMN_SORTED : ROLE_COLUMN));
		draw_text(r->y + 1, x, cols[i].width, title,
			  cols[i].flags & COL_RIGHT ? ALIGN_RIGHT : ALIGN_LEFT);
		x += cols[i].width + 1;
	}
}

static void row_draw(const struct ui *ui, enum pane_id id, size_t row, int y, const struct rect *r,
		     const struct column *cols, int n, bool cursor)
{
	int x = r->x;

	attrset(theme_attr(cursor ? ROLE_CURSOR : ROLE_NORMAL));
	draw_fill(y, r->x, r->w);
	for (int i = 0; i < n; i++) {
		char buf[512] = "";
		enum color_role role = ROLE_NORMAL;

		pane_view(ui, id)->cell(ui, row, &cols[i], cols[i].width, buf, sizeof(buf), &role);
		attrset(theme_attr(cursor ? ROLE_CURSOR : role));
		draw_text(y, x, cols[i].width, buf, cols[i].flags & COL_RIGHT ? ALIGN_RIGHT : ALIGN_LEFT);
		x += cols[i].width + 1;
	}
}

/* A right-aligned column (a count, a rate) widens to the widest of its
 * cells on screen, so that 10,000,000 sockets show whole rather than cut;
 * a column is as wide as its title otherwise. Cells are formatted twice
 * for it, but only the few on screen. */
static void columns_widen(const struct ui *ui, enum pane_id id, struct column *cols, int n,
			  size_t top, size_t count)
{
	for (int i = 0; i < n; i++) {
		if (!(cols[i].flags & COL_RIGHT) || (cols[i].flags & COL_GROW))
			continue;
		for (size_t row = top; row < top + count; row++) {
			char buf[512] = "";
			enum color_role role = ROLE_NORMAL;
			int w;

			pane_view(ui, id)->cell(ui, row, &cols[i], cols[i].width, buf, sizeof(buf), &role);
			if ((w = text_width(buf)) > cols[i].width)
				cols[i].width = w;
		}
	}
}

/* Keeps the selection on screen, and the screen full when rows vanish. */
static void scroll_fit(struct pane_state *ps, size_t nrows, size_t page)
{
	if (ps->sel < ps->top)
		ps->top = ps->sel;
	if (page && ps->sel >= ps->top + page)
		ps->top = ps->sel - page + 1;
	if (ps->top + page > nrows)
		ps->top = nrows > page ? nrows - page : 0;
}

void table_draw(struct ui *ui, enum pane_id id, const struct rect *r)
{
	struct pane_state *ps = &ui->m.panes[id];
	struct column cols[MAX_COLUMNS];
	size_t nrows = pane_rows(&ui->m, id);
	int n, page = r->h - 2;

	if (r->h < 1 || r->w < 1)
		return;
	title_draw(ui, id, r);
	if (page < 0)
		return;
	ui->page[id] = page;
	scroll_fit(ps, nrows, (size_t)page);
	n = view_columns(ui, id, cols);
	columns_widen(ui, id, cols, n, ps->top, nrows - ps->top < (size_t)page ? nrows - ps->top : (size_t)page);
	n = columns_fit(cols, n, r->w);
	headers_draw(ui, id, r, cols, n);
	for (int i = 0; i < page && ps->top + (size_t)i < nrows; i++) {
		size_t row = ps->top + (size_t)i;

		row_draw(ui, id, row, r->y + 2 + i, r, cols, n, row == ps->sel && ui->m.focus == id);
	}
	attrset(theme_attr(ROLE_DIM));
	if (page > 0 && !nrows)
		draw_text(r->y + 2, r->x, r->w, ui->m.cur ? " (none)" : " (sampling...)", ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}
