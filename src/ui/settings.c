/* settings.c: the config file (config.h) and the screen. At start the file's
 * settings apply where the command line says nothing; a bad line is shown on
 * the status line and the rest applies. After keys, each setting is read
 * back from the screen and compared with what it was: only what the user
 * changed goes into the file, which is written only then. Flags given on the
 * command line are for this run: they are never written unless changed. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../config/config.h"
#include "../lookup.h"
#include "settings.h"
#include "setup.h"
#include "theme.h"
#include "views.h"

struct settings {
	struct config config;
	bool have_path;			/* no HOME, no XDG_CONFIG_HOME: nothing is saved */
	char *seen[CONFIG_KEY_COUNT];	/* each setting as the last sync found it */
	bool save_failed;		/* said once, not after every key */
};

/* Says what is wrong at start, unless something was said before: the
 * first problem of the file is the one worth reading. */
__attribute__((format(printf, 2, 3)))
static void start_note(struct ui *ui, const char *fmt, ...)
{
	char text[sizeof(ui->m.message)];
	va_list ap;

	if (ui->m.message[0])
		return;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	model_message(&ui->m, true, "%s", text);
}

static bool is_yes(const char *v)
{
	return !strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1");
}

/* --- the panes' sort columns, by name -------------------------------------- */

/* "Remote address" -> "remote_address", "RX/s" -> "rx_s", "" (the bar) -> "bar". */
static void column_slug(const char *title, char *buf, size_t len)
{
	size_t n = 0;

	for (const char *p = title; *p && n + 1 < len; p++) {
		if (isalnum((unsigned char)*p))
			buf[n++] = (char)tolower((unsigned char)*p);
		else if (n && buf[n - 1] != '_')
			buf[n++] = '_';
	}
	while (n && buf[n - 1] == '_')
		n--;
	buf[n] = '\0';
	if (!n)
		snprintf(buf, len, "bar");
}

/* The connections pane's state: P swaps its two forms, and E puts the
 * Closed view in place of the one shown (the saved sort is the per-socket
 * form's). */
static struct pane_state *sort_state(struct ui *ui, enum pane_id id)
{
	if (id == PANE_CONNS && ui->m.by_netns)
		return &ui->m.netns_other;
	if (id == PANE_CONNS && ui->m.by_process)
		return &ui->m.other_conns;
	if (id == PANE_CONNS && ui->m.closed_shown)
		return &ui->m.other_closed;
	return &ui->m.panes[id];
}

static void sort_name(const struct ui *ui, enum pane_id id, int column, char *buf, size_t len)
{
	struct column cols[MAX_COLUMNS];
	int n;

	buf[0] = '\0';
	if (id == PANE_CONNS) {
		if (column >= 0 && column < FIELD_COUNT)
			snprintf(buf, len, "%s", field_get(column)->name);
		return;
	}
	n = view_columns(ui, id, cols);
	for (int i = 0; i < n; i++)
		if (cols[i].id == column)
			column_slug(cols[i].title, buf, len);
}

/* A column id of pane id by name; -1 if none. */
static int sort_column(const struct ui *ui, enum pane_id id, const char *name)
{
	struct column cols[MAX_COLUMNS];
	char slug[64];
	int n;

	if (id == PANE_CONNS)
		return field_by_name(name);
	n = view_columns(ui, id, cols);
	for (int i = 0; i < n; i++) {
		column_slug(cols[i].title, slug, sizeof(slug));
		if (!strcasecmp(slug, name))
			return cols[i].id;
	}
	return -1;
}

static void sort_get(const struct ui *ui, enum pane_id id, char *buf, size_t len)
{
	const struct pane_state *ps = sort_state((struct ui *)ui, id);
	char name[64];

	sort_name(ui, id, ps->sort, name, sizeof(name));
	snprintf(buf, len, "%s %s", name, ps->descending ? "desc" : "asc");
}

/* "COLUMN [asc|desc]"; 0 or -1 with why in err. */
static int sort_apply(struct ui *ui, enum pane_id id, const char *v, char *err, size_t len)
{
	char name[64], dir[16] = "", extra[2];
	int n = sscanf(v, "%63s %15s %1s", name, dir, extra), column;
	struct pane_state *ps = sort_state(ui, id);

	if (n < 1 || n > 2 || (n == 2 && strcasecmp(dir, "asc") && strcasecmp(dir, "desc"))) {
		snprintf(err, len, "'%s' is not 'COLUMN [asc|desc]'", v);
		return -1;
	}
	if ((column = sort_column(ui, id, name)) < 0) {
		snprintf(err, len, "no column '%s' in %s", name, ui->m.ops[id]->title);
		return -1;
	}
	ps->sort = column;
	ps->descending = n == 2 ? !strcasecmp(dir, "desc") : ui->m.ops[id]->default_descending;
	return 0;
}

