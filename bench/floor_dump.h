/* floor_dump.h: the floor's one dump, shared by floor.c (this namespace)
 * and floor_netns.c (each namespace named): the sock_diag request for every
 * TCP socket of a family, received into buf, messages counted, nothing
 * parsed. Returns the count, or -1. */
#ifndef NETTOP_FLOOR_DUMP_H
#define NETTOP_FLOOR_DUMP_H

#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

static long dump(struct mnl_socket *nl, int family, char *buf, size_t len)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_v2 *req;
	long count = 0;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = 1;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (unsigned char)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ~0u;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, len);
		int left = (int)n;

		if (n <= 0)
			return -1;
		for (nlh = (struct nlmsghdr *)buf; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
			if (nlh->nlmsg_type == NLMSG_DONE)
				return count;
			if (nlh->nlmsg_type == NLMSG_ERROR)
				return -1;
			count++;
		}
	}
}

#endif
