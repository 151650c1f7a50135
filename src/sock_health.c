/* sock_health.c: the health array's growth and its rates. */
#include "sock_health.h"

#include <stdlib.h>
#include <string.h>

struct sock_health *sock_health_slot(struct snapshot *s, size_t i)
{
	if (i >= s->health_cap) {
		size_t cap = s->socks_cap > i ? s->socks_cap : i + 1;
		struct sock_health *h = realloc(s->health, cap * sizeof(*h));

		if (!h) {
			s->flags &= ~(unsigned)SNAP_HAS_HEALTH;
			return NULL;
		}
		s->health = h;
		s->health_cap = cap;
	}
	memset(&s->health[i], 0, sizeof(s->health[i]));
	return &s->health[i];
}

void sock_health_set_cong(struct sock_health *h, const char *name, size_t len)
{
	size_t n = 0;

	for (; n < len && n < sizeof(h->cong) - 1 && name[n]; n++) {
		if (name[n] < 0x21 || name[n] > 0x7e)
			return;
		h->cong[n] = name[n];
	}
	h->cong[n] = '\0';
	if (n)
		h->flags |= HEALTH_CONG;
}

static float share(uint64_t now, uint64_t before, double dt)
{
	double v;

	if (now < before)
		return 0;
	v = (double)(now - before) / 1e6 / dt;
	return (float)(v > 1 ? 1 : v);
}

/* tcp_info's segment counts are 32 bits: they wrap, and a wrap is a delta */
static float seg_rate(uint32_t now, uint32_t before, double dt)
{
	return (float)((uint32_t)(now - before) / dt);
}

void sock_health_derive(struct snapshot *cur, size_t i, const struct snapshot *prev, size_t j,
			double dt)
{
	struct sock_health *h;
	const struct sock_health *p;
	const struct sock_extra *x, *y;	/* now, and dt before (kept with health) */

	if (!(cur->flags & prev->flags & SNAP_HAS_HEALTH) || !cur->health || !prev->health)
		return;
	h = &cur->health[i];
	p = &prev->health[j];
	if (!(h->flags & p->flags & HEALTH_INFO))
		return;
	x = sock_extra_of(cur, &cur->socks[i]);
	y = sock_extra_of(prev, &prev->socks[j]);
	h->retrans_ps = x->total_retrans >= y->total_retrans
		? (float)((x->total_retrans - y->total_retrans) / dt) : 0;
	h->segs_in_ps = seg_rate(x->segs_in, y->segs_in, dt);
	h->segs_out_ps = seg_rate(x->segs_out, y->segs_out, dt);
	h->busy_share = share(h->busy_us, p->busy_us, dt);
	h->rwnd_limited_share = share(h->rwnd_limited_us, p->rwnd_limited_us, dt);
	h->sndbuf_limited_share = share(h->sndbuf_limited_us, p->sndbuf_limited_us, dt);
	h->flags |= HEALTH_RATES;
}
