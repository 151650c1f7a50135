/* closed_tally.c: closed connections counted per state, per remote address
 * (this interval) and per listener (since the start). Memory is bounded by
 * the remotes of one interval and CLOSED_LISTENERS_MAX listeners. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "closed.h"
#include "hash.h"

void closed_tally_init(struct closed_tally *t)
{
	memset(t, 0, sizeof(*t));
}

void closed_tally_free(struct closed_tally *t)
{
	free(t->remotes);
	free(t->listeners);
	closed_tally_init(t);
}

/* A closed socket's remote address: IPv4-mapped IPv6 counts as the IPv4
 * address it is. */
static void remote_key(const struct close_event *ev, uint8_t *family, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (ev->r.family == 6 && addr_is_v4mapped(ev->a.r)) {
		*family = 4;
		memcpy(addr, ev->a.r + 12, 4);
	} else {
		*family = ev->r.family;
		memcpy(addr, ev->a.r, ev->r.family == 4 ? 4 : 16);
	}
}

static struct closed_remote *remote_slot(struct closed_remote *slots, size_t mask, uint8_t family,
					 const uint8_t addr[16])
{
	size_t h = hash_addr(family, addr) & mask;

	while (slots[h].family && (slots[h].family != family || memcmp(slots[h].addr, addr, 16)))
		h = (h + 1) & mask;
	return &slots[h];
}

static int remotes_grow(struct closed_tally *t)
{
	size_t size = t->remotes ? 2 * (t->remotes_mask + 1) : 64;
	struct closed_remote *slots = calloc(size, sizeof(*slots));

	if (!slots)
		return -ENOMEM;
	for (size_t i = 0; t->remotes && i <= t->remotes_mask; i++)
		if (t->remotes[i].family)
			*remote_slot(slots, size - 1, t->remotes[i].family, t->remotes[i].addr) = t->remotes[i];
	free(t->remotes);
	t->remotes = slots;
	t->remotes_mask = size - 1;
	return 0;
}

static int remote_count(struct closed_tally *t, const struct closed_conn *c)
{
	uint8_t family, addr[16];
	struct closed_remote *s;

	if ((!t->remotes || 2 * (t->nremotes + 1) > t->remotes_mask + 1) && remotes_grow(t) < 0)
		return -ENOMEM;
	remote_key(&c->ev, &family, addr);
	s = remote_slot(t->remotes, t->remotes_mask, family, addr);
	if (!s->family) {
		s->family = family;
		memcpy(s->addr, addr, 16);
		t->nremotes++;
	}
	s->closed++;
	s->rx_bytes += c->rx_credit;
	s->tx_bytes += c->tx_credit;
	return 0;
}

static int listener_count(struct closed_tally *t, const struct closed_listener *l,
			  const struct closed_conn *conn)
{
	struct closed_listener_count *c = NULL;

	for (size_t i = 0; i < t->nlisteners && !c; i++)
		if (t->listeners[i].family == l->family && t->listeners[i].port == l->port &&
		    !memcmp(t->listeners[i].addr, l->addr, 16))
			c = &t->listeners[i];
	if (!c && t->nlisteners >= CLOSED_LISTENERS_MAX) {
		t->other_listeners++;
		return 0;
	}
	if (!c && t->nlisteners == t->listeners_cap) {
		size_t cap = t->listeners_cap ? 2 * t->listeners_cap : 16;
		void *p = realloc(t->listeners, cap * sizeof(*t->listeners));

		if (!p)
			return -ENOMEM;
		t->listeners = p;
		t->listeners_cap = cap;
	}
	if (!c) {
		c = &t->listeners[t->nlisteners++];
		*c = (struct closed_listener_count){ .family = l->family, .port = l->port };
		memcpy(c->addr, l->addr, 16);
	}
	c->interval++;
	c->total++;
	c->rx_bytes += conn->rx_credit;
	c->tx_bytes += conn->tx_credit;
	if (conn->has_bytes) {
		c->rx_total += conn->rx_bytes;
		c->tx_total += conn->tx_bytes;
		c->retrans_total += conn->ev.x.total_retrans;
	}
	return 0;
}

int closed_tally_add(struct closed_tally *t, const struct closed_seen *seen, const struct closed_conn *c)
{
	uint8_t s = c->last_state < ST_COUNT ? c->last_state : 0;
	int err = 0;

	t->total++;
	t->by_state[s]++;
	t->interval_total++;
	t->interval_by_state[s]++;
	/* a listener or an unconnected UDP socket has no remote to count */
	if (c->ev.r.rport && remote_count(t, c) < 0)
		err = -ENOMEM;
	if (c->listener >= 0 && (size_t)c->listener < seen->nlisteners &&
	    listener_count(t, &seen->listeners[c->listener], c) < 0)
		err = -ENOMEM;
	return err;
}

void closed_tally_next(struct closed_tally *t)
{
	t->interval_total = 0;
	memset(t->interval_by_state, 0, sizeof(t->interval_by_state));
	free(t->remotes);
	t->remotes = NULL;
	t->remotes_mask = 0;
	t->nremotes = 0;
	for (size_t i = 0; i < t->nlisteners; i++) {
		t->listeners[i].interval = 0;
		t->listeners[i].rx_bytes = t->listeners[i].tx_bytes = 0;
	}
}

static int remote_cmp(const void *a, const void *b)
{
	const struct closed_remote *x = a, *y = b;

	if (x->closed != y->closed)
		return x->closed > y->closed ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

long closed_tally_remotes(const struct closed_tally *t, size_t k, struct closed_remote **out)
{
	size_t n = 0;

	*out = calloc(t->nremotes ? t->nremotes : 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; t->remotes && i <= t->remotes_mask; i++)
		if (t->remotes[i].family)
			(*out)[n++] = t->remotes[i];
	qsort(*out, n, sizeof(**out), remote_cmp);
	return (long)(k && k < n ? k : n);
}

const struct closed_remote *closed_tally_remote(const struct closed_tally *t, int family,
						const uint8_t addr[16])
{
	uint8_t key[16] = { 0 };
	const struct closed_remote *s;

	if (!t->remotes)
		return NULL;
	memcpy(key, addr, family == 4 ? 4 : 16);
	s = remote_slot(t->remotes, t->remotes_mask, (uint8_t)family, key);
	return s->family ? s : NULL;
}

uint32_t closed_tally_remote_closed(const struct closed_tally *t, uint8_t family,
				    const uint8_t addr[16])
{
	const struct closed_remote *s = closed_tally_remote(t, family, addr);

	return s ? s->closed : 0;
}

const struct closed_listener_count *closed_tally_listener(const struct closed_tally *t, uint8_t family,
							  const uint8_t addr[16], uint16_t port)
{
	size_t alen = family == 4 ? 4 : 16;

	for (size_t i = 0; i < t->nlisteners; i++)
		if (t->listeners[i].family == family && t->listeners[i].port == port &&
		    !memcmp(t->listeners[i].addr, addr, alen))
			return &t->listeners[i];
	return NULL;
}
