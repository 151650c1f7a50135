/* ifconf.h: what ifconfig (netstat -ie) shows of each interface, through
 * rtnetlink: RTM_GETLINK for flags, hardware address, queue length and the
 * full counters; RTM_GETADDR for the addresses. */
#ifndef NETTOP_IFCONF_H
#define NETTOP_IFCONF_H

#include <linux/if_link.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mnl_socket;
struct nlmsghdr;

struct ifconf_addr6 {
	uint8_t addr[16];
	uint8_t plen;
};

struct ifconf_rec {
	uint32_t ifindex;
	char name[16];			/* IFNAMSIZ; raw, untrusted text */
	uint32_t flags;			/* ifi_flags */
	uint32_t mtu, txqlen;
	bool has_txqlen, has_stats;
	uint16_t type;			/* ARPHRD_* */
	uint8_t hwlen;
	uint8_t hw[32];
	struct rtnl_link_stats64 st;
	bool has_ip;			/* the first IPv4 address labelled with the name */
	uint8_t plen;
	uint8_t ip[4], bcast[4];
	struct ifconf_addr6 *v6;
	size_t n6, cap6;
};

struct ifconf_table {
	struct ifconf_rec *v;
	size_t n, cap;
	size_t malformed;
};

int ifconf_walk_buf(const void *buf, size_t len, uint32_t seq, struct ifconf_table *t);
/* Both dumps; the interfaces sorted by name, as ifconfig lists them. */
int ifconf_dump(struct mnl_socket *nl, void *buf, size_t buflen, struct ifconf_table *t);
void ifconf_table_free(struct ifconf_table *t);

#endif
