/* theme_file.c: one "slot = colours and attributes" line at a time. */
#include "theme_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* xterm's 16 basic colours, for bringing RGB down to 8 or 16 colours. */
static const uint8_t basic_rgb[16][3] = {
	{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 }, { 0, 0, 238 }, { 205, 0, 205 },
	{ 0, 205, 205 }, { 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 }, { 0, 255, 0 },
	{ 255, 255, 0 }, { 92, 92, 255 }, { 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
};

static const struct { const char *name; unsigned bit; } attr_names[] = {
	{ "bold", THEME_BOLD }, { "dim", THEME_DIM }, { "underline", THEME_UNDERLINE },
	{ "reverse", THEME_REVERSE }, { "italic", THEME_ITALIC }, { "blink", THEME_BLINK },
	{ "standout", THEME_STANDOUT }, { "normal", 0 },
};

static int hexval(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10);
}

/* Parses one colour word; false if it is none. */
static bool parse_color(const char *w, struct theme_color *c)
{
	char *end;
	long v;

	memset(c, 0, sizeof(*c));
	if (!strcasecmp(w, "default") || !strcasecmp(w, "none"))
		return true;
	if (w[0] == '#') {
		if (strlen(w) != 7 || strspn(w + 1, "0123456789abcdefABCDEF") != 6)
			return false;
		c->kind = COLOR_SPEC_RGB;
		c->r = (uint8_t)(hexval(w[1]) * 16 + hexval(w[2]));
		c->g = (uint8_t)(hexval(w[3]) * 16 + hexval(w[4]));
		c->b = (uint8_t)(hexval(w[5]) * 16 + hexval(w[6]));
		return true;
	}
	c->kind = COLOR_SPEC_INDEX;
	if (isdigit((unsigned char)w[0])) {
		v = strtol(w, &end, 10);
		c->index = (uint8_t)v;
		return !*end && v >= 0 && v <= 255;
	}
	for (int bright = 0; bright < 2; bright++)
		for (int i = 0; i < 8; i++) {
			const char *n = w;

			if (bright && strncasecmp(n, "bright-", 7))
				break;
			if (bright)
				n += 7;
			if (!strcasecmp(n, color_names[i])) {
				c->index = (uint8_t)(i + 8 * bright);
				return true;
			}
		}
	return false;
}

