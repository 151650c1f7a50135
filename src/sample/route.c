/* route.c: RTM_GETROUTE dump and its parser. Attributes are stored by
 * nlparse_attrs() (which checks each against the bytes received), and each
 * one read is length-checked here before use. */
#include "route.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../grow.h"
#include "nldump.h"
#include "nlparse.h"

static uint32_t attr_u32(const struct nlattr *a, uint32_t dflt)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : dflt;
}

/* RTA_METRICS holds nested RTAX_* u32 values. */
static int parse_metrics(const struct nlattr *a, struct route_rec *r)
{
	const struct nlattr *tb[RTAX_MAX + 1] = { 0 };

	if (nlparse_attrs(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), tb, RTAX_MAX) < 0)
		return -EINVAL;
	r->advmss = attr_u32(tb[RTAX_ADVMSS], 0);
	r->window = attr_u32(tb[RTAX_WINDOW], 0);
	r->rtt = attr_u32(tb[RTAX_RTT], 0);
	return 0;
}

/* Hop number hop of a multipath route: /proc/net/route shows the first,
 * /proc/net/ipv6_route each (the kernel keeps IPv6 siblings as routes of
 * their own). -ENOENT past the last hop. */
static int parse_multipath(const struct nlattr *a, struct route_rec *r, size_t alen, size_t hop)
{
	const unsigned char *p = mnl_attr_get_payload(a);
	size_t len = mnl_attr_get_payload_len(a);

	for (size_t k = 0;; k++) {
		const struct rtnexthop *nh = (const struct rtnexthop *)p;
		const struct nlattr *tb[RTA_MAX + 1] = { 0 };
		size_t step;

		if (len < sizeof(*nh) || nh->rtnh_len < sizeof(*nh) || nh->rtnh_len > len)
			return k ? -ENOENT : -EINVAL;
		if (k == hop) {
			r->oif = (uint32_t)nh->rtnh_ifindex;
			if (nlparse_attrs(RTNH_DATA(nh), nh->rtnh_len - RTNH_ALIGN(sizeof(*nh)), tb, RTA_MAX) < 0)
				return -EINVAL;
			if (tb[RTA_GATEWAY] && mnl_attr_get_payload_len(tb[RTA_GATEWAY]) == alen) {
				memcpy(r->gw, mnl_attr_get_payload(tb[RTA_GATEWAY]), alen);
				r->has_gw = true;
			}
			return 0;
		}
		step = RTNH_ALIGN(nh->rtnh_len);
		if (step >= len)
			return -ENOENT;
		p += step;
		len -= step;
	}
}

static int copy_addr(const struct nlattr *a, uint8_t *to, size_t alen)
{
	if (!a)
		return 0;
	if (mnl_attr_get_payload_len(a) != alen)
		return -EINVAL;
	memcpy(to, mnl_attr_get_payload(a), alen);
	return 1;
}

/* Parses one RTM_NEWROUTE into r, with hop number hop of a multipath route
 * (0: the first, or the only one). 0, -ENOENT past the last hop, or -EINVAL
 * when it is short or an attribute is malformed. */
static int route_parse_hop(const struct nlmsghdr *nlh, size_t hop, struct route_rec *r)
{
	const struct nlattr *tb[RTA_MAX + 1] = { 0 };
	const struct rtmsg *rtm;
	size_t alen;
	int gw, err;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*rtm)))
		return -EINVAL;
	rtm = mnl_nlmsg_get_payload(nlh);
	if (rtm->rtm_family != AF_INET && rtm->rtm_family != AF_INET6)
		return -EINVAL;
	alen = rtm->rtm_family == AF_INET ? 4 : 16;
	if (rtm->rtm_dst_len > alen * 8 ||
	    nlparse_attrs((const char *)rtm + sizeof(*rtm), nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*rtm)),
			  tb, RTA_MAX) < 0)
		return -EINVAL;
	memset(r, 0, sizeof(*r));
	r->family = rtm->rtm_family == AF_INET ? 4 : 6;
	r->dst_len = rtm->rtm_dst_len;
	r->type = rtm->rtm_type;
	r->protocol = rtm->rtm_protocol;
	r->table = attr_u32(tb[RTA_TABLE], rtm->rtm_table);
	r->oif = attr_u32(tb[RTA_OIF], 0);
	r->priority = attr_u32(tb[RTA_PRIORITY], 0);
	if (copy_addr(tb[RTA_DST], r->dst, alen) < 0 || (gw = copy_addr(tb[RTA_GATEWAY], r->gw, alen)) < 0)
		return -EINVAL;
	r->has_gw = gw > 0;
	if (tb[RTA_METRICS] && parse_metrics(tb[RTA_METRICS], r) < 0)
		return -EINVAL;
	if (hop && (!tb[RTA_MULTIPATH] || r->has_gw))
		return -ENOENT;
	if (tb[RTA_MULTIPATH] && !r->has_gw && (err = parse_multipath(tb[RTA_MULTIPATH], r, alen, hop)) < 0)
		return err;
	if (tb[RTA_CACHEINFO] && mnl_attr_get_payload_len(tb[RTA_CACHEINFO]) >= sizeof(struct rta_cacheinfo))
		r->expires = ((const struct rta_cacheinfo *)mnl_attr_get_payload(tb[RTA_CACHEINFO]))->rta_expires;
	return 0;
}

static int route_msg(const struct nlmsghdr *nlh, void *ctx)
{
	struct route_table *t = ctx;
	int err;

	if (nlh->nlmsg_type != RTM_NEWROUTE)
		return 0;
	for (size_t hop = 0;; hop++) {
		if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), 64) < 0)
			return -ENOMEM;
		err = route_parse_hop(nlh, hop, &t->v[t->n]);
		if (err == -ENOENT)
			return 0;
		if (err < 0)
			return -EINVAL;
		t->n++;
		if (t->v[t->n - 1].family == 4)
			return 0;	/* IPv4: the first hop stands for the route */
	}
}

int route_walk_buf(const void *buf, size_t len, uint32_t seq, struct route_table *t)
{
	struct nldump_walker w = { .seq = seq, .fn = route_msg, .ctx = t };
	int ret = nldump_walk(&w, buf, len);

	t->malformed += w.malformed;
	return ret;
}

int route_dump(struct mnl_socket *nl, void *buf, size_t buflen, int family, struct route_table *t)
{
	size_t start = t->n;
	int err = 0;

	for (int attempt = 0; attempt < NLDUMP_TRIES; attempt++) {
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
		struct nldump_walker w = { .fn = route_msg, .ctx = t };
		struct rtmsg *rtm;

		t->n = start;
		nlh->nlmsg_type = RTM_GETROUTE;
		nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
		rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
		rtm->rtm_family = family == 4 ? AF_INET : AF_INET6;
		err = nldump_run(nl, nlh, buf, buflen, &w);
		t->malformed += w.malformed;
		if (err || !w.interrupted)
			break;
	}
	return err;
}

void route_table_free(struct route_table *t)
{
	free(t->v);
	*t = (struct route_table){ 0 };
}
