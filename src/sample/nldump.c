/* nldump.c: the request-reply loop shared by the route, unix, raw and
 * conntrack dumps. */
#include "nldump.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <string.h>
#include <sys/socket.h>

#include "nlparse.h"
#include "nlseq.h"

static int walk_error(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*err)))
		return -EBADMSG;
	/* an acknowledgement (error 0) ends a request that is not a dump; an
	 * error that is no errno is a malformed reply */
	if (err->error < -4095)
		return -EPROTO;
	return err->error < 0 ? err->error : 1;
}

/* A dump the kernel could not start ends in NLMSG_DONE carrying the error. */
static int done_error(const struct nlmsghdr *nlh)
{
	int err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(err)))
		return 1;
	memcpy(&err, mnl_nlmsg_get_payload(nlh), sizeof(err));
	if (err < -4095)
		return -EPROTO;
	return err < 0 ? err : 1;
}

int nldump_walk(struct nldump_walker *w, const void *buf, size_t len)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = len > INT32_MAX ? INT32_MAX : (int)len;

	for (; nlparse_msg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		int err;

		if (w->seq && nlh->nlmsg_seq != w->seq)
			continue;	/* a stale reply to an earlier request */
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			w->interrupted = true;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return done_error(nlh);
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return walk_error(nlh);
		if (nlh->nlmsg_type < NLMSG_MIN_TYPE)
			continue;
		err = w->fn(nlh, w->ctx);
		if (err == -EINVAL)
			w->malformed++;
		else if (err < 0)
			return err;
	}
	if (remaining > 0)
		w->malformed++;
	return 0;
}

int nldump_run(struct mnl_socket *nl, struct nlmsghdr *req, void *buf, size_t buflen,
	       struct nldump_walker *w)
{
	int ret = 0;

	req->nlmsg_seq = w->seq = nlseq_next();
	if (mnl_socket_sendto(nl, req, req->nlmsg_len) < 0)
		return -errno;
	while (ret == 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, buflen);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		ret = nldump_walk(w, buf, (size_t)n);
	}
	return ret < 0 ? ret : 0;
}

struct mnl_socket *nldump_open(int bus)
{
	struct mnl_socket *nl = mnl_socket_open2(bus, SOCK_CLOEXEC);

	if (nl && mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		int e = errno;

		mnl_socket_close(nl);
		errno = e;
		return NULL;
	}
	return nl;
}
