/* netstat_more.c: netstat -r, -6 -r, -x, -g and -M, byte for byte as
 * net-tools 2.10 prints them, and the conntrack table in JSON. Names are
 * untrusted text: each passes escape_text(). */
#include "netstat_more.h"

#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "../escape.h"
#include "../resolve.h"
#include "../view/fields.h"
#include "print.h"

/* A host name when the resolver knows one, else the numeric form. */
static void host_text(struct resolver *names, int family, const uint8_t *addr, char *buf, size_t len)
{
	char name[256];
	uint8_t a[16] = { 0 };

	memcpy(a, addr, family == 4 ? 4 : 16);
	if (names && resolver_host(names, family, a, name, sizeof(name)))
		escape_text(buf, len, name, strlen(name));
	else
		inet_ntop(family == 4 ? AF_INET : AF_INET6, a, buf, (socklen_t)len);
}

static void ask(struct resolver *names, int family, const uint8_t *addr)
{
	char name[8];
	uint8_t a[16] = { 0 };

	memcpy(a, addr, family == 4 ? 4 : 16);
	if (!addr_is_any(family, a))
		resolver_host(names, family, a, name, sizeof(name));
}

void more_resolve(struct resolver *names, const struct route_table *rt, const struct mcast_table *mc,
		  const struct ct_table *ct, unsigned timeout_ms)
{
	if (!names)
		return;
	for (size_t i = 0; rt && i < rt->n; i++) {
		ask(names, rt->v[i].family, rt->v[i].dst);
		if (rt->v[i].has_gw)
			ask(names, rt->v[i].family, rt->v[i].gw);
	}
	for (size_t i = 0; mc && i < mc->n; i++)
		ask(names, mc->v[i].family, mc->v[i].addr);
	for (size_t i = 0; ct && i < ct->n; i++) {
		ask(names, ct->v[i].family, ct->v[i].orig.src);
		ask(names, ct->v[i].family, ct->v[i].orig.dst);
	}
	resolver_wait(names, timeout_ms);
}

static void iface_name(uint32_t ifindex, char *buf, const char *none)
{
	char name[IF_NAMESIZE];

	if (!ifindex || !if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "%s", none);
	escape_text(buf, 64, name, strlen(name));
}

/* net-tools' INET_rresolve: "default" for 0.0.0.0/0, a network's name from
 * /etc/networks, a host's from the resolver; 15 columns at most. */
static void route4_dest(const struct route_rec *r, uint32_t mask, bool numeric, struct resolver *names,
			char *buf)
{
	uint32_t ad;
	struct netent *np;

	memcpy(&ad, r->dst, 4);
	if (numeric)
		inet_ntop(AF_INET, r->dst, buf, 64);
	else if (!ad)
		snprintf(buf, 64, "%s", mask ? "0.0.0.0" : "default");
	else if ((ad & ~mask) || r->dst_len == 32)
		host_text(names, 4, r->dst, buf, 64);
	else if ((np = getnetbyaddr(ntohl(ad), AF_INET)))
		escape_text(buf, 64, np->n_name, strlen(np->n_name));
	else
		inet_ntop(AF_INET, r->dst, buf, 64);
	buf[15] = '\0';
}

static void route4_flags(const struct route_rec *r, char *flags)
{
	char *p = flags;

	if (r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT) {
		*p++ = '!';	/* netstat overwrites "U"/"UG" with it */
	} else {
		*p++ = 'U';
		if (r->has_gw)
			*p++ = 'G';
	}
	if (r->dst_len == 32)
		*p++ = 'H';
	*p = '\0';
}

