/* config.c: the key table drives parsing, validation and writing. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../atomic_file.h"
#include "../input_file.h"

enum kind { NUMBER, WHOLE, STRING, BOOL };

static const struct {
	const char *name;
	enum kind kind;
	double min, max;
	const char *help;
} keys[CONFIG_KEY_COUNT] = {
#define X(name, kind, min, max, help) [CONFIG_##name] = { #name, kind, min, max, help },
	CONFIG_KEY_LIST(X)
#undef X
};

int config_default_path(char *buf, size_t len)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg)
		n = snprintf(buf, len, "%s/nettop/config", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/nettop/config", home);
	else
		return -ENOENT;
	return n > 0 && (size_t)n < len ? 0 : -ENAMETOOLONG;
}

const char *config_key_name(enum config_key k)
{
	return keys[k].name;
}

void config_key_bounds(enum config_key k, double *min, double *max)
{
	*min = keys[k].min;
	*max = keys[k].max;
}

const char *config_get(const struct config *c, enum config_key k)
{
	return c->values[k];
}

int config_number(enum config_key k, const char *text, double *v, char *err, size_t errlen)
{
	char *end;
	bool whole = keys[k].kind == WHOLE;

	errno = 0;
	*v = strtod(text, &end);
	/* written so that NaN, which no comparison holds for, fails too */
	if (*text && !*end && !errno && isfinite(*v) && *v >= keys[k].min && *v <= keys[k].max &&
	    (!whole || *v == floor(*v)))
		return 0;
	snprintf(err, errlen, "'%s' is not a %snumber from %.10g to %.10g", text, whole ? "whole " : "",
		 keys[k].min, keys[k].max);
	return -1;
}

static int validate(enum config_key k, const char *v, char *err, size_t errlen)
{
	char what[200];
	double d;

	switch (keys[k].kind) {
	case NUMBER:
	case WHOLE:
		if (config_number(k, v, &d, what, sizeof(what)) < 0) {
			snprintf(err, errlen, "%s: %s", keys[k].name, what);
			return -1;
		}
		return 0;
	case BOOL:
		if (strcasecmp(v, "yes") && strcasecmp(v, "no") && strcasecmp(v, "true") &&
		    strcasecmp(v, "false") && strcmp(v, "1") && strcmp(v, "0")) {
			snprintf(err, errlen, "%s: '%s' is not yes or no", keys[k].name, v);
			return -1;
		}
		return 0;
	case STRING:
		for (const char *p = v; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f) {
				snprintf(err, errlen, "%s: a control character in the value", keys[k].name);
				return -1;
			}
		return 0;
	}
	return -1;
}

int config_set(struct config *c, enum config_key k, const char *value, char *err, size_t errlen)
{
	char *copy;

	if (validate(k, value, err, errlen) < 0)
		return -1;
	if (c->values[k] && !strcmp(c->values[k], value))
		return 0;
	if (!(copy = strdup(value))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(c->values[k]);
	c->values[k] = copy;
	c->changed = true;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]);)
		*--e = '\0';
	return s;
}

/* One line; 0, or -1 with "what" in what. */
static int load_line(struct config *c, char *line, char *what, size_t len)
{
	char *eq = strchr(line, '='), *key, *value;
	int k;

	if (!eq) {
		snprintf(what, len, "expected 'key = value'");
		return -1;
	}
	*eq = '\0';
	key = trim(line);
	value = trim(eq + 1);
	for (k = 0; k < CONFIG_KEY_COUNT && strcasecmp(key, keys[k].name); k++)
		;
	if (k == CONFIG_KEY_COUNT) {
		snprintf(what, len, "unknown setting '%s'", key);
		return -1;
	}
	if (config_set(c, (enum config_key)k, value, what, len) < 0)
		return -1;
	return 0;
}

/* Reads one line, without its newline, into buf. Returns its length (NUL
 * bytes counted: fgets would hide them and what follows), -1 at the end of
 * the file, or -2 when the line is longer than buf (its rest is skipped). */
static long read_line(FILE *f, char *buf, size_t size)
{
	size_t n = 0;
	int ch;

	while ((ch = getc(f)) != EOF && ch != '\n') {
		if (n + 1 < size)
			buf[n] = (char)ch;
		n++;
	}
	if (ch == EOF && n == 0)
		return -1;
	buf[n < size ? n : size - 1] = '\0';
	return n < size ? (long)n : -2;
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
	FILE *f;
	const char *cause;
	char line[1024];
	long n;
	int lineno = 0, bad = 0;

	memset(c, 0, sizeof(*c));
	if (!(c->path = strdup(path))) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	if (!(f = input_file_open(path, &cause))) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: cannot read it: %s", path, cause);
		return -1;
	}
	while ((n = read_line(f, line, sizeof(line))) != -1) {
		char what[300], *s;

		lineno++;
		if (n == -2) {
			snprintf(what, sizeof(what), "line too long");
		} else if (memchr(line, '\0', (size_t)n)) {
			snprintf(what, sizeof(what), "a NUL byte in the line (not a text file?)");
		} else {
			s = trim(line);
			if (!*s || *s == '#' || load_line(c, s, what, sizeof(what)) == 0)
				continue;
		}
		if (!bad++)
			snprintf(err, errlen, "%s:%d: %s", path, lineno, what);
	}
	fclose(f);
	c->changed = false;	/* loading is no change: the file stays as it is */
	return bad;
}

void config_free(struct config *c)
{
	for (int k = 0; k < CONFIG_KEY_COUNT; k++)
		free(c->values[k]);
	free(c->path);
	memset(c, 0, sizeof(*c));
}

/* Creates the directories above path that are missing. 0 or -errno: an
 * unwritable parent reports its own cause (EACCES, EROFS), not the ENOENT
 * that opening the file below it would. */
static int make_parent_dirs(const char *path)
{
	char dir[4096];

	if ((size_t)snprintf(dir, sizeof(dir), "%s", path) >= sizeof(dir))
		return -ENAMETOOLONG;
	for (char *p = dir + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return -errno;
			*p = '/';
		}
	return 0;
}

/* The file's text: each set key under its help line. NULL when out of memory. */
static char *config_text(const struct config *c, size_t *len)
{
	char *text = NULL;
	FILE *f = open_memstream(&text, len);

	if (!f)
		return NULL;
	fprintf(f, "# nettop settings; written by nettop when a setting changes\n");
	for (int k = 0; k < CONFIG_KEY_COUNT; k++)
		if (c->values[k])
			fprintf(f, "# %s\n%s = %s\n", keys[k].help, keys[k].name, c->values[k]);
	if (fclose(f)) {
		free(text);
		return NULL;
	}
	return text;
}

int config_save(struct config *c)
{
	char *text;
	size_t len;
	int err;

	if (!c->changed || !c->path)
		return 0;
	if ((err = make_parent_dirs(c->path)) < 0)
		return err;
	if (!(text = config_text(c, &len)))
		return -ENOMEM;
	/* a config linked from a dotfile repository stays a link: the file it
	 * names is replaced */
	err = atomic_file_write(c->path, text, len, ATOMIC_FILE_FOLLOW);
	free(text);
	if (!err)
		c->changed = false;
	return err;
}
