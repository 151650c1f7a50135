/* rec_place.c: the BPF programs' records into a snapshot, and moved about. */
#include "rec_place.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../grow.h"
#include "../../sock_health.h"
#include "../../tcpstate.h"

int rec_fill(const struct nt_rec *rec, bool has_info, uint8_t proto, struct snapshot *snap,
	     size_t i)
{
	struct sock_rec *r = &snap->socks[i];
	struct sock_extra none, *x = snapshot_extra_slot(snap, i);

	if (!x)
		x = &none;
	r->cookie = rec->cookie;
	r->family = rec->family;
	if (snapshot_set_addrs(snap, r, rec->laddr, rec->raddr) < 0)
		return -ENOMEM;
	r->lport = rec->lport;
	r->rport = rec->rport;
	r->proto = proto;
	r->state = tcpstate_from_kernel(rec->state);
	r->timer = rec->timer;
	r->retrans = rec->retrans;
	x->expires_ms = rec->expires_ms;
	r->recv_q = rec->recv_q;
	r->send_q = rec->send_q;
	x->uid = rec->uid;
	r->inode = rec->inode;
	r->ifindex = rec->ifindex;
	if (!has_info)
		return 0;
	x->cgroup_id = rec->cgroup_id;	/* a UDP socket's too: not tcp_info's */
	if (!rec->has_info)
		return 0;
	r->rtt_us = rec->rtt_us;
	x->rttvar_us = rec->rttvar_us;
	x->cwnd = rec->cwnd;
	x->total_retrans = rec->total_retrans;
	x->segs_in = rec->segs_in;
	x->segs_out = rec->segs_out;
	r->bytes_acked = rec->bytes_acked;
	r->bytes_received = rec->bytes_received;
	r->flags |= SOCK_HAS_INFO;
	return 0;
}

void rec_ext_fill(const struct nt_ext *e, struct snapshot *snap, size_t i)
{
	struct sock_health *h;

	if (!(snap->flags & SNAP_HAS_HEALTH) || !(h = sock_health_slot(snap, i)))
		return;
	if (e->has & NT_HAS_INFO) {
		h->lost = e->lost;
		h->ssthresh = e->ssthresh;
		h->min_rtt_us = e->min_rtt_us;
		h->unacked = e->unacked;
		h->notsent = e->notsent;
		h->delivery_rate = e->delivery_rate;
		h->pacing_rate = e->pacing_rate;
		h->busy_us = e->busy_us;
		h->rwnd_limited_us = e->rwnd_limited_us;
		h->sndbuf_limited_us = e->sndbuf_limited_us;
		h->flags |= HEALTH_INFO;
	}
	if (e->has & NT_HAS_MEM) {
		h->rmem = e->rmem;
		h->wmem = e->wmem;
		h->drops = e->drops;
		h->flags |= HEALTH_MEM;
	}
	if (e->has & NT_HAS_CONG)
		sock_health_set_cong(h, e->cong, strnlen(e->cong, sizeof(e->cong)));
}

void rec_mover_free(struct rec_mover *m)
{
	free(m->room);
	*m = (struct rec_mover){ 0 };
}

/* One array parallel to the sockets (n of elem bytes from start) in the
 * order of from[], through the mover's room (at least n * elem bytes). */
static void permute(struct rec_mover *m, void *arr, size_t elem, size_t start, const size_t *from,
		    size_t n)
{
	unsigned char *a = arr;

	for (size_t k = 0; k < n; k++)
		memcpy((unsigned char *)m->room + k * elem, a + from[k] * elem, elem);
	memcpy(a + start * elem, m->room, n * elem);
}

int rec_permute(struct rec_mover *m, struct snapshot *snap, size_t start, const size_t *from,
		size_t n)
{
	bool health = (snap->flags & SNAP_HAS_HEALTH) && snap->health;
	bool extra = (snap->flags & SNAP_HAS_EXTRA) && snap->extra;
	size_t most = sizeof(*snap->socks);

	/* room for the largest of the arrays, used by each in turn */
	if (health && sizeof(*snap->health) > most)
		most = sizeof(*snap->health);
	if (extra && sizeof(*snap->extra) > most)
		most = sizeof(*snap->extra);
	if (grow_array(&m->room, &m->room_cap, n * most, 1, n * most))
		return -ENOMEM;
	permute(m, snap->socks, sizeof(*snap->socks), start, from, n);
	if (health)
		permute(m, snap->health, sizeof(*snap->health), start, from, n);
	if (extra)
		permute(m, snap->extra, sizeof(*snap->extra), start, from, n);
	return 0;
}

void rec_drop_gone(struct snapshot *snap, size_t start)
{
	size_t kept = start;

	for (size_t i = start; i < snap->nsocks; i++)
		if (snap->socks[i].family)
			snapshot_move_sock(snap, kept++, i);
	snap->nsocks = kept;
}