static void route4_row(FILE *f, const struct route_rec *r, const struct more_options *o)
{
	uint32_t mask = r->dst_len ? htonl(~0u << (32 - r->dst_len)) : 0;
	char dst[64], gw[64] = "0.0.0.0", msk[INET_ADDRSTRLEN], flags[8], dev[64];
	bool reject = r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT;
	unsigned mss = r->advmss ? r->advmss + 40 : 0, irtt = r->rtt >> 3;

	route4_dest(r, mask, !o->names, o->names, dst);
	if (r->has_gw) {
		host_text(o->names, 4, r->gw, gw, sizeof(gw));
		gw[15] = '\0';
	}
	inet_ntop(AF_INET, &mask, msk, sizeof(msk));
	route4_flags(r, flags);
	iface_name(r->oif, dev, "*");
	if (o->route_ext == 1 && reject)
		fprintf(f, "%-15s -               %-15s %-5s %-6u -  %7d -\n", dst, msk, flags, r->priority, 0);
	else if (o->route_ext == 1)
		fprintf(f, "%-15s %-15s %-15s %-5s %-6u %-2d %7d %s\n", dst, gw, msk, flags, r->priority, 0, 0, dev);
	else if (o->route_ext == 2 && reject)
		fprintf(f, "%-15s -               %-15s %-5s     - -          - -\n", dst, msk, flags);
	else if (o->route_ext == 2)
		fprintf(f, "%-15s %-15s %-15s %-5s %5u %-5u %6u %s\n", dst, gw, msk, flags, mss, r->window, irtt, dev);
	else if (reject)
		fprintf(f, "%-15s -               %-15s %-5s %-6u -  %7d -        -     -      -\n", dst, msk,
			flags, r->priority, 0);
	else
		fprintf(f, "%-15s %-15s %-15s %-5s %-6u %-3d %6d %-6.6s   %-5u %-6u %u\n", dst, gw, msk, flags,
			r->priority, 0, 0, dev, mss, r->window, irtt);
}

void out_routes4(FILE *f, const struct route_table *t, const struct more_options *o)
{
	static const char *const heads[] = {
		"", "Flags Metric Ref    Use Iface\n", "Flags   MSS Window  irtt Iface\n",
		"Flags Metric Ref    Use Iface    MSS   Window irtt\n",
	};
	int ext = o->route_ext < 1 ? 2 : o->route_ext > 3 ? 3 : o->route_ext;

	if (o->route_cache) {
		/* no IPv4 routing cache since Linux 3.6: netstat prints the header alone */
		fputs("Kernel IP routing cache\nSource          Destination     Gateway         "
		      "Flags   MSS Window  irtt Iface\n", f);
		return;
	}
	fprintf(f, "Kernel IP routing table\nDestination     Gateway         Genmask         %s", heads[ext]);
	for (size_t i = 0; i < t->n; i++) {
		const struct route_rec *r = &t->v[i];

		/* /proc/net/route: the main table, without broadcast and multicast */
		if (r->family != 4 || r->table != RT_TABLE_MAIN || r->type == RTN_BROADCAST ||
		    r->type == RTN_MULTICAST || r->type == RTN_LOCAL)
			continue;
		route4_row(f, r, &(struct more_options){ .names = o->names, .route_ext = ext });
	}
}

static bool route6_reject(const struct route_rec *r)
{
	return r->type == RTN_UNREACHABLE || r->type == RTN_PROHIBIT || r->type == RTN_BLACKHOLE ||
	       r->type == RTN_THROW;
}

/* The kernel's fib6_flags, which netlink does not carry, rebuilt from the
 * route's type and origin; netstat's letters in its order. */
static void route6_flags(const struct route_rec *r, char *flags)
{
	bool kernel_local = (r->type == RTN_LOCAL || r->type == RTN_ANYCAST) && r->protocol == RTPROT_KERNEL;
	char *p = flags;

	/* a reject route is not "up": the kernel gives it RTF_REJECT alone */
	if (route6_reject(r))
		*p++ = '!';
	else
		*p++ = 'U';
	if (r->has_gw)
		*p++ = 'G';
	if (r->protocol == RTPROT_RA && r->dst_len == 0)
		*p++ = 'D';
	if (r->protocol == RTPROT_RA)
		*p++ = 'A';
	if (r->expires)
		*p++ = 'e';
	if (kernel_local || route6_reject(r))
		*p++ = 'n';
	*p = '\0';
}

static void addr6_text(const uint8_t *a, struct resolver *names, char *buf, size_t len)
{
	if (!names)
		inet_ntop(AF_INET6, a, buf, (socklen_t)len);
	else if (addr_is_any(6, a))
		snprintf(buf, len, "[::]");
	else
		host_text(names, 6, a, buf, len);
}

