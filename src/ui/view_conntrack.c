/* view_conntrack.c: the conntrack pane (C): a block that says how full the
 * table is and whether it hurts, then its flows (rows_conntrack.c). */
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "pane_view.h"
#include "table.h"
#include "theme.h"
#include "view_conntrack.h"

#define BLOCK_LINES 6

static const struct column columns[] = {
	{ CT_COL_PROTO, "Proto", 6, 0 },
	{ CT_COL_STATE, "State", 11, 0 },
	{ CT_COL_SOURCE, "Source", 21, COL_GROW },
	{ CT_COL_DEST, "Destination", 21, COL_GROW },
	{ CT_COL_NAT, "NAT", 24, COL_GROW | COL_OPTIONAL },
	{ CT_COL_TIMEOUT, "Expires", 7, COL_RIGHT },
	{ CT_COL_PACKETS, "Packets", 8, COL_RIGHT | COL_OPTIONAL },
	{ CT_COL_BYTES, "Bytes", 8, COL_RIGHT },
};

static int conntrack_columns(const struct ui *ui, struct column *out)
{
	(void)ui;
	memcpy(out, columns, sizeof(columns));
	return (int)(sizeof(columns) / sizeof(columns[0]));
}

static void amount_format(uint64_t v, char *buf, size_t len)
{
	if (v < 100000)
		snprintf(buf, len, "%llu", (unsigned long long)v);
	else if (v < 100000000)
		snprintf(buf, len, "%.1fK", (double)v / 1e3);
	else
		snprintf(buf, len, "%.1fM", (double)v / 1e6);
}

static void conntrack_cell(const struct ui *ui, size_t row, const struct column *c, int width,
			   char *buf, size_t len, enum color_role *role)
{
	const struct ct_flow *f = rows_conntrack_at(&ui->m, row);
	const char *proto = conntrack_proto_name(f->orig.proto);

	(void)width;
	switch (c->id) {
	case CT_COL_PROTO:
		if (proto)
			snprintf(buf, len, "%s%s", proto, f->family == 6 && f->orig.proto != 58 ? "6" : "");
		else
			snprintf(buf, len, "%u", f->orig.proto);
		break;
	case CT_COL_STATE:
		snprintf(buf, len, "%s", f->has_tcp_state ? conntrack_tcp_state(f->tcp_state) : "");
		break;
	case CT_COL_SOURCE:
		endpoint_format(buf, len, f->family, f->orig.src, f->orig.sport, ENDPOINT_SCREEN);
		break;
	case CT_COL_DEST:
		endpoint_format(buf, len, f->family, f->orig.dst, f->orig.dport, ENDPOINT_SCREEN);
		break;
	case CT_COL_NAT:
		rows_conntrack_nat(f, buf, len);
		break;
	case CT_COL_TIMEOUT:
		snprintf(buf, len, "%u:%02u", f->timeout / 60, f->timeout % 60);
		break;
	case CT_COL_PACKETS:
	case CT_COL_BYTES:
		if (!f->has_counters)
			snprintf(buf, len, "-");
		else
			amount_format(c->id == CT_COL_BYTES ? f->bytes[0] + f->bytes[1]
							    : f->packets[0] + f->packets[1], buf, len);
		*role = f->has_counters ? ROLE_NORMAL : ROLE_DIM;
		break;
	}
}

static void conntrack_summary(const struct ui *ui, char *buf, size_t len)
{
	const struct conntrack_data *d = &ui->m.conntrack;

	if (!ui->m.cur)
		buf[0] = '\0';
	else if (!d->table && ui->m.replay && !ui->m.cur->snap->conntrack_absent)
		snprintf(buf, len, "none: not in the recording (record with C shown, or --conntrack)");
	else if (!d->table)
		snprintf(buf, len, "none: %s", d->absent ? d->absent : "not sampled yet");
	else
		snprintf(buf, len, "%zu flows%s", d->n, d->table->partial ? " (PARTIAL: the table changed under every dump)" : "");
}

const struct pane_view pane_conntrack_view = {
	.columns = conntrack_columns,
	.cell = conntrack_cell,
	.summary = conntrack_summary,
};

/* "table 97% full (62 of 64)", "drops: 12.0/s": the alert's words. */
static void alert_text(const struct ct_table *t, double interval, char *buf, size_t len)
{
	unsigned alert = conntrack_alert(t), permille = conntrack_fill_permille(t);
	double rate = 0;

	buf[0] = '\0';
	if (alert & CT_ALERT_FULL)
		snprintf(buf, len, "table %u.%u%% full (%u of %u)", permille / 10, permille % 10, t->count, t->max);
	if (alert & CT_ALERT_DROPS) {
		uint64_t dropped = t->delta.drop + t->delta.early_drop + t->delta.insert_failed;
		size_t used = strlen(buf);

		if (interval > 0)
			rate = (double)dropped / interval;
		snprintf(buf + used, len - used, "%sdrops %.1f/s", used ? ", " : "", rate);
	}
}

void view_conntrack_alert_draw(const struct ui *ui, int y, int *x, int width)
{
	const struct snapshot *snap = ui->m.cur ? ui->m.cur->snap : NULL;
	char text[128], buf[160];

	if (!snap || !snap->conntrack || !conntrack_alert(snap->conntrack))
		return;
	alert_text(snap->conntrack, snap->interval, text, sizeof(text));
	snprintf(buf, sizeof(buf), " ALERT conntrack %s ", text);
	attrset(theme_attr(ROLE_ALERT));
	draw_run(y, x, width, buf);
	attrset(theme_attr(ROLE_HEADER));
	draw_run(y, x, width, " ");
}

