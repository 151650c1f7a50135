/* theme.c: one table of colour roles. Each role has a colour form and a
 * monochrome form (NO_COLOR, --no-color, vt100), so every role stays
 * readable without colour. A theme file (theme_file.h) replaces the colour
 * forms of the roles it names; the monochrome forms stay. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/theme_file.h"
#include "../input_file.h"
#include "../tcpstate.h"
#include "theme.h"

struct role_style {
	short fg, bg;			/* -1: the terminal's default */
	attr_t color_attr;		/* added to the colour pair */
	attr_t mono_attr;		/* used alone without colour */
};

static const struct role_style default_theme[ROLE_COUNT] = {
	[ROLE_NORMAL] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_HEADER] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_HEADER_ALERT] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD },
	[ROLE_TITLE] = { COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_UNDERLINE },
	[ROLE_TITLE_FOCUS] = { COLOR_BLACK, COLOR_GREEN, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_COLUMN] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_COLUMN_SORTED] = { COLOR_BLACK, COLOR_CYAN, A_BOLD, A_REVERSE },
	[ROLE_CURSOR] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_BAR] = { COLOR_GREEN, -1, A_BOLD, A_NORMAL },
	[ROLE_RISE] = { COLOR_GREEN, -1, A_BOLD, A_BOLD },
	[ROLE_FALL] = { COLOR_RED, -1, A_BOLD, A_NORMAL },
	[ROLE_DIM] = { COLOR_BLUE, -1, A_BOLD, A_NORMAL },
	[ROLE_WARN] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_LISTEN] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[ROLE_KEY] = { COLOR_WHITE, -1, A_BOLD, A_BOLD },
	[ROLE_KEY_LABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE },
	[ROLE_MESSAGE] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD },
	[ROLE_ALERT] = { COLOR_YELLOW, COLOR_RED, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_CONFIRM] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD, A_REVERSE | A_BOLD },
	[ROLE_STATE_ESTABLISHED] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_SYN_SENT] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_SYN_RECV] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_STATE_FIN_WAIT1] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_FIN_WAIT2] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_TIME_WAIT] = { COLOR_BLUE, -1, A_BOLD, A_NORMAL },
	[ROLE_STATE_CLOSE] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_CLOSE_WAIT] = { COLOR_YELLOW, -1, A_BOLD, A_BOLD },
	[ROLE_STATE_LAST_ACK] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_LISTEN] = { COLOR_CYAN, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_CLOSING] = { -1, -1, A_NORMAL, A_NORMAL },
	[ROLE_STATE_UNKNOWN] = { -1, -1, A_NORMAL, A_NORMAL },
};

/* A theme file's slots are the roles' names (matched without case). */
static const char *const role_names[ROLE_COUNT] = {
#define X(name) [ROLE_##name] = #name,
	COLOR_ROLE_LIST(X)
#undef X
};

static struct theme_slot slots[ROLE_COUNT];	/* the file's; unset: the default's */
static char current_name[256] = "default";
static attr_t role_attrs[ROLE_COUNT];
static bool color_on, started;

static attr_t slot_attrs(unsigned a)
{
	static const struct { unsigned bit; attr_t attr; } map[] = {
		{ THEME_BOLD, A_BOLD }, { THEME_DIM, A_DIM }, { THEME_UNDERLINE, A_UNDERLINE },
		{ THEME_REVERSE, A_REVERSE }, { THEME_ITALIC, A_ITALIC }, { THEME_BLINK, A_BLINK },
		{ THEME_STANDOUT, A_STANDOUT },
	};
	attr_t out = A_NORMAL;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (a & map[i].bit)
			out |= map[i].attr;
	return out;
}

