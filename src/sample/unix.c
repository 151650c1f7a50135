/* unix.c: the unix_diag dump and its parser. */
#include "unix.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../grow.h"
#include "nldump.h"
#include "nlparse.h"

/* Parses one unix_diag_msg into r. 0 or -EINVAL. */
static int unix_parse_msg(const struct nlmsghdr *nlh, struct unix_rec *r)
{
	const struct nlattr *tb[UNIX_DIAG_MAX + 1] = { 0 };
	const struct unix_diag_msg *d;
	size_t len;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*d)))
		return -EINVAL;
	d = mnl_nlmsg_get_payload(nlh);
	if (d->udiag_family != AF_UNIX ||
	    nlparse_attrs((const char *)d + sizeof(*d), nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*d)),
			  tb, UNIX_DIAG_MAX) < 0)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->inode = d->udiag_ino;
	r->type = d->udiag_type;
	r->state = d->udiag_state;
	if (tb[UNIX_DIAG_PEER]) {
		if (mnl_attr_get_payload_len(tb[UNIX_DIAG_PEER]) < 4)
			return -EINVAL;
		r->peer = mnl_attr_get_u32(tb[UNIX_DIAG_PEER]);
	}
	if (tb[UNIX_DIAG_NAME]) {
		len = mnl_attr_get_payload_len(tb[UNIX_DIAG_NAME]);
		if (len > UNIX_NAME_MAX)
			return -EINVAL;
		memcpy(r->name, mnl_attr_get_payload(tb[UNIX_DIAG_NAME]), len);
		r->name_len = (uint8_t)len;
	}
	return 0;
}

static int unix_msg(const struct nlmsghdr *nlh, void *ctx)
{
	struct unix_table *t = ctx;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return 0;
	if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), 64) < 0)
		return -ENOMEM;
	if (unix_parse_msg(nlh, &t->v[t->n]) < 0)
		return -EINVAL;
	t->n++;
	return 0;
}

int unix_walk_buf(const void *buf, size_t len, uint32_t seq, struct unix_table *t)
{
	struct nldump_walker w = { .seq = seq, .fn = unix_msg, .ctx = t };
	int ret = nldump_walk(&w, buf, len);

	t->malformed += w.malformed;
	return ret;
}

int unix_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct unix_table *t)
{
	size_t start = t->n;
	int err = 0;

	for (int attempt = 0; attempt < NLDUMP_TRIES; attempt++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct nldump_walker w = { .fn = unix_msg, .ctx = t };
		struct unix_diag_req *req;

		t->n = start;
		nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
		req->sdiag_family = AF_UNIX;
		req->udiag_states = ~0u;
		req->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER;
		err = nldump_run(nl, nlh, buf, buflen, &w);
		t->malformed += w.malformed;
		if (err || !w.interrupted)
			break;
	}
	return err;
}

void unix_table_free(struct unix_table *t)
{
	free(t->v);
	*t = (struct unix_table){ 0 };
}
