/* header.c: the lines around the panes: the header (host, clock, interval,
 * totals, filter, markers), the status line and the F-key hint bar. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../escape.h"
#include "screen.h"

#define MESSAGE_SECONDS 5

static void piece(int y, int *x, int width, enum color_role role, const char *s)
{
	attrset(theme_attr(role));
	draw_run(y, x, width, s);
}

static void header_view(const struct ui *ui, char *buf, size_t len)
{
	bool tcp = ui->protos & (1u << PROTO_TCP), udp = ui->protos & (1u << PROTO_UDP);

	snprintf(buf, len, "  %s%s%s", tcp ? "tcp" : "", tcp && udp ? "+" : "", udp ? "udp" : "");
	if (ui->listen == LISTEN_ONLY)
		snprintf(buf + strlen(buf), len - strlen(buf), " listening");
}

void header_draw(const struct ui *ui, int width)
{
	char buf[512], clock[16];
	time_t now = time(NULL);
	struct tm tm;
	int x = 0;

	localtime_r(&now, &tm);
	strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
	attrset(theme_attr(ROLE_HEADER));
	draw_fill(0, 0, width);
	snprintf(buf, sizeof(buf), " nettop  %s  %s  every %gs  %zu sockets (tcp %zu, udp %zu)",
		 ui->host, clock, ui->interval, ui->tcp_total + ui->udp_total, ui->tcp_total,
		 ui->udp_total);
	piece(0, &x, width, ROLE_HEADER, buf);
	header_view(ui, buf, sizeof(buf));
	piece(0, &x, width, ROLE_HEADER, buf);
	if (ui->filter) {
		char text[256];
		const char *f = filter_text(ui->filter);

		escape_text(text, sizeof(text), f, strlen(f));
		snprintf(buf, sizeof(buf), "filter: %s", text);
		piece(0, &x, width, ROLE_HEADER, "  ");
		piece(0, &x, width, ROLE_HEADER_ALERT, buf);
	}
	if (ui->paused) {
		piece(0, &x, width, ROLE_HEADER, "  ");
		piece(0, &x, width, ROLE_HEADER_ALERT, "PAUSED");
	}
	if (ui->cur && (ui->cur->snap->flags & SNAP_PARTIAL)) {
		piece(0, &x, width, ROLE_HEADER, "  ");
		piece(0, &x, width, ROLE_HEADER_ALERT, "PARTIAL");
	}
	attrset(theme_attr(ROLE_NORMAL));
}

static bool message_fresh(const struct ui *ui)
{
	struct timespec now;

	if (!ui->message[0])
		return false;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return now.tv_sec - ui->message_at.tv_sec < MESSAGE_SECONDS;
}

/* Where the focused pane stands, when nothing more pressing is to be said. */
static void status_position(const struct ui *ui, char *buf, size_t len)
{
	const struct pane_state *ps = &ui->panes[ui->focus];
	struct column cols[MAX_COLUMNS];
	int n = ui->ops[ui->focus]->columns(ui, cols);
	size_t rows = ui->cur ? ui->ops[ui->focus]->rows(ui) : 0;
	const char *sort = "?";

	for (int i = 0; i < n; i++)
		if (cols[i].id == ps->sort)
			sort = cols[i].title[0] ? cols[i].title : "bar";
	snprintf(buf, len, " %s: row %zu of %zu, sorted by %s %s", ui->ops[ui->focus]->title,
		 rows ? ps->sel + 1 : 0, rows, sort, ps->descending ? "descending" : "ascending");
}

void status_draw(struct ui *ui, int y, int width)
{
	char buf[512];

	if (ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH) {
		prompt_draw(ui, y, width);
		return;
	}
	if (message_fresh(ui)) {
		char text[300];

		escape_text(text, sizeof(text), ui->message, strlen(ui->message));
		snprintf(buf, sizeof(buf), " %s", text);
		attrset(theme_attr(ui->message_error ? ROLE_ERROR : ROLE_MESSAGE));
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
	return ui->mode == MODE_FILTER || ui->mode == MODE_SEARCH || message_fresh(ui);
}
