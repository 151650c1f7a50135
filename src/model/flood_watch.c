/* flood_watch.c: one flood report per sample, shared by the three flood
 * panes and the header. The report covers every TCP socket sampled, not only
 * those the filter shows: drilling into a flood with Enter must not make its
 * alert vanish. The alert opens the flood band and, as root, starts counting
 * the SYNs themselves (syncookies leave no SYN_RECV socket to count). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model.h"

/* Samples without an alert before SYNs stop being counted: a flood that
 * comes in waves keeps its SYN sources on screen between them. */
#define SNIFF_HOLD_SAMPLES 10

void flood_view_options(struct view_options *v)
{
	*v = (struct view_options){ .protos = 1u << PROTO_TCP, .listen = LISTEN_ALL, .filter = NULL };
}

struct flood_thresholds flood_thresholds_of(const struct model *m)
{
	struct flood_thresholds th = flood_default_thresholds;

	th.syn_recv_per_listener = m->flood_threshold;
	return th;
}

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static uint32_t syn_recv_count(const struct snapshot *snap)
{
	uint32_t n = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].state == ST_SYN_RECV && snap->socks[i].proto == PROTO_TCP;
	return n;
}

/* prev's alert, for a replay that jumped: a report of prev of its own,
 * unless prev is the sample the cache holds. */
static unsigned prev_alert_of(const struct sample *prev, const struct model_params *p,
			      const struct model_cache *cache)
{
	struct flood_report r;
	struct view_options v;
	unsigned alert;

	if (cache->seq == prev->seq && cache->epoch == p->epoch &&
	    cache->alert_threshold == p->flood.syn_recv_per_listener)
		return cache->alert;
	flood_view_options(&v);
	if (view_flood(prev->snap, &v, &p->flood, false, 1, &r) < 0)
		return 0;
	alert = r.alert;
	flood_report_free(&r);
	return alert;
}

void flood_rows_build(struct pane_rows *rows, const struct model_params *p, uint32_t syn_recv,
		      struct model_cache *cache)
{
	struct flood_data *d = &rows->flood;
	const struct sample *cur = rows->cur, *prev = rows->prev;
	struct view_options v;
	double dt;

	flood_view_options(&v);
	if (!syn_recv)
		view_flood_quiet(cur->snap, &p->flood, &d->report);
	else if ((rows->has_flood ? view_flood_gathered(&rows->flood_gather, &p->flood, 0, &d->report)
				  : view_flood(cur->snap, &v, &p->flood, p->flood_by_network, 0,
					       &d->report)) < 0) {
		model_rows_error(rows, "SYN flood indicators");
		return;
	}
	d->seq = cur->seq;
	d->by_network = p->flood_by_network;
	if (prev && p->prev_alert)
		rows->prev_alert = prev_alert_of(prev, p, cache);
	dt = prev ? seconds_between(&prev->snap->mono, &cur->snap->mono) : 0;
	if (dt > 0) {
		bool same_epoch = cache->epoch == p->epoch;
		bool kept = same_epoch && cache->seq == prev->seq;
		bool kept_before = same_epoch && cache->before_seq == prev->seq;
		uint32_t before = kept ? cache->syn_recv
				       : kept_before ? cache->before_syn_recv : syn_recv_count(prev->snap);

		/* a summary (prev_keep.c) has no socket to count */
		d->has_rate = kept || kept_before || !p->prev_summary;
		d->syn_recv_rate = ((double)d->report.syn_recv - before) / dt;
	}
	if (cache->seq != cur->seq) {
		cache->before_seq = cache->epoch == p->epoch ? cache->seq : 0;
		cache->before_syn_recv = cache->syn_recv;
	}
	cache->syn_recv = d->report.syn_recv;
	cache->alert = d->report.alert;
	cache->alert_threshold = p->flood.syn_recv_per_listener;
}

