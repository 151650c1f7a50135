/* test_procnet.c: the /proc/net parsers on text recorded in the same
 * namespace as the netlink fixtures (tests/fixtures/procnet/), then on
 * malformed and truncated text. Inputs are exact-size copies without a NUL,
 * as the parsers take (text, len). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>

#include "fixture.h"
#include "sample/procnet.h"
#include "sample/sockdiag.h"
#include "snapshot.h"
#include "tcpstate.h"

#define HAS(t, c) (((t)->present >> (c)) & 1)

static int counters(const char *text, struct tcp_counters *t)
{
	size_t len = strlen(text);
	char *buf = copy_exact(text, len);
	int ret;

	memset(t, 0, sizeof(*t));
	ret = procnet_parse_counters(buf, len, t);
	free(buf);
	return ret;
}

static int sockstat(const char *text, struct tcp_counters *t)
{
	size_t len = strlen(text);
	char *buf = copy_exact(text, len);
	int ret;

	memset(t, 0, sizeof(*t));
	ret = procnet_parse_sockstat(buf, len, t);
	free(buf);
	return ret;
}

/* Parses len bytes of text as family/proto sockets into a new snapshot. */
static int sockets(const char *text, size_t len, int family, enum sock_proto proto,
		   struct snapshot **snap, int *bad_line)
{
	char *buf = copy_exact(text, len);
	int ret;

	*snap = snapshot_new(0);
	*bad_line = 0;
	ret = procnet_parse_sockets(buf, len, family, proto, *snap, bad_line);
	free(buf);
	return ret;
}

static void test_snmp(void **state)
{
	size_t len;
	char *text = (char *)fixture_read("procnet/snmp", &len);
	struct tcp_counters t;

	(void)state;
	assert_int_equal(counters(text, &t), 10);	/* the Tcp: counters nettop keeps */
	assert_true(HAS(&t, TCPC_active_opens));
	assert_true(HAS(&t, TCPC_out_rsts));
	assert_false(HAS(&t, TCPC_syncookies_sent));	/* netstat's, not snmp's */
	/* the recording made six connections and accepted five (one more waits
	 * in SYN_RECV); eight sockets are ESTABLISHED or CLOSE_WAIT */
	assert_int_equal(t.v[TCPC_active_opens], 6);
	assert_int_equal(t.v[TCPC_passive_opens], 5);
	assert_int_equal(t.v[TCPC_curr_estab], 8);
	assert_int_equal(t.v[TCPC_attempt_fails], 0);
	assert_true(t.v[TCPC_in_segs] > 0);
	free(text);
}

static void test_netstat(void **state)
{
	size_t len;
	char *text = (char *)fixture_read("procnet/netstat", &len);
	struct tcp_counters t;

	(void)state;
	/* TcpExt's: syncookies x3, listen x2, req queue x2, timeouts x2 */
	assert_int_equal(counters(text, &t), 9);
	assert_true(HAS(&t, TCPC_syncookies_sent));
	assert_true(HAS(&t, TCPC_listen_overflows));
	assert_true(HAS(&t, TCPC_tcp_req_q_full_do_cookies));
	assert_int_equal(t.v[TCPC_syncookies_sent], 0);
	assert_int_equal(t.v[TCPC_listen_drops], 0);
	assert_false(HAS(&t, TCPC_active_opens));
	free(text);
}

static void test_sockstat(void **state)
{
	size_t len;
	char *text = (char *)fixture_read("procnet/sockstat", &len);
	struct tcp_counters t;

	(void)state;
	assert_int_equal(sockstat(text, &t), 4);	/* orphan, tw, alloc, mem */
	assert_int_equal(t.v[TCPC_tcp_tw], 1);		/* the one TIME_WAIT socket */
	assert_int_equal(t.v[TCPC_tcp_orphans], 0);
	assert_true(HAS(&t, TCPC_tcp_alloc));
	assert_true(HAS(&t, TCPC_tcp_mem_pages));
	free(text);
	/* sockstat6 has no "TCP:" line */
	text = (char *)fixture_read("procnet/sockstat6", &len);
	assert_int_equal(sockstat(text, &t), 0);
	free(text);
}

