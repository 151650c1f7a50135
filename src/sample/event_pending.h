/* event_pending.h: the destroy events between two samples, for the
 * screen's sampler thread: taken from the listener while the thread waits,
 * and handed over with the next sample (snapshot.closed), so that a
 * recording holds each sample's events and a replay shows them again. */
#ifndef NETTOP_EVENT_PENDING_H
#define NETTOP_EVENT_PENDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../close_event.h"
#include "../snapshot.h"

/* Events held for the next sample at most (an interval of 10 s at 100k
 * closes a second); more are counted as lost. */
#define EVENT_PENDING_MAX (1u << 20)

struct events;

struct event_pending {
	struct events *ev;		/* NULL: not asked for, or refused */
	bool tried;			/* events_open was tried (once) */
	const char *note;		/* why it does not run, or what it lacks (a constant), or NULL */
	struct close_event *buf;
	size_t n, cap;
	uint64_t dropped;		/* beyond EVENT_PENDING_MAX */
};

/* Starts the listener the first time want is true (in the calling
 * thread's network namespace); its refusal is kept in p->note. */
void event_pending_want(struct event_pending *p, bool want);
/* Takes what the listener holds. */
void event_pending_drain(struct event_pending *p);
/* Moves the events held into snap (with SNAP_HAS_EVENTS), and the note (why
 * there are none, or may be lost). Out of memory: they are counted as lost. */
void event_pending_attach(struct event_pending *p, struct snapshot *snap);
/* Puts older (a sample's events that nobody took) before the events of
 * snap: a sample replaced unread must not take its events with it. */
void event_pending_carry(struct snapshot *snap, const struct snapshot *older);
void event_pending_close(struct event_pending *p);

#endif
