/* nlrecord.c: runs one netlink dump and writes every recvmsg buffer to a file
 * as a frame: a 4-byte little-endian length, then the bytes as received. The
 * unit tests and fuzzers replay these frames through sockdiag_walk_buf() and
 * link_walk_buf(). Not part of nettop; see tests/fixtures/netlink/README.md.
 *
 *   nlrecord KIND OUTFILE      KIND: tcp4 | tcp4-info | tcp6 | udp4 | udp6 | link
 *                                    | route4 | route6 | unix | conntrack
 *   nlrecord destroy OUTFILE N  the next N destroy events (sock_diag's four
 *                              multicast groups), one frame each; prints
 *                              "READY" on stdout once it listens, gives up
 *                              after 10 s without one
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>

/* Fixed so that tests can check the walkers' sequence filtering. */
#define RECORD_SEQ 0x4e54

struct kind {
	const char *name;
	int bus;		/* NETLINK_SOCK_DIAG, NETLINK_ROUTE or NETLINK_NETFILTER */
	int family;
	int protocol;
	bool info;
};

static const struct kind kinds[] = {
	{ "tcp4", NETLINK_SOCK_DIAG, AF_INET, IPPROTO_TCP, false },
	{ "tcp4-info", NETLINK_SOCK_DIAG, AF_INET, IPPROTO_TCP, true },
	{ "tcp6", NETLINK_SOCK_DIAG, AF_INET6, IPPROTO_TCP, false },
	{ "udp4", NETLINK_SOCK_DIAG, AF_INET, IPPROTO_UDP, false },
	{ "udp6", NETLINK_SOCK_DIAG, AF_INET6, IPPROTO_UDP, false },
	{ "link", NETLINK_ROUTE, AF_PACKET, 0, false },
	{ "route4", NETLINK_ROUTE, AF_INET, 0, false },
	{ "route6", NETLINK_ROUTE, AF_INET6, 0, false },
	{ "unix", NETLINK_SOCK_DIAG, AF_UNIX, 0, false },
	{ "conntrack", NETLINK_NETFILTER, AF_UNSPEC, 0, false },
};

static void request_sockdiag(struct nlmsghdr *nlh, const struct kind *k)
{
	struct inet_diag_req_v2 *d;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	d = mnl_nlmsg_put_extra_header(nlh, sizeof(*d));
	d->sdiag_family = (uint8_t)k->family;
	d->sdiag_protocol = (uint8_t)k->protocol;
	d->idiag_states = ~0u;		/* every state, request sockets included */
	d->id.idiag_cookie[0] = INET_DIAG_NOCOOKIE;
	d->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	if (k->info)
		d->idiag_ext |= 1 << (INET_DIAG_INFO - 1);
}

static void request_link(struct nlmsghdr *nlh)
{
	struct rtgenmsg *rt;

	nlh->nlmsg_type = RTM_GETLINK;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_PACKET;
}

static void request_route(struct nlmsghdr *nlh, const struct kind *k)
{
	struct rtmsg *rtm;

	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = (unsigned char)k->family;
}

static void request_unix(struct nlmsghdr *nlh)
{
	struct unix_diag_req *u;

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	u = mnl_nlmsg_put_extra_header(nlh, sizeof(*u));
	u->sdiag_family = AF_UNIX;
	u->udiag_states = ~0u;
	u->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
}

static void request_conntrack(struct nlmsghdr *nlh)
{
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_GET;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
}

static int frame_write(FILE *f, const void *buf, size_t len)
{
	unsigned char hdr[4] = {
		(unsigned char)len, (unsigned char)(len >> 8),
		(unsigned char)(len >> 16), (unsigned char)(len >> 24),
	};

	return fwrite(hdr, 1, 4, f) == 4 && fwrite(buf, 1, len, f) == len ? 0 : -1;
}

/* True once the buffer holds the dump's NLMSG_DONE or an NLMSG_ERROR. */
static bool dump_finished(const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = (int)len;

	for (; mnl_nlmsg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining))
		if (nlh->nlmsg_type == NLMSG_DONE || nlh->nlmsg_type == NLMSG_ERROR)
			return true;
	return false;
}

static int record(const struct kind *k, FILE *out)
{
	static char buf[32768];	/* the size nettop receives with */
	struct mnl_socket *nl = mnl_socket_open(k->bus);
	struct nlmsghdr *nlh;
	int frames = 0;

	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("nlrecord: netlink");
		return -1;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = RECORD_SEQ;
	if (k->bus == NETLINK_NETFILTER)
		request_conntrack(nlh);
	else if (k->bus == NETLINK_ROUTE && k->family != AF_PACKET)
		request_route(nlh, k);
	else if (k->bus == NETLINK_ROUTE)
		request_link(nlh);
	else if (k->family == AF_UNIX)
		request_unix(nlh);
	else
		request_sockdiag(nlh, k);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		perror("nlrecord: send");
		mnl_socket_close(nl);
		return -1;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			perror("nlrecord: receive");
			mnl_socket_close(nl);
			return -1;
		}
		if (frame_write(out, buf, (size_t)n) < 0) {
			perror("nlrecord: write");
			mnl_socket_close(nl);
			return -1;
		}
		frames++;
		if (dump_finished(buf, (size_t)n))
			break;
	}
	mnl_socket_close(nl);
	return frames;
}

/* The events of sockets the kernel frees, as nettop's listener gets them. */
static int record_destroy(FILE *out, int want)
{
	static char buf[65536];
	unsigned groups = 1u << (SKNLGRP_INET_TCP_DESTROY - 1) | 1u << (SKNLGRP_INET_UDP_DESTROY - 1) |
			  1u << (SKNLGRP_INET6_TCP_DESTROY - 1) | 1u << (SKNLGRP_INET6_UDP_DESTROY - 1);
	struct timeval tv = { .tv_sec = 10 };
	struct mnl_socket *nl = mnl_socket_open(NETLINK_SOCK_DIAG);
	int frames = 0;

	if (!nl || mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) < 0 ||
	    setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0) {
		perror("nlrecord: netlink");
		return -1;
	}
	printf("READY\n");
	fflush(stdout);
	while (frames < want) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || frame_write(out, buf, (size_t)n) < 0) {
			perror("nlrecord: destroy events");
			mnl_socket_close(nl);
			return -1;
		}
		frames++;
	}
	mnl_socket_close(nl);
	return frames;
}

int main(int argc, char **argv)
{
	const struct kind *k = NULL;
	FILE *out;
	int frames;

	if (argc == 4 && !strcmp(argv[1], "destroy")) {
		if (!(out = fopen(argv[2], "wb"))) {
			perror(argv[2]);
			return 1;
		}
		frames = record_destroy(out, atoi(argv[3]));
		if (fclose(out) != 0 || frames < 0) {
			remove(argv[2]);
			return 1;
		}
		fprintf(stderr, "nlrecord: destroy: %d frame(s) to %s\n", frames, argv[2]);
		return 0;
	}
	for (size_t i = 0; argc == 3 && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(argv[1], kinds[i].name))
			k = &kinds[i];
	if (!k) {
		fprintf(stderr, "usage: nlrecord tcp4|tcp4-info|tcp6|udp4|udp6|link|route4|route6|unix|conntrack OUTFILE\n"
				"       nlrecord destroy OUTFILE N\n");
		return 2;
	}
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		return 1;
	}
	frames = record(k, out);
	if (fclose(out) != 0 || frames < 0) {
		remove(argv[2]);
		return 1;
	}
	fprintf(stderr, "nlrecord: %s: %d frame(s) to %s\n", k->name, frames, argv[2]);
	return 0;
}
