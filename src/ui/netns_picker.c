/* netns_picker.c: which network namespace the screen samples, named in the
 * header, and N's list of every namespace on the host. Enter moves the
 * sampler there: namespaces belong to threads, so a new sampler thread
 * enters the namespace before it opens its sockets, and only once it has
 * does the old one stop. Without the privilege to enter, the old one goes on. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../escape.h"
#include "../netns_list.h"
#include "draw.h"
#include "header.h"
#include "netns_picker.h"
#include "state.h"
#include "theme.h"

/* Lines above the first row: the title and the column headers. */
#define PICKER_TOP 2
/* The first row is "All namespaces"; the list's entries follow it. */
#define ALL_ROW 0
#define ALL_LABEL "all namespaces"

static void label_set(struct ui *ui, const char *label)
{
	escape_text(ui->m.netns_label, sizeof(ui->m.netns_label), label, strlen(label));
}

void netns_picker_init(struct ui *ui)
{
	char name[64];

	ui->m.netns_label[0] = '\0';
	if (ui->m.replay ||
	    netns_identify("/proc/thread-self/ns/net", &ui->m.netns_dev, &ui->m.netns_ino) < 0)
		return;
	if (ui->m.all_netns)
		label_set(ui, ALL_LABEL);
	else if (netns_name_of(ui->m.netns_dev, ui->m.netns_ino, name, sizeof(name)))
		label_set(ui, name);
	else if (ui->m.opts->netns)
		label_set(ui, ui->m.opts->netns);	/* a PID's */
}

void netns_picker_free(struct ui *ui)
{
	free(ui->netns_list);
	ui->netns_list = NULL;
	ui->netns_n = 0;
}

static const char *current_label(const struct ui *ui)
{
	return ui->m.netns_label[0] ? ui->m.netns_label : "the one nettop started in";
}

/* The namespace the sampler thread is in (all of them may be sampled from it). */
static bool is_home(const struct ui *ui, const struct netns_info *e)
{
	return e->dev == ui->m.netns_dev && e->ino == ui->m.netns_ino;
}

static bool is_current(const struct ui *ui, const struct netns_info *e)
{
	return !ui->m.all_netns && is_home(ui, e);
}

static unsigned picker_scan(struct ui *ui)
{
	struct netns_info *list;
	long n = netns_list(&list);

	if (n < 0) {
		model_message(&ui->m, true, "cannot list the namespaces: %s", strerror((int)-n));
		return REDO_REDRAW;
	}
	netns_picker_free(ui);
	ui->netns_list = list;
	ui->netns_n = (size_t)n;
	ui->netns_sel = ui->netns_top = 0;
	for (size_t i = 0; i < ui->netns_n; i++)
		if (is_current(ui, &list[i]))
			ui->netns_sel = i + 1;
	return REDO_REDRAW;
}

unsigned netns_picker_open(struct ui *ui)
{
	if (ui->m.replay) {
		model_message(&ui->m, false, "a recording is of one namespace: N is for the live screen");
		return REDO_REDRAW;
	}
	picker_scan(ui);
	if (ui->netns_list)
		ui->mode = MODE_NETNS;
	return REDO_REDRAW;
}

static int picker_page(void)
{
	int page = LINES - PICKER_TOP - 2;

	return page > 1 ? page : 1;
}

/* s cut to width columns and padded to them: escaped text is wider than
 * its bytes, so printf's byte widths would push the next columns right. */
static void column_fit(char *s, size_t size, int width)
{
	int w;

	text_fit(s, size, width);
	for (w = text_width(s); w < width; w++) {
		size_t n = strlen(s);

		if (n + 1 >= size)
			break;
		s[n] = ' ', s[n + 1] = '\0';
	}
}

static void picker_row(const struct netns_info *e, bool current, char *buf, size_t len)
{
	char name[96], comm[96], sockets[24] = "?", pid[16] = "-";

	if (e->name[0])
		escape_text(name, sizeof(name), e->name, strlen(e->name));
	else
		snprintf(name, sizeof(name), "%s", e->initial ? "(host)" : "-");
	column_fit(name, sizeof(name), 24);
	snprintf(comm, sizeof(comm), "%s", e->pid ? e->comm : "(no process)");
	column_fit(comm, sizeof(comm), 16);
	if (e->sockets >= 0)
		snprintf(sockets, sizeof(sockets), "%ld", e->sockets);
	if (e->pid)
		snprintf(pid, sizeof(pid), "%d", e->pid);
	snprintf(buf, len, " %c %s %8s  %s %8s  %llu", current ? '*' : ' ', name, pid, comm, sockets,
		 (unsigned long long)e->ino);
}

void netns_picker_draw(struct ui *ui)
{
	int page = picker_page();
	char line[256];

	if (ui->netns_sel < ui->netns_top)
		ui->netns_top = ui->netns_sel;
	if (ui->netns_sel >= ui->netns_top + (size_t)page)
		ui->netns_top = ui->netns_sel - (size_t)page + 1;
	for (int y = 0; y < LINES; y++) {
		attrset(theme_attr(ROLE_NORMAL));
		draw_fill(y, 0, COLS);
	}
	snprintf(line, sizeof(line), " Network namespaces  %zu; sampling %s", ui->netns_n,
		 current_label(ui));
	attrset(theme_attr(ROLE_TITLE_FOCUS));
	draw_text(0, 0, COLS, line, ALIGN_LEFT);
	attrset(theme_attr(ROLE_COLUMN));
	draw_text(1, 0, COLS, "   Name                          PID  Program           Sockets  Inode",
		  ALIGN_LEFT);
	for (int r = 0; r < page && ui->netns_top + (size_t)r < ui->netns_n + 1; r++) {
		size_t i = ui->netns_top + (size_t)r;

		if (i == ALL_ROW)
			snprintf(line, sizeof(line), " %c All namespaces (every socket tagged with its own)",
				 ui->m.all_netns ? '*' : ' ');
		else
			picker_row(&ui->netns_list[i - 1], is_current(ui, &ui->netns_list[i - 1]), line,
				   sizeof(line));
		attrset(theme_attr(i == ui->netns_sel ? ROLE_CURSOR : ROLE_NORMAL));
		draw_text(PICKER_TOP + r, 0, COLS, line, ALIGN_LEFT);
	}
	if (status_wanted(ui))
		status_draw(ui, LINES - 2, COLS);
	attrset(theme_attr(ROLE_KEY_LABEL));
	draw_text(LINES - 1, 0, COLS, " Up/Down select  Enter sample it  r list again  Esc close",
		  ALIGN_LEFT);
	attrset(theme_attr(ROLE_NORMAL));
}