/* --- the connections pane's columns ----------------------------------------- */

/* "proto,recv_q,...": the columns shown, in order; PID/Program where it goes
 * when p shows it. */
static void columns_get(const struct ui *ui, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < FIELD_COUNT; i++) {
		enum field_id f = ui->m.col_order[i];
		int n;

		if (ui->m.col_hidden[f])
			continue;
		n = snprintf(buf + used, len - used, "%s%s", used ? "," : "", field_get(f)->name);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static int columns_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	uint8_t order[FIELD_COUNT];
	bool listed[FIELD_COUNT] = { false };
	char copy[512], *save, *w;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", v);
	for (w = strtok_r(copy, ", \t", &save); w; w = strtok_r(NULL, ", \t", &save)) {
		int f = field_by_name(w);

		if (f < 0) {
			snprintf(err, len, "no column '%s'", w);
			return -1;
		}
		if (!listed[f])
			order[n++] = (uint8_t)f;
		listed[f] = true;
	}
	if (!n || (n == 1 && listed[FIELD_PROCESS])) {
		snprintf(err, len, "no column to show");
		return -1;
	}
	for (int f = 0; f < FIELD_COUNT; f++)
		if (!listed[f])
			order[n++] = (uint8_t)f;
	memcpy(ui->m.col_order, order, sizeof(order));
	for (int f = 0; f < FIELD_COUNT; f++)
		ui->m.col_hidden[f] = !listed[f] && f != FIELD_PROCESS;
	return 0;
}

/* --- one row per setting ------------------------------------------------------ */

static void interval_get(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "%g", ui->m.interval);
}

static int interval_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	if (!ui->m.opts->interval_given)
		ui->m.interval = strtod(v, NULL);	/* config_load checked the range */
	return 0;
}

static void theme_get(const struct ui *ui, char *buf, size_t len)
{
	(void)ui;
	snprintf(buf, len, "%s", theme_current());
}

/* --theme is applied before the file (a broken one stops nettop). */
static int theme_apply_config(struct ui *ui, const char *v, char *err, size_t len)
{
	if (ui->m.opts->theme)
		return 0;
	return theme_select(v, err, len);
}

static void numeric_get(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ui->m.numeric ? "yes" : "no");
}

static int numeric_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	if (!ui->m.opts->numeric)
		ui->m.numeric = is_yes(v);
	return 0;
}

static void processes_get(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "%s", ui->m.show_procs ? "yes" : "no");
}

static int processes_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	if (!ui->m.opts->show_procs)
		ui->m.show_procs = is_yes(v);
	return 0;
}

/* The filter on screen, typed or chosen with Enter; "" when none. */
static void filter_get(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "%s", filter_text(ui->m.filter));
}

static int filter_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	struct filter *f;

	if (ui->m.filter || !*v)
		return 0;	/* the command line's filter wins */
	if (!(f = filter_parse(v, lookup_filter_names(), err, len)))
		return -1;
	ui->m.filter = f;
	ui->m.view_gen++;
	return 0;
}

/* Read at start only: no key changes it. */
static int layout_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	static const char *const names[] = {
		[LAYOUT_AUTO] = "auto", [LAYOUT_STACKED] = "stacked", [LAYOUT_SINGLE] = "single",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(v, names[i])) {
			ui->layout = (enum layout_mode)i;
			return 0;
		}
	snprintf(err, len, "'%s' is not auto, stacked or single", v);
	return -1;
}

static void threshold_get(const struct ui *ui, char *buf, size_t len)
{
	snprintf(buf, len, "%u", ui->m.flood_threshold);
}

static int threshold_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	if (!ui->m.opts->flood_threshold_given)
		ui->m.flood_threshold = (unsigned)strtod(v, NULL);
	return 0;
}

/* Read before the first sample makes the log (closed_log.h). */
static int closed_ring_apply(struct ui *ui, const char *v, char *err, size_t len)
{
	(void)err, (void)len;
	ui->m.closed_cap = (size_t)strtod(v, NULL);
	return 0;
}

#define SORT_ROW(pane, id) \
	static void sort_get_##pane(const struct ui *ui, char *buf, size_t len) \
	{ sort_get(ui, id, buf, len); } \
	static int sort_apply_##pane(struct ui *ui, const char *v, char *err, size_t len) \
	{ return sort_apply(ui, id, v, err, len); }
SORT_ROW(states, PANE_STATES)
SORT_ROW(remote, PANE_REMOTE)
SORT_ROW(ifaces, PANE_IFACES)
SORT_ROW(conns, PANE_CONNS)
#undef SORT_ROW

