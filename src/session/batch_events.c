/* batch_events.c: the consumer of the destroy events in --batch runs. The
 * listener's thread receives them; this side takes them between samples
 * (and while waiting for the next one), so printing never holds up the
 * receiving, and nothing is dropped unseen: what the kernel drops is
 * counted and printed. */
#include "batch_events.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "../close_event.h"
#include "../grow.h"
#include "../sample/event_pending.h"
#include "../sample/events.h"
#include "../view/closed.h"
#include "../view/closed_filter.h"

/* The listener's ring: events received but not yet taken. The thread waits
 * when it is full, and the kernel's 32 MiB buffer takes the rest. */
#define BATCH_RING 16384
#define TAKE_BATCH 256

struct batch_events {
	struct events *ev;
	FILE *out;
	bool print;
	const struct view_options *view;
	unsigned families;
	struct closed_filter filter;
	struct closed_seen seen;
	struct closed_tally tally;
	uint64_t lost_printed;
	/* --record: every event of the interval, filtered or not, for the
	 * next sample's frame (as the screen's recordings have them) */
	bool keep;
	struct close_event *kept;
	size_t nkept, kept_cap;
	uint64_t kept_dropped;		/* beyond EVENT_PENDING_MAX, or out of memory */
	struct close_event buf[TAKE_BATCH];
};

/* Starts listening. print: each closed connection is written to out as a
 * JSON line as it comes. Only those view and families (SAMPLE_V4,
 * SAMPLE_V6) show are printed and counted; the filter sees a connection in
 * the last state a sample saw it in, with the process the join found. view
 * must outlive the listener. NULL with *err: -ENOMEM, or why the kernel
 * refused (events_strerror() says it for a user). */
static struct batch_events *batch_events_open(FILE *out, bool print, const struct view_options *view,
					      unsigned families, int *err)
{
	struct batch_events *b = calloc(1, sizeof(*b));

	if (!b || closed_filter_init(&b->filter) < 0) {
		free(b);
		*err = -ENOMEM;
		return NULL;
	}
	if (!(b->ev = events_open(BATCH_RING, true, err))) {
		closed_filter_free(&b->filter);
		free(b);
		return NULL;
	}
	b->out = out;
	b->print = print;
	b->view = view;
	b->families = families;
	closed_seen_init(&b->seen);
	closed_tally_init(&b->tally);
	return b;
}

/* Why bursts may be lost (a receive buffer smaller than asked for: without
 * CAP_NET_ADMIN it stops at net.core.rmem_max), or NULL. */
static const char *batch_events_note(const struct batch_events *b)
{
	return events_rcvbuf(b->ev) < EVENTS_RCVBUF_WANTED
		? "the destroy events' receive buffer is below 32 MiB (more needs CAP_NET_ADMIN): "
		  "bursts may be lost, and are counted in events_lost"
		: NULL;
}

int batch_events_start(const struct options *o, struct batch_events **b, struct out_options *shown)
{
	int err;

	*b = NULL;
	if (!o->events && !o->json && !o->prometheus && !o->listen_http && !o->record)
		return 0;
	/* the counts are of the time between two samples: a run of one has
	 * none, and the listener's thread and 32 MiB are not worth starting */
	if (!o->events && o->count == 1 && !o->replay) {
		shown->events_note = "closed connections are counted between two samples: --count 1 takes one";
		return 0;
	}
	if ((*b = batch_events_open(stdout, o->events, &shown->view, o->families, &err))) {
		shown->events_note = batch_events_note(*b);
		(*b)->keep = o->record != NULL;
		return 0;
	}
	shown->events_note = events_strerror(err);
	if (!o->events)
		return 0;
	out_events_unavailable_json(stdout, shown->events_note);
	fflush(stdout);
	fprintf(stderr, "nettop: --events: %s\n", shown->events_note);
	return o->json ? 0 : 1;
}

void batch_events_close(struct batch_events *b)
{
	if (!b)
		return;
	events_close(b->ev);
	closed_filter_free(&b->filter);
	free(b->kept);
	closed_seen_free(&b->seen);
	closed_tally_free(&b->tally);
	free(b);
}

/* What the options show: -t/-u, -4/-6, -l/-a and the filter. */
static bool event_visible(struct batch_events *b, const struct closed_conn *c)
{
	return (b->families & (1u << c->ev.r.family)) && closed_visible(&b->filter, c, b->view);
}

