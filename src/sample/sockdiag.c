/* sockdiag.c: the sock_diag dump loop and its message parser. The parser
 * takes plain buffers so that recorded dumps replay without a socket. */
#include "sockdiag.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "../tcpstate.h"
#include "nlparse.h"
#include "nlseq.h"

#define DUMP_TRIES 3

/* tcp_info grows with kernels: copy what fits into a zeroed struct. */
static void parse_tcp_info(const struct nlattr *attr, struct sock_rec *r, struct sock_extra *x)
{
	struct tcp_info info;
	size_t len = mnl_attr_get_payload_len(attr);

	memset(&info, 0, sizeof(info));
	memcpy(&info, mnl_attr_get_payload(attr), len < sizeof(info) ? len : sizeof(info));
	r->rtt_us = info.tcpi_rtt;
	r->bytes_acked = info.tcpi_bytes_acked;
	r->bytes_received = info.tcpi_bytes_received;
	r->flags |= SOCK_HAS_INFO;
	if (x) {
		x->rttvar_us = info.tcpi_rttvar;
		x->cwnd = info.tcpi_snd_cwnd;
		x->total_retrans = info.tcpi_total_retrans;
		x->segs_in = info.tcpi_segs_in;
		x->segs_out = info.tcpi_segs_out;
	}
}

int sockdiag_parse_msg(const void *msg, size_t len, uint8_t proto, struct sock_rec *r,
		       struct sock_extra *x, struct addr_pair *a)
{
	const struct nlmsghdr *nlh = msg;
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	const struct inet_diag_msg *d;
	struct addr_pair own;
	size_t alen;

	if (!a)
		a = &own;
	if (len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*d)))
		return -EINVAL;
	d = mnl_nlmsg_get_payload(nlh);
	if (d->idiag_family != AF_INET && d->idiag_family != AF_INET6)
		return -EINVAL;
	if (nlparse_attrs((const char *)d + sizeof(*d),
			  nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*d)), tb, INET_DIAG_MAX) < 0)
		return -EINVAL;
	alen = d->idiag_family == AF_INET ? 4 : 16;
	r->family = d->idiag_family == AF_INET ? 4 : 6;
	r->proto = proto;
	r->state = tcpstate_from_kernel(d->idiag_state);
	r->timer = d->idiag_timer;
	r->retrans = d->idiag_retrans;
	memset(a, 0, sizeof(*a));
	memcpy(a->l, d->id.idiag_src, alen);
	memcpy(a->r, d->id.idiag_dst, alen);
	sock_addrs_outside(r, a);
	r->lport = ntohs(d->id.idiag_sport);
	r->rport = ntohs(d->id.idiag_dport);
	r->ifindex = d->id.idiag_if;
	r->cookie = (uint64_t)d->id.idiag_cookie[1] << 32 | d->id.idiag_cookie[0];
	r->recv_q = d->idiag_rqueue;
	r->send_q = d->idiag_wqueue;
	r->inode = d->idiag_inode;
	if (x) {
		x->expires_ms = d->idiag_expires;
		x->uid = d->idiag_uid;
	}
	if (tb[INET_DIAG_INFO] && proto == PROTO_TCP)
		parse_tcp_info(tb[INET_DIAG_INFO], r, x);
	if (x && tb[INET_DIAG_CGROUP_ID] &&
	    mnl_attr_get_payload_len(tb[INET_DIAG_CGROUP_ID]) == sizeof(uint64_t))
		memcpy(&x->cgroup_id, mnl_attr_get_payload(tb[INET_DIAG_CGROUP_ID]), sizeof(uint64_t));
	return 0;
}

static enum sockdiag_walk walk_error(struct sockdiag_walker *w, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		w->error = -EBADMSG;
	else
		w->error = err->error < 0 ? err->error : -EPROTO;
	return SOCKDIAG_ERROR;
}

enum sockdiag_walk sockdiag_walk_buf(struct sockdiag_walker *w, const void *buf, size_t len,
				     struct snapshot *snap)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = len > INT32_MAX ? INT32_MAX : (int)len;

	for (; nlparse_msg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		struct sock_rec *r;
		struct addr_pair a;

		if (w->seq && nlh->nlmsg_seq != w->seq)
			continue;	/* a stale reply to an earlier request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			w->interrupted = true;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return SOCKDIAG_DONE;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return walk_error(w, nlh);
		if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
			continue;
		r = snapshot_add_sock(snap);
		if (!r) {
			w->error = -ENOMEM;
			return SOCKDIAG_ERROR;
		}
		if (sockdiag_parse_msg(nlh, nlh->nlmsg_len, w->proto, r,
				       snapshot_extra_slot(snap, snap->nsocks - 1), &a) < 0) {
			snap->nsocks--;
			w->malformed++;
			continue;
		}
		if (r->family == 6 && snapshot_set_addrs(snap, r, a.l, a.r) < 0) {
			w->error = -ENOMEM;
			return SOCKDIAG_ERROR;
		}
		if (snap->flags & SNAP_HAS_HEALTH) {
			struct sock_health *h = sock_health_slot(snap, snap->nsocks - 1);

			if (h)
				(void)sockdiag_parse_health(nlh, nlh->nlmsg_len, w->proto, h);
		}
	}
	if (remaining > 0)	/* a message cut short, or a length that cannot be stepped over */
		w->malformed++;
	return SOCKDIAG_MORE;
}

static int dump_send(struct mnl_socket *nl, void *buf, const struct sockdiag_request *req,
		     uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *d;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	d = mnl_nlmsg_put_extra_header(nlh, sizeof(*d));
	d->sdiag_family = req->family == 4 ? AF_INET : AF_INET6;
	d->sdiag_protocol = req->proto == PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	d->idiag_states = tcpstate_kernel_mask(req->state_mask);
	d->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	d->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (req->want_info && req->proto == PROTO_TCP)
		d->idiag_ext |= 1 << (INET_DIAG_INFO - 1);
	if (req->want_health && req->proto == PROTO_TCP)
		d->idiag_ext |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1);
	if (req->want_health)
		d->idiag_ext |= 1 << (INET_DIAG_SKMEMINFO - 1);
	if (req->bytecode)
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, req->bytecode_len, req->bytecode);
	return mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
}

/* Receives until NLMSG_DONE. ENOBUFS (the kernel dropped messages) counts as
 * an interruption: the rest is still read, so the socket is left idle. */
static int dump_receive(struct mnl_socket *nl, void *buf, size_t buflen,
			struct sockdiag_walker *w, struct snapshot *snap)
{
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, buflen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				w->interrupted = true;
				continue;
			}
			return -errno;
		}
		switch (sockdiag_walk_buf(w, buf, (size_t)n, snap)) {
		case SOCKDIAG_DONE:
			return 0;
		case SOCKDIAG_ERROR:
			return w->error;
		case SOCKDIAG_MORE:
			break;
		}
	}
}

int sockdiag_dump(struct mnl_socket *nl, void *buf, size_t buflen,
		  const struct sockdiag_request *req, struct snapshot *snap)
{
	size_t start = snap->nsocks;
	int err;

	for (int attempt = 0; attempt < DUMP_TRIES; attempt++) {
		struct sockdiag_walker w = {
			.seq = nlseq_next(), .proto = req->proto,
		};

		snap->nsocks = start;
		err = dump_send(nl, buf, req, w.seq);
		if (err)
			return err;
		err = dump_receive(nl, buf, buflen, &w, snap);
		if (err)
			return err;
		if (!w.interrupted)
			return 0;
	}
	snap->flags |= SNAP_PARTIAL;
	snap->note = "socket table changed during the dump";
	return 0;
}
