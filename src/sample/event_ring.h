/* event_ring.h: the last N close events, and how far a reader has taken
 * them. Plain data, no locking (events.c holds its lock around it), so that
 * it is tested without a socket. */
#ifndef NETTOP_EVENT_RING_H
#define NETTOP_EVENT_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../close_event.h"

struct event_ring {
	struct close_event *slots;
	size_t cap;
	uint64_t head;			/* events ever pushed; the newest is head - 1 */
	uint64_t taken;			/* events the reader took, or that were overwritten unread */
	uint64_t overwritten;		/* pushed over before the reader took them */
};

/* 0 or -ENOMEM. cap must be at least 1. */
int event_ring_init(struct event_ring *r, size_t cap);
void event_ring_free(struct event_ring *r);
/* True when a push would overwrite an event the reader has not taken. */
static inline bool event_ring_full(const struct event_ring *r)
{
	return r->head - r->taken >= r->cap;
}
/* Stores ev over the oldest when full (counted in overwritten). Returns
 * true when the ring held nothing untaken before: the reader must be woken. */
bool event_ring_push(struct event_ring *r, const struct close_event *ev);
/* Moves up to max untaken events to out, oldest first; returns how many. */
size_t event_ring_take(struct event_ring *r, struct close_event *out, size_t max);
/* True when the reader has taken everything. */
static inline bool event_ring_empty(const struct event_ring *r)
{
	return r->taken == r->head;
}
/* Copies the last min(n, cap) events pushed, newest first, taken or not;
 * returns how many. */
size_t event_ring_recent(const struct event_ring *r, struct close_event *out, size_t n);

#endif