static void test_counter_values(void **state)
{
	struct tcp_counters t;

	(void)state;
	/* the largest value, a value for a counter nettop ignores (MaxConn -1),
	 * and the section must match exactly */
	assert_int_equal(counters("Tcp: MaxConn ActiveOpens RetransSegs\n"
				  "Tcp: -1 18446744073709551615 7\n"
				  "TcpExtra: ListenDrops\nTcpExtra: 9\n", &t), 2);
	assert_true(t.v[TCPC_active_opens] == UINT64_MAX);
	assert_int_equal(t.v[TCPC_retrans_segs], 7);
	assert_false(HAS(&t, TCPC_listen_drops));
	/* blank lines between pairs, and no newline at the end */
	assert_int_equal(counters("\nTcp: ActiveOpens\nTcp: 3\n\n\nTcpExt: ListenDrops\nTcpExt: 4", &t), 2);
	assert_int_equal(t.v[TCPC_listen_drops], 4);
	assert_int_equal(counters("", &t), 0);
	assert_int_equal(sockstat("TCP: inuse 3 orphan 1 tw 2 alloc 5 mem 1\nTCP6: tw 99\n", &t), 4);
	assert_int_equal(t.v[TCPC_tcp_tw], 2);
}

static void test_counters_malformed(void **state)
{
	static const char *const bad[] = {
		/* header without its value line */
		"Tcp: ActiveOpens PassiveOpens\n",
		"Tcp: ActiveOpens\nTcp: 1\nTcpExt: ListenDrops\n",
		/* the value line of another section */
		"Tcp: ActiveOpens\nUdp: 1\n",
		"Tcp: ActiveOpens\nTcp 1\n",
		/* fewer values than names: a truncated line */
		"Tcp: ActiveOpens PassiveOpens AttemptFails\nTcp: 1 2\n",
		"Tcp: ActiveOpens\nTcp:\n",
		/* more values than names */
		"Tcp: ActiveOpens PassiveOpens\nTcp: 1 2 3\n",
		/* not numbers (for counters nettop keeps) */
		"Tcp: ActiveOpens\nTcp: x\n",
		"Tcp: ActiveOpens\nTcp: 12abc\n",
		"Tcp: ActiveOpens\nTcp: -5\n",
		"Tcp: ActiveOpens\nTcp: 0x10\n",
		"Tcp: ActiveOpens\nTcp: 1.5\n",
		/* past 2^64 - 1 */
		"Tcp: ActiveOpens\nTcp: 18446744073709551616\n",
		"Tcp: ActiveOpens\nTcp: 99999999999999999999\n",
		"Tcp: ActiveOpens\nTcp: 123456789012345678901234\n",
	};
	struct tcp_counters t;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int ret = counters(bad[i], &t);

		if (ret != -EINVAL)
			fail_msg("accepted (%d): %s", ret, bad[i]);
	}
	assert_int_equal(sockstat("TCP: inuse\n", &t), -EINVAL);
	assert_int_equal(sockstat("TCP: inuse 3 tw\n", &t), -EINVAL);
	assert_int_equal(sockstat("TCP: inuse 3 tw x\n", &t), -EINVAL);
	assert_int_equal(sockstat("TCP: tw 99999999999999999999\n", &t), -EINVAL);
}

/* Every prefix of the real files: never read past it; the answer is a count
 * or -EINVAL, and at a line boundary never an error. */
static void test_counters_truncated(void **state)
{
	static const char *const files[] = { "procnet/snmp", "procnet/netstat", "procnet/sockstat" };

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		char *text = (char *)fixture_read(files[f], &len);
		bool is_sockstat = f == 2;

		for (size_t cut = 0; cut <= len; cut++) {
			char *buf = copy_exact(text, cut);
			struct tcp_counters t = { 0 };
			int ret = is_sockstat ? procnet_parse_sockstat(buf, cut, &t)
					      : procnet_parse_counters(buf, cut, &t);
			int lines = 0;

			for (size_t i = 0; i < cut; i++)
				lines += text[i] == '\n';
			assert_true(ret >= 0 || ret == -EINVAL);
			/* whole pairs of lines parse */
			if (!is_sockstat && (cut == 0 || text[cut - 1] == '\n') && lines % 2 == 0)
				assert_true(ret >= 0);
			if (is_sockstat && (cut == 0 || text[cut - 1] == '\n'))
				assert_true(ret >= 0);
			free(buf);
		}
		free(text);
	}
}

