/* test_netstat_more.c: replays the recorded route, unix and conntrack dumps
 * (tests/tools/record-more-fixtures.sh; what netstat and conntrack printed at
 * the same moment is in tests/fixtures/netlink/more_recorded.txt), checks the
 * parsed records and the printed netstat lines, then feeds every prefix and
 * every single-byte corruption of each message. Buffers are exact-size
 * copies, so under `make SAN=1` a read past one fails the test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "fixture.h"
#include "print/netstat_more.h"
#include "sample/conntrack.h"
#include "sample/ifconf.h"
#include "sample/mcast.h"
#include "sample/nldump.h"
#include "sample/route.h"
#include "sample/unix.h"

typedef int (*walk_fn)(const void *buf, size_t len, uint32_t seq, void *t);

static int walk_route(const void *buf, size_t len, uint32_t seq, void *t)
{
	return route_walk_buf(buf, len, seq, t);
}

static int walk_unix(const void *buf, size_t len, uint32_t seq, void *t)
{
	return unix_walk_buf(buf, len, seq, t);
}

static int walk_ct(const void *buf, size_t len, uint32_t seq, void *t)
{
	return conntrack_walk_buf(buf, len, seq, t);
}

/* Walks every frame of a fixture into t; the last one ends the dump. */
static void replay(const char *rel, walk_fn walk, void *t)
{
	struct frames fr;

	frames_load(&fr, rel);
	assert_true(fr.n >= 1);
	for (size_t i = 0; i < fr.n; i++) {
		void *copy = copy_exact(fr.f[i].p, fr.f[i].len);

		assert_int_equal(walk(copy, fr.f[i].len, FIXTURE_SEQ, t), i + 1 == fr.n ? 1 : 0);
		free(copy);
	}
	frames_free(&fr);
}

/* The printer's output, in a malloc'd string. */
#define PRINT(buf, call)                                             \
	do {                                                         \
		size_t len_;                                         \
		FILE *f_ = open_memstream(&(buf), &len_);            \
		assert_non_null(f_);                                 \
		call;                                                \
		assert_int_equal(fclose(f_), 0);                     \
	} while (0)

static const struct route_rec *find_route(const struct route_table *t, int family, const char *dst,
					  int len)
{
	uint8_t a[16] = { 0 };

	assert_int_equal(inet_pton(family == 4 ? AF_INET : AF_INET6, dst, a), 1);
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].family == family && t->v[i].dst_len == len && !memcmp(t->v[i].dst, a, family == 4 ? 4 : 16))
			return &t->v[i];
	fail_msg("no route %s/%d", dst, len);
	return NULL;
}

static void test_route4(void **state)
{
	struct route_table t = { 0 };
	struct more_options o = { .route_ext = 2 };
	const struct route_rec *r;
	char *out = NULL;

	(void)state;
	replay("netlink/route4.bin", walk_route, &t);
	assert_int_equal(t.malformed, 0);
	r = find_route(&t, 4, "10.23.0.0", 16);
	assert_true(r->has_gw);
	assert_int_equal(r->advmss, 1400);
	assert_int_equal(r->window, 65535);
	assert_int_equal(r->table, RT_TABLE_MAIN);
	r = find_route(&t, 4, "10.25.0.0", 16);
	assert_int_equal(r->type, RTN_UNREACHABLE);
	PRINT(out, out_routes4(f_, &t, &o));
	/* netstat -rn at the recording (more_recorded.txt); rows with an
	 * interface are checked up to it, as ifindexes differ here */
	assert_non_null(strstr(out, "Kernel IP routing table\nDestination     Gateway         Genmask         "
				    "Flags   MSS Window  irtt Iface\n10.22.0.0       0.0.0.0         255.255.255.0   U         0 0          0 "));
	assert_non_null(strstr(out, "\n10.23.0.0       10.22.0.2       255.255.0.0     UG     1440 65535      0 "));
	assert_non_null(strstr(out, "\n10.24.0.1       10.22.0.2       255.255.255.255 UGH       0 0          0 "));
	assert_non_null(strstr(out, "\n10.25.0.0       -               255.255.0.0     !         - -          - -\n"));
	assert_null(strstr(out, "127.0.0.0"));	/* the local table is not netstat's */
	free(out);
	o.route_ext = 3;
	PRINT(out, out_routes4(f_, &t, &o));
	assert_non_null(strstr(out, "\n10.25.0.0       -               255.255.0.0     !     0      -        0 -        -     -      -\n"));
	free(out);
	route_table_free(&t);
}

