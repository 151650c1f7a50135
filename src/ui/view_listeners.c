/* view_listeners.c: the listeners that hold SYN_RECV sockets on screen,
 * with their accept queue and backlog (rows_listeners.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../model/closed_log.h"
#include "names.h"
#include "../escape.h"
#include "pane_view.h"

static const struct column columns[] = {
	{ LISTENERS_COL_LOCAL, "Listener", 14, COL_GROW },
	{ LISTENERS_COL_SYN_RECV, "SYN_RECV", 8, COL_RIGHT },
	{ LISTENERS_COL_ACCEPT, "Accept-Q", 8, COL_RIGHT | COL_OPTIONAL },
	{ LISTENERS_COL_BACKLOG, "Backlog", 7, COL_RIGHT | COL_OPTIONAL },
	{ LISTENERS_COL_CLOSED, "Closed/s", 8, COL_RIGHT | COL_OPTIONAL },
};

static int listeners_columns(const struct ui *ui, struct column *out)
{
	memcpy(out, columns, sizeof(columns));
	return closed_columns_fit(ui->m.closed, out, (int)(sizeof(columns) / sizeof(columns[0])),
				  LISTENERS_COL_CLOSED);
}

/* With every namespace sampled, one address and port may listen in many:
 * " in NAME" (escaped) says whose. */
static void netns_suffix(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const char *name = snapshot_netns_name(snap, r);
	size_t n = strlen(buf);

	if (!name || n + 5 >= len)
		return;
	memcpy(buf + n, " in ", 5);
	escape_text(buf + n + 4, len - n - 4, name, strlen(name));
}

static void listeners_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			   char *buf, size_t len, enum color_role *role)
{
	const struct flood_listener *l = rows_listeners_at(&ui->m, row);
	const struct sock_rec *r = rows_listeners_sock(&ui->m, l);
	uint32_t syn_recv = l->syn_recv;

	(void)width;
	switch (c->id) {
	case LISTENERS_COL_LOCAL:
		endpoint_format(buf, len, r->family, sock_laddr(r).b, r->lport, ENDPOINT_SCREEN);
		netns_suffix(ui->m.cur->snap, r, buf, len);
		break;
	case LISTENERS_COL_SYN_RECV:
		snprintf(buf, len, "%u", syn_recv);
		if (ui->m.flood_threshold && syn_recv >= ui->m.flood_threshold)
			*role = ROLE_WARN;
		break;
	case LISTENERS_COL_ACCEPT:
		snprintf(buf, len, "%u", r->recv_q);
		/* a full accept queue drops the handshakes that did complete */
		if (r->send_q && r->recv_q >= r->send_q)
			*role = ROLE_WARN;
		break;
	case LISTENERS_COL_BACKLOG:
		snprintf(buf, len, "%u", r->send_q);
		break;
	case LISTENERS_COL_CLOSED:
		closed_rate_format(ui->m.closed ? closed_log_listener_rate(ui->m.closed, r) : -1, buf, len);
		break;
	}
}

static void listeners_summary(const struct ui *ui, char *buf, size_t len)
{
	if (ui->m.cur)
		snprintf(buf, len, "%zu under SYN_RECV", ui->m.flood.nlisteners);
}

const struct pane_view pane_listeners_view = {
	.columns = listeners_columns,
	.cell = listeners_cell,
	.summary = listeners_summary,
};
