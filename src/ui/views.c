/* views.c: what needs a pane's view besides drawing it: its columns for
 * sorting (the model sorts by a column's id), and its rows' text for search. */
#include <stdio.h>
#include <string.h>

#include "../model/closed_log.h"
#include "views.h"

const struct pane_view *pane_view(const struct ui *ui, enum pane_id id)
{
	static const struct pane_view *const views[PANE_COUNT] = {
		[PANE_STATES] = &pane_states_view,
		[PANE_REMOTE] = &pane_remote_view,
		[PANE_IFACES] = &pane_ifaces_view,
		[PANE_FLOOD] = &pane_flood_view,
		[PANE_LISTENERS] = &pane_listeners_view,
		[PANE_SOURCES] = &pane_sources_view,
		[PANE_CONNS] = &pane_conns_view,
		[PANE_CONNTRACK] = &pane_conntrack_view,
	};

	if (id == PANE_CONNS && ui->m.ops[PANE_CONNS] == &pane_procs_model)
		return &pane_procs_view;
	if (id == PANE_CONNS && ui->m.ops[PANE_CONNS] == &pane_closed_model)
		return &pane_closed_view;
	if (id == PANE_CONNS && ui->m.ops[PANE_CONNS] == &pane_netns_model)
		return &pane_netns_view;
	return views[id];
}

int view_columns(const struct ui *ui, enum pane_id id, struct column *out)
{
	return pane_view(ui, id)->columns(ui, out);
}

static void view_row_text(const struct ui *ui, enum pane_id id, size_t row, char *buf, size_t len)
{
	const struct pane_view *v = pane_view(ui, id);
	struct column cols[MAX_COLUMNS];
	int n = v->columns(ui, cols);
	size_t used = 0;

	buf[0] = '\0';
	for (int i = 0; i < n && used + 1 < len; i++) {
		enum color_role role;

		v->cell(ui, row, &cols[i], cols[i].width, buf + used, len - used, &role);
		used += strlen(buf + used);
		if (used + 1 < len)
			buf[used++] = ' ', buf[used] = '\0';
	}
}

struct search {
	const struct ui *ui;
	const char *text;
};

static bool row_contains(const void *arg, enum pane_id id, size_t row)
{
	const struct search *s = arg;
	char line[1024];

	view_row_text(s->ui, id, row, line, sizeof(line));
	return strcasestr(line, s->text) != NULL;
}

bool view_search(struct ui *ui, const char *text)
{
	struct search s = { ui, text };

	return pane_search(&ui->m, row_contains, &s);
}

unsigned view_sort_set(struct ui *ui, enum pane_id id, int column)
{
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, id, cols);

	return pane_sort_set(&ui->m, id, column, cols, n);
}

unsigned view_sort_step(struct ui *ui, int step)
{
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, ui->m.focus, cols);

	return pane_sort_step(&ui->m, step, cols, n);
}