static void test_route6(void **state)
{
	struct route_table t = { 0 };
	struct more_options o = { .route_ext = 2 };
	char *out = NULL, *p;
	int nulls = 0;

	(void)state;
	replay("netlink/route6.bin", walk_route, &t);
	assert_int_equal(t.malformed, 0);
	assert_true(find_route(&t, 6, "fd23::", 48)->has_gw);
	PRINT(out, out_routes6(f_, &t, &o));
	assert_non_null(strstr(out, "\nfd23::/48                      fd22::2                    UG   1024 1      0 "));
	assert_non_null(strstr(out, "\nfd24::/48                      ::                         !n   1024 1      0 lo\n"));
	assert_non_null(strstr(out, "\n::1/128                        ::                         Un   0   2      0 lo\n"));
	/* the null entries of the main and local tables, as /proc/net/ipv6_route has them */
	for (p = out; (p = strstr(p, "\n::/0                           ::                         !n   -1  1      0 lo\n")); p++)
		nulls++;
	assert_int_equal(nulls, 2);
	free(out);
	route_table_free(&t);
}

/* A multipath route of two hops: IPv6 lists each, IPv4 its first. */
static size_t multipath_routes(int family, struct route_table *t)
{
	_Alignas(4) unsigned char b[256] = { 0 };
	size_t alen = family == 4 ? 4 : 16, len = NLMSG_HDRLEN + sizeof(struct rtmsg), mp;
	struct nlmsghdr *h = (struct nlmsghdr *)b;
	struct rtmsg *rtm = (struct rtmsg *)(b + NLMSG_HDRLEN);
	struct nlattr *a = (struct nlattr *)(b + len);

	rtm->rtm_family = family == 4 ? AF_INET : AF_INET6;
	rtm->rtm_dst_len = 16;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_type = RTN_UNICAST;
	a->nla_type = RTA_MULTIPATH;
	mp = len + NLA_HDRLEN;
	for (int hop = 0; hop < 2; hop++) {
		struct rtnexthop *nh = (struct rtnexthop *)(b + mp);
		struct nlattr *gw = (struct nlattr *)(b + mp + RTNH_ALIGN(sizeof(*nh)));

		nh->rtnh_len = (unsigned short)(RTNH_ALIGN(sizeof(*nh)) + NLA_HDRLEN + alen);
		nh->rtnh_ifindex = 7 + hop;
		gw->nla_type = RTA_GATEWAY;
		gw->nla_len = (uint16_t)(NLA_HDRLEN + alen);
		memset((unsigned char *)gw + NLA_HDRLEN, 2 + hop, alen);
		mp += RTNH_ALIGN(nh->rtnh_len);
	}
	a->nla_len = (uint16_t)(mp - len);
	h->nlmsg_len = (uint32_t)mp;
	h->nlmsg_type = RTM_NEWROUTE;
	{
		void *copy = copy_exact(b, mp);

		assert_int_equal(route_walk_buf(copy, mp, 0, t), 0);
		free(copy);
	}
	return t->n;
}

static void test_multipath(void **state)
{
	struct route_table t4 = { 0 }, t6 = { 0 };

	(void)state;
	assert_int_equal(multipath_routes(4, &t4), 1);
	assert_int_equal(t4.v[0].oif, 7);
	assert_int_equal(t4.v[0].gw[0], 2);
	assert_int_equal(multipath_routes(6, &t6), 2);
	assert_int_equal(t6.v[1].oif, 8);
	assert_int_equal(t6.v[1].gw[15], 3);
	assert_true(t6.v[0].has_gw && t6.v[1].has_gw);
	route_table_free(&t4);
	route_table_free(&t6);
}

