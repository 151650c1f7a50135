/* header.c: the lines around the panes: the header (host, clock, interval,
 * totals, filter, markers), the status line and the F-key hint bar. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../escape.h"
#include "../model/closed_log.h"
#include "draw.h"
#include "header.h"
#include "keys.h"
#include "prompt.h"
#include "state.h"
#include "theme.h"
#include "views.h"
#include "view_conntrack.h"

#define MESSAGE_SECONDS 5

/* Owners are on screen: the process column, the by-process view, or a
 * filter on them. */
static bool owners_shown(const struct ui *ui)
{
	return ui->m.show_procs || ui->m.by_process || filter_needs_procs(ui->m.filter);
}

static void piece(int y, int *x, int width, enum color_role role, const char *s)
{
	attrset(theme_attr(role));
	draw_run(y, x, width, s);
}

static void header_view(const struct ui *ui, char *buf, size_t len)
{
	bool tcp = ui->m.protos & (1u << PROTO_TCP), udp = ui->m.protos & (1u << PROTO_UDP);

	snprintf(buf, len, "  %s%s%s", tcp ? "tcp" : "", tcp && udp ? "+" : "", udp ? "udp" : "");
	if (ui->m.listen == LISTEN_ONLY)
		snprintf(buf + strlen(buf), len - strlen(buf), " listening");
}

/* "ALERT SYN flood (SYN_RECV): 1000 SYN_RECV, 990 on 127.0.0.1:80", first
 * after the name so that only the markers come before it. */
static void alert_draw(const struct ui *ui, int *x, int width)
{
	const struct flood_report *r = &ui->m.flood.report;
	char causes[64], buf[192], local[64] = "";

	if (!ui->m.flood.alert)
		return;
	flood_cause_text(ui->m.flood.alert, causes, sizeof(causes));
	if (r->nlisteners) {
		const struct sock_rec *l = &ui->m.cur->snap->socks[r->listeners[0].sock];

		endpoint_format(local, sizeof(local), l->family, sock_laddr(l).b, l->lport, ENDPOINT_SCREEN);
	}
	if (local[0])
		snprintf(buf, sizeof(buf), " ALERT SYN flood (%s): %u SYN_RECV, %u on %s ", causes,
			 r->syn_recv, r->listeners[0].syn_recv, local);
	else
		snprintf(buf, sizeof(buf), " ALERT SYN flood (%s): %u SYN_RECV ", causes, r->syn_recv);
	piece(0, x, width, ROLE_ALERT, buf);
	piece(0, x, width, ROLE_HEADER, " ");
}

/* The destroy events' troubles: how many the kernel dropped, or why there
 * are none (the rest of the screen works without them). One mark at most. */
static int header_closed_marks(const struct ui *ui, const char **marks, char *lost, size_t len)
{
	const struct closed_log *l = ui->m.closed;

	if (!l)
		return 0;
	if (l->note && !l->active)
		marks[0] = strstr(l->note, "CAP_NET_ADMIN") ? "closed: need CAP_NET_ADMIN"
							    : "closed: unavailable";
	else if (l->lost) {
		snprintf(lost, len, "events lost: %llu", (unsigned long long)l->lost);
		marks[0] = lost;
	} else
		return 0;
	return 1;
}

/* What makes the screen other than the plain live view: the filter, a
 * replay, a pause, a sample that is incomplete. Returns how many, into
 * marks; filter and replay hold the text of the first two. */
static int markers_list(const struct ui *ui, const char *marks[7], char *filter, size_t len,
			char *replay, size_t rlen)
{
	int n = 0;

	if (ui->m.filter) {
		char text[256];
		const char *f = filter_text(ui->m.filter);

		escape_text(text, sizeof(text), f, strlen(f));
		snprintf(filter, len, "filter: %s", text);
		marks[n++] = filter;
	}
	if (ui->m.replay) {
		replay_position(ui->m.replay, ui->m.cur, replay, rlen);
		marks[n++] = replay;
	}
	if (ui->m.paused)
		marks[n++] = "PAUSED";
	if (ui->m.cur && (ui->m.cur->snap->flags & SNAP_PARTIAL))
		marks[n++] = "PARTIAL";
	/* the status line says what is missing (the snapshot's note) */
	if (ui->m.cur && (ui->m.cur->snap->flags & SNAP_PROCS_PARTIAL) && owners_shown(ui))
		marks[n++] = "OWNERS PARTIAL";
	return n;
}

/* The name, an alert, host, clock and totals, then the markers: when the
 * line is short, the totals give way to the markers (up to half of it). */