static const struct sock_rec *find(const struct snapshot *s, int state, uint16_t lport,
				   uint16_t rport)
{
	for (size_t i = 0; i < s->nsocks; i++) {
		const struct sock_rec *r = &s->socks[i];

		if (r->state == state && (!lport || r->lport == lport) && (!rport || r->rport == rport))
			return r;
	}
	return NULL;
}

static void assert_v4(const uint8_t *a, const char *dotted)
{
	struct in_addr want;

	assert_int_equal(inet_pton(AF_INET, dotted, &want), 1);
	assert_memory_equal(a, &want, 4);
}

static void test_tcp(void **state)
{
	size_t len;
	char *text = (char *)fixture_read("procnet/tcp", &len);
	struct snapshot *s;
	const struct sock_rec *r;
	int bad;

	(void)state;
	assert_int_equal(sockets(text, len, 4, PROTO_TCP, &s, &bad), 10);
	assert_int_equal(bad, 0);
	r = find(s, ST_LISTEN, 8080, 0);
	assert_non_null(r);
	assert_v4(sock_laddr(r).b, "127.0.0.1");
	assert_v4(sock_raddr(r).b, "0.0.0.0");
	assert_true(r->inode != 0);
	assert_int_equal(r->proto, PROTO_TCP);
	assert_int_equal(r->family, 4);
	r = find(s, ST_ESTABLISHED, 8080, 0);
	assert_non_null(r);
	assert_int_equal(r->recv_q, 500);
	r = find(s, ST_ESTABLISHED, 0, 8080);
	assert_non_null(r);
	assert_int_equal(r->recv_q, 100);
	r = find(s, ST_TIME_WAIT, 0, 8080);
	assert_non_null(r);
	assert_v4(sock_laddr(r).b, "127.0.0.2");
	assert_int_equal(r->inode, 0);
	r = find(s, ST_SYN_RECV, 8081, 0);
	assert_non_null(r);
	assert_int_equal(r->inode, 0);
	assert_non_null(find(s, ST_CLOSE_WAIT, 8080, 0));
	assert_non_null(find(s, ST_FIN_WAIT2, 0, 8080));
	snapshot_free(s);
	free(text);
}

static void test_tcp6_udp(void **state)
{
	static const uint8_t loop6[16] = { [15] = 1 };
	size_t len;
	char *text = (char *)fixture_read("procnet/tcp6", &len);
	struct snapshot *s;
	const struct sock_rec *r;
	int bad;

	(void)state;
	assert_int_equal(sockets(text, len, 6, PROTO_TCP, &s, &bad), 5);
	r = find(s, ST_LISTEN, 8443, 0);
	assert_non_null(r);
	assert_memory_equal(sock_laddr(r).b, loop6, 16);	/* the kernel's word order undone */
	r = find(s, ST_LISTEN, 8444, 0);
	assert_non_null(r);
	assert_true(addr_is_any(6, sock_laddr(r).b));
	r = find(s, ST_ESTABLISHED, 8444, 0);
	assert_non_null(r);
	assert_true(addr_is_v4mapped(sock_laddr(r).b));
	assert_true(addr_is_v4mapped(sock_raddr(r).b));
	assert_v4(sock_raddr(r).b + 12, "127.0.0.1");
	snapshot_free(s);
	free(text);

	text = (char *)fixture_read("procnet/udp", &len);
	assert_int_equal(sockets(text, len, 4, PROTO_UDP, &s, &bad), 2);
	r = find(s, ST_CLOSE, 5353, 0);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_UDP);
	assert_true(r->recv_q > 0);
	assert_non_null(find(s, ST_ESTABLISHED, 0, 5353));
	snapshot_free(s);
	free(text);

	text = (char *)fixture_read("procnet/udp6", &len);
	assert_int_equal(sockets(text, len, 6, PROTO_UDP, &s, &bad), 1);
	assert_int_equal(s->socks[0].lport, 5354);
	assert_memory_equal(sock_laddr(&s->socks[0]).b, loop6, 16);
	snapshot_free(s);
	free(text);
}

