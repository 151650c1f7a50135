/* link.c: RTM_GETLINK dump; prefers 64-bit counters, falls back to 32-bit. */
#include "link.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <string.h>
#include <sys/socket.h>

#include "nlparse.h"
#include "nlseq.h"

/* Copies the counters of an IFLA_STATS64 or IFLA_STATS payload (the two
 * structs name their fields alike); a shorter payload leaves zeros. */
#define STATS_COPY(r, attr, type)                                                          \
	do {                                                                                \
		type st_;                                                                   \
		size_t len_ = mnl_attr_get_payload_len(attr);                               \
                                                                                            \
		memset(&st_, 0, sizeof(st_));                                               \
		memcpy(&st_, mnl_attr_get_payload(attr), len_ < sizeof(st_) ? len_ : sizeof(st_)); \
		(r)->rx_bytes = st_.rx_bytes, (r)->tx_bytes = st_.tx_bytes;                 \
		(r)->rx_packets = st_.rx_packets, (r)->tx_packets = st_.tx_packets;         \
		(r)->rx_errors = st_.rx_errors, (r)->tx_errors = st_.tx_errors;             \
		(r)->rx_dropped = st_.rx_dropped, (r)->tx_dropped = st_.tx_dropped;         \
	} while (0)

int link_parse_msg(const void *msg, size_t len, struct snapshot *snap, struct iface_rec *r)
{
	const struct nlmsghdr *nlh = msg;
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifm;
	const char *name;
	size_t nlen;

	if (len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifm)))
		return -EINVAL;
	ifm = mnl_nlmsg_get_payload(nlh);
	if (nlparse_attrs((const char *)ifm + sizeof(*ifm),
			  nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*ifm)), tb, IFLA_MAX) < 0)
		return -EINVAL;
	if (!tb[IFLA_IFNAME] || mnl_attr_get_payload_len(tb[IFLA_IFNAME]) == 0)
		return -EINVAL;
	name = mnl_attr_get_payload(tb[IFLA_IFNAME]);
	nlen = strnlen(name, mnl_attr_get_payload_len(tb[IFLA_IFNAME]));
	r->name = arena_strndup(&snap->arena, name, nlen);
	if (!r->name)
		return -ENOMEM;
	r->ifindex = (uint32_t)ifm->ifi_index;
	r->up = ifm->ifi_flags & IFF_UP;
	r->if_flags = ifm->ifi_flags;
	if (tb[IFLA_MTU] && mnl_attr_get_payload_len(tb[IFLA_MTU]) >= 4)
		r->mtu = mnl_attr_get_u32(tb[IFLA_MTU]);
	if (tb[IFLA_STATS64])
		STATS_COPY(r, tb[IFLA_STATS64], struct rtnl_link_stats64);
	else if (tb[IFLA_STATS])
		STATS_COPY(r, tb[IFLA_STATS], struct rtnl_link_stats);
	return 0;
}

int link_walk_buf(const void *buf, size_t len, uint32_t seq, struct snapshot *snap)
{
	const struct nlmsghdr *nlh = buf;
	int remaining = len > INT32_MAX ? INT32_MAX : (int)len;

	for (; nlparse_msg_ok(nlh, remaining); nlh = mnl_nlmsg_next(nlh, &remaining)) {
		struct iface_rec *r;

		if (seq && nlh->nlmsg_seq != seq)
			continue;
		if (nlh->nlmsg_type == NLMSG_DONE)
			return 1;
		if (nlh->nlmsg_type == NLMSG_ERROR)
			return -EPROTO;
		if (nlh->nlmsg_type != RTM_NEWLINK)
			continue;
		r = snapshot_add_iface(snap);
		if (!r)
			return -ENOMEM;
		if (link_parse_msg(nlh, nlh->nlmsg_len, snap, r) < 0)
			snap->nifaces--;
	}
	return 0;
}

int link_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct snapshot *snap)
{
	uint32_t seq = nlseq_next();
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtgenmsg *rt;
	int ret = 0;

	nlh->nlmsg_type = RTM_GETLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = AF_PACKET;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	while (ret == 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, buflen);

		if (n < 0) {
			if (errno == EINTR || errno == ENOBUFS)
				continue;
			return -errno;
		}
		ret = link_walk_buf(buf, (size_t)n, seq, snap);
	}
	return ret < 0 ? ret : 0;
}