void header_draw(const struct ui *ui, int width)
{
	char buf[512], clock[16], filter[300], replay[64], lost[48];
	const char *marks[7];
	int n = markers_list(ui, marks, filter, sizeof(filter), replay, sizeof(replay));
	int x = 0, right = width;
	time_t now = time(NULL);
	struct tm tm;

	n += header_closed_marks(ui, marks + n, lost, sizeof(lost));
	for (int i = 0; i < n; i++)
		right -= 2 + text_width(marks[i]);
	if (right < width / 2)
		right = width / 2;
	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	attrset(theme_attr(ROLE_HEADER));
	draw_fill(0, 0, width);
	piece(0, &x, right, ROLE_HEADER, " nettop  ");
	alert_draw(ui, &x, right);
	view_conntrack_alert_draw(ui, 0, &x, right);
	if (ui->m.replay)
		replay_when(ui->m.cur, buf, sizeof(buf));
	else
		snprintf(buf, sizeof(buf), "%s  %s  every %gs", ui->host, clock, ui->m.interval);
	/* the namespace sampled, when it is not simply the host's */
	if (!ui->m.replay && ui->m.netns_label[0])
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  netns: %s", ui->m.netns_label);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  %zu sockets (tcp %zu, udp %zu)",
		 ui->m.tcp_total + ui->m.udp_total, ui->m.tcp_total, ui->m.udp_total);
	piece(0, &x, right, ROLE_HEADER, buf);
	header_view(ui, buf, sizeof(buf));
	/* where the sockets come from (--backend), last: the first to give way */
	if (!ui->m.replay && ui->m.cur)
		snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "  via %s",
			 snapshot_backend(ui->m.cur->snap));
	piece(0, &x, right, ROLE_HEADER, buf);
	for (int i = 0; i < n; i++) {
		piece(0, &x, width, ROLE_HEADER, "  ");
		piece(0, &x, width, ROLE_HEADER_ALERT, marks[i]);
	}
	attrset(theme_attr(ROLE_NORMAL));
}

static bool message_fresh(const struct ui *ui)
{
	struct timespec now;

	if (!ui->m.message[0])
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - ui->m.message_at.tv_sec < MESSAGE_SECONDS;
}

/* K's question, until y or n. */
static void confirm_draw(const struct ui *ui, int y, int width)
{
	char text[256];

	snprintf(text, sizeof(text), " Close %zu %s? y/n", ui->m.kill.n, ui->m.kill.what);
	attrset(theme_attr(ROLE_CONFIRM));
	draw_text(y, 0, width, text, ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}

/* Where the focused pane stands, when nothing more pressing is to be said. */
static void status_position(const struct ui *ui, char *buf, size_t len)
{
	const struct pane_state *ps = &ui->m.panes[ui->m.focus];
	struct column cols[MAX_COLUMNS];
	int n = view_columns(ui, ui->m.focus, cols);
	size_t rows = pane_rows(&ui->m, ui->m.focus);
	const char *sort = "?";

	for (int i = 0; i < n; i++)
		if (cols[i].id == ps->sort)
			sort = cols[i].title[0] ? cols[i].title : "bar";
	snprintf(buf, len, " %s: row %zu of %zu, sorted by %s %s", ui->m.ops[ui->m.focus]->title,
		 rows ? ps->sel + 1 : 0, rows, sort, ps->descending ? "descending" : "ascending");
}

void status_draw(struct ui *ui, int y, int width)
{
	char buf[512];

	if (ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH) {
		prompt_draw(ui, y, width);
		return;
	}
	if (ui->mode == MODE_CONFIRM) {
		confirm_draw(ui, y, width);
		return;
	}
	if (message_fresh(ui)) {
		char text[300];

		escape_text(text, sizeof(text), ui->m.message, strlen(ui->m.message));
		snprintf(buf, sizeof(buf), " %s", text);
		attrset(theme_attr(ui->m.message_error ? ROLE_ERROR : ROLE_MESSAGE));
	} else if (ui->m.cur && ui->m.cur->snap->note) {
		/* what this sample lacks, and how to get it: until it is whole */
		snprintf(buf, sizeof(buf), " %s", ui->m.cur->snap->note);
		attrset(theme_attr(ROLE_WARN));
	} else {
		status_position(ui, buf, sizeof(buf));
		attrset(theme_attr(ROLE_MESSAGE));
	}
	draw_text(y, 0, width, buf, ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}

/* htop's bar: the key, then what it does on a coloured field. A message or
 * a prompt takes the bar's place on screens too short for a status line. */
void hints_draw(const struct ui *ui, int y, int width)
{
	const char *label, *hint;
	int x = 0;

	(void)ui;
	attrset(theme_attr(ROLE_KEY_LABEL));
	draw_fill(y, 0, width);
	for (int i = 0; (hint = keys_hint(i, &label)); i++) {
		char text[32];

		snprintf(text, sizeof(text), "%-7s", hint);
		/* a hint shows whole or not at all */
		if (x + text_width(label) + text_width(hint) > width)
			break;
		piece(y, &x, width, ROLE_KEY, label);
		piece(y, &x, width, ROLE_KEY_LABEL, text);
	}
	attrset(theme_attr(ROLE_NORMAL));
}

bool status_wanted(const struct ui *ui)
{
	return ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH || ui->mode == MODE_CONFIRM ||
	       message_fresh(ui);
}
