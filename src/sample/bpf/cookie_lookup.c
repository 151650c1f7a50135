/* cookie_lookup.c: the cookies the table walk could not read. The kernel
 * gives a socket its cookie the first time someone asks (sock_gen_cookie()),
 * and a walk that reads the tables is not asking: a socket nobody asked about
 * yet reads 0. sock_diag's exact lookup asks, one request per socket, sent
 * in batches: each answer carries the cookie, now the socket's for good. */
#include "cookie_lookup.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "../../tcpstate.h"
#include "../nldump.h"
#include "../nlparse.h"

/* Requests in flight: their answers (~2 KiB each as the kernel allocates
 * them) must fit the socket's default receive buffer, or some are dropped. */
#define BATCH 32
#define REQ_SIZE MNL_ALIGN(sizeof(struct nlmsghdr) + sizeof(struct inet_diag_req_v2))
_Static_assert(BATCH * REQ_SIZE <= 64 * 1024, "a batch fits the buffer");

struct cookie_lookup {
	struct mnl_socket *nl;
	unsigned char buf[64 * 1024];	/* a batch's requests, then its answers */
};

struct cookie_lookup *cookie_lookup_open(int *err)
{
	struct cookie_lookup *c = calloc(1, sizeof(*c));

	*err = c ? 0 : -ENOMEM;
	if (c && !(c->nl = nldump_open(NETLINK_SOCK_DIAG)))
		*err = -errno;
	if (!*err)
		return c;
	cookie_lookup_close(c);
	return NULL;
}

void cookie_lookup_close(struct cookie_lookup *c)
{
	if (!c)
		return;
	if (c->nl)
		mnl_socket_close(c->nl);
	free(c);
}

/* The request for one socket, seq (its index in the records) as the
 * sequence number its answer carries back. */
static void put_request(unsigned char *at, const struct sock_rec *r, uint32_t seq)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(at);
	struct inet_diag_req_v2 *req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));

	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	req->sdiag_family = r->family == 6 ? AF_INET6 : AF_INET;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = ~0u;
	req->id.idiag_sport = htons(r->lport);
	req->id.idiag_dport = htons(r->rport);
	memcpy(req->id.idiag_src, sock_laddr(r).b, sizeof(req->id.idiag_src));
	memcpy(req->id.idiag_dst, sock_raddr(r).b, sizeof(req->id.idiag_dst));
	req->id.idiag_if = r->ifindex;
	req->id.idiag_cookie[0] = req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

/* A record whose socket is gone since the walk: no family (a real record
 * has 4 or 6), dropped from the sample afterwards. */
#define GONE 0

/* The socket found has the walked one's addresses and ports: a lookup that
 * finds no connection finds the listener on its local end instead. */
static bool same_ends(const struct inet_diag_msg *d, const struct sock_rec *r)
{
	size_t alen = r->family == 6 ? 16 : 4;

	return d->idiag_family == (r->family == 6 ? AF_INET6 : AF_INET) &&
	       d->id.idiag_sport == htons(r->lport) && d->id.idiag_dport == htons(r->rport) &&
	       !memcmp(d->id.idiag_src, sock_laddr(r).b, alen) && !memcmp(d->id.idiag_dst, sock_raddr(r).b, alen);
}

/* One answer, to the request for socks[seq]. Its cookie, when the socket
 * found is the one walked: the same inode, or any for a socket that has
 * none (TIME_WAIT, SYN_RECV, a connection not yet accepted). Not found,
 * found another socket on its addresses (it closed and its TIME_WAIT took
 * them), or found its listener (it closed, and the lookup fell back to the
 * listening hash): gone. A listener finds a sibling when its SO_REUSEPORT
 * group picks another: its cookie stays unknown. Returns 1 for each answer
 * to one of the requests. */
static int take_answer(const struct nlmsghdr *nlh, struct sock_rec *socks, size_t n)
{
	const struct inet_diag_msg *d;
	struct sock_rec *r;

	if (nlh->nlmsg_seq >= n || socks[nlh->nlmsg_seq].cookie || socks[nlh->nlmsg_seq].family == GONE)
		return 0;		/* not asked, or answered already */
	r = &socks[nlh->nlmsg_seq];
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		r->family = GONE;
		return 1;
	}
	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*d)))
		return 0;
	d = mnl_nlmsg_get_payload(nlh);
	if (same_ends(d, r) && (!r->inode || d->idiag_inode == r->inode))
		r->cookie = (uint64_t)d->id.idiag_cookie[1] << 32 | d->id.idiag_cookie[0];
	else if (r->state != ST_LISTEN)
		r->family = GONE;
	return 1;
}

size_t cookie_answers_take(const void *buf, size_t len, struct sock_rec *socks, size_t n)
{
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	size_t answers = 0;

	for (const struct nlmsghdr *nlh = buf; nlparse_msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		answers += (size_t)take_answer(nlh, socks, n);
	return answers;
}

/* Asks for the k sockets of socks whose indexes are in asked; every
 * request gets one answer, its sequence the socket's index. */
static int ask(struct cookie_lookup *c, struct mnl_socket *nl, struct sock_rec *socks, size_t n,
	       const uint32_t *asked, size_t k)
{
	size_t answers = 0;

	for (size_t i = 0; i < k; i++)
		put_request(c->buf + i * REQ_SIZE, &socks[asked[i]], asked[i]);
	if (mnl_socket_sendto(nl, c->buf, k * REQ_SIZE) < 0)
		return -errno;
	while (answers < k) {
		ssize_t len = mnl_socket_recvfrom(nl, c->buf, sizeof(c->buf));

		if (len < 0 && errno == EINTR)
			continue;
		if (len <= 0)
			return len < 0 ? -errno : -EPROTO;
		answers += cookie_answers_take(c->buf, (size_t)len, socks, n);
	}
	return 0;
}

int cookie_lookup_fill(struct cookie_lookup *c, struct mnl_socket *nl, struct sock_rec *socks, size_t n,
		       size_t *missing)
{
	uint32_t asked[BATCH];
	size_t k = 0;
	int err = 0;

	if (n > UINT32_MAX)
		return -E2BIG;
	for (size_t i = 0; i < n && !err; i++) {
		if (!socks[i].cookie)
			asked[k++] = (uint32_t)i;
		if (k == BATCH || (k && i == n - 1)) {
			err = ask(c, nl ? nl : c->nl, socks, n, asked, k);
			k = 0;
		}
	}
	*missing = 0;
	for (size_t i = 0; i < n && !err; i++)
		*missing += socks[i].family != GONE && !socks[i].cookie;
	return err;
}