void flood_rows_release(struct flood_data *d)
{
	flood_report_free(&d->report);
	free(d->listener_order);
	free(d->sources);
	free(d->source_order);
	d->listener_order = NULL, d->sources = NULL, d->source_order = NULL;
	d->nlisteners = d->nsources = 0;
	d->seq = 0;
	d->has_rate = false;
}

#define SWAP(a, b) do { __typeof__(a) swap_ = (a); (a) = (b); (b) = swap_; } while (0)

void flood_rows_swap(struct flood_data *shown, struct flood_data *rows)
{
	SWAP(shown->report, rows->report);
	SWAP(shown->seq, rows->seq);
	SWAP(shown->syn_recv_rate, rows->syn_recv_rate);
	SWAP(shown->has_rate, rows->has_rate);
	SWAP(shown->listener_order, rows->listener_order);
	SWAP(shown->nlisteners, rows->nlisteners);
	SWAP(shown->sources, rows->sources);
	SWAP(shown->source_order, rows->source_order);
	SWAP(shown->nsources, rows->nsources);
	for (int i = 0; i < FLOOD_INDICATORS; i++)
		SWAP(shown->counter_order[i], rows->counter_order[i]);
}

unsigned flood_alert_update(struct model *m, unsigned alert_before)
{
	struct flood_data *d = &m->flood;
	bool was_sniffing = flood_wants_syn_packets(m);
	unsigned redo = 0;

	d->alert = d->seq ? d->report.alert : 0;
	/* a sample taken early (after a key, or a closing) may cover a few
	 * milliseconds: too short for the counters' rates to say anything, so
	 * their part of the alert stays as the last full interval left it */
	if (m->cur->snap->interval > 0 && m->cur->snap->interval < m->interval / 2)
		d->alert = (d->alert & FLOOD_SYN_RECV) | (alert_before & ~(unsigned)FLOOD_SYN_RECV);
	/* the band opens when an alert rises, and stays until F closes it; its
	 * panes' rows come with the next rows computed */
	if (d->alert && !alert_before && !d->shown) {
		d->shown = true;
		redo |= REDO_RECOMPUTE;
	}
	if (d->alert)
		d->sniff = geteuid() == 0, d->quiet_samples = 0;
	else if (d->sniff && ++d->quiet_samples >= SNIFF_HOLD_SAMPLES)
		d->sniff = false;
	/* the band's dump ignores the filter, SYNs are counted: from the next
	 * sample on (one taken now would cover too short a time) */
	if (flood_wants_syn_packets(m) != was_sniffing || (d->alert && !alert_before))
		redo |= REDO_REQUEST;
	return redo;
}

/* Counting SYNs takes an AF_PACKET socket: asked for from the start with
 * --syn-sources, and by the alert when nettop may open one (as root). */
bool flood_wants_syn_packets(const struct model *m)
{
	return m->opts->syn_sources || m->flood.sniff;
}

unsigned flood_toggle_shown(struct model *m)
{
	m->flood.shown = !m->flood.shown;
	if (!pane_enabled(m, m->focus))
		m->focus = PANE_CONNS;
	model_message(m, false, m->flood.shown ? "SYN flood panes shown (F hides them)"
					       : "SYN flood panes hidden; an alert shows them again");
	return REDO_RESAMPLE | REDO_RECOMPUTE;
}

unsigned flood_toggle_grouping(struct model *m)
{
	struct flood_data *d = &m->flood;

	d->by_network = !d->by_network;
	model_message(m, false, d->by_network ? "SYN sources grouped by /24 (IPv4) and /64 (IPv6)"
					      : "SYN sources by address");
	/* the same sample again: the SYN_RECV count, its rate and the alert stay */
	return REDO_RECOMPUTE;
}

void flood_source_format(const struct source_row *r, char *buf, size_t len)
{
	int n = addr_format(buf, len, r->family, r->addr);

	if (r->prefix != (r->family == 4 ? 32 : 128) && n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n, "/%u", r->prefix);
}