/* The role's colours and attributes on a terminal of ncolors colours. */
static void role_colors(int r, int ncolors, short *fg, short *bg, attr_t *attr)
{
	if (!slots[r].set) {
		*fg = default_theme[r].fg, *bg = default_theme[r].bg;
		*attr = default_theme[r].color_attr;
		return;
	}
	*fg = (short)theme_color_for(&slots[r].fg, ncolors);
	*bg = (short)theme_color_for(&slots[r].bg, ncolors);
	*attr = slot_attrs(slots[r].attrs);
}

static void theme_apply(void)
{
	/* a direct-colour terminal still has the 256-colour palette */
	int ncolors = COLORS > 256 ? 256 : COLORS;
	/* terminals without default colours (-1) get white on black */
	bool defaults = color_on && use_default_colors() == OK;

	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg, bg;
		attr_t attr;

		if (!color_on || r + 1 >= COLOR_PAIRS) {
			role_attrs[r] = default_theme[r].mono_attr;
			continue;
		}
		role_colors(r, ncolors, &fg, &bg, &attr);
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), fg, bg);
		role_attrs[r] = COLOR_PAIR(r + 1) | attr;
	}
}

void theme_init(bool color)
{
	color_on = color;
	started = true;
	theme_apply();
}

attr_t theme_attr(enum color_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_attrs[role] : A_NORMAL;
}

bool theme_colored(void)
{
	return color_on;
}

const char *theme_current(void)
{
	return current_name;
}

/* A theme file is a page of text: anything bigger is no theme. */
#define THEME_MAX_BYTES (64 * 1024)

static char *read_small_file(const char *path, size_t *len, char *err, size_t errlen)
{
	const char *cause;
	FILE *f = input_file_open(path, &cause);	/* a FIFO would block the screen */
	char *text;

	if (!f) {
		snprintf(err, errlen, "%s: cannot read it: %s", path, cause);
		return NULL;
	}
	if (!(text = malloc(THEME_MAX_BYTES + 1))) {
		fclose(f);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	*len = fread(text, 1, THEME_MAX_BYTES + 1, f);
	fclose(f);
	if (*len > THEME_MAX_BYTES) {
		snprintf(err, errlen, "%s: too big for a theme (over %d KiB)", path, THEME_MAX_BYTES / 1024);
		free(text);
		return NULL;
	}
	return text;
}

int theme_use_file(const char *path, const char *name, char *err, size_t errlen)
{
	struct theme_slot parsed[ROLE_COUNT];
	size_t len;
	char *text = read_small_file(path, &len, err, errlen);
	int ret;

	if (!text)
		return -1;
	ret = theme_parse(text, len, path, role_names, ROLE_COUNT, parsed, err, errlen);
	free(text);
	if (ret < 0)
		return -1;
	memcpy(slots, parsed, sizeof(slots));
	snprintf(current_name, sizeof(current_name), "%s", name);
	if (started)
		theme_apply();
	return 0;
}

enum color_role theme_state_role(unsigned state)
{
	static const enum color_role roles[ST_COUNT] = {
		[ST_UNKNOWN] = ROLE_STATE_UNKNOWN, [ST_ESTABLISHED] = ROLE_STATE_ESTABLISHED,
		[ST_SYN_SENT] = ROLE_STATE_SYN_SENT, [ST_SYN_RECV] = ROLE_STATE_SYN_RECV,
		[ST_FIN_WAIT1] = ROLE_STATE_FIN_WAIT1, [ST_FIN_WAIT2] = ROLE_STATE_FIN_WAIT2,
		[ST_TIME_WAIT] = ROLE_STATE_TIME_WAIT, [ST_CLOSE] = ROLE_STATE_CLOSE,
		[ST_CLOSE_WAIT] = ROLE_STATE_CLOSE_WAIT, [ST_LAST_ACK] = ROLE_STATE_LAST_ACK,
		[ST_LISTEN] = ROLE_STATE_LISTEN, [ST_CLOSING] = ROLE_STATE_CLOSING,
	};
	return state < ST_COUNT ? roles[state] : ROLE_STATE_UNKNOWN;
}
