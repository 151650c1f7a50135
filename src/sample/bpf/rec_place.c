/* rec_place.c: the BPF programs' records into a snapshot, and moved about. */
#include "rec_place.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../grow.h"
#include "../../sock_health.h"
#include "../../tcpstate.h"

void rec_fill(const struct nt_rec *rec, bool has_info, uint8_t proto, struct sock_rec *r)
{
	r->cookie = rec->cookie;
	memcpy(r->laddr, rec->laddr, sizeof(r->laddr));
	memcpy(r->raddr, rec->raddr, sizeof(r->raddr));
	r->lport = rec->lport;
	r->rport = rec->rport;
	r->family = rec->family;
	r->proto = proto;
	r->state = tcpstate_from_kernel(rec->state);
	r->timer = rec->timer;
	r->retrans = rec->retrans;
	r->expires_ms = rec->expires_ms;
	r->recv_q = rec->recv_q;
	r->send_q = rec->send_q;
	r->uid = rec->uid;
	r->inode = rec->inode;
	r->ifindex = rec->ifindex;
	if (!has_info)
		return;
	r->cgroup_id = rec->cgroup_id;	/* a UDP socket's too: not tcp_info's */
	if (!rec->has_info)
		return;
	r->rtt_us = rec->rtt_us;
	r->rttvar_us = rec->rttvar_us;
	r->cwnd = rec->cwnd;
	r->total_retrans = rec->total_retrans;
	r->segs_in = rec->segs_in;
	r->segs_out = rec->segs_out;
	r->bytes_acked = rec->bytes_acked;
	r->bytes_received = rec->bytes_received;
	r->flags |= SOCK_HAS_INFO;
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
	free(m->socks);
	free(m->health);
	*m = (struct rec_mover){ 0 };
}

int rec_permute(struct rec_mover *m, struct snapshot *snap, size_t start, const size_t *from,
		size_t n)
{
	bool health = (snap->flags & SNAP_HAS_HEALTH) && snap->health;

	if (grow_array((void **)&m->socks, &m->socks_cap, n, sizeof(*m->socks), n) ||
	    (health && grow_array((void **)&m->health, &m->health_cap, n, sizeof(*m->health), n)))
		return -ENOMEM;
	for (size_t k = 0; k < n; k++)
		m->socks[k] = snap->socks[from[k]];
	memcpy(snap->socks + start, m->socks, n * sizeof(*m->socks));
	if (!health)
		return 0;
	for (size_t k = 0; k < n; k++)
		m->health[k] = snap->health[from[k]];
	memcpy(snap->health + start, m->health, n * sizeof(*m->health));
	return 0;
}

void rec_drop_gone(struct snapshot *snap, size_t start)
{
	bool health = (snap->flags & SNAP_HAS_HEALTH) && snap->health;
	size_t kept = start;

	for (size_t i = start; i < snap->nsocks; i++) {
		if (!snap->socks[i].family)
			continue;
		snap->socks[kept] = snap->socks[i];
		if (health)
			snap->health[kept] = snap->health[i];
		kept++;
	}
	snap->nsocks = kept;
}
