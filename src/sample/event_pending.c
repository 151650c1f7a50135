/* event_pending.c: the sampler thread's side of the destroy events: the
 * listener's ring is a hand-over buffer; this holds an interval's worth. */
#include "event_pending.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../grow.h"
#include "events.h"

/* The listener's ring: it waits for this side when full, and the kernel's
 * 32 MiB buffer takes the rest meanwhile. */
#define PENDING_RING 32768
#define TAKE_BATCH 1024

void event_pending_want(struct event_pending *p, bool want)
{
	int err;

	if (!want || p->tried)
		return;
	p->tried = true;
	if (!(p->ev = events_open(PENDING_RING, true, &err)))
		p->note = events_strerror(err);
	else if (events_rcvbuf(p->ev) < EVENTS_RCVBUF_WANTED)
		/* without CAP_NET_ADMIN net.core.rmem_max caps it */
		p->note = "the destroy events' receive buffer is below 32 MiB (more needs "
			  "CAP_NET_ADMIN): bursts may be lost, and are counted";
}

void event_pending_drain(struct event_pending *p)
{
	if (!p->ev)
		return;
	for (;;) {
		size_t room, n;

		if (p->n >= EVENT_PENDING_MAX ||
		    grow_array((void **)&p->buf, &p->cap, p->n + TAKE_BATCH, sizeof(*p->buf), 4096) < 0) {
			struct close_event sink[64];

			/* still taken, so that the listener goes on */
			while ((n = events_take(p->ev, sink, 64)) > 0)
				p->dropped += n;
			return;
		}
		room = p->cap - p->n;
		if (!(n = events_take(p->ev, p->buf + p->n, room < TAKE_BATCH ? room : TAKE_BATCH)))
			return;
		p->n += n;
	}
}

void event_pending_attach(struct event_pending *p, struct snapshot *snap)
{
	snap->events_note = p->note;
	if (!p->ev)
		return;
	event_pending_drain(p);
	snap->flags |= SNAP_HAS_EVENTS;
	snap->events_lost = events_lost(p->ev) + p->dropped;
	if (!p->n)
		return;
	snap->closed = malloc(p->n * sizeof(*p->buf));
	if (!snap->closed) {
		p->dropped += p->n;
		snap->events_lost += p->n;
	} else {
		memcpy(snap->closed, p->buf, p->n * sizeof(*p->buf));
		snap->nclosed = p->n;
	}
	p->n = 0;
}

void event_pending_carry(struct snapshot *snap, const struct snapshot *older)
{
	struct close_event *all;
	size_t n;

	if (!older || !older->nclosed)
		return;
	n = older->nclosed + snap->nclosed;
	if (!(all = malloc(n * sizeof(*all)))) {
		snap->events_lost += older->nclosed;
		return;
	}
	memcpy(all, older->closed, older->nclosed * sizeof(*all));
	if (snap->nclosed)
		memcpy(all + older->nclosed, snap->closed, snap->nclosed * sizeof(*all));
	free(snap->closed);
	snap->closed = all;
	snap->nclosed = n;
}

void event_pending_close(struct event_pending *p)
{
	events_close(p->ev);
	free(p->buf);
	memset(p, 0, sizeof(*p));
}
