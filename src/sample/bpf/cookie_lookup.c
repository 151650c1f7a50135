/* cookie_lookup.c: the cookies the table walk could not read. The kernel
 * gives a socket its cookie the first time someone asks (sock_gen_cookie()),
 * and a walk that reads the tables is not asking: a socket nobody asked about
 * yet reads 0. sock_diag's exact lookup asks, one request per socket, sent
 * in batches: each answer carries the cookie, now the socket's for good. */
#include "cookie_lookup.h"

#include <errno.h>
#include <stdint.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

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
	if (c && !(c->nl = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC)))
		*err = -errno;
	if (!*err && mnl_socket_bind(c->nl, 0, MNL_SOCKET_AUTOPID) < 0)
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

/* The request for one socket, its index in the batch as the sequence. */
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
	memcpy(req->id.idiag_src, r->laddr, sizeof(req->id.idiag_src));
	memcpy(req->id.idiag_dst, r->raddr, sizeof(req->id.idiag_dst));
	req->id.idiag_if = r->ifindex;
	req->id.idiag_cookie[0] = req->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
}

/* One answer: the cookie of batch[seq], when it is that socket's (the
 * lookup of a listener in a SO_REUSEPORT group may find a sibling: the
 * inode tells). Returns 1 for each answer to one of the requests. */
static int take_answer(const struct nlmsghdr *nlh, struct sock_rec **batch, size_t n)
{
	const struct inet_diag_msg *d;
	struct sock_rec *r;

	if (nlh->nlmsg_seq >= n)
		return 0;
	if (nlh->nlmsg_type == NLMSG_ERROR)
		return 1;		/* gone since the walk: its cookie stays 0 */
	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*d)))
		return 0;
	d = mnl_nlmsg_get_payload(nlh);
	r = batch[nlh->nlmsg_seq];
	if (!r->inode || d->idiag_inode == r->inode)
		r->cookie = (uint64_t)d->id.idiag_cookie[1] << 32 | d->id.idiag_cookie[0];
	return 1;
}

size_t cookie_answers_take(const void *buf, size_t len, struct sock_rec **batch, size_t n)
{
	int left = len > INT32_MAX ? INT32_MAX : (int)len;
	size_t answers = 0;

	for (const struct nlmsghdr *nlh = buf; nlparse_msg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
		answers += (size_t)take_answer(nlh, batch, n);
	return answers;
}

/* Asks for the n sockets of batch; every request gets one answer. */
static int ask(struct cookie_lookup *c, struct sock_rec **batch, size_t n)
{
	size_t answers = 0;

	for (size_t i = 0; i < n; i++)
		put_request(c->buf + i * REQ_SIZE, batch[i], (uint32_t)i);
	if (mnl_socket_sendto(c->nl, c->buf, n * REQ_SIZE) < 0)
		return -errno;
	while (answers < n) {
		ssize_t len = mnl_socket_recvfrom(c->nl, c->buf, sizeof(c->buf));

		if (len < 0)
			return errno == EINTR ? 0 : -errno;
		answers += cookie_answers_take(c->buf, (size_t)len, batch, n);
	}
	return 0;
}

int cookie_lookup_fill(struct cookie_lookup *c, struct sock_rec *socks, size_t n, size_t *missing)
{
	struct sock_rec *batch[BATCH];
	size_t k = 0;
	int err = 0;

	for (size_t i = 0; i < n && !err; i++) {
		if (!socks[i].cookie)
			batch[k++] = &socks[i];
		if (k == BATCH || (k && i == n - 1)) {
			err = ask(c, batch, k);
			k = 0;
		}
	}
	*missing = 0;
	for (size_t i = 0; i < n; i++)
		*missing += !socks[i].cookie;
	return err;
}
