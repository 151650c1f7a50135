/* raw.c: raw sockets share inet_diag_msg with TCP and UDP, so the parser is
 * sockdiag's; only the request differs (IPPROTO_RAW, every protocol). */
#include "raw.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nlparse.h"
#include "nlseq.h"
#include "procnet.h"
#include "sockdiag.h"

/* Kernels built without CONFIG_INET_RAW_DIAG answer ENOENT: /proc/net/raw
 * holds the same sockets in the layout of /proc/net/udp. */
static int raw_from_proc(int family, struct snapshot *snap)
{
	size_t len;
	int bad_line, n;
	char *text = procnet_read_file(family == 4 ? "/proc/net/raw" : "/proc/net/raw6", &len);

	if (!text)
		return errno == ENOENT ? 0 : -errno;
	n = procnet_parse_sockets(text, len, family, PROTO_UDP, snap, &bad_line);
	free(text);
	return n < 0 ? n : 0;
}

/* The error a dump ended with: NLMSG_DONE carries it when the kernel has no
 * handler for the request (no raw_diag). */
static int done_error(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = len > INT32_MAX ? INT32_MAX : (int)len, err;

	for (; nlparse_msg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		if (nlh->nlmsg_type != NLMSG_DONE || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(err)))
			continue;
		memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
		return err;
	}
	return 0;
}

int raw_dump(struct mnl_socket *nl, void *buf, size_t buflen, int family, struct snapshot *snap)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct inet_diag_req_raw *req;
	/* PROTO_UDP: no tcp_info is parsed, and netstat's UDP rule of
	 * "listening" (no remote port) is the one it applies to raw sockets */
	struct sockdiag_walker w = { .seq = nlseq_next(), .proto = PROTO_UDP };

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = w.seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = family == 4 ? AF_INET : AF_INET6;
	req->sdiag_protocol = IPPROTO_RAW;
	req->sdiag_raw_protocol = IPPROTO_RAW;
	req->idiag_states = ~0u;
	req->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, buflen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		switch (sockdiag_walk_buf(&w, buf, (size_t)n, snap)) {
		case SOCKDIAG_DONE:
			return done_error(buf, (size_t)n) == -ENOENT ? raw_from_proc(family, snap) : 0;
		case SOCKDIAG_ERROR:
			return w.error == -ENOENT ? raw_from_proc(family, snap) : w.error;
		case SOCKDIAG_MORE:
			break;
		}
	}
}