/* /proc/net and sock_diag, read at the same moment, name the same sockets. */
static void test_agrees_with_sockdiag(void **state)
{
	static const struct { const char *proc, *dump; int family; enum sock_proto proto; } pairs[] = {
		{ "procnet/tcp", "netlink/tcp4_info.bin", 4, PROTO_TCP },
		{ "procnet/tcp6", "netlink/tcp6.bin", 6, PROTO_TCP },
		{ "procnet/udp", "netlink/udp4.bin", 4, PROTO_UDP },
		{ "procnet/udp6", "netlink/udp6.bin", 6, PROTO_UDP },
	};

	(void)state;
	for (size_t p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
		size_t len;
		char *text = (char *)fixture_read(pairs[p].proc, &len);
		struct snapshot *ps, *ds = snapshot_new(0);
		struct sockdiag_walker w = { .seq = FIXTURE_SEQ, .proto = pairs[p].proto };
		struct frames fr;
		int bad;

		assert_true(sockets(text, len, pairs[p].family, pairs[p].proto, &ps, &bad) > 0);
		frames_load(&fr, pairs[p].dump);
		for (size_t f = 0; f < fr.n; f++)
			sockdiag_walk_buf(&w, fr.f[f].p, fr.f[f].len, ds);
		assert_int_equal(ps->nsocks, ds->nsocks);
		for (size_t i = 0; i < ps->nsocks; i++) {
			const struct sock_rec *a = &ps->socks[i];
			bool found = false;

			for (size_t j = 0; j < ds->nsocks && !found; j++) {
				const struct sock_rec *b = &ds->socks[j];

				found = a->state == b->state && a->lport == b->lport &&
					a->rport == b->rport && a->inode == b->inode &&
					!memcmp(sock_laddr(a).b, sock_laddr(b).b, 16) && !memcmp(sock_raddr(a).b, sock_raddr(b).b, 16);
			}
			if (!found)
				fail_msg("%s line %zu: no such socket in %s", pairs[p].proc, i + 2,
					 pairs[p].dump);
		}
		frames_free(&fr);
		snapshot_free(ps);
		snapshot_free(ds);
		free(text);
	}
}