static int cmp_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_unix(void **state)
{
	struct unix_table t = { 0 };
	struct more_options o = { .listen = LISTEN_ALL };
	/* netstat -xa at the recording, sorted, up to the path */
	static const char *const want[] = {
		"unix  2      [ ACC ]     STREAM     LISTENING     1723492 ",
		"unix  2      [ ]         DGRAM      CONNECTED     1723495 ",
		"unix  3      [ ]         DGRAM      CONNECTED     1723494  @rec@abstract",
		"unix  3      [ ]         STREAM     CONNECTED     1723493 ",
		"unix  3      [ ]         STREAM     CONNECTED     1723497 ",
		"unix  3      [ ]         STREAM     CONNECTED     1723498 ",
		"unix  3      [ ]         STREAM     CONNECTED     1723499 ",
	};
	char *out = NULL, *lines[16], *save = NULL, *line;
	size_t n = 0;

	(void)state;
	replay("netlink/unix.bin", walk_unix, &t);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(t.n, 7);
	PRINT(out, out_unix(f_, &t, NULL, &o));
	line = strtok_r(out, "\n", &save);
	assert_string_equal(line, "Active UNIX domain sockets (servers and established)");
	line = strtok_r(NULL, "\n", &save);
	assert_string_equal(line, "Proto RefCnt Flags       Type       State         I-Node   Path");
	while ((line = strtok_r(NULL, "\n", &save)) && n < 16)
		lines[n++] = line;
	assert_int_equal(n, 7);
	qsort(lines, n, sizeof(lines[0]), cmp_lines);
	for (size_t i = 0; i < n; i++)
		assert_memory_equal(lines[i], want[i], strlen(want[i]));
	free(out);
	o.listen = LISTEN_ONLY;
	PRINT(out, out_unix(f_, &t, NULL, &o));
	assert_non_null(strstr(out, "(only servers)"));
	assert_non_null(strstr(out, "LISTENING"));
	assert_null(strstr(out, "CONNECTED"));
	free(out);
	unix_table_free(&t);
}

static void test_conntrack(void **state)
{
	struct ct_table t = { 0 };
	struct more_options o = { 0 };
	const struct ct_flow *c;
	char *out = NULL, want[256];

	(void)state;
	replay("netlink/conntrack.bin", walk_ct, &t);
	assert_int_equal(t.malformed, 0);
	assert_int_equal(t.n, 1);
	c = &t.v[0];
	/* conntrack -L: udp 17 29 src=10.22.0.5 dst=10.22.0.2 sport=40000 dport=53
	 * [UNREPLIED] src=10.22.0.2 dst=10.22.0.1 sport=53 dport=40000 */
	assert_int_equal(c->family, 4);
	assert_int_equal(c->orig.proto, IPPROTO_UDP);
	assert_int_equal(c->orig.sport, 40000);
	assert_int_equal(c->orig.dport, 53);
	assert_int_equal(c->reply.dport, 40000);
	assert_memory_equal(c->reply.dst, "\x0a\x16\x00\x01", 4);
	assert_true(c->status & IPS_SRC_NAT);
	assert_false(c->has_tcp_state);
	PRINT(out, out_masq(f_, &t, &o));
	snprintf(want, sizeof(want), "IP masquerading entries\nprot   expire source               destination          ports\n"
		 "udp %3u:%02u.00 10.22.0.5            10.22.0.2            40000 -> 53 (40000)\n",
		 c->timeout / 60, c->timeout % 60);
	assert_string_equal(out, want);
	free(out);
	PRINT(out, out_conntrack_json(f_, &t, NULL));
	assert_non_null(strstr(out, "\"original\":{\"src\":\"10.22.0.5\",\"dst\":\"10.22.0.2\",\"sport\":40000,\"dport\":53}"));
	assert_non_null(strstr(out, "\"snat\":true"));
	assert_non_null(strstr(out, "\"alert\":null"));
	free(out);
	conntrack_table_free(&t);
}

/* A hand-built conntrack message: nested attributes opened and closed. */
struct ctmsg {
	_Alignas(4) unsigned char b[512];
	size_t len, open[4];
	int depth;
};

