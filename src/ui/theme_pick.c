/* theme_pick.c: where themes are found (the user's config directory, the
 * installed share/nettop/themes, ./themes, in that order), picking one by
 * name or path, and T's walk through every theme found. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../config/theme_file.h"
#include "../model/model.h"
#include "theme.h"

#ifndef NETTOP_DATADIR
#define NETTOP_DATADIR "/usr/local/share/nettop"
#endif

#define NDIRS 3

/* The theme T tried last (it may have been broken): the walk goes on from
 * there, not from the theme in use. */
static char walk_at[256];

struct theme_dirs {
	char user[PATH_MAX];
	const char *dirs[NDIRS];
};

static void dirs_get(struct theme_dirs *d)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");

	d->dirs[0] = NULL;
	if (xdg && *xdg)
		snprintf(d->user, sizeof(d->user), "%s/nettop/themes", xdg);
	else if (home && *home)
		snprintf(d->user, sizeof(d->user), "%s/.config/nettop/themes", home);
	else
		d->user[0] = '\0';
	if (d->user[0])
		d->dirs[0] = d->user;
	d->dirs[1] = NETTOP_DATADIR "/themes";
	d->dirs[2] = "themes";
}

int theme_select(const char *name, char *err, size_t errlen)
{
	struct theme_dirs d;
	char path[PATH_MAX + 300];

	dirs_get(&d);
	if (theme_find(name, d.dirs, NDIRS, path, sizeof(path)) < 0) {
		if (strchr(name, '/'))
			snprintf(err, errlen, "%s: no such theme file", name);
		else
			snprintf(err, errlen, "theme '%s' not found in %s%s%s, ./themes", name,
				 d.dirs[0] ? d.dirs[0] : "", d.dirs[0] ? ", " : "", d.dirs[1]);
		return -1;
	}
	if (theme_use_file(path, name, err, errlen) < 0)
		return -1;
	snprintf(walk_at, sizeof(walk_at), "%s", name);
	return 0;
}

/* NAME of NAME.theme into name; false for other files. */
static bool theme_file_name(const char *file, char *name, size_t len)
{
	size_t n = strlen(file);

	if (n <= 6 || strcmp(file + n - 6, ".theme") || file[0] == '.' || n - 6 >= len)
		return false;
	memcpy(name, file, n - 6);
	name[n - 6] = '\0';
	return true;
}

/* The name after (step 1) or before (-1) from among every theme found, in
 * name order, wrapping around; false when there are none. */
static bool theme_neighbour(const char *from, int step, char *out, size_t len)
{
	struct theme_dirs d;
	bool found = false;
	char first[256] = "", last[256] = "";

	dirs_get(&d);
	out[0] = '\0';
	for (int i = 0; i < NDIRS; i++) {
		DIR *dir = d.dirs[i] ? opendir(d.dirs[i]) : NULL;
		struct dirent *de;

		while (dir && (de = readdir(dir))) {
			char name[256];
			int c;

			if (!theme_file_name(de->d_name, name, sizeof(name)))
				continue;
			if (!first[0] || strcmp(name, first) < 0)
				snprintf(first, sizeof(first), "%s", name);
			if (strcmp(name, last) > 0)
				snprintf(last, sizeof(last), "%s", name);
			c = strcmp(name, from);
			/* the nearest one past from, in the walk's direction */
			if ((step > 0 ? c > 0 : c < 0) &&
			    (!found || (step > 0 ? strcmp(name, out) < 0 : strcmp(name, out) > 0))) {
				snprintf(out, len, "%s", name);
				found = true;
			}
		}
		if (dir)
			closedir(dir);
	}
	if (!found && first[0])
		snprintf(out, len, "%s", step > 0 ? first : last);
	return out[0] != '\0';
}

unsigned theme_step(struct model *m, int step)
{
	char next[256], err[512], from[256];
	const char *at = walk_at[0] ? walk_at : theme_current();

	/* a path given with --theme walks on from its file's name */
	if (strrchr(at, '/'))
		at = strrchr(at, '/') + 1;
	if (!theme_file_name(at, from, sizeof(from)))
		snprintf(from, sizeof(from), "%s", at);
	if (!theme_neighbour(from, step, next, sizeof(next))) {
		model_message(m, true, "no themes found (themes/*.theme)");
		return REDO_REDRAW;
	}
	snprintf(walk_at, sizeof(walk_at), "%s", next);
	if (theme_select(next, err, sizeof(err)) < 0) {
		model_message(m, true, "%s; the theme stays %s", err, theme_current());
		return REDO_REDRAW;
	}
	clearok(curscr, TRUE);	/* the pairs changed under cells already drawn */
	model_message(m, false, "theme %s%s", next,
		      theme_colored() ? "" : " (this terminal shows no colours)");
	return REDO_REDRAW;
}
