/* destroy.c: one SOCK_DESTROY request per socket, acknowledged. */
#include "destroy.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "../tcpstate.h"
#include "nlseq.h"

int sockdiag_destroy(struct mnl_socket *nl, void *buf, size_t buflen, const struct sock_rec *r)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	uint32_t seq = nlseq_next();
	size_t alen = r->family == 4 ? 4 : 16;
	ssize_t n;

	nlh->nlmsg_type = SOCK_DESTROY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = r->family == 4 ? AF_INET : AF_INET6;
	req->sdiag_protocol = r->proto == PROTO_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	req->idiag_states = ~0u;
	req->id.idiag_sport = htons(r->lport);
	req->id.idiag_dport = htons(r->rport);
	memcpy(req->id.idiag_src, sock_laddr(r).b, alen);
	memcpy(req->id.idiag_dst, sock_raddr(r).b, alen);
	req->id.idiag_if = r->ifindex;
	req->id.idiag_cookie[0] = (uint32_t)r->cookie;
	req->id.idiag_cookie[1] = (uint32_t)(r->cookie >> 32);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while ((n = mnl_socket_recvfrom(nl, buf, buflen)) > 0) {
		int ret = mnl_cb_run(buf, (size_t)n, seq, mnl_socket_get_portid(nl), NULL, NULL);

		if (ret <= MNL_CB_STOP)
			return ret < 0 ? -errno : 0;
	}
	return n < 0 ? -errno : -EPROTO;
}

const char *destroy_strerror(int err)
{
	switch (err) {
	case -EOPNOTSUPP:
		return "this kernel cannot close sockets (built without CONFIG_INET_DIAG_DESTROY)";
	case -EPERM:
	case -EACCES:
		return "closing sockets needs CAP_NET_ADMIN (run as root)";
	case -ENOENT:
		return "the socket is already gone";
	default:
		return strerror(-err);
	}
}