static void route6_row(FILE *f, const struct route_rec *r, const struct more_options *o)
{
	char dst[320], addr[256], gw[256], flags[16], dev[64];
	/* the reference count is the kernel's and not in netlink: a route the
	 * kernel made for an address is held by it too */
	int ref = r->protocol == RTPROT_KERNEL ? 2 : 1;

	addr6_text(r->dst, o->names, addr, sizeof(addr));
	snprintf(dst, sizeof(dst), "%s/%u", addr, r->dst_len);
	addr6_text(r->gw, o->names, gw, sizeof(gw));
	route6_flags(r, flags);
	iface_name(route6_reject(r) ? 0 : r->oif, dev, "lo");
	fprintf(f, "%-30s %-26s %-4s %-3d %-1d %6d %s\n", dst, gw, flags, (int)r->priority, ref, 0, dev);
}

/* The kernel's null entry sits at the root of a table without a default
 * route: /proc/net/ipv6_route shows it, a netlink dump skips it. */
static void route6_null(FILE *f, const struct more_options *o)
{
	fprintf(f, "%-30s %-26s %-4s %-3d %-1d %6d %s\n", o->names ? "[::]/0" : "::/0",
		o->names ? "[::]" : "::", "!n", -1, 1, 0, "lo");
}

void out_routes6(FILE *f, const struct route_table *t, const struct more_options *o)
{
	bool has_default = false;

	fprintf(f, "Kernel IPv6 routing %s\nDestination                    Next Hop                   "
		   "Flag Met Ref  Use If\n", o->route_cache ? "cache" : "table");
	if (o->route_cache)
		return;	/* cloned routes live in exceptions now, which netstat never lists */
	for (size_t i = 0; i < t->n; i++) {
		const struct route_rec *r = &t->v[i];

		if (r->family != 6)
			continue;
		has_default |= r->dst_len == 0;
		route6_row(f, r, o);
		if (i + 1 == t->n || t->v[i + 1].table != r->table) {
			if (!has_default)
				route6_null(f, o);
			has_default = false;
		}
	}
}

static const char *listen_title(enum listen_mode m)
{
	return m == LISTEN_ALL ? "(servers and established)" : m == LISTEN_ONLY ? "(only servers)" : "(w/o servers)";
}

