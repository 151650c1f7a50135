/* theme_file.h: the theme format, parsed without curses.
 *
 *   # a comment
 *   slot = FG [on BG] [ATTR…]
 *
 * FG and BG: a name (default black red green yellow blue magenta cyan white,
 * and bright-NAME), a 256-colour index 0-255, or #rrggbb. ATTR: bold dim
 * underline reverse italic blink standout normal. Slots are the caller's
 * (the screen's colour roles). */
#ifndef NETTOP_THEME_FILE_H
#define NETTOP_THEME_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum theme_attr {
	THEME_BOLD = 1 << 0, THEME_DIM = 1 << 1, THEME_UNDERLINE = 1 << 2, THEME_REVERSE = 1 << 3,
	THEME_ITALIC = 1 << 4, THEME_BLINK = 1 << 5, THEME_STANDOUT = 1 << 6,
};

/* A colour as written: the terminal's default, an index, or RGB. */
struct theme_color {
	enum { COLOR_SPEC_DEFAULT, COLOR_SPEC_INDEX, COLOR_SPEC_RGB } kind;
	uint8_t index;			/* 0-255 */
	uint8_t r, g, b;
};

struct theme_slot {
	bool set;			/* the file names this slot */
	struct theme_color fg, bg;
	unsigned attrs;			/* enum theme_attr */
};

/* Parses text (a file's content) into slots[i] for the names in slot_names
 * (nslots of them, matched without case). Returns 0, or -1 with
 * "NAME:LINE: what is wrong" in err (name: the file's name for messages). */
int theme_parse(const char *text, size_t len, const char *name, const char *const *slot_names,
		size_t nslots, struct theme_slot *slots, char *err, size_t errlen);

/* The colour to use on a terminal with ncolors colours (8, 16, 256): an
 * index below ncolors, or -1 for the default. RGB and high indexes are
 * brought down to the nearest colour the terminal has. */
int theme_color_for(const struct theme_color *c, int ncolors);

/* Finds a theme by name: "NAME" in each directory of dirs (in order) as
 * NAME.theme, or a path when name holds a '/'. Writes the path found into
 * path; 0 or -ENOENT. */
int theme_find(const char *name, const char *const *dirs, size_t ndirs, char *path, size_t len);

#endif