static void ct_put(struct ctmsg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(m->b + m->len, &a, sizeof(a));
	if (len)
		memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void ct_nest(struct ctmsg *m, uint16_t type)
{
	m->open[m->depth++] = m->len;
	ct_put(m, type | NLA_F_NESTED, NULL, 0);
}

static void ct_end(struct ctmsg *m)
{
	size_t at = m->open[--m->depth];
	uint16_t len = (uint16_t)(m->len - at);

	memcpy(m->b + at, &len, 2);
}

static void ct_tuple(struct ctmsg *m, uint16_t type, bool icmp_id_empty)
{
	static const uint8_t a[4] = { 10, 0, 0, 1 }, b[4] = { 10, 0, 0, 2 }, proto = IPPROTO_ICMP;
	uint16_t id = htons(77);

	ct_nest(m, type);
	ct_nest(m, CTA_TUPLE_IP);
	ct_put(m, CTA_IP_V4_SRC, a, 4);
	ct_put(m, CTA_IP_V4_DST, b, 4);
	ct_end(m);
	ct_nest(m, CTA_TUPLE_PROTO);
	ct_put(m, CTA_PROTO_NUM, &proto, 1);
	ct_put(m, CTA_PROTO_ICMPV6_ID, &id, 2);
	ct_put(m, CTA_PROTO_ICMP_ID, &id, icmp_id_empty ? 0 : 2);
	ct_end(m);
	ct_end(m);
}

/* An ICMP id attribute without its two bytes, last in the message, beside
 * a good ICMPv6 one: the parser takes the good one and reads nothing past
 * the message (an exact-size copy: SAN=1 would see it). */
static void test_conntrack_icmp_id_lengths(void **state)
{
	struct ctmsg m = { .len = NLMSG_HDRLEN + sizeof(struct nfgenmsg) };
	struct nlmsghdr h = { .nlmsg_type = NFNL_SUBSYS_CTNETLINK << 8 | IPCTNL_MSG_CT_NEW };
	struct ct_table t = { 0 };
	void *copy;

	(void)state;
	ct_tuple(&m, CTA_TUPLE_REPLY, false);
	ct_tuple(&m, CTA_TUPLE_ORIG, true);
	h.nlmsg_len = (uint32_t)m.len;
	memcpy(m.b, &h, sizeof(h));
	copy = copy_exact(m.b, m.len);
	assert_int_equal(conntrack_walk_buf(copy, m.len, 0, &t), 0);
	assert_int_equal(t.n, 1);
	assert_int_equal(t.v[0].orig.sport, 77);
	assert_int_equal(t.v[0].orig.proto, IPPROTO_ICMP);
	free(copy);
	conntrack_table_free(&t);
}

/* One rtnetlink message of type with a fixed header and attributes. */
static size_t rt_msg(unsigned char *b, uint16_t type, const void *fixed, size_t flen)
{
	struct nlmsghdr h = { .nlmsg_type = type };

	memset(b, 0, 512);
	memcpy(b, &h, sizeof(h));
	memcpy(b + NLMSG_HDRLEN, fixed, flen);
	return NLMSG_HDRLEN + NLMSG_ALIGN(flen);
}

static size_t rt_attr(unsigned char *b, size_t len, uint16_t type, const void *data, size_t dlen)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + dlen), .nla_type = type };
	uint32_t total;

	memcpy(b + len, &a, sizeof(a));
	memcpy(b + len + NLA_HDRLEN, data, dlen);
	len += NLA_ALIGN(NLA_HDRLEN + dlen);
	total = (uint32_t)len;
	memcpy(b, &total, 4);
	return len;
}

/* -ie's inet line is the address labelled with the interface's name
 * exactly: a label "nm" (without its NUL) is not "nm-a"'s. */
static void test_ifconf_label(void **state)
{
	_Alignas(4) unsigned char link[512], addr[512];
	struct ifinfomsg ifi = { .ifi_index = 5, .ifi_flags = 1 };
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 5 };
	static const uint8_t ip[4] = { 10, 0, 0, 9 };
	struct ifconf_table t = { 0 };
	size_t ll, al;
	void *copy;

	(void)state;
	ll = rt_attr(link, rt_msg(link, RTM_NEWLINK, &ifi, sizeof(ifi)), IFLA_IFNAME, "nm-a", 5);
	al = rt_msg(addr, RTM_NEWADDR, &ifa, sizeof(ifa));
	al = rt_attr(addr, al, IFA_LOCAL, ip, 4);
	al = rt_attr(addr, al, IFA_LABEL, "nm", 2);
	copy = copy_exact(link, ll);
	assert_int_equal(ifconf_walk_buf(copy, ll, 0, &t), 0);
	free(copy);
	copy = copy_exact(addr, al);
	assert_int_equal(ifconf_walk_buf(copy, al, 0, &t), 0);
	free(copy);
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].name, "nm-a");
	assert_false(t.v[0].has_ip);
	al = rt_msg(addr, RTM_NEWADDR, &ifa, sizeof(ifa));
	al = rt_attr(addr, al, IFA_LOCAL, ip, 4);
	al = rt_attr(addr, al, IFA_LABEL, "nm-a", 4);	/* without its NUL, but whole */
	copy = copy_exact(addr, al);
	assert_int_equal(ifconf_walk_buf(copy, al, 0, &t), 0);
	free(copy);
	assert_true(t.v[0].has_ip);
	assert_int_equal(t.v[0].plen, 24);
	ifconf_table_free(&t);
}