/* get NULL: read at start, never written (no key changes the layout). */
static const struct setting {
	enum config_key key;
	void (*get)(const struct ui *ui, char *buf, size_t len);
	int (*apply)(struct ui *ui, const char *value, char *err, size_t len);
} settings_table[] = {
	{ CONFIG_interval, interval_get, interval_apply },
	{ CONFIG_theme, theme_get, theme_apply_config },
	{ CONFIG_numeric, numeric_get, numeric_apply },
	{ CONFIG_processes, processes_get, processes_apply },
	{ CONFIG_filter, filter_get, filter_apply },
	{ CONFIG_flood_threshold, threshold_get, threshold_apply },
	{ CONFIG_sort_states, sort_get_states, sort_apply_states },
	{ CONFIG_sort_remote, sort_get_remote, sort_apply_remote },
	{ CONFIG_sort_ifaces, sort_get_ifaces, sort_apply_ifaces },
	{ CONFIG_sort_conns, sort_get_conns, sort_apply_conns },
	{ CONFIG_columns, columns_get, columns_apply },
	{ CONFIG_layout, NULL, layout_apply },
	{ CONFIG_closed_ring, NULL, closed_ring_apply },
};
#define NSETTINGS (sizeof(settings_table) / sizeof(settings_table[0]))

static void settings_apply(struct ui *ui, struct settings *s)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		const char *v = config_get(&s->config, settings_table[i].key);
		char err[300];

		if (v && settings_table[i].apply(ui, v, err, sizeof(err)) < 0)
			start_note(ui, "%s: %s: %s", s->config.path, config_key_name(settings_table[i].key),
				   err);
	}
}

/* What the screen shows now, for each setting written back. */
static void settings_seen(struct ui *ui, struct settings *s)
{
	for (size_t i = 0; i < NSETTINGS; i++) {
		enum config_key k = settings_table[i].key;
		char now[512];

		if (!settings_table[i].get)
			continue;
		settings_table[i].get(ui, now, sizeof(now));
		free(s->seen[k]);
		s->seen[k] = strdup(now);
	}
}

int settings_start(struct ui *ui, char *err, size_t errlen)
{
	const struct options *o = ui->m.opts;
	struct settings *s = calloc(1, sizeof(*s));
	char path[4096], cerr[400] = "";
	int bad = 0;

	ui->m.flood_threshold = o->flood_syn_recv;
	panes_columns_default(&ui->m);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ui->settings = s;
	/* a broken theme named on the command line stops nettop before the screen */
	if (o->theme && theme_select(o->theme, err, errlen) < 0)
		return -1;
	s->have_path = o->config ? snprintf(path, sizeof(path), "%s", o->config) > 0
				 : config_default_path(path, sizeof(path)) == 0;
	if (s->have_path)
		bad = config_load(&s->config, path, cerr, sizeof(cerr));
	if (bad < 0) {
		start_note(ui, "%s", cerr);
		s->have_path = false;	/* never overwrite what could not be read */
	}
	else if (bad > 0)
		start_note(ui, "%s%s", cerr, bad > 1 ? " (and more lines)" : "");
	if (bad >= 0 && s->have_path)
		settings_apply(ui, s);
	/* the file's own bad lines stay until the user changes something */
	s->config.changed = false;
	settings_seen(ui, s);
	return 0;
}

void settings_sync(struct ui *ui)
{
	struct settings *s = ui->settings;
	int err;

	if (!s || !s->have_path || !s->config.path)
		return;
	for (size_t i = 0; i < NSETTINGS; i++) {
		enum config_key k = settings_table[i].key;
		char now[512], cerr[300];

		if (!settings_table[i].get)
			continue;
		settings_table[i].get(ui, now, sizeof(now));
		if (s->seen[k] && !strcmp(s->seen[k], now))
			continue;
		free(s->seen[k]);
		s->seen[k] = strdup(now);
		if (config_set(&s->config, k, now, cerr, sizeof(cerr)) < 0)
			model_message(&ui->m, true, "setting not saved: %s", cerr);
	}
	if ((err = config_save(&s->config)) < 0 && !s->save_failed) {
		s->save_failed = true;
		model_message(&ui->m, true, "settings not saved: %s: %s", s->config.path, strerror(-err));
	}
}

const char *settings_path(const struct ui *ui)
{
	return ui->settings && ui->settings->have_path && ui->settings->config.path
		? ui->settings->config.path : "";
}

void settings_free(struct ui *ui)
{
	struct settings *s = ui->settings;

	if (!s)
		return;
	for (int k = 0; k < CONFIG_KEY_COUNT; k++)
		free(s->seen[k]);
	config_free(&s->config);
	free(s);
	ui->settings = NULL;
}
