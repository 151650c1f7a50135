/* nlparse.h: netlink messages and attributes checked against the exact bytes
 * received. libmnl's checks fall short on hostile input: mnl_nlmsg_ok() casts
 * nlmsg_len to int, so a length of 2 GiB or more passes (and 0xffffffff makes
 * mnl_nlmsg_next() step by 0, forever); mnl_attr_parse() walks to the padded
 * end of a message, up to 3 bytes past an unpadded one, and stops quietly at
 * a bad attribute instead of saying so. */
#ifndef NETTOP_NLPARSE_H
#define NETTOP_NLPARSE_H

#include <errno.h>
#include <linux/netlink.h>
#include <stdbool.h>
#include <stddef.h>

/* True if a whole message with a sane length starts at nlh, within remaining. */
static inline bool nlparse_msg_ok(const struct nlmsghdr *nlh, int remaining)
{
	return remaining >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned)remaining;
}

/* Stores each attribute of the len bytes at p in tb[type] (types above max
 * are skipped). Returns 0, or -EINVAL when an attribute runs past len. */
static inline int nlparse_attrs(const void *p, size_t len, const struct nlattr **tb, unsigned max)
{
	const unsigned char *cur = p;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)cur;
		unsigned type = a->nla_type & NLA_TYPE_MASK;
		size_t step;

		if (a->nla_len < NLA_HDRLEN || a->nla_len > len)
			return -EINVAL;
		if (type <= max)
			tb[type] = a;
		step = NLA_ALIGN(a->nla_len);
		if (step >= len)
			return 0;	/* the last one may lack its padding */
		cur += step;
		len -= step;
	}
	return len ? -EINVAL : 0;
}

#endif