/* The alert: 90% full or more, or drops since the previous sample (the
 * delta the snapshot derives); absent conntrack says why. */
static void test_conntrack_alert(void **state)
{
	struct ct_table t = { .count = 90, .max = 100 }, prev = { .count = 10, .max = 100 };
	char *out = NULL;

	(void)state;
	PRINT(out, out_conntrack_json(f_, &t, NULL));
	assert_non_null(strstr(out, "\"count\":90,\"max\":100,\"alert\":\"full\""));
	free(out);
	t.count = 89;
	t.stats.early_drop = 3;
	prev.stats.early_drop = 3;
	conntrack_table_derive(&t, &prev);
	PRINT(out, out_conntrack_json(f_, &t, NULL));
	assert_non_null(strstr(out, "\"alert\":null"));
	assert_non_null(strstr(out, "\"early_drop\":3"));
	assert_non_null(strstr(out, "\"stats_delta\":{"));
	free(out);
	t.stats.drop = 1;
	conntrack_table_derive(&t, &prev);
	assert_int_equal(t.delta.drop, 1);
	PRINT(out, out_conntrack_json(f_, &t, NULL));
	assert_non_null(strstr(out, "\"alert\":\"drops\""));
	free(out);
	/* counters that went backwards (a new namespace's) are no drops */
	prev.stats.drop = 5;
	conntrack_table_derive(&t, &prev);
	assert_false(t.has_delta);
	assert_int_equal(conntrack_alert(&t), 0);
	PRINT(out, out_conntrack_json(f_, NULL, "conntrack is not loaded in this namespace"));
	assert_string_equal(out, ",\"conntrack\":{\"absent\":\"conntrack is not loaded in this namespace\"}");
	free(out);
}

/* Every prefix and every single-byte change of each recorded frame: never a
 * read past the copy (SAN=1), never a crash, a result in range. */
static void mutate_fixture(const char *rel, walk_fn walk, void *(*make)(void), void (*drop)(void *))
{
	struct frames fr;

	frames_load(&fr, rel);
	for (size_t k = 0; k < fr.n; k++) {
		size_t len = fr.f[k].len;

		for (size_t cut = 0; cut <= len; cut++) {
			void *t = make(), *copy = copy_exact(fr.f[k].p, cut);
			int ret = walk(copy, cut, 0, t);

			assert_true(ret >= -4095 && ret <= 1);
			free(copy);
			drop(t);
		}
		for (size_t i = 0; i < len; i++) {
			unsigned char *copy = copy_exact(fr.f[k].p, len);
			void *t = make();
			int ret;

			copy[i] ^= 0xff;
			ret = walk(copy, len, 0, t);
			assert_true(ret >= -4095 && ret <= 1);
			free(copy);
			drop(t);
		}
	}
	frames_free(&fr);
}

static void *make_route(void) { return calloc(1, sizeof(struct route_table)); }
static void drop_route(void *t) { route_table_free(t); free(t); }
static void *make_unix(void) { return calloc(1, sizeof(struct unix_table)); }
static void drop_unix(void *t) { unix_table_free(t); free(t); }
static void *make_ct(void) { return calloc(1, sizeof(struct ct_table)); }
static void drop_ct(void *t) { conntrack_table_free(t); free(t); }

