/* theme.c: one table of colour roles. Each role has a colour form and a
 * monochrome form (NO_COLOR, --no-color, vt100), so every role stays
 * readable without colour. */
#include "screen.h"

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
};

static attr_t role_attrs[ROLE_COUNT];

void theme_init(bool color)
{
	const struct role_style *t = default_theme;

	/* terminals without default colours (-1) get white on black */
	bool defaults = color && use_default_colors() == OK;

	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg = t[r].fg, bg = t[r].bg;

		if (!color || r + 1 >= COLOR_PAIRS) {
			role_attrs[r] = t[r].mono_attr;
			continue;
		}
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), fg, bg);
		role_attrs[r] = COLOR_PAIR(r + 1) | t[r].color_attr;
	}
}

attr_t theme_attr(enum color_role role)
{
	return (unsigned)role < ROLE_COUNT ? role_attrs[role] : A_NORMAL;
}