static const char *unix_type(uint8_t type)
{
	static const char *const names[] = { "UNKNOWN", "STREAM", "DGRAM", "RAW", "RDM", "SEQPACKET" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : "UNKNOWN";
}

/* /proc/net/unix's state column, from sk_state and whether a socket (an
 * inode) is attached. */
static const char *unix_state(const struct unix_rec *r)
{
	if (!r->inode)
		return r->state == 1 ? "CONNECTING" : "DISCONNECTING";
	if (r->state == 1)
		return "CONNECTED";
	return r->state == 10 ? "LISTENING" : "";
}

/* "@name" for an abstract name (each NUL an '@'), the path without its
 * terminating NUL otherwise; escaped. */
static void unix_path(const struct unix_rec *r, char *buf, size_t len)
{
	char raw[UNIX_NAME_MAX + 1];
	size_t n = r->name_len;

	if (!n) {
		buf[0] = '\0';
		return;
	}
	memcpy(raw, r->name, n);
	if (raw[0])
		n--;
	else
		raw[0] = '@';
	for (size_t i = 0; i < n; i++)
		if (!raw[i])
			raw[i] = '@';
	escape_text(buf, len, raw, n);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* How many of the sorted peers[] are inode. */
static unsigned peers_of(const uint32_t *peers, size_t n, uint32_t inode)
{
	size_t lo = 0, hi = n, first;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (peers[mid] < inode)
			lo = mid + 1;
		else
			hi = mid;
	}
	first = lo;
	while (lo < n && peers[lo] == inode)
		lo++;
	return (unsigned)(lo - first);
}

/* The kernel's reference count, which unix_diag does not report: the socket
 * itself, its file, and one per peer pointing at it. peers: every socket's
 * peer, sorted (NULL when out of memory: the peers are not counted). */
static unsigned unix_refcnt(const struct unix_rec *r, const uint32_t *peers, size_t n)
{
	return 1 + (r->inode != 0) + (r->inode && peers ? peers_of(peers, n, r->inode) : 0);
}

void out_unix(FILE *f, const struct unix_table *t, const struct snapshot *owners,
	      const struct more_options *o)
{
	uint32_t *peers = malloc((t->n ? t->n : 1) * sizeof(*peers));

	for (size_t i = 0; peers && i < t->n; i++)
		peers[i] = t->v[i].peer;
	if (peers)
		qsort(peers, t->n, sizeof(*peers), cmp_u32);
	fprintf(f, "Active UNIX domain sockets %s\nProto RefCnt Flags       Type       State         I-Node  %s Path\n",
		listen_title(o->listen), o->show_procs ? " PID/Program name    " : "");
	for (size_t i = 0; i < t->n; i++) {
		const struct unix_rec *r = &t->v[i];
		bool listening = r->state == 10;
		char path[4 * UNIX_NAME_MAX + 8], owner[128] = "-";

		if (o->listen != LISTEN_ALL && listening != (o->listen == LISTEN_ONLY))
			continue;
		unix_path(r, path, sizeof(path));
		fprintf(f, "%-5s %-6u %-11s %-10s %-13s %-8u", "unix", unix_refcnt(r, peers, t->n),
			listening ? "[ ACC ]" : "[ ]", unix_type(r->type), unix_state(r), r->inode);
		if (o->show_procs) {
			if (owners && i < owners->nsocks)
				field_get(FIELD_PROCESS)->format(owners, &owners->socks[i], owner, sizeof(owner));
			fprintf(f, " %-20s", owner);
		}
		fprintf(f, " %s\n", path);
	}
	free(peers);
}

void out_groups(FILE *f, const struct mcast_table *t, const struct more_options *o)
{
	fputs("IPv6/IPv4 Group Memberships\nInterface       RefCnt Group\n"
	      "--------------- ------ ---------------------\n", f);
	for (size_t i = 0; i < t->n; i++) {
		const struct mcast_rec *r = &t->v[i];
		char dev[64], addr[256];

		escape_text(dev, sizeof(dev), r->dev, strnlen(r->dev, sizeof(r->dev)));
		host_text(o->names, r->family, r->addr, addr, sizeof(addr));
		fprintf(f, "%-15s %-6u %s\n", dev, r->users, addr);
	}
}

/* net-tools' get_sname: "*" for 0, a service name unless -n. */
static void port_text(uint16_t port, uint8_t proto, bool numeric, char *buf, size_t len)
{
	const char *name = NULL;

	if (!port) {
		snprintf(buf, len, "*");
		return;
	}
	if (!numeric && (proto == IPPROTO_TCP || proto == IPPROTO_UDP))
		name = resolver_service(port, proto == IPPROTO_UDP);
	if (name)
		escape_text(buf, len, name, strlen(name));
	else
		snprintf(buf, len, "%u", port);
}

static void masq_row(FILE *f, const struct ct_flow *c, const struct more_options *o)
{
	const char *proto = conntrack_proto_name(c->orig.proto);
	unsigned long hundredths = (unsigned long)c->timeout * 100;
	/* the port the flow left with: the reply's destination after SNAT */
	uint16_t mport = (c->status & IPS_SRC_NAT) ? c->reply.dport : c->reply.sport;
	char src[256], dst[256], sport[64], dport[64], mp[64], num[8];

	if (!proto)
		snprintf(num, sizeof(num), "%u", c->orig.proto), proto = num;
	host_text(o->names, c->family, c->orig.src, src, sizeof(src));
	host_text(o->names, c->family, c->orig.dst, dst, sizeof(dst));
	port_text(c->orig.sport, c->orig.proto, !o->names, sport, sizeof(sport));
	port_text(c->orig.dport, c->orig.proto, !o->names, dport, sizeof(dport));
	port_text(mport, c->orig.proto, !o->names, mp, sizeof(mp));
	fprintf(f, "%-4s%3lu:%02lu.%02lu %-20s %-20s %s -> %s (%s)\n", proto, hundredths / 6000,
		hundredths / 100 % 60, hundredths % 100, src, dst, sport, dport, mp);
}

void out_masq(FILE *f, const struct ct_table *t, const struct more_options *o)
{
	bool first = true;

	for (size_t i = 0; i < t->n; i++) {
		if (!(t->v[i].status & IPS_NAT_MASK))
			continue;
		if (first)	/* as netstat: no entries, no header */
			fputs("IP masquerading entries\nprot   expire source               destination          ports\n", f);
		first = false;
		masq_row(f, &t->v[i], o);
	}
}
