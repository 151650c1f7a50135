/* prompt.c: the one-line editor behind the filter and search prompts. It
 * edits UTF-8 in place, one character (not byte) at a time. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "draw.h"
#include "prompt.h"
#include "state.h"
#include "theme.h"
#include "views.h"

#define ESC 27

/* Room for need bytes and the NUL; false when memory ran out. */
static bool prompt_reserve(struct prompt *p, size_t need)
{
	size_t size = p->size ? p->size : 256;
	char *buf;

	if (need < p->size)
		return true;
	while (size <= need)
		size *= 2;
	if (!(buf = realloc(p->buf, size)))
		return false;
	p->buf = buf;
	p->size = size;
	return true;
}

void prompt_open(struct ui *ui, enum ui_mode mode, const char *initial)
{
	struct prompt *p = &ui->prompt;
	size_t n = strlen(initial);

	if (!prompt_reserve(p, n)) {
		model_message(&ui->m, true, "out of memory");
		return;
	}
	memcpy(p->buf, initial, n + 1);
	p->len = p->cursor = n;
	ui->mode = mode;
}

void prompt_free(struct ui *ui)
{
	free(ui->prompt.buf);
	memset(&ui->prompt, 0, sizeof(ui->prompt));
}

static size_t char_before(const struct prompt *p, size_t at)
{
	while (at > 0 && ((unsigned char)p->buf[--at] & 0xc0) == 0x80)
		;
	return at;
}

static size_t char_after(const struct prompt *p, size_t at)
{
	if (at < p->len)
		at++;
	while (at < p->len && ((unsigned char)p->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void delete_range(struct prompt *p, size_t from, size_t to)
{
	memmove(p->buf + from, p->buf + to, p->len - to + 1);
	p->len -= to - from;
	p->cursor = from;
}

static void insert(struct prompt *p, wchar_t wc)
{
	char mb[MB_LEN_MAX];
	mbstate_t st;
	size_t n;

	memset(&st, 0, sizeof(st));
	n = wcrtomb(mb, wc, &st);
	if (n == (size_t)-1 || !prompt_reserve(p, p->len + n))
		return;
	memmove(p->buf + p->cursor + n, p->buf + p->cursor, p->len - p->cursor + 1);
	memcpy(p->buf + p->cursor, mb, n);
	p->len += n;
	p->cursor += n;
}

/* Enter: the filter applies (a parse error keeps the previous one and says
 * why); the search selects the next matching row. */
static unsigned prompt_finish(struct ui *ui)
{
	enum ui_mode mode = ui->mode;

	ui->mode = MODE_NORMAL;
	if (mode == MODE_FILTER)
		return model_set_filter(&ui->m, ui->prompt.buf) ? REDO_RESAMPLE | REDO_RECOMPUTE : REDO_REDRAW;
	if (ui->prompt.len >= sizeof(ui->search)) {
		model_message(&ui->m, true, "search text too long (over %zu bytes)", sizeof(ui->search) - 1);
		return REDO_REDRAW;
	}
	if (ui->prompt.buf[0])
		snprintf(ui->search, sizeof(ui->search), "%s", ui->prompt.buf);
	if (ui->search[0] && !view_search(ui, ui->search))
		model_message(&ui->m, true, "not found in %s: %s", ui->m.ops[ui->m.focus]->title, ui->search);
	return REDO_REDRAW;
}

/* Esc: a search is dropped; the filter is cleared, which is the quickest way
 * back to everything. */
static unsigned prompt_cancel(struct ui *ui)
{
	enum ui_mode mode = ui->mode;

	ui->mode = MODE_NORMAL;
	if (mode == MODE_FILTER && ui->m.filter) {
		model_set_filter(&ui->m, "");
		return REDO_RESAMPLE | REDO_RECOMPUTE;
	}
	return REDO_REDRAW;
}

static unsigned function_key(struct ui *ui, int key)
{
	struct prompt *p = &ui->prompt;

	switch (key) {
	case KEY_ENTER: return prompt_finish(ui);
	case KEY_BACKSPACE: delete_range(p, char_before(p, p->cursor), p->cursor); break;
	case KEY_DC: delete_range(p, p->cursor, char_after(p, p->cursor)); break;
	case KEY_LEFT: p->cursor = char_before(p, p->cursor); break;
	case KEY_RIGHT: p->cursor = char_after(p, p->cursor); break;
	case KEY_HOME: p->cursor = 0; break;
	case KEY_END: p->cursor = p->len; break;
	}
	return REDO_REDRAW;
}

unsigned prompt_key(struct ui *ui, int key, bool is_function_key)
{
	struct prompt *p = &ui->prompt;

	if (is_function_key)
		return function_key(ui, key);
	switch (key) {
	case ESC: return prompt_cancel(ui);
	case '\r': case '\n': return prompt_finish(ui);
	case 127: case '\b': delete_range(p, char_before(p, p->cursor), p->cursor); break;
	case 'U' & 0x1f: delete_range(p, 0, p->cursor); break;
	case 'A' & 0x1f: p->cursor = 0; break;
	case 'E' & 0x1f: p->cursor = p->len; break;
	default:
		if (iswprint((wint_t)key))
			insert(p, (wchar_t)key);
	}
	return REDO_REDRAW;
}

/* Width of buf[from, to): the byte at to is set aside for the count. */
static int span_width(char *buf, size_t from, size_t to)
{
	char saved = buf[to];
	int w;

	buf[to] = '\0';
	w = text_width(buf + from);
	buf[to] = saved;
	return w;
}

void prompt_draw(struct ui *ui, int y, int width)
{
	struct prompt *p = &ui->prompt;
	const char *label = ui->mode == MODE_FILTER ? "Filter: " : "Search: ";
	int lw = text_width(label), w;
	size_t start = 0, next;

	attrset(theme_attr(ROLE_KEY_LABEL));
	draw_text(y, 0, lw, label, ALIGN_LEFT);
	/* scroll sideways so the cursor stays in sight */
	w = span_width(p->buf, start, p->cursor);
	for (; start < p->cursor && lw + w >= width; start = next) {
		next = char_after(p, start);
		w -= span_width(p->buf, start, next);
	}
	attrset(theme_attr(ROLE_NORMAL));
	draw_text(y, lw, width - lw, p->buf + start, ALIGN_LEFT);
	ui->cursor_y = y;
	ui->cursor_x = lw + w;
	if (ui->cursor_x >= width)
		ui->cursor_x = width - 1;
}
