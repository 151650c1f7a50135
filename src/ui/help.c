/* help.c: every key (from the binding table) and the 12 TCP states (from
 * tcpstate_help()), on one scrollable page over the panes. */
#include <limits.h>
#include <stdio.h>

#include "draw.h"
#include "help.h"
#include "keys.h"
#include "state.h"
#include "theme.h"

/* The prompts edit text with their own keys, outside the binding table. */
static const char *const prompt_help[] = {
	"Enter                apply the filter / select the next match (empty: the last search again)",
	"Esc                  close; in the filter prompt, also clear the filter",
	"Left Right Home End  move; Backspace, Delete erase; Ctrl-U erases to the start",
};

static int prompt_count(void)
{
	return (int)(sizeof(prompt_help) / sizeof(prompt_help[0]));
}

static void prompt_line(int i, char *buf, size_t len)
{
	snprintf(buf, len, "  %s", prompt_help[i]);
}

static void key_line(int i, char *buf, size_t len)
{
	const char *help;
	char keys[64];

	keys_help_line(i, keys, sizeof(keys), &help);
	snprintf(buf, len, "  %-20s %s", keys, help);
}

static int state_count(void)
{
	return ST_COUNT;
}

static void state_line(int i, char *buf, size_t len)
{
	enum tcp_state s = tcpstate_display_order[i];

	snprintf(buf, len, "  %-12s %s", tcpstate_name(s), tcpstate_help(s));
}

/* Each section: its title, its lines, a blank line. */
static const struct help_section {
	const char *title;
	int (*count)(void);
	void (*line)(int i, char *buf, size_t len);
} sections[] = {
	{ " nettop: keys", keys_help_count, key_line },
	{ " In the filter and search prompts", prompt_count, prompt_line },
	{ " The 12 TCP states (netstat's names)", state_count, state_line },
};
#define NSECTIONS (sizeof(sections) / sizeof(sections[0]))

static int help_lines(void)
{
	int n = 0;

	for (size_t k = 0; k < NSECTIONS; k++)
		n += 1 + sections[k].count() + 1;
	return n;
}

/* Line i of the help page into buf; returns its role, or -1 past the end. */
static int help_line(int i, char *buf, size_t len)
{
	buf[0] = '\0';
	for (size_t k = 0; k < NSECTIONS && i >= 0; k++) {
		int n = sections[k].count();

		if (i == 0) {
			snprintf(buf, len, "%s", sections[k].title);
			return ROLE_TITLE_FOCUS;
		}
		if (i <= n) {
			sections[k].line(i - 1, buf, len);
			return ROLE_NORMAL;
		}
		if (i == n + 1)
			return ROLE_NORMAL;	/* the blank line after a section */
		i -= n + 2;
	}
	return -1;
}

/* Rows the page shows: the bottom line says how to scroll and leave. */
static int help_page(void)
{
	return LINES > 1 ? LINES - 1 : 1;
}

static int help_clamp(int top)
{
	int max = help_lines() - help_page();

	if (top > max)
		top = max;
	return top < 0 ? 0 : top;
}

void help_draw(struct ui *ui)
{
	int page = help_page();

	ui->help_top = help_clamp(ui->help_top);
	for (int y = 0; y < page; y++) {
		char line[256];
		int role = help_line(ui->help_top + y, line, sizeof(line));

		attrset(theme_attr(role < 0 ? ROLE_NORMAL : (enum color_role)role));
		draw_text(y, 0, COLS, role < 0 ? "" : line, ALIGN_LEFT);
	}
	attrset(theme_attr(ROLE_KEY_LABEL));
	draw_text(LINES - 1, 0, COLS, " Up/Down/PgUp/PgDn scroll; any other key closes the help", ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}

unsigned help_key(struct ui *ui, int key)
{
	switch (key) {
	case KEY_UP: ui->help_top--; break;
	case KEY_DOWN: ui->help_top++; break;
	case KEY_PPAGE: ui->help_top -= help_page(); break;
	case KEY_NPAGE: case ' ': ui->help_top += help_page(); break;
	case KEY_HOME: ui->help_top = 0; break;
	case KEY_END: ui->help_top = INT_MAX / 2; break;
	default: ui->mode = MODE_NORMAL; break;
	}
	ui->help_top = help_clamp(ui->help_top);
	return REDO_REDRAW;
}