/* Why the sampler cannot move, or NULL when it can. */
static const char *switch_refused(const struct ui *ui)
{
	if (ui->m.opts->record)
		return "a recording is of one namespace: --record keeps this one";
	if (ui->m.kill.running)
		return "sockets are being closed here: the namespace stays until that is done";
	return NULL;
}

static unsigned netns_switch(struct ui *ui, const struct netns_info *e)
{
	struct sample_request req;
	struct session_setup setup = { .opts = ui->m.opts, .req = &req, .interval = ui->m.interval };
	struct session *t;
	const char *note = NULL, *refused = switch_refused(ui);
	char label[96], msg[160];
	int fd, err;
	bool usage;

	netns_label(e, label, sizeof(label));
	ui->mode = MODE_NORMAL;
	if (ui->m.all_netns && is_home(ui, e) && !refused) {
		/* the sampler is in it already: it only stops sampling the others */
		ui->m.all_netns = false;
		label_set(ui, label);
		model_message(&ui->m, false, "sampling namespace %s", label);
		return REDO_RESAMPLE | REDO_RECOMPUTE | REDO_REDRAW;
	}
	if (is_current(ui, e)) {
		model_message(&ui->m, false, "already sampling %s", ui->m.netns_label[0] ? ui->m.netns_label : label);
		return REDO_REDRAW;
	}
	if (refused) {
		model_message(&ui->m, true, "%s", refused);
		return REDO_REDRAW;
	}
	if ((fd = netns_open_info(e)) < 0) {
		model_message(&ui->m, true, "cannot open namespace %s: %s; still sampling %s", label,
			      fd == -ESRCH ? "it is gone" : strerror(-fd), current_label(ui));
		return REDO_REDRAW;
	}
	model_request(&ui->m, &req);
	setup.netns_fd = fd;
	t = session_start(&setup, &note, msg, sizeof(msg), &err, &usage);
	close(fd);
	if (!t) {
		model_message(&ui->m, true, "cannot enter %s: %s%s; still sampling %s", label, strerror(-err),
			      err == -EPERM ? " (needs root: CAP_SYS_ADMIN)" : "", current_label(ui));
		return REDO_REDRAW;
	}
	session_stop(ui->m.session);
	/* the panes held the other namespace's sockets: nothing until the first sample */
	model_release(&ui->m);
	ui->m.session = t;
	ui->m.tcp_total = ui->m.udp_total = 0;
	ui->m.paused = false;
	ui->m.netns_dev = e->dev;
	ui->m.netns_ino = e->ino;
	ui->m.all_netns = false;
	label_set(ui, label);
	model_message(&ui->m, false, "sampling namespace %s%s%s", label, note ? "; " : "", note ? note : "");
	return REDO_RECOMPUTE | REDO_REDRAW;
}

/* The first row: every namespace, sampled from where the sampler is. */
static unsigned netns_switch_all(struct ui *ui)
{
	const char *refused = switch_refused(ui);

	ui->mode = MODE_NORMAL;
	if (ui->m.all_netns) {
		model_message(&ui->m, false, "already sampling every namespace");
		return REDO_REDRAW;
	}
	if (refused) {
		model_message(&ui->m, true, "%s", refused);
		return REDO_REDRAW;
	}
	ui->m.all_netns = true;
	label_set(ui, ALL_LABEL);
	model_message(&ui->m, false, "sampling every namespace; B: by namespace");
	return REDO_RESAMPLE | REDO_RECOMPUTE | REDO_REDRAW;
}

unsigned netns_picker_key(struct ui *ui, int key)
{
	size_t n = ui->netns_n + 1, page = (size_t)picker_page();

	switch (key) {
	case KEY_UP: case 'k':
		if (ui->netns_sel > 0)
			ui->netns_sel--;
		break;
	case KEY_DOWN: case 'j':
		if (ui->netns_sel + 1 < n)
			ui->netns_sel++;
		break;
	case KEY_PPAGE: ui->netns_sel = ui->netns_sel > page ? ui->netns_sel - page : 0; break;
	case KEY_NPAGE: ui->netns_sel = ui->netns_sel + page < n ? ui->netns_sel + page : n - 1; break;
	case KEY_HOME: ui->netns_sel = 0; break;
	case KEY_END: ui->netns_sel = n ? n - 1 : 0; break;
	case 'r': return picker_scan(ui);
	case '\r': case '\n': case KEY_ENTER:
		if (ui->netns_sel == ALL_ROW)
			return netns_switch_all(ui);
		if (ui->netns_sel < n)
			return netns_switch(ui, &ui->netns_list[ui->netns_sel - 1]);
		ui->mode = MODE_NORMAL;
		break;
	default:
		ui->mode = MODE_NORMAL;
		break;
	}
	return REDO_REDRAW;
}
