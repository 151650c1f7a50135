/* event_ring.c: a fixed ring of close events: memory bounded by its size,
 * whatever the rate of closes. */
#include "event_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int event_ring_init(struct event_ring *r, size_t cap)
{
	memset(r, 0, sizeof(*r));
	if (!cap || !(r->slots = calloc(cap, sizeof(*r->slots))))
		return -ENOMEM;
	r->cap = cap;
	return 0;
}

void event_ring_free(struct event_ring *r)
{
	free(r->slots);
	memset(r, 0, sizeof(*r));
}

bool event_ring_push(struct event_ring *r, const struct close_event *ev)
{
	bool was_empty = event_ring_empty(r);

	if (event_ring_full(r)) {
		r->taken++;
		r->overwritten++;
	}
	r->slots[r->head++ % r->cap] = *ev;
	return was_empty;
}

size_t event_ring_take(struct event_ring *r, struct close_event *out, size_t max)
{
	size_t n = 0;

	for (; n < max && r->taken < r->head; n++)
		out[n] = r->slots[r->taken++ % r->cap];
	return n;
}

size_t event_ring_recent(const struct event_ring *r, struct close_event *out, size_t n)
{
	size_t i = 0;

	for (; i < n && i < r->cap && i < r->head; i++)
		out[i] = r->slots[(r->head - 1 - i) % r->cap];
	return i;
}