static void test_mutations(void **state)
{
	(void)state;
	mutate_fixture("netlink/route4.bin", walk_route, make_route, drop_route);
	mutate_fixture("netlink/route6.bin", walk_route, make_route, drop_route);
	mutate_fixture("netlink/unix.bin", walk_unix, make_unix, drop_unix);
	mutate_fixture("netlink/conntrack.bin", walk_ct, make_ct, drop_ct);
}

/* A dump the kernel could not start (raw_diag missing) ends in NLMSG_DONE
 * carrying -ENOENT: the walker reports it rather than an empty table. */
static void test_done_error(void **state)
{
	struct {
		struct nlmsghdr h;
		int32_t err;
	} done = { { sizeof(done), NLMSG_DONE, NLM_F_MULTI, 7, 0 }, -ENOENT };
	struct unix_table t = { 0 };

	(void)state;
	assert_int_equal(unix_walk_buf(&done, sizeof(done), 7, &t), -ENOENT);
	done.err = 0;
	assert_int_equal(unix_walk_buf(&done, sizeof(done), 7, &t), 1);
	unix_table_free(&t);
}

/* A reply flagged NLM_F_DUMP_INTR marks the walk interrupted, so the dump
 * is taken again. */
static int count_msg(const struct nlmsghdr *nlh, void *ctx)
{
	(void)nlh;
	(*(int *)ctx)++;
	return 0;
}

static void test_dump_interrupted(void **state)
{
	struct nlmsghdr msgs[2] = {
		{ sizeof(struct nlmsghdr), RTM_NEWROUTE, NLM_F_MULTI, 9, 0 },
		{ sizeof(struct nlmsghdr), RTM_NEWROUTE, NLM_F_MULTI | NLM_F_DUMP_INTR, 9, 0 },
	};
	int n = 0;
	struct nldump_walker w = { .seq = 9, .fn = count_msg, .ctx = &n };

	(void)state;
	assert_int_equal(nldump_walk(&w, msgs, sizeof(msgs[0])), 0);
	assert_false(w.interrupted);
	assert_int_equal(nldump_walk(&w, msgs, sizeof(msgs)), 0);
	assert_true(w.interrupted);
	assert_int_equal(n, 3);
	msgs[1].nlmsg_seq = 8;	/* a stale reply: skipped, flag and all */
	w.interrupted = false;
	assert_int_equal(nldump_walk(&w, msgs, sizeof(msgs)), 0);
	assert_false(w.interrupted);
}

static void test_mcast(void **state)
{
	static const char igmp[] =
		"Idx\tDevice    : Count Querier\tGroup    Users Timer\tReporter\n"
		"1\tlo        :     1      V3\n"
		"\t\t\t\t010000E0     1 0:00000000\t\t0\n"
		"2\tnm-a      :     2      V3\n"
		"\t\t\t\t030201EF     1 0:00000000\t\t0\n"
		"\t\t\t\tnonsense\n";
	static const char igmp6[] = "2    nm-a            ff150000000000000000000000001234     1 00000004 0\n"
				    "2    nm-a            ff15zz\n";
	struct mcast_table t = { 0 };
	struct more_options o = { 0 };
	char *out = NULL;

	(void)state;
	assert_int_equal(mcast_parse(igmp, strlen(igmp), 4, &t), 0);
	assert_int_equal(mcast_parse(igmp6, strlen(igmp6), 6, &t), 0);
	assert_int_equal(t.n, 3);
	assert_int_equal(t.malformed, 2);
	PRINT(out, out_groups(f_, &t, &o));
	assert_string_equal(out, "IPv6/IPv4 Group Memberships\nInterface       RefCnt Group\n"
				 "--------------- ------ ---------------------\n"
				 "lo              1      224.0.0.1\n"
				 "nm-a            1      239.1.2.3\n"
				 "nm-a            1      ff15::1234\n");
	free(out);
	mcast_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_route4),
		cmocka_unit_test(test_route6),
		cmocka_unit_test(test_multipath),
		cmocka_unit_test(test_unix),
		cmocka_unit_test(test_conntrack),
		cmocka_unit_test(test_conntrack_alert),
		cmocka_unit_test(test_conntrack_icmp_id_lengths),
		cmocka_unit_test(test_ifconf_label),
		cmocka_unit_test(test_mutations),
		cmocka_unit_test(test_done_error),
		cmocka_unit_test(test_dump_interrupted),
		cmocka_unit_test(test_mcast),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
