/* draw.c: text placed by display columns, not bytes: a wide character takes
 * two, and one that no longer fits is left out whole, never cut. Text here
 * is already escaped; bytes the locale cannot decode show as '?'. */
#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "draw.h"

/* Decodes the character at s (n bytes left): its wide form, byte length and
 * width. Undecodable bytes and unprintable characters become '?'. */
static size_t next_char(const char *s, size_t n, mbstate_t *st, wchar_t *wc, int *width)
{
	size_t len = mbrtowc(wc, s, n, st);

	if (len == (size_t)-1 || len == (size_t)-2 || len == 0) {
		memset(st, 0, sizeof(*st));
		*wc = L'?';
		*width = 1;
		return 1;
	}
	*width = wcwidth(*wc);
	if (*width < 0) {
		*wc = L'?';
		*width = 1;
	}
	return len;
}

int text_width(const char *s)
{
	mbstate_t st;
	size_t n = strlen(s);
	int total = 0;

	memset(&st, 0, sizeof(st));
	while (n) {
		wchar_t wc;
		int w;
		size_t len = next_char(s, n, &st, &wc, &w);

		total += w;
		s += len, n -= len;
	}
	return total;
}

void text_fit(char *s, size_t size, int width)
{
	mbstate_t st;
	size_t n = strlen(s), at = 0;
	int used = 0;

	if (width < 2 || text_width(s) <= width)
		return;
	memset(&st, 0, sizeof(st));
	while (at < n) {
		wchar_t wc;
		int w;
		size_t len = next_char(s + at, n - at, &st, &wc, &w);

		if (used + w > width - 1)
			break;
		used += w;
		at += len;
	}
	snprintf(s + at, size - at, "%s", MB_CUR_MAX > 1 ? "\u2026" : "~");
}

/* Marks text cut short, so that "127.0.0.1:80…" is never read as port 80. */
static void put_cut_mark(void)
{
	wchar_t mark[2] = { MB_CUR_MAX > 1 ? L'\u2026' : L'~', 0 };

	addnwstr(mark, 1);
}

/* Writes at most width columns of s at the cursor; returns the columns used. */
static int put_text(const char *s, int width)
{
	mbstate_t st;
	size_t n = strlen(s);
	int used = 0;
	bool cut = width > 1 && text_width(s) > width;

	if (cut)
		width--;
	memset(&st, 0, sizeof(st));
	while (n) {
		wchar_t wc[2] = { 0, 0 };
		int w;
		size_t len = next_char(s, n, &st, &wc[0], &w);

		if (used + w > width)
			break;
		if (w > 0)
			addnwstr(wc, 1);
		used += w;
		s += len, n -= len;
	}
	if (cut) {
		put_cut_mark();
		used++;
	}
	return used;
}

void draw_fill(int y, int x, int width)
{
	if (width <= 0)
		return;
	move(y, x);
	for (int i = 0; i < width; i++)
		addch(' ');
}

void draw_run(int y, int *x, int end, const char *s)
{
	int w = text_width(s);

	if (*x >= end)
		return;
	if (w > end - *x)
		w = end - *x;
	draw_text(y, *x, w, s, ALIGN_LEFT);
	*x += w;
}

int draw_text(int y, int x, int width, const char *s, int align)
{
	int pad = 0, used;

	if (width <= 0)
		return 0;
	if (align == ALIGN_RIGHT) {
		pad = width - text_width(s);
		if (pad < 0)
			pad = 0;
		draw_fill(y, x, pad);
	}
	move(y, x + pad);
	used = put_text(s, width - pad);
	draw_fill(y, x + pad + used, width - pad - used);
	return width;
}