/* Losses are never silent: a line says how many since the last one. */
static void print_lost(struct batch_events *b)
{
	uint64_t lost = events_lost(b->ev);

	if (lost > b->lost_printed) {
		out_events_lost_json(b->out, lost - b->lost_printed, lost);
		b->lost_printed = lost;
	}
}

/* Joins, counts and (--events) prints n events. */
static void events_count(struct batch_events *b, const struct close_event *evs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct closed_conn c;

		closed_join(&b->seen, &evs[i], &c);
		if (!event_visible(b, &c))
			continue;
		/* out of memory loses a remote's or listener's count, never
		 * the totals */
		(void)closed_tally_add(&b->tally, &b->seen, &c);
		if (b->print)
			out_event_json(b->out, &c);
	}
}

/* The n events of buf kept for the next sample's frame. */
static void events_keep(struct batch_events *b, size_t n)
{
	if (b->nkept + n > EVENT_PENDING_MAX ||
	    grow_array((void **)&b->kept, &b->kept_cap, b->nkept + n, sizeof(*b->kept), 1024) < 0) {
		b->kept_dropped += n;
		return;
	}
	memcpy(b->kept + b->nkept, b->buf, n * sizeof(*b->kept));
	b->nkept += n;
}

int batch_events_drain(struct batch_events *b)
{
	size_t n;
	bool any = false;

	while ((n = events_take(b->ev, b->buf, TAKE_BATCH)) > 0) {
		if (b->keep)
			events_keep(b, n);
		events_count(b, b->buf, n);
		any = true;
	}
	if (!b->print)
		return 0;
	print_lost(b);
	if (any || ferror(b->out))
		return fflush(b->out) || ferror(b->out) ? -EIO : 0;
	return 0;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

int batch_events_wait(struct batch_events *b, const struct timespec *deadline,
		      const volatile sig_atomic_t *stop)
{
	struct pollfd p = { .fd = events_fd(b->ev), .events = POLLIN };
	struct timespec now;
	int err;

	while (!*stop && (clock_gettime(CLOCK_MONOTONIC, &now), before(&now, deadline))) {
		struct timespec left = { deadline->tv_sec - now.tv_sec, deadline->tv_nsec - now.tv_nsec };

		if (left.tv_nsec < 0)
			left.tv_sec--, left.tv_nsec += 1000000000L;
		if (ppoll(&p, 1, &left, NULL) > 0 && (err = batch_events_drain(b)))
			return err;
	}
	return 0;
}

void batch_events_sample(struct batch_events *b, struct snapshot *snap, struct out_options *o)
{
	/* out of memory keeps the table of the sample before: events then
	 * join to older knowledge, or print as not seen */
	(void)closed_seen_update(&b->seen, snap);
	o->closed = &b->tally;
	o->events_lost = b->ev ? events_lost(b->ev) : snap->events_lost;
	if (!b->keep)
		return;
	/* the frame recorded holds them; a replay shows them on the screen */
	snap->flags |= SNAP_HAS_EVENTS;
	snap->closed = b->kept;
	snap->nclosed = b->nkept;
	snap->events_lost = o->events_lost + b->kept_dropped;
	snap->events_note = o->events_note;
	b->kept = NULL;
	b->nkept = b->kept_cap = 0;
}

void batch_events_next(struct batch_events *b)
{
	closed_tally_next(&b->tally);
}

struct batch_events *batch_events_replayed(const struct options *o, struct out_options *shown)
{
	struct batch_events *b;

	if (!o->json || !(b = calloc(1, sizeof(*b))))
		return NULL;
	if (closed_filter_init(&b->filter) < 0) {
		free(b);
		return NULL;
	}
	b->out = stdout;
	b->view = &shown->view;
	b->families = o->families;
	closed_seen_init(&b->seen);
	closed_tally_init(&b->tally);
	return b;
}

void batch_events_recorded(struct batch_events *b, struct snapshot *snap, struct out_options *o)
{
	o->events_note = snap->events_note;
	if (!(snap->flags & SNAP_HAS_EVENTS)) {
		/* recorded without a listener, or before events were recorded */
		o->closed = NULL;
		return;
	}
	if (snap->flags & SNAP_RUN_START) {
		/* another run: what the samples before knew is of another time */
		closed_seen_free(&b->seen);
		closed_seen_init(&b->seen);
		closed_tally_free(&b->tally);
		closed_tally_init(&b->tally);
	}
	events_count(b, snap->closed, snap->nclosed);
	batch_events_sample(b, snap, o);
}