static const char TCP_HEADER[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n";
static const char TCP_LINE[] =
	"   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1\n";

/* A bad line: -EINVAL and its number (the header is line 1). */
static void check_bad_line(const char *line, int family, int want_line)
{
	char text[1024];
	struct snapshot *s;
	int bad, ret;

	snprintf(text, sizeof(text), "%s%s%s", TCP_HEADER, TCP_LINE, line);
	ret = sockets(text, strlen(text), family, PROTO_TCP, &s, &bad);
	if (ret != -EINVAL || bad != want_line)
		fail_msg("ret %d line %d for: %s", ret, bad, line);
	snapshot_free(s);
}

static void test_sockets_malformed(void **state)
{
	struct snapshot *s;
	int bad;

	(void)state;
	/* good: the reference line */
	assert_int_equal(sockets(TCP_LINE, strlen(TCP_LINE), 4, PROTO_TCP, &s, &bad), 0);
	snapshot_free(s);	/* (line 1 is the header) */
	{
		char text[512];

		snprintf(text, sizeof(text), "%s%s", TCP_HEADER, TCP_LINE);
		assert_int_equal(sockets(text, strlen(text), 4, PROTO_TCP, &s, &bad), 1);
		assert_int_equal(s->socks[0].inode, 4242);
		assert_int_equal(s->socks[0].lport, 8080);
		snapshot_free(s);
	}
	/* truncated lines */
	check_bad_line("   1:\n", 4, 3);
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A\n", 4, 3);
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0\n", 4, 3);
	check_bad_line("   1: 0100007F:1F", 4, 3);
	/* not hex, not decimal */
	check_bad_line("   1: 0100007G:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	check_bad_line("   1: 0100007F:1F90 00000000:0000 ZZ 00000000:00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     x        0 1 1\n", 4, 3);
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 -1 1\n", 4, 3);
	/* wrong shapes: queue pair without its colon, port too long, no colon */
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000-00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	check_bad_line("   1: 0100007F:01F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	check_bad_line("   1: 0100007F1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	/* an IPv4 line in an IPv6 file, and the other way round */
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n", 6, 2);
	check_bad_line("   1: 00000000000000000000000001000000:20FB 00000000000000000000000000000000:0000 0A "
		       "00000000:00000000 00:00000000 00000000     0        0 1 1\n", 4, 3);
	/* uid past 2^64 */
	check_bad_line("   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 99999999999999999999 0 1 1\n", 4, 3);
	/* bad_line may be NULL */
	{
		const char text[] = "h\nnot a socket line\n";

		s = snapshot_new(0);
		assert_int_equal(procnet_parse_sockets(text, sizeof(text) - 1, 4, PROTO_TCP, s, NULL), -EINVAL);
		snapshot_free(s);
	}
}

/* Every prefix of the real files: never read past it; at a line boundary
 * the lines so far parse, and a cut line is either whole enough or refused
 * with its number. */
static void test_sockets_truncated(void **state)
{
	static const struct { const char *file; int family; } files[] = {
		{ "procnet/tcp", 4 }, { "procnet/tcp6", 6 }, { "procnet/udp", 4 }, { "procnet/udp6", 6 },
	};

	(void)state;
	for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++) {
		size_t len;
		char *text = (char *)fixture_read(files[f].file, &len);

		for (size_t cut = 0; cut <= len; cut++) {
			struct snapshot *s;
			int bad, lines = 0;
			int ret = sockets(text, cut, files[f].family, PROTO_TCP, &s, &bad);

			for (size_t i = 0; i < cut; i++)
				lines += text[i] == '\n';
			if (cut == 0 || text[cut - 1] == '\n') {
				assert_int_equal(ret, lines > 1 ? lines - 1 : 0);
			} else if (ret < 0) {
				assert_int_equal(ret, -EINVAL);
				assert_int_equal(bad, lines + 1);	/* the cut line */
			}
			snapshot_free(s);
		}
		free(text);
	}
}

/* This machine's own /proc/net parses too (kernels add columns and
 * counters; the parsers must take them). Skipped where a file is missing. */
static void test_live_proc(void **state)
{
	static const struct { const char *file; int family; enum sock_proto proto; } socks[] = {
		{ "/proc/net/tcp", 4, PROTO_TCP }, { "/proc/net/tcp6", 6, PROTO_TCP },
		{ "/proc/net/udp", 4, PROTO_UDP }, { "/proc/net/udp6", 6, PROTO_UDP },
	};
	static const char *const counter_files[] = { "/proc/net/snmp", "/proc/net/netstat" };
	struct tcp_counters t = { 0 };
	size_t len;
	char *text;

	(void)state;
	for (size_t i = 0; i < sizeof(counter_files) / sizeof(counter_files[0]); i++) {
		if (!(text = procnet_read_file(counter_files[i], &len)))
			continue;
		assert_true(procnet_parse_counters(text, len, &t) > 0);
		free(text);
	}
	if ((text = procnet_read_file("/proc/net/sockstat", &len))) {
		assert_true(procnet_parse_sockstat(text, len, &t) > 0);
		free(text);
	}
	for (size_t i = 0; i < sizeof(socks) / sizeof(socks[0]); i++) {
		struct snapshot *s = snapshot_new(0);
		int bad = 0;

		if ((text = procnet_read_file(socks[i].file, &len))) {
			if (procnet_parse_sockets(text, len, socks[i].family, socks[i].proto, s, &bad) < 0)
				fail_msg("%s: line %d does not parse", socks[i].file, bad);
			free(text);
		}
		snapshot_free(s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_netstat),
		cmocka_unit_test(test_sockstat),
		cmocka_unit_test(test_counter_values),
		cmocka_unit_test(test_counters_malformed),
		cmocka_unit_test(test_counters_truncated),
		cmocka_unit_test(test_tcp),
		cmocka_unit_test(test_tcp6_udp),
		cmocka_unit_test(test_agrees_with_sockdiag),
		cmocka_unit_test(test_sockets_malformed),
		cmocka_unit_test(test_sockets_truncated),
		cmocka_unit_test(test_live_proc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
