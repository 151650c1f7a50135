/* ifconf.c: the RTM_GETLINK and RTM_GETADDR dumps behind netstat -ie. Each
 * attribute is length-checked before it is read. */
#include "ifconf.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../grow.h"
#include "nldump.h"
#include "nlparse.h"

static struct ifconf_rec *find(struct ifconf_table *t, uint32_t ifindex)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].ifindex == ifindex)
			return &t->v[i];
	return NULL;
}

static uint32_t attr_u32(const struct nlattr *a, uint32_t dflt)
{
	return a && mnl_attr_get_payload_len(a) >= 4 ? mnl_attr_get_u32(a) : dflt;
}

static int parse_link(const struct nlmsghdr *nlh, struct ifconf_table *t)
{
	const struct nlattr *tb[IFLA_MAX + 1] = { 0 };
	const struct ifinfomsg *ifm = mnl_nlmsg_get_payload(nlh);
	struct ifconf_rec *r;
	size_t len;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifm)) ||
	    nlparse_attrs((const char *)ifm + sizeof(*ifm), nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*ifm)),
			  tb, IFLA_MAX) < 0 || !tb[IFLA_IFNAME])
		return -EINVAL;
	if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), 16) < 0)
		return -ENOMEM;
	r = &t->v[t->n];
	memset(r, 0, sizeof(*r));
	len = strnlen(mnl_attr_get_payload(tb[IFLA_IFNAME]), mnl_attr_get_payload_len(tb[IFLA_IFNAME]));
	if (len == 0 || len >= sizeof(r->name))
		return -EINVAL;
	memcpy(r->name, mnl_attr_get_payload(tb[IFLA_IFNAME]), len);
	r->ifindex = (uint32_t)ifm->ifi_index;
	r->flags = ifm->ifi_flags;
	r->type = ifm->ifi_type;
	r->mtu = attr_u32(tb[IFLA_MTU], 0);
	r->has_txqlen = tb[IFLA_TXQLEN] && mnl_attr_get_payload_len(tb[IFLA_TXQLEN]) >= 4;
	r->txqlen = attr_u32(tb[IFLA_TXQLEN], 0);
	if (tb[IFLA_ADDRESS] && (len = mnl_attr_get_payload_len(tb[IFLA_ADDRESS])) <= sizeof(r->hw)) {
		memcpy(r->hw, mnl_attr_get_payload(tb[IFLA_ADDRESS]), len);
		r->hwlen = (uint8_t)len;
	}
	if (tb[IFLA_STATS64]) {
		len = mnl_attr_get_payload_len(tb[IFLA_STATS64]);
		memcpy(&r->st, mnl_attr_get_payload(tb[IFLA_STATS64]), len < sizeof(r->st) ? len : sizeof(r->st));
		r->has_stats = true;
	}
	t->n++;
	return 0;
}

static int add_v6(struct ifconf_rec *r, const struct nlattr *a, uint8_t plen)
{
	if (mnl_attr_get_payload_len(a) != 16)
		return -EINVAL;
	if (grow_array((void **)&r->v6, &r->cap6, r->n6 + 1, sizeof(*r->v6), 4) < 0)
		return -ENOMEM;
	memcpy(r->v6[r->n6].addr, mnl_attr_get_payload(a), 16);
	r->v6[r->n6++].plen = plen;
	return 0;
}

/* SIOCGIFADDR's answer: the first IPv4 address whose label is the name. */
static int add_v4(struct ifconf_rec *r, const struct nlattr **tb, uint8_t plen)
{
	const struct nlattr *a = tb[IFA_LOCAL] ? tb[IFA_LOCAL] : tb[IFA_ADDRESS];
	const struct nlattr *label = tb[IFA_LABEL];

	if (!a || mnl_attr_get_payload_len(a) != 4 || plen > 32)
		return -EINVAL;
	if (r->has_ip)
		return 0;
	if (label) {
		/* the label may lack its NUL: compare exactly what it holds */
		size_t n = strnlen(mnl_attr_get_payload(label), mnl_attr_get_payload_len(label));

		if (n != strlen(r->name) || memcmp(mnl_attr_get_payload(label), r->name, n))
			return 0;
	}
	memcpy(r->ip, mnl_attr_get_payload(a), 4);
	if (tb[IFA_BROADCAST] && mnl_attr_get_payload_len(tb[IFA_BROADCAST]) == 4)
		memcpy(r->bcast, mnl_attr_get_payload(tb[IFA_BROADCAST]), 4);
	r->plen = plen;
	r->has_ip = true;
	return 0;
}

static int parse_addr(const struct nlmsghdr *nlh, struct ifconf_table *t)
{
	const struct nlattr *tb[IFA_MAX + 1] = { 0 };
	const struct ifaddrmsg *ifa = mnl_nlmsg_get_payload(nlh);
	struct ifconf_rec *r;

	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*ifa)) ||
	    nlparse_attrs((const char *)ifa + sizeof(*ifa), nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*ifa)),
			  tb, IFA_MAX) < 0)
		return -EINVAL;
	if (!(r = find(t, ifa->ifa_index)))
		return 0;	/* an interface that appeared after the link dump */
	if (ifa->ifa_family == AF_INET6 && tb[IFA_ADDRESS])
		return add_v6(r, tb[IFA_ADDRESS], ifa->ifa_prefixlen);
	if (ifa->ifa_family == AF_INET)
		return add_v4(r, tb, ifa->ifa_prefixlen);
	return 0;
}

/* One RTM_NEWLINK (appending an interface) or RTM_NEWADDR (adding an
 * address to its interface, which must come first). 0 or -EINVAL. */
static int ifconf_msg(const struct nlmsghdr *nlh, void *ctx)
{
	if (nlh->nlmsg_type == RTM_NEWLINK)
		return parse_link(nlh, ctx);
	if (nlh->nlmsg_type == RTM_NEWADDR)
		return parse_addr(nlh, ctx);
	return 0;
}

int ifconf_walk_buf(const void *buf, size_t len, uint32_t seq, struct ifconf_table *t)
{
	struct nldump_walker w = { .seq = seq, .fn = ifconf_msg, .ctx = t };
	int ret = nldump_walk(&w, buf, len);

	t->malformed += w.malformed;
	return ret;
}

static int request(struct mnl_socket *nl, void *buf, size_t buflen, uint16_t type, struct ifconf_table *t)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nldump_walker w = { .fn = ifconf_msg, .ctx = t };
	struct rtgenmsg *rt;
	int err;

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	rt = mnl_nlmsg_put_extra_header(nlh, sizeof(*rt));
	rt->rtgen_family = type == RTM_GETLINK ? AF_PACKET : AF_UNSPEC;
	err = nldump_run(nl, nlh, buf, buflen, &w);
	t->malformed += w.malformed;
	return err;
}

static int by_name(const void *a, const void *b)
{
	return strverscmp(((const struct ifconf_rec *)a)->name, ((const struct ifconf_rec *)b)->name);
}

int ifconf_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct ifconf_table *t)
{
	int err = request(nl, buf, buflen, RTM_GETLINK, t);

	if (!err)
		err = request(nl, buf, buflen, RTM_GETADDR, t);
	if (!err && t->n)
		qsort(t->v, t->n, sizeof(*t->v), by_name);
	return err;
}

void ifconf_table_free(struct ifconf_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].v6);
	free(t->v);
	*t = (struct ifconf_table){ 0 };
}
