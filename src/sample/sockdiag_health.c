/* sockdiag_health.c: the part of a sock_diag message only health columns
 * read: the rest of tcp_info, INET_DIAG_CONG and INET_DIAG_SKMEMINFO. Parsed
 * apart from sockdiag_parse_msg(), and only for samples that ask for it:
 * the common dump pays nothing for it. */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <string.h>

#include "nlparse.h"
#include "sockdiag.h"

/* tcp_info grows with kernels: copy what fits into a zeroed struct. */
static void health_info(const struct nlattr *attr, struct sock_health *h)
{
	struct tcp_info info;
	size_t len = mnl_attr_get_payload_len(attr);

	memset(&info, 0, sizeof(info));
	memcpy(&info, mnl_attr_get_payload(attr), len < sizeof(info) ? len : sizeof(info));
	h->lost = info.tcpi_lost;
	h->ssthresh = info.tcpi_snd_ssthresh;
	h->min_rtt_us = info.tcpi_min_rtt;
	h->unacked = info.tcpi_unacked;
	h->notsent = info.tcpi_notsent_bytes;
	h->delivery_rate = info.tcpi_delivery_rate;
	h->pacing_rate = info.tcpi_pacing_rate;
	h->busy_us = info.tcpi_busy_time;
	h->rwnd_limited_us = info.tcpi_rwnd_limited;
	h->sndbuf_limited_us = info.tcpi_sndbuf_limited;
	h->flags |= HEALTH_INFO;
}

static void health_cong(const struct nlattr *attr, struct sock_health *h)
{
	sock_health_set_cong(h, mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr));
}

static void health_mem(const struct nlattr *attr, struct sock_health *h)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	size_t len = mnl_attr_get_payload_len(attr);

	if (len < (SK_MEMINFO_DROPS + 1) * sizeof(uint32_t))
		return;
	memcpy(mem, mnl_attr_get_payload(attr), len < sizeof(mem) ? len : sizeof(mem));
	h->rmem = mem[SK_MEMINFO_RMEM_ALLOC];
	h->wmem = mem[SK_MEMINFO_WMEM_ALLOC];
	h->drops = mem[SK_MEMINFO_DROPS];
	h->flags |= HEALTH_MEM;
}

int sockdiag_parse_health(const void *msg, size_t len, uint8_t proto, struct sock_health *h)
{
	const struct nlmsghdr *nlh = msg;
	const struct nlattr *tb[INET_DIAG_MAX + 1] = { 0 };
	const struct inet_diag_msg *d;

	if (len < sizeof(*nlh) || nlh->nlmsg_len > len ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*d)))
		return -EINVAL;
	d = mnl_nlmsg_get_payload(nlh);
	if (nlparse_attrs((const char *)d + sizeof(*d),
			  nlh->nlmsg_len - mnl_nlmsg_size(sizeof(*d)), tb, INET_DIAG_MAX) < 0)
		return -EINVAL;
	if (tb[INET_DIAG_INFO] && proto == PROTO_TCP)
		health_info(tb[INET_DIAG_INFO], h);
	if (tb[INET_DIAG_CONG] && proto == PROTO_TCP)
		health_cong(tb[INET_DIAG_CONG], h);
	if (tb[INET_DIAG_SKMEMINFO])
		health_mem(tb[INET_DIAG_SKMEMINFO], h);
	return 0;
}
