/* view_sources.c: the SYN sources on screen: SYN_RECV sockets and, when
 * SYNs are counted, SYNs per second from each (rows_sources.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"
#include "names.h"
#include "../escape.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ SOURCES_COL_SOURCE, "Source", 15, COL_GROW },
	{ SOURCES_COL_SYN_RECV, "SYN_RECV", 8, COL_RIGHT },
	{ SOURCES_COL_PACKETS, "SYN/s", 7, COL_RIGHT },
};

static int sources_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void sources_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			 char *buf, size_t len, enum color_role *role)
{
	const struct source_row *r = rows_sources_at(&ui->m, row);
	const struct snapshot *snap = ui->m.cur->snap;

	(void)width;
	switch (c->id) {
	case SOURCES_COL_SOURCE:
		flood_source_format(r, buf, len);
		if (r->netns < snap->nnetns && strlen(buf) + 5 < len) {
			size_t n = strlen(buf);

			/* every namespace sampled: whose listeners it floods */
			memcpy(buf + n, " in ", 5);
			escape_text(buf + n + 4, len - n - 4, snap->netns[r->netns].name,
				    strlen(snap->netns[r->netns].name));
		}
		break;
	case SOURCES_COL_SYN_RECV:
		snprintf(buf, len, "%u", r->syn_recv);
		*role = r->syn_recv ? ROLE_NORMAL : ROLE_DIM;
		break;
	case SOURCES_COL_PACKETS:
		if (!(snap->flags & SNAP_HAS_SYN_PACKETS))
			snprintf(buf, len, "-");
		else
			snprintf(buf, len, "%.0f",
				 snap->interval > 0 ? r->packets / snap->interval : r->packets);
		*role = r->packets ? ROLE_WARN : ROLE_DIM;
		break;
	}
}

/* The grouping, and what counting the SYNs saw and lost. */
static void sources_summary(const struct ui *ui, char *buf, size_t len)
{
	const struct snapshot *snap;
	int n;

	if (!ui->m.cur)
		return;
	snap = ui->m.cur->snap;
	n = snprintf(buf, len, "%s", ui->m.flood.by_network ? "by /24,/64" : "by address");
	if (n < 0 || (size_t)n >= len || !(snap->flags & SNAP_HAS_SYN_PACKETS))
		return;
	snprintf(buf + n, len - (size_t)n, ", %llu dropped",
		 (unsigned long long)snap->syn_packets_dropped);
}

const struct pane_view pane_sources_view = {
	.columns = sources_columns,
	.cell = sources_cell,
	.summary = sources_summary,
};
