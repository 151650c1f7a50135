/* conntrack.c: ctnetlink dumps and their parser. Every attribute is checked
 * against the bytes received (nlparse_attrs) and for its exact length here
 * before it is read. */
#include "conntrack.h"

#include <arpa/inet.h>
#include <endian.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../grow.h"
#include "nldump.h"
#include "nlparse.h"

#define NESTED(a, tb, max) nlparse_attrs(mnl_attr_get_payload(a), mnl_attr_get_payload_len(a), tb, max)

static bool len_is(const struct nlattr *a, size_t len)
{
	return a && mnl_attr_get_payload_len(a) == len;
}

static uint32_t be32_at(const struct nlattr *a)
{
	uint32_t v;

	memcpy(&v, mnl_attr_get_payload(a), 4);
	return ntohl(v);
}

static uint64_t be64_at(const struct nlattr *a)
{
	uint64_t v;

	memcpy(&v, mnl_attr_get_payload(a), 8);
	return be64toh(v);
}

static uint16_t be16_at(const struct nlattr *a)
{
	uint16_t v;

	memcpy(&v, mnl_attr_get_payload(a), 2);
	return ntohs(v);
}

static int parse_ip(const struct nlattr *a, struct ct_tuple *t, uint8_t *family)
{
	const struct nlattr *tb[CTA_IP_MAX + 1] = { 0 };

	if (NESTED(a, tb, CTA_IP_MAX) < 0)
		return -EINVAL;
	if (len_is(tb[CTA_IP_V4_SRC], 4) && len_is(tb[CTA_IP_V4_DST], 4)) {
		memcpy(t->src, mnl_attr_get_payload(tb[CTA_IP_V4_SRC]), 4);
		memcpy(t->dst, mnl_attr_get_payload(tb[CTA_IP_V4_DST]), 4);
		*family = 4;
	} else if (len_is(tb[CTA_IP_V6_SRC], 16) && len_is(tb[CTA_IP_V6_DST], 16)) {
		memcpy(t->src, mnl_attr_get_payload(tb[CTA_IP_V6_SRC]), 16);
		memcpy(t->dst, mnl_attr_get_payload(tb[CTA_IP_V6_DST]), 16);
		*family = 6;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int parse_proto(const struct nlattr *a, struct ct_tuple *t)
{
	const struct nlattr *tb[CTA_PROTO_MAX + 1] = { 0 };

	if (NESTED(a, tb, CTA_PROTO_MAX) < 0 || !len_is(tb[CTA_PROTO_NUM], 1))
		return -EINVAL;
	t->proto = mnl_attr_get_u8(tb[CTA_PROTO_NUM]);
	if (len_is(tb[CTA_PROTO_SRC_PORT], 2))
		t->sport = be16_at(tb[CTA_PROTO_SRC_PORT]);
	if (len_is(tb[CTA_PROTO_DST_PORT], 2))
		t->dport = be16_at(tb[CTA_PROTO_DST_PORT]);
	if (len_is(tb[CTA_PROTO_ICMP_ID], 2))
		t->sport = be16_at(tb[CTA_PROTO_ICMP_ID]);
	else if (len_is(tb[CTA_PROTO_ICMPV6_ID], 2))
		t->sport = be16_at(tb[CTA_PROTO_ICMPV6_ID]);
	if (len_is(tb[CTA_PROTO_ICMP_TYPE], 1) && len_is(tb[CTA_PROTO_ICMP_CODE], 1))
		t->dport = (uint16_t)(mnl_attr_get_u8(tb[CTA_PROTO_ICMP_TYPE]) << 8 |
				      mnl_attr_get_u8(tb[CTA_PROTO_ICMP_CODE]));
	if (len_is(tb[CTA_PROTO_ICMPV6_TYPE], 1) && len_is(tb[CTA_PROTO_ICMPV6_CODE], 1))
		t->dport = (uint16_t)(mnl_attr_get_u8(tb[CTA_PROTO_ICMPV6_TYPE]) << 8 |
				      mnl_attr_get_u8(tb[CTA_PROTO_ICMPV6_CODE]));
	return 0;
}

static int parse_tuple(const struct nlattr *a, struct ct_tuple *t, uint8_t *family)
{
	const struct nlattr *tb[CTA_TUPLE_MAX + 1] = { 0 };

	if (!a || NESTED(a, tb, CTA_TUPLE_MAX) < 0 || !tb[CTA_TUPLE_IP] || !tb[CTA_TUPLE_PROTO])
		return -EINVAL;
	if (parse_ip(tb[CTA_TUPLE_IP], t, family) < 0)
		return -EINVAL;
	return parse_proto(tb[CTA_TUPLE_PROTO], t);
}

static int parse_counters(const struct nlattr *a, struct ct_flow *f, int dir)
{
	const struct nlattr *tb[CTA_COUNTERS_MAX + 1] = { 0 };

	if (NESTED(a, tb, CTA_COUNTERS_MAX) < 0)
		return -EINVAL;
	if (len_is(tb[CTA_COUNTERS_PACKETS], 8) && len_is(tb[CTA_COUNTERS_BYTES], 8)) {
		f->packets[dir] = be64_at(tb[CTA_COUNTERS_PACKETS]);
		f->bytes[dir] = be64_at(tb[CTA_COUNTERS_BYTES]);
		f->has_counters = true;
	}
	return 0;
}

static int parse_protoinfo(const struct nlattr *a, struct ct_flow *f)
{
	const struct nlattr *tb[CTA_PROTOINFO_MAX + 1] = { 0 };
	const struct nlattr *tcp[CTA_PROTOINFO_TCP_MAX + 1] = { 0 };

	if (NESTED(a, tb, CTA_PROTOINFO_MAX) < 0)
		return -EINVAL;
	if (!tb[CTA_PROTOINFO_TCP])
		return 0;
	if (NESTED(tb[CTA_PROTOINFO_TCP], tcp, CTA_PROTOINFO_TCP_MAX) < 0)
		return -EINVAL;
	if (len_is(tcp[CTA_PROTOINFO_TCP_STATE], 1)) {
		f->tcp_state = mnl_attr_get_u8(tcp[CTA_PROTOINFO_TCP_STATE]);
		f->has_tcp_state = true;
	}
	return 0;
}

/* Parses one conntrack message (IPCTNL_MSG_CT_NEW) into f. 0 or -EINVAL. */
static int conntrack_parse_msg(const struct nlmsghdr *nlh, struct ct_flow *f)
{
	const struct nlattr *tb[CTA_MAX + 1] = { 0 };
	size_t hdr = mnl_nlmsg_size(sizeof(struct nfgenmsg));
	uint8_t fam_reply = 0;

	if (nlh->nlmsg_len < hdr)
		return -EINVAL;
	if (nlparse_attrs((const char *)mnl_nlmsg_get_payload(nlh) + sizeof(struct nfgenmsg),
			  nlh->nlmsg_len - hdr, tb, CTA_MAX) < 0)
		return -EINVAL;
	memset(f, 0, sizeof(*f));
	if (parse_tuple(tb[CTA_TUPLE_ORIG], &f->orig, &f->family) < 0 ||
	    parse_tuple(tb[CTA_TUPLE_REPLY], &f->reply, &fam_reply) < 0 || fam_reply != f->family)
		return -EINVAL;
	if (len_is(tb[CTA_STATUS], 4))
		f->status = be32_at(tb[CTA_STATUS]);
	if (len_is(tb[CTA_TIMEOUT], 4))
		f->timeout = be32_at(tb[CTA_TIMEOUT]);
	if (len_is(tb[CTA_MARK], 4))
		f->mark = be32_at(tb[CTA_MARK]);
	if ((tb[CTA_PROTOINFO] && parse_protoinfo(tb[CTA_PROTOINFO], f) < 0) ||
	    (tb[CTA_COUNTERS_ORIG] && parse_counters(tb[CTA_COUNTERS_ORIG], f, 0) < 0) ||
	    (tb[CTA_COUNTERS_REPLY] && parse_counters(tb[CTA_COUNTERS_REPLY], f, 1) < 0))
		return -EINVAL;
	return 0;
}

static int parse_stats_cpu(const struct nlmsghdr *nlh, struct ct_stats *s)
{
	const struct nlattr *tb[CTA_STATS_MAX + 1] = { 0 };
	size_t hdr = mnl_nlmsg_size(sizeof(struct nfgenmsg));

	if (nlh->nlmsg_len < hdr ||
	    nlparse_attrs((const char *)mnl_nlmsg_get_payload(nlh) + sizeof(struct nfgenmsg),
			  nlh->nlmsg_len - hdr, tb, CTA_STATS_MAX) < 0)
		return -EINVAL;
#define X(name, attr) if (len_is(tb[attr], 4)) s->name += be32_at(tb[attr]);
	CT_STATS_LIST(X)
#undef X
	return 0;
}

static int parse_stats_global(const struct nlmsghdr *nlh, struct ct_table *t)
{
	const struct nlattr *tb[CTA_STATS_GLOBAL_MAX + 1] = { 0 };
	size_t hdr = mnl_nlmsg_size(sizeof(struct nfgenmsg));

	if (nlh->nlmsg_len < hdr ||
	    nlparse_attrs((const char *)mnl_nlmsg_get_payload(nlh) + sizeof(struct nfgenmsg),
			  nlh->nlmsg_len - hdr, tb, CTA_STATS_GLOBAL_MAX) < 0 ||
	    !len_is(tb[CTA_STATS_GLOBAL_ENTRIES], 4))
		return -EINVAL;
	t->count = be32_at(tb[CTA_STATS_GLOBAL_ENTRIES]);
	if (len_is(tb[CTA_STATS_GLOBAL_MAX_ENTRIES], 4))
		t->max = be32_at(tb[CTA_STATS_GLOBAL_MAX_ENTRIES]);
	return 0;
}

static int ct_msg(const struct nlmsghdr *nlh, void *ctx)
{
	struct ct_table *t = ctx;

	if ((nlh->nlmsg_type >> 8) != NFNL_SUBSYS_CTNETLINK)
		return 0;
	switch (nlh->nlmsg_type & 0xff) {
	case IPCTNL_MSG_CT_NEW:
		if (grow_array((void **)&t->v, &t->cap, t->n + 1, sizeof(*t->v), 64) < 0)
			return -ENOMEM;
		if (conntrack_parse_msg(nlh, &t->v[t->n]) < 0)
			return -EINVAL;
		t->n++;
		return 0;
	case IPCTNL_MSG_CT_GET_STATS_CPU:
		return parse_stats_cpu(nlh, &t->stats);
	case IPCTNL_MSG_CT_GET_STATS:
		return parse_stats_global(nlh, t);
	}
	return 0;
}

int conntrack_walk_buf(const void *buf, size_t len, uint32_t seq, struct ct_table *t)
{
	struct nldump_walker w = { .seq = seq, .fn = ct_msg, .ctx = t };
	int ret = nldump_walk(&w, buf, len);

	t->malformed += w.malformed;
	return ret;
}

static int request(struct mnl_socket *nl, void *buf, size_t buflen, uint8_t msg, uint16_t flags,
		   struct ct_table *t, bool *interrupted)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;
	struct nldump_walker w = { .fn = ct_msg, .ctx = t };
	int err;

	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | msg;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = AF_UNSPEC;
	nfg->version = NFNETLINK_V0;
	err = nldump_run(nl, nlh, buf, buflen, &w);
	t->malformed += w.malformed;
	if (interrupted)
		*interrupted = w.interrupted;
	return err;
}

int conntrack_dump(struct mnl_socket *nl, void *buf, size_t buflen, bool flows, struct ct_table *t)
{
	int err = request(nl, buf, buflen, IPCTNL_MSG_CT_GET_STATS, NLM_F_ACK, t, NULL);

	if (!err)
		err = request(nl, buf, buflen, IPCTNL_MSG_CT_GET_STATS_CPU, NLM_F_DUMP, t, NULL);
	for (int attempt = 0; !err && flows && attempt < NLDUMP_TRIES; attempt++) {
		bool interrupted = false;

		t->n = 0;
		err = request(nl, buf, buflen, IPCTNL_MSG_CT_GET, NLM_F_DUMP, t, &interrupted);
		t->partial = interrupted;
		if (!interrupted)
			break;
	}
	return err;
}

void conntrack_table_free(struct ct_table *t)
{
	free(t->v);
	*t = (struct ct_table){ 0 };
}

const char *conntrack_tcp_state(uint8_t s)
{
	static const char *const names[] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT", "CLOSE_WAIT",
		"LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};
	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "UNKNOWN";
}

const char *conntrack_proto_name(uint8_t proto)
{
	switch (proto) {
	case IPPROTO_TCP: return "tcp";
	case IPPROTO_UDP: return "udp";
	case IPPROTO_ICMP: return "icmp";
	case IPPROTO_ICMPV6: return "icmpv6";
	case IPPROTO_UDPLITE: return "udplite";
	case IPPROTO_SCTP: return "sctp";
	case IPPROTO_DCCP: return "dccp";
	case IPPROTO_GRE: return "gre";
	}
	return NULL;
}

int conntrack_table_copy(struct ct_table *dst, const struct ct_table *src)
{
	*dst = *src;
	dst->v = NULL;
	dst->cap = 0;
	if (!src->n)
		return 0;
	dst->v = malloc(src->n * sizeof(*src->v));
	if (!dst->v) {
		dst->n = 0;
		return -ENOMEM;
	}
	memcpy(dst->v, src->v, src->n * sizeof(*src->v));
	dst->cap = src->n;
	return 0;
}

void conntrack_table_derive(struct ct_table *cur, const struct ct_table *prev)
{
	bool ok = prev != NULL;

	memset(&cur->delta, 0, sizeof(cur->delta));
	cur->has_delta = false;
	if (!ok)
		return;
#define X(name, attr) ok = ok && cur->stats.name >= prev->stats.name;
	CT_STATS_LIST(X)
#undef X
	if (!ok)
		return;
#define X(name, attr) cur->delta.name = cur->stats.name - prev->stats.name;
	CT_STATS_LIST(X)
#undef X
	cur->has_delta = true;
}

unsigned conntrack_alert(const struct ct_table *t)
{
	unsigned alert = 0;

	if (t->max && (uint64_t)t->count * 10 >= (uint64_t)t->max * 9)
		alert |= CT_ALERT_FULL;
	if (t->has_delta && (t->delta.drop || t->delta.early_drop || t->delta.insert_failed))
		alert |= CT_ALERT_DROPS;
	return alert;
}

unsigned conntrack_fill_permille(const struct ct_table *t)
{
	uint64_t p;

	if (!t->max)
		return 0;
	p = (uint64_t)t->count * 1000 / t->max;
	return p > 1000 ? 1000 : (unsigned)p;
}