/* A line of the block: its label, then text. */
static void block_line(int y, const struct rect *r, const char *label, const char *text, enum color_role role)
{
	int x = r->x;
	char head[32];

	snprintf(head, sizeof(head), " %-11s", label);
	attrset(theme_attr(ROLE_COLUMN));
	draw_run(y, &x, r->x + r->w, head);
	attrset(theme_attr(role));
	draw_run(y, &x, r->x + r->w, text);
	attrset(theme_attr(ROLE_NORMAL));
}

/* "entries 62  max 64  fill 96.8% [#########  ]" with the bar filling the line. */
static void size_line(int y, const struct rect *r, const struct ct_table *t)
{
	unsigned permille = conntrack_fill_permille(t);
	char text[256];
	int used, bar, filled;

	used = snprintf(text, sizeof(text), "entries %u  max %u  fill %u.%u%% ", t->count, t->max,
			permille / 10, permille % 10);
	bar = r->w - 12 - used - 2;
	if (bar > 60)
		bar = 60;
	if (bar >= 4 && (size_t)used + (size_t)bar + 3 < sizeof(text)) {
		filled = (int)((long)bar * permille / 1000);
		text[used++] = '[';
		for (int i = 0; i < bar; i++)
			text[used++] = i < filled ? '#' : ' ';
		text[used++] = ']';
		text[used] = '\0';
	}
	block_line(y, r, "Conntrack", text, conntrack_alert(t) & CT_ALERT_FULL ? ROLE_WARN : ROLE_NORMAL);
}

static void counts_line(int y, const struct rect *r, const struct conntrack_data *d, bool states)
{
	char text[512];
	size_t used = 0;
	int n = states ? CT_TCP_STATES : 256;

	text[0] = '\0';
	for (int i = 0; i < n && used + 1 < sizeof(text); i++) {
		uint32_t count = states ? d->by_state[i] : d->by_proto[i];
		const char *name = states ? (i == CT_TCP_STATES - 1 ? "other" : conntrack_tcp_state((uint8_t)i))
					  : conntrack_proto_name((uint8_t)i);
		int k;

		if (!count)
			continue;
		k = name ? snprintf(text + used, sizeof(text) - used, "%s %u  ", name, count)
			 : snprintf(text + used, sizeof(text) - used, "proto-%d %u  ", i, count);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	block_line(y, r, states ? "TCP states" : "Protocols", used ? text : "none", used ? ROLE_NORMAL : ROLE_DIM);
}

static void stats_line(int y, const struct rect *r, const struct ct_table *t, double interval)
{
	char text[512];
	size_t used = 0;
	bool hurts = false;

	for (int i = 0; i < CT_STATS_SHOWN && used + 1 < sizeof(text); i++) {
		uint64_t v;
		double rate;
		const char *name = rows_conntrack_stat(t, i, &v);
		bool known = rows_conntrack_stat_rate(t, i, interval, &rate);
		char per_sec[32] = "";
		int k;

		/* a rate once it is not 0 ("+0.5/s", "+22/s"): an 80-column
		 * line holds all four */
		if (known && rate > 0)
			snprintf(per_sec, sizeof(per_sec), rate < 10 ? " +%.1f/s" : " +%.0f/s", rate);
		k = snprintf(text + used, sizeof(text) - used, "%s %llu%s  ", name, (unsigned long long)v, per_sec);
		if (k < 0)
			break;
		used += (size_t)k;
		hurts |= rate > 0;
	}
	block_line(y, r, "Stress", text, hurts ? ROLE_WARN : ROLE_NORMAL);
}

static void sources_line(int y, const struct rect *r, const struct conntrack_data *d)
{
	char text[512], addr[64];
	size_t used = 0;

	text[0] = '\0';
	for (size_t i = 0; i < d->ntop && used + 1 < sizeof(text); i++) {
		int k;

		addr_format(addr, sizeof(addr), d->top[i].family, d->top[i].addr);
		k = snprintf(text + used, sizeof(text) - used, "%s %u  ", addr, d->top[i].flows);
		if (k < 0)
			break;
		used += (size_t)k;
	}
	block_line(y, r, "Sources", used ? text : "none", used ? ROLE_NORMAL : ROLE_DIM);
}

static void block_draw(const struct ui *ui, const struct rect *r)
{
	const struct conntrack_data *d = &ui->m.conntrack;
	double interval = ui->m.cur ? ui->m.cur->snap->interval : 0;
	char text[160];

	size_line(r->y, r, d->table);
	counts_line(r->y + 1, r, d, false);
	counts_line(r->y + 2, r, d, true);
	stats_line(r->y + 3, r, d->table, interval);
	sources_line(r->y + 4, r, d);
	if (conntrack_alert(d->table)) {
		alert_text(d->table, interval, text, sizeof(text));
		block_line(r->y + 5, r, "ALERT", text, ROLE_ALERT);
	} else {
		block_line(r->y + 5, r, "Accounting", d->accounted ? "on: bytes and packets per flow"
			   : "off or no flows (sysctl net.netfilter.nf_conntrack_acct=1 counts bytes)",
			   d->accounted ? ROLE_NORMAL : ROLE_DIM);
	}
}

void view_conntrack_draw(struct ui *ui, const struct rect *r)
{
	const struct conntrack_data *d = &ui->m.conntrack;
	struct rect rest = *r;
	int lines = d->table ? BLOCK_LINES : 0;

	/* a short screen keeps the flows' title and a row or two */
	if (r->h - lines < 3)
		lines = 0;
	if (lines)
		block_draw(ui, r);
	rest.y += lines;
	rest.h -= lines;
	table_draw(ui, PANE_CONNTRACK, &rest);
}