__attribute__((format(printf, 5, 6)))
static int fail(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
{
	char what[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s:%d: %s", name, line, what);
	return -1;
}

static int parse_line(char *line, const char *name, int lineno, const char *const *slot_names,
		      size_t nslots, struct theme_slot *slots, char *err, size_t errlen)
{
	char *eq = strchr(line, '='), *save, *w, *key = line;
	struct theme_slot slot = { .set = true };
	size_t k;
	bool want_bg = false, have_fg = false;

	if (!eq)
		return fail(err, errlen, name, lineno, "expected 'slot = colour [on colour] [attributes]'");
	*eq = '\0';
	while (isspace((unsigned char)*key))
		key++;
	for (char *e = key + strlen(key); e > key && isspace((unsigned char)e[-1]);)
		*--e = '\0';
	for (k = 0; k < nslots && strcasecmp(key, slot_names[k]); k++)
		;
	if (k == nslots)
		return fail(err, errlen, name, lineno, "unknown slot '%s'", key);
	for (w = strtok_r(eq + 1, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		size_t a;

		if (!strcasecmp(w, "on")) {
			want_bg = true;
			continue;
		}
		if (want_bg) {
			if (!parse_color(w, &slot.bg))
				return fail(err, errlen, name, lineno, "'%s' is not a colour", w);
			want_bg = false;
			continue;
		}
		for (a = 0; a < sizeof(attr_names) / sizeof(attr_names[0]); a++)
			if (!strcasecmp(w, attr_names[a].name))
				break;
		if (a < sizeof(attr_names) / sizeof(attr_names[0])) {
			slot.attrs |= attr_names[a].bit;
			continue;
		}
		if (have_fg || !parse_color(w, &slot.fg))
			return fail(err, errlen, name, lineno, "'%s' is not a colour or an attribute", w);
		have_fg = true;
	}
	if (want_bg)
		return fail(err, errlen, name, lineno, "expected a colour after 'on'");
	slots[k] = slot;
	return 0;
}

int theme_parse(const char *text, size_t len, const char *name, const char *const *slot_names,
		size_t nslots, struct theme_slot *slots, char *err, size_t errlen)
{
	const char *p = text, *end = text + len;
	int lineno = 0;

	for (size_t i = 0; i < nslots; i++)
		slots[i] = (struct theme_slot){ 0 };
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char line[512], *hash, *s;

		lineno++;
		if (n >= sizeof(line))
			return fail(err, errlen, name, lineno, "line too long");
		memcpy(line, p, n);
		line[n] = '\0';
		p = nl ? nl + 1 : end;
		if (memchr(line, '\0', n))
			return fail(err, errlen, name, lineno, "not a text file");
		if ((hash = strchr(line, '#')) && (hash == line || isspace((unsigned char)hash[-1])) &&
		    !(hash[1] && isxdigit((unsigned char)hash[1]) && strspn(hash + 1, "0123456789abcdefABCDEF") == 6))
			*hash = '\0';	/* a comment, not a #rrggbb colour */
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (!*s)
			continue;
		if (parse_line(s, name, lineno, slot_names, nslots, slots, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The nearest of the first n basic colours to an RGB value. */
static int nearest_basic(int r, int g, int b, int n)
{
	int best = 0;
	long best_d = -1;

	for (int i = 0; i < n; i++) {
		long dr = r - basic_rgb[i][0], dg = g - basic_rgb[i][1], db = b - basic_rgb[i][2];
		long d = dr * dr + dg * dg + db * db;

		if (best_d < 0 || d < best_d)
			best = i, best_d = d;
	}
	return best;
}

/* An xterm-256 index as RGB. */
static void index_rgb(int i, int *r, int *g, int *b)
{
	static const int steps[6] = { 0, 95, 135, 175, 215, 255 };

	if (i < 16) {
		*r = basic_rgb[i][0], *g = basic_rgb[i][1], *b = basic_rgb[i][2];
	} else if (i < 232) {
		i -= 16;
		*r = steps[i / 36], *g = steps[i / 6 % 6], *b = steps[i % 6];
	} else {
		*r = *g = *b = 8 + (i - 232) * 10;
	}
}

/* Squared distance from an RGB value to an xterm-256 colour. */
static long rgb_distance(int r, int g, int b, int index)
{
	int ir, ig, ib;

	index_rgb(index, &ir, &ig, &ib);
	return (long)(r - ir) * (r - ir) + (long)(g - ig) * (g - ig) + (long)(b - ib) * (b - ib);
}

int theme_color_for(const struct theme_color *c, int ncolors)
{
	int r, g, b;

	if (c->kind == COLOR_SPEC_DEFAULT)
		return -1;
	if (c->kind == COLOR_SPEC_INDEX && c->index < ncolors)
		return c->index;
	if (c->kind == COLOR_SPEC_RGB)
		r = c->r, g = c->g, b = c->b;
	else
		index_rgb(c->index, &r, &g, &b);
	if (ncolors >= 256) {
		/* the 6x6x6 cube, or the grey ramp when a grey is nearer (dark
		 * backgrounds such as #282828 are greys, not black) */
		int ri = (r < 48 ? 0 : r < 115 ? 1 : (r - 35) / 40);
		int gi = (g < 48 ? 0 : g < 115 ? 1 : (g - 35) / 40);
		int bi = (b < 48 ? 0 : b < 115 ? 1 : (b - 35) / 40);
		int cube = 16 + 36 * ri + 6 * gi + bi, avg = (r + g + b) / 3;
		int grey = avg < 8 ? 232 : avg > 238 ? 255 : 232 + (avg - 3) / 10;

		return rgb_distance(r, g, b, grey) < rgb_distance(r, g, b, cube) ? grey : cube;
	}
	return nearest_basic(r, g, b, ncolors >= 16 ? 16 : 8);
}

int theme_find(const char *name, const char *const *dirs, size_t ndirs, char *path, size_t len)
{
	if (strchr(name, '/')) {
		snprintf(path, len, "%s", name);
		return access(path, R_OK) == 0 ? 0 : -ENOENT;
	}
	for (size_t i = 0; i < ndirs; i++) {
		if (!dirs[i])
			continue;
		snprintf(path, len, "%s/%s.theme", dirs[i], name);
		if (access(path, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}
