/* view_remote.c: the top remote addresses on screen, split by state; the
 * count column widens for counts too long for its title (rows_remote.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "names.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ REMOTE_COL_ADDRESS, "Remote address", 15, COL_GROW },
	{ REMOTE_COL_CONNS, "Conns", 5, COL_RIGHT },
	{ REMOTE_COL_STATES, "By state", 10, COL_GROW | COL_OPTIONAL },
};

/* The count column widens for a count of more digits than its title has
 * room for: 100000 connections from one address show whole. */
static int remote_columns(const struct ui *ui, struct column *out)
{
	uint32_t most = ui->m.remote.n ? ui->m.remote.rows[0].connections : 0;
	int digits = 1;

	memcpy(out, columns, sizeof(columns));
	/* rows[] is the view's order: most connections first */
	for (; most >= 10; most /= 10)
		digits++;
	if (digits > out[REMOTE_COL_CONNS].width)
		out[REMOTE_COL_CONNS].width = digits;
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

/* With every namespace sampled: " in NAME" (escaped), or " (several netns)"
 * when its connections are in more than one. */
static void remote_netns(const struct snapshot *snap, const struct remote_row *r, char *buf,
			 size_t len)
{
	size_t n = strlen(buf);

	if (!snap->nnetns || n + 5 >= len)
		return;
	if (r->netns < 0 || (size_t)r->netns >= snap->nnetns) {
		snprintf(buf + n, len - n, " (several netns)");
		return;
	}
	memcpy(buf + n, " in ", 5);
	escape_text(buf + n + 4, len - n - 4, snap->netns[r->netns].name,
		    strlen(snap->netns[r->netns].name));
}

static void remote_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			char *buf, size_t len, enum color_role *role)
{
	const struct remote_row *r = rows_remote_at(&ui->m, row);

	(void)width;
	switch (c->id) {
	case REMOTE_COL_ADDRESS:
		names_host(ui, r->family, r->addr, buf, len);
		remote_netns(ui->m.cur->snap, r, buf, len);
		break;
	case REMOTE_COL_CONNS:
		snprintf(buf, len, "%u", r->connections);
		break;
	case REMOTE_COL_STATES:
		pane_states_split(r->by_state, buf, len);
		if (r->by_state[ST_SYN_RECV] || r->by_state[ST_CLOSE_WAIT])
			*role = ROLE_WARN;
		break;
	}
}

static void remote_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->m.cur)
		snprintf(buf, len, "%zu addresses", ui->m.remote.n);
}

const struct pane_view pane_remote_view = {
	.columns = remote_columns,
	.cell = remote_cell,
	.summary = remote_summary,
};
