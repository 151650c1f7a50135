/* flood_watch.c: one flood report per sample, shared by the three flood
 * panes and the header. The report covers every TCP socket sampled, not only
 * those the filter shows: drilling into a flood with Enter must not make its
 * alert vanish. The alert opens the flood band and, as root, starts counting
 * the SYNs themselves (syncookies leave no SYN_RECV socket to count). */
#include <stdio.h>
#include <unistd.h>

#include "screen.h"

/* Samples without an alert before SYNs stop being counted: a flood that
 * comes in waves keeps its SYN sources on screen between them. */
#define SNIFF_HOLD_SAMPLES 10

void flood_view_options(const struct ui *ui, struct view_options *v)
{
	(void)ui;
	*v = (struct view_options){ .protos = 1u << PROTO_TCP, .listen = LISTEN_ALL, .filter = NULL };
}

static struct flood_thresholds thresholds(const struct ui *ui)
{
	struct flood_thresholds th = flood_default_thresholds;

	th.syn_recv_per_listener = ui->opts->flood_syn_recv;
	return th;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

/* The report of cur, grouped as asked. */
static int report_build(struct ui *ui)
{
	struct flood_data *d = &ui->flood;
	struct flood_thresholds th = thresholds(ui);
	struct view_options v;
	int err;

	flood_report_free(&d->report);
	flood_view_options(ui, &v);
	err = view_flood(ui->cur->snap, &v, &th, d->by_network, 0, &d->report);
	d->seq = err ? 0 : ui->cur->seq;
	if (err)
		ui_message(ui, true, "out of memory: SYN flood indicators not shown");
	return err;
}

/* The change of SYN_RECV per second, from the report of the sample before. */
static void rate_update(struct ui *ui, bool had_prev, uint32_t before)
{
	struct flood_data *d = &ui->flood;
	double dt = had_prev ? seconds_between(&ui->prev->snap->mono, &ui->cur->snap->mono) : 0;

	d->has_rate = dt > 0;
	d->syn_recv_rate = dt > 0 ? ((double)d->report.syn_recv - before) / dt : 0;
}

unsigned flood_update(struct ui *ui)
{
	struct flood_data *d = &ui->flood;
	bool was_sniffing = flood_wants_syn_packets(ui);
	bool had_prev = d->seq && ui->prev && d->seq == ui->prev->seq;
	uint32_t before = d->report.syn_recv;
	unsigned alert_before = d->alert, redo = REDO_RECOMPUTE;

	if (!ui->cur || d->seq == ui->cur->seq)
		return 0;
	if (report_build(ui) < 0) {
		d->alert = 0;
		d->has_rate = false;
		return redo;
	}
	rate_update(ui, had_prev, before);
	d->alert = d->report.alert;
	/* a sample taken early (after a key, or a closing) may cover a few
	 * milliseconds: too short for the counters' rates to say anything, so
	 * their part of the alert stays as the last full interval left it */
	if (ui->cur->snap->interval > 0 && ui->cur->snap->interval < ui->interval / 2)
		d->alert = (d->alert & FLOOD_SYN_RECV) | (alert_before & ~(unsigned)FLOOD_SYN_RECV);
	/* the band opens when an alert rises, and stays until F closes it */
	if (d->alert && !alert_before)
		d->shown = true;
	if (d->alert)
		d->sniff = geteuid() == 0, d->quiet_samples = 0;
	else if (d->sniff && ++d->quiet_samples >= SNIFF_HOLD_SAMPLES)
		d->sniff = false;
	/* the band's dump ignores the filter, SYNs are counted: from the next
	 * sample on (one taken now would cover too short a time) */
	if (flood_wants_syn_packets(ui) != was_sniffing || (d->alert && !alert_before))
		redo |= REDO_REQUEST;
	return redo;
}

void flood_release(struct ui *ui)
{
	flood_report_free(&ui->flood.report);
	ui->flood.seq = 0;
}

/* Counting SYNs takes an AF_PACKET socket: asked for from the start with
 * --syn-sources, and by the alert when nettop may open one (as root). */
bool flood_wants_syn_packets(const struct ui *ui)
{
	return ui->opts->syn_sources || ui->flood.sniff;
}

unsigned flood_toggle_shown(struct ui *ui)
{
	ui->flood.shown = !ui->flood.shown;
	if (!pane_enabled(ui, ui->focus))
		ui->focus = PANE_CONNS;
	ui_message(ui, false, ui->flood.shown ? "SYN flood panes shown (F hides them)"
					      : "SYN flood panes hidden; an alert shows them again");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned flood_toggle_grouping(struct ui *ui)
{
	struct flood_data *d = &ui->flood;

	d->by_network = !d->by_network;
	ui_message(ui, false, d->by_network ? "SYN sources grouped by /24 (IPv4) and /64 (IPv6)"
					    : "SYN sources by address");
	/* the SYN_RECV count, and so its rate, stay: only the grouping changes */
	if (ui->cur)
		report_build(ui);
	return REDO_RECOMPUTE;
}

void flood_source_format(const struct source_row *r, char *buf, size_t len)
{
	int n = addr_format(buf, len, r->family, r->addr);

	if (r->prefix != (r->family == 4 ? 32 : 128) && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "/%u", r->prefix);
}
