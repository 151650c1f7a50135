/* closed_log.c: each sample's destroy events joined and logged in order.
 * The join runs on the loop's thread as samples are taken (every sample,
 * none skipped, unlike the worker's jobs): it is a hash look-up per event
 * and one pass over the sample's sockets. */
#include "closed_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../close_event.h"
#include "../grow.h"

struct closed_log *closed_log_new(size_t cap)
{
	struct closed_log *l = calloc(1, sizeof(*l));

	if (!cap)
		cap = CLOSED_LOG_DEFAULT;
	if (!l || !(l->ring = calloc(cap, sizeof(*l->ring))) || closed_filter_init(&l->filter) < 0) {
		if (l)
			free(l->ring);
		free(l);
		return NULL;
	}
	l->cap = cap;
	closed_seen_init(&l->seen);
	closed_tally_init(&l->tally);
	l->updater = helper_start();
	return l;
}

/* Waits for the update of the sample before (the seen table is the loop's
 * again). */
static void closed_log_settle(struct closed_log *l)
{
	helper_wait(l->updater);
	sample_release(l->updating);
	l->updating = NULL;
}

void closed_log_free(struct closed_log *l)
{
	if (!l)
		return;
	closed_log_settle(l);
	helper_stop(l->updater);
	closed_seen_free(&l->seen);
	closed_tally_free(&l->tally);
	closed_filter_free(&l->filter);
	free(l->order);
	free(l->ring);
	free(l);
}

/* A new run, or a replay's jump: what the samples knew is of another time,
 * and the counts start again as if played from there. */
static void closed_log_restart(struct closed_log *l)
{
	closed_seen_free(&l->seen);
	closed_seen_init(&l->seen);
	closed_tally_free(&l->tally);
	closed_tally_init(&l->tally);
	l->floor = l->head;
	l->n = 0;
}

static void closed_log_push(struct closed_log *l, const struct close_event *ev)
{
	struct closed_entry *e = &l->ring[l->head % l->cap];

	closed_join(&l->seen, ev, &e->c);
	e->seq = ++l->head;
	/* out of memory loses a remote's or listener's count, never the totals */
	(void)closed_tally_add(&l->tally, &l->seen, &e->c);
}

static void seen_update(void *arg)
{
	struct closed_log *l = arg;

	/* out of memory keeps the table of the sample before: events then
	 * join to older knowledge, or show as not seen */
	(void)closed_seen_update(&l->seen, l->updating->snap);
}

void closed_log_take(struct closed_log *l, struct sample *s, const struct sample *before)
{
	const struct snapshot *snap = s->snap;

	closed_log_settle(l);
	if ((snap->flags & SNAP_RUN_START) ||
	    (before && before->seq != l->sample_seq)) {
		closed_log_restart(l);
		if (before && !(snap->flags & SNAP_RUN_START))
			(void)closed_seen_update(&l->seen, before->snap);
	}
	closed_tally_next(&l->tally);
	l->active = snap->flags & SNAP_HAS_EVENTS;
	l->note = snap->events_note;
	l->lost = snap->events_lost;
	l->interval = snap->interval;
	for (size_t i = 0; l->active && i < snap->nclosed; i++)
		closed_log_push(l, &snap->closed[i]);
	l->sample_seq = s->seq;
	if (!l->active)
		return;
	sample_hold(s);
	l->updating = s;
	helper_run(l->updater, seen_update, l);
}

double closed_log_state_rate(const struct closed_log *l, unsigned state)
{
	if (!l->active || l->interval <= 0 || state >= ST_COUNT)
		return -1;
	return l->tally.interval_by_state[state] / l->interval;
}

double closed_log_remote_rate(const struct closed_log *l, uint8_t family, const uint8_t addr[16])
{
	if (!l->active || l->interval <= 0)
		return -1;
	return closed_tally_remote_closed(&l->tally, family, addr) / l->interval;
}

double closed_log_listener_rate(const struct closed_log *l, const struct sock_rec *listener)
{
	const struct closed_listener_count *c;

	if (!l->active || l->interval <= 0)
		return -1;
	c = closed_tally_listener(&l->tally, listener->family, sock_laddr(listener).b, listener->lport);
	return c ? c->interval / l->interval : 0;
}

int closed_columns_fit(const struct closed_log *l, struct column *cols, int n, int id)
{
	/* before the first sample (the config's sort is read then) it stays */
	if (!l || l->active)
		return n;
	for (int i = 0; i < n; i++) {
		if (cols[i].id != id)
			continue;
		memmove(cols + i, cols + i + 1, (size_t)(n - i - 1) * sizeof(*cols));
		return n - 1;
	}
	return n;
}

void closed_rate_format(double rate, char *buf, size_t len)
{
	if (rate < 0)
		snprintf(buf, len, "-");
	else if (rate < 10 && rate != (long)rate)
		snprintf(buf, len, "%.1f", rate);
	else
		snprintf(buf, len, "%.0f", rate);
}

const struct closed_entry *closed_log_at(const struct closed_log *l, size_t row)
{
	return &l->ring[l->order[row]];
}
