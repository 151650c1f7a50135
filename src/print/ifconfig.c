/* ifconfig.c: netstat -ie, the interface table in ifconfig's long form, as
 * net-tools 2.10 prints it (lib/interface.c). */
#include <arpa/inet.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <string.h>

#include "../escape.h"
#include "netstat_more.h"

/* "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>": SIOCGIFFLAGS's 16 bits. */
static void flag_text(unsigned flags, char *buf, size_t len)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ IFF_UP, "UP" }, { IFF_BROADCAST, "BROADCAST" }, { IFF_DEBUG, "DEBUG" },
		{ IFF_LOOPBACK, "LOOPBACK" }, { IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_NOTRAILERS, "NOTRAILERS" }, { IFF_RUNNING, "RUNNING" }, { IFF_NOARP, "NOARP" },
		{ IFF_PROMISC, "PROMISC" }, { IFF_ALLMULTI, "ALLMULTI" }, { IFF_SLAVE, "SLAVE" },
		{ IFF_MASTER, "MASTER" }, { IFF_MULTICAST, "MULTICAST" }, { IFF_DYNAMIC, "DYNAMIC" },
	};
	size_t n = (size_t)snprintf(buf, len, "flags=%u<", flags);

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && n < len; i++)
		if (flags & names[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s,", names[i].name);
	if (n < len && buf[n - 1] == ',')
		buf[n - 1] = '>';
	else if (n < len)
		snprintf(buf + n, len - n, ">");
}

/* net-tools' ife_unit: the value and its unit, in tenths. */
static void unit_text(unsigned long long v, char *buf, size_t len)
{
	static const struct { unsigned long long div; const char *unit; } units[] = {
		{ 1152921504606846976ull, "EiB" }, { 1125899906842624ull, "PiB" },
		{ 1099511627776ull, "TiB" }, { 1073741824ull, "GiB" }, { 1048576ull, "MiB" },
		{ 1024ull, "KiB" },
	};
	unsigned long long tenths = v * 10;
	const char *unit = "B";

	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (v > units[i].div) {
			tenths = i == 0 ? v / 115292150460684697ull : v * 10 / units[i].div;
			unit = units[i].unit;
			break;
		}
	}
	snprintf(buf, len, "%llu.%llu %s", tenths / 10, tenths % 10, unit);
}

/* The kernel's scope of an IPv6 address, as /proc/net/if_inet6 prints it. */
static unsigned v6_scope(const uint8_t *a)
{
	static const uint8_t loop[16] = { [15] = 1 };

	if (!memcmp(a, loop, 16))
		return 0x10;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return 0x20;
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0xc0)
		return 0x40;
	return 0;
}

static void print_v6(FILE *f, const struct ifconf_addr6 *a)
{
	char addr[INET6_ADDRSTRLEN];
	unsigned scope = v6_scope(a->addr);

	inet_ntop(AF_INET6, a->addr, addr, sizeof(addr));
	fprintf(f, "        inet6 %s  prefixlen %u  scopeid 0x%x<%s>\n", addr, a->plen, scope,
		scope == 0x10 ? "host" : scope == 0x20 ? "link" : scope == 0x40 ? "site" : "global");
}

static void print_hw(FILE *f, const struct ifconf_rec *r)
{
	if (r->type == ARPHRD_ETHER && r->hwlen == 6)
		fprintf(f, "        ether %02x:%02x:%02x:%02x:%02x:%02x", r->hw[0], r->hw[1], r->hw[2],
			r->hw[3], r->hw[4], r->hw[5]);
	else if (r->type == ARPHRD_LOOPBACK)
		fputs("        loop", f);
	else
		fputs("        unspec", f);
	if (r->has_txqlen)
		fprintf(f, "  txqueuelen %u", r->txqlen);
	fprintf(f, "  (%s)\n", r->type == ARPHRD_ETHER ? "Ethernet" : r->type == ARPHRD_LOOPBACK ?
		"Local Loopback" : "UNSPEC");
}

/* The counters as /proc/net/dev sums them, which ifconfig reads. */
static void print_stats(FILE *f, const struct rtnl_link_stats64 *s)
{
	char rx[32], tx[32];

	unit_text(s->rx_bytes, rx, sizeof(rx));
	unit_text(s->tx_bytes, tx, sizeof(tx));
	fprintf(f, "        RX packets %llu  bytes %llu (%s)\n", (unsigned long long)s->rx_packets,
		(unsigned long long)s->rx_bytes, rx);
	if (s->rx_compressed)
		fprintf(f, "        RX compressed %llu\n", (unsigned long long)s->rx_compressed);
	fprintf(f, "        RX errors %llu  dropped %llu  overruns %llu  frame %llu\n",
		(unsigned long long)s->rx_errors, (unsigned long long)(s->rx_dropped + s->rx_missed_errors),
		(unsigned long long)s->rx_fifo_errors,
		(unsigned long long)(s->rx_length_errors + s->rx_over_errors + s->rx_crc_errors +
				     s->rx_frame_errors));
	fprintf(f, "        TX packets %llu  bytes %llu (%s)\n", (unsigned long long)s->tx_packets,
		(unsigned long long)s->tx_bytes, tx);
	if (s->tx_compressed)
		fprintf(f, "        TX compressed %llu\n", (unsigned long long)s->tx_compressed);
	fprintf(f, "        TX errors %llu  dropped %llu overruns %llu  carrier %llu  collisions %llu\n",
		(unsigned long long)s->tx_errors, (unsigned long long)s->tx_dropped,
		(unsigned long long)s->tx_fifo_errors,
		(unsigned long long)(s->tx_carrier_errors + s->tx_aborted_errors + s->tx_window_errors +
				     s->tx_heartbeat_errors),
		(unsigned long long)s->collisions);
}

static void print_one(FILE *f, const struct ifconf_rec *r)
{
	char name[64], flags[200];

	escape_text(name, sizeof(name), r->name, strnlen(r->name, sizeof(r->name)));
	flag_text(r->flags & 0xffff, flags, sizeof(flags));
	fprintf(f, "%s: %s  mtu %u\n", name, flags, r->mtu);
	if (r->has_ip) {
		char ip[INET_ADDRSTRLEN], mask[INET_ADDRSTRLEN], bcast[INET_ADDRSTRLEN];
		uint32_t m = r->plen ? htonl(~0u << (32 - r->plen)) : 0;

		inet_ntop(AF_INET, r->ip, ip, sizeof(ip));
		inet_ntop(AF_INET, &m, mask, sizeof(mask));
		inet_ntop(AF_INET, r->bcast, bcast, sizeof(bcast));
		fprintf(f, "        inet %s  netmask %s", ip, mask);
		if (r->flags & IFF_BROADCAST)
			fprintf(f, "  broadcast %s", bcast);
		fputc('\n', f);
	}
	for (size_t i = 0; i < r->n6; i++)
		print_v6(f, &r->v6[i]);
	print_hw(f, r);
	if (r->has_stats)
		print_stats(f, &r->st);
	fputc('\n', f);
}

void out_ifconfig(FILE *f, const struct ifconf_table *t, bool all)
{
	fputs("Kernel Interface table\n", f);
	for (size_t i = 0; i < t->n; i++)
		if (all || (t->v[i].flags & IFF_UP))
			print_one(f, &t->v[i]);
}
