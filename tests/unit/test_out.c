/* test_out.c: the printers. netstat's listing compared byte for byte with
 * netstat's layout; JSON checked by a strict validator and for escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <linux/if.h>

#include "build.h"
#include "print/print.h"
#include "view/closed.h"
#include "view/fields.h"

#define ALL_PROTOS (1u << PROTO_TCP | 1u << PROTO_UDP)

/* ---- a strict JSON validator (RFC 8259), enough for one line of output ---- */

struct json {
	const char *p;
	int depth;
};

static bool json_value(struct json *j);

static void json_ws(struct json *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static bool json_str(struct json *j)
{
	if (*j->p++ != '"')
		return false;
	for (;;) {
		unsigned char c = (unsigned char)*j->p++;

		if (c == '"')
			return true;
		if (c < 0x20)
			return false;	/* raw control characters (and the end) are not allowed */
		if (c != '\\')
			continue;
		c = (unsigned char)*j->p++;
		if (c == 'u') {
			for (int i = 0; i < 4; i++)
				if (!isxdigit((unsigned char)*j->p++))
					return false;
		} else if (!strchr("\"\\/bfnrt", c) || !c) {
			return false;
		}
	}
}

static bool json_num(struct json *j)
{
	if (*j->p == '-')
		j->p++;
	if (*j->p == '0')
		j->p++;
	else if (*j->p >= '1' && *j->p <= '9')
		while (isdigit((unsigned char)*j->p))
			j->p++;
	else
		return false;
	if (*j->p == '.') {
		j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	if (*j->p == 'e' || *j->p == 'E') {
		j->p++;
		if (*j->p == '+' || *j->p == '-')
			j->p++;
		if (!isdigit((unsigned char)*j->p))
			return false;
		while (isdigit((unsigned char)*j->p))
			j->p++;
	}
	return true;
}

static bool json_list(struct json *j, char close, bool object)
{
	j->p++;
	json_ws(j);
	if (*j->p == close) {
		j->p++;
		return true;
	}
	for (;;) {
		json_ws(j);
		if (object) {
			if (!json_str(j))
				return false;
			json_ws(j);
			if (*j->p++ != ':')
				return false;
		}
		if (!json_value(j))
			return false;
		json_ws(j);
		if (*j->p == close) {
			j->p++;
			return true;
		}
		if (*j->p++ != ',')
			return false;
	}
}

static bool json_value(struct json *j)
{
	bool ok;

	json_ws(j);
	if (++j->depth > 64)
		return false;
	switch (*j->p) {
	case '{': ok = json_list(j, '}', true); break;
	case '[': ok = json_list(j, ']', false); break;
	case '"': ok = json_str(j); break;
	case 't': ok = !strncmp(j->p, "true", 4) && (j->p += 4); break;
	case 'f': ok = !strncmp(j->p, "false", 5) && (j->p += 5); break;
	case 'n': ok = !strncmp(j->p, "null", 4) && (j->p += 4); break;
	default: ok = json_num(j); break;
	}
	j->depth--;
	return ok;
}

/* One JSON object, then one newline, then nothing. */
static void assert_json_line(const char *text)
{
	struct json j = { text, 0 };

	if (*text != '{' || !json_value(&j) || strcmp(j.p, "\n"))
		fail_msg("not one line of JSON, stopped at offset %td: %.60s", j.p - text, j.p);
}

static void test_validator(void **state)
{
	static const char *const bad[] = {
		"{\n", "{\"a\":}\n", "{\"a\":1,}\n", "{\"a\":nan}\n", "{\"a\":\"\x1b\"}\n",
		"{\"a\":\"\\x1b\"}\n", "{\"a\":01}\n", "{\"a\":1.}\n", "{a:1}\n", "{\"a\":1}",
		"{\"a\":1}\n\n", "{\"a\":[1 2]}\n", "{\"a\":\"x}\n",
	};

	(void)state;
	assert_json_line("{}\n");
	assert_json_line("{\"a\":[1,-2.5,3e4,true,false,null,\"\\\\x1b \\u00e9\"],\"b\":{}}\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct json j = { bad[i], 0 };

		if (json_value(&j) && !strcmp(j.p, "\n"))
			fail_msg("validator took: %s", bad[i]);
	}
}

/* ---- the snapshot every printer test prints ---- */

static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	TCP4(s, ST_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0)->send_q = 128;	/* the backlog */
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "192.0.2.7", 50001)->send_q = 36;
	TCP6(s, ST_LISTEN, "::", 80, "::", 0);
	TCP6(s, ST_ESTABLISHED, "::1", 8443, "::1", 45572)->recv_q = 12;
	TCP4(s, ST_TIME_WAIT, "10.0.0.1", 80, "198.51.100.9", 40000);
	UDP4(s, ST_CLOSE, "0.0.0.0", 68, "0.0.0.0", 0);
	UDP4(s, ST_ESTABLISHED, "127.0.0.1", 42579, "127.0.0.1", 5353);
	UDP6(s, ST_CLOSE, "::", 5353, "::", 0);
	r = TCP6(s, ST_CLOSE_WAIT, "2001:db8:1234:5678:9abc:def0:1234:5678", 443, "2001:db8::beef", 51000);
	r->send_q = UINT32_MAX;
	TCP6(s, ST_SYN_RECV, "::ffff:10.0.0.1", 8444, "::ffff:192.0.2.7", 50010);
	return s;
}

static const char NETSTAT_HEADER[] =
	"Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n";
/* netstat -an's rows for sample(), as net-tools' netstat prints them */
static const char *const NETSTAT_ROWS[] = {
	"tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN     \n",
	"tcp        0     36 10.0.0.1:22             192.0.2.7:50001         ESTABLISHED\n",
	"tcp6       0      0 :::80                   :::*                    LISTEN     \n",
	"tcp6      12      0 ::1:8443                ::1:45572               ESTABLISHED\n",
	"tcp        0      0 10.0.0.1:80             198.51.100.9:40000      TIME_WAIT  \n",
	"udp        0      0 0.0.0.0:68              0.0.0.0:*                          \n",
	"udp        0      0 127.0.0.1:42579         127.0.0.1:5353          ESTABLISHED\n",
	"udp6       0      0 :::5353                 :::*                               \n",
	"tcp6       0 4294967295 2001:db8:1234:5678:9abc:def0:1234:5678:443 2001:db8::beef:51000    CLOSE_WAIT \n",
	"tcp6       0      0 ::ffff:10.0.0.1:8444    ::ffff:192.0.2.7:50010  SYN_RECV   \n",
};

/* The expected listing: title, header, then the rows whose bit is in mask. */
static char *expected_listing(const char *title, unsigned mask)
{
	char *out;

	CAPTURE(out, {
		fprintf(f, "%s\n%s", title, NETSTAT_HEADER);
		for (size_t i = 0; i < sizeof(NETSTAT_ROWS) / sizeof(NETSTAT_ROWS[0]); i++)
			if (mask & (1u << i))
				fputs(NETSTAT_ROWS[i], f);
	});
	return out;
}

static void check_listing(struct snapshot *s, unsigned protos, enum listen_mode listen,
			  const char *title, unsigned mask)
{
	struct out_options o = { .view = { protos, listen, NULL } };
	char *got, *want = expected_listing(title, mask);

	CAPTURE(got, out_netstat(f, s, &o));
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static void test_netstat_listing(void **state)
{
	struct snapshot *s = sample();

	(void)state;
	check_listing(s, ALL_PROTOS, LISTEN_ALL, "Active Internet connections (servers and established)",
		      0x3ff);
	/* netstat's default: no servers (no remote port), UDP's unconnected included */
	check_listing(s, ALL_PROTOS, LISTEN_EXCLUDE, "Active Internet connections (w/o servers)",
		      0x35a);
	check_listing(s, ALL_PROTOS, LISTEN_ONLY, "Active Internet connections (only servers)", 0x0a5);
	check_listing(s, 1u << PROTO_TCP, LISTEN_ALL,
		      "Active Internet connections (servers and established)", 0x31f);
	check_listing(s, 1u << PROTO_UDP, LISTEN_EXCLUDE, "Active Internet connections (w/o servers)",
		      0x040);
	snapshot_free(s);
}

static void test_netstat_programs(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .show_procs = true };
	struct sock_rec *r;
	char *got;

	(void)state;
	r = TCP4(s, ST_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);
	r->owner = snapshot_add_proc(s, 812, 0, "sshd");
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "192.0.2.7", 50001);
	r->owner = snapshot_add_proc(s, 4242, 1000, "evil\x1b[2J\\");
	TCP4(s, ST_TIME_WAIT, "10.0.0.1", 22, "192.0.2.7", 50002);
	r = TCP4(s, ST_SYN_RECV, "10.0.0.1", 22, "192.0.2.8", 50003);
	r->owner = 0;
	r->flags |= SOCK_OWNER_VIA_LISTENER;	/* netstat shows '-' for these */
	CAPTURE(got, out_netstat(f, s, &o));
	assert_string_equal(got,
		"Active Internet connections (servers and established)\n"
		"Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name    \n"
		"tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      812/sshd            \n"
		"tcp        0      0 10.0.0.1:22             192.0.2.7:50001         ESTABLISHED 4242/evil\\x1b[2J\\\\  \n"
		"tcp        0      0 10.0.0.1:22             192.0.2.7:50002         TIME_WAIT   -                   \n"
		"tcp        0      0 10.0.0.1:22             192.0.2.8:50003         SYN_RECV    -                   \n");
	free(got);
	snapshot_free(s);
}

static void test_states_section(void **state)
{
	struct snapshot *s = sample();
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL } };
	char *got;

	(void)state;
	CAPTURE(got, out_states(f, s, &o));
	assert_string_equal(got,
		"TCP states (7 sockets)\n"
		"ESTABLISHED         2\n"
		"SYN_SENT            0\n"
		"SYN_RECV            1\n"
		"FIN_WAIT1           0\n"
		"FIN_WAIT2           0\n"
		"TIME_WAIT           1\n"
		"CLOSE               0\n"
		"CLOSE_WAIT          1\n"
		"LAST_ACK            0\n"
		"LISTEN              2\n"
		"CLOSING             0\n"
		"UNKNOWN             0\n");
	free(got);
	snapshot_free(s);
}

static void test_top_remote_section(void **state)
{
	struct snapshot *s = sample();
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	char *got;

	(void)state;
	CAPTURE(got, out_top_remote(f, s, &o));
	assert_string_equal(got,
		"Top remote addresses (TCP connections)\n"
		"      2 192.0.2.7                               ESTABLISHED:1 SYN_RECV:1\n"
		"      1 198.51.100.9                            TIME_WAIT:1\n"
		"      1 ::1                                     ESTABLISHED:1\n"
		"      1 2001:db8::beef                          CLOSE_WAIT:1\n");
	free(got);
	/* nothing to show: the title alone */
	o.view.protos = 1u << PROTO_UDP;
	CAPTURE(got, out_top_remote(f, s, &o));
	assert_string_equal(got, "Top remote addresses (TCP connections)\n");
	free(got);
	snapshot_free(s);
}

static void test_ifaces_section(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct iface_rec *r;
	char *got;

	(void)state;
	r = build_iface(s, 1, "lo");
	r->mtu = 65536;
	r->if_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	r->rx_packets = r->tx_packets = 29;
	r->has_rate = true;
	r->rx_bps = 1234.4;
	r->tx_bps = 0;
	r = build_iface(s, 2, "\x1b[2Jeth0");
	r->mtu = 1500;
	r->if_flags = IFF_UP | IFF_BROADCAST | IFF_MULTICAST;
	r->rx_errors = 3;
	CAPTURE(got, out_ifaces(f, s));
	assert_string_equal(got,
		"Kernel Interface table\n"
		"Iface             MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg       RX-B/s     TX-B/s\n"
		"lo              65536       29      0      0 0            29      0      0      0 LRU        1234          0\n"
		"\\x1b[2Jeth0      1500        0      3      0 0             0      0      0      0 BMU           -          -\n");
	free(got);
	snapshot_free(s);
}

static void test_counters_section(void **state)
{
	struct snapshot *s = snapshot_new(0);
	char *got;

	(void)state;
	s->tcp.present = 1ULL << TCPC_active_opens | 1ULL << TCPC_curr_estab |
			 1ULL << TCPC_listen_drops;
	s->tcp.v[TCPC_active_opens] = 6;
	s->tcp.v[TCPC_curr_estab] = 8;
	s->tcp.v[TCPC_listen_drops] = 12345678901234ULL;
	CAPTURE(got, out_counters(f, s));
	assert_string_equal(got,
		"Kernel TCP counters\n"
		"Tcp:\n"
		"    ActiveOpens                         6\n"
		"    CurrEstab                           8\n"
		"TcpExt:\n"
		"    ListenDrops            12345678901234\n");
	free(got);
	s->interval = 1.0;
	s->tcp_rate[TCPC_active_opens] = 2.5;
	CAPTURE(got, out_counters(f, s));
	assert_string_equal(got,
		"Kernel TCP counters (value, per second)\n"
		"Tcp:\n"
		"    ActiveOpens                         6          2.5/s\n"
		"    CurrEstab                           8\n"
		"TcpExt:\n"
		"    ListenDrops            12345678901234          0.0/s\n");
	free(got);
	snapshot_free(s);
}

/* ---- JSON ---- */

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("missing %s in %s", needle, hay);
}

static void test_json_keys(void **state)
{
	struct snapshot *s = sample();
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	struct iface_rec *lo;
	char *got;

	(void)state;
	s->wall = (struct timespec){ .tv_sec = 1700000000, .tv_nsec = 5000000 };
	s->socks[1].flags |= SOCK_HAS_INFO;
	s->socks[1].rtt_us = 1500;
	lo = build_iface(s, 1, "lo");
	lo->up = true;
	lo->rx_bytes = lo->tx_bytes = 2745;
	s->tcp.present = 1ULL << TCPC_syncookies_sent | 1ULL << TCPC_listen_overflows;
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, "{\"time\":1700000000.005,\"interval\":null,");
	assert_contains(got, "\"sockets\":[{\"proto\":\"tcp\",\"family\":4,\"state\":\"LISTEN\","
			     "\"local\":\"0.0.0.0:22\",\"remote\":\"0.0.0.0:0\",\"recv_q\":0,\"send_q\":128,");
	assert_contains(got, "\"local\":\"[::1]:8443\",\"remote\":\"[::1]:45572\"");
	assert_contains(got, "\"cookie\":\"2\",\"rtt_ms\":1.5,\"rx_bps\":null,\"tx_bps\":null,"
			     "\"retrans\":0,\"cwnd\":0,\"rttvar_ms\":0.000}");
	/* no health asked: its keys are left out; no tcp_info: null */
	assert_null(strstr(got, "\"lost\""));
	assert_contains(got, "\"cookie\":\"1\",\"rtt_ms\":null,\"rx_bps\":null,\"tx_bps\":null,"
			     "\"retrans\":null,\"cwnd\":null,\"rttvar_ms\":null}");
	assert_contains(got, "{\"proto\":\"udp\",\"family\":6,\"state\":\"CLOSE\"");
	assert_contains(got, "\"states\":{\"ESTABLISHED\":2,\"SYN_SENT\":0,\"SYN_RECV\":1,"
			     "\"FIN_WAIT1\":0,\"FIN_WAIT2\":0,\"TIME_WAIT\":1,\"CLOSE\":0,"
			     "\"CLOSE_WAIT\":1,\"LAST_ACK\":0,\"LISTEN\":2,\"CLOSING\":0,\"UNKNOWN\":0}");
	assert_contains(got, "\"top_remote\":[{\"addr\":\"192.0.2.7\",\"family\":4,\"connections\":2,"
			     "\"states\":{\"ESTABLISHED\":1,\"SYN_RECV\":1},"
			     "\"rx_bps\":null,\"tx_bps\":null,\"rx_pps\":null,\"tx_pps\":null}");
	assert_contains(got, "\"interfaces\":[{\"name\":\"lo\",\"ifindex\":1,\"up\":true,");
	assert_contains(got, "\"rx_bytes\":2745,\"tx_bytes\":2745,");
	assert_contains(got, "\"rx_bps\":null");
	assert_contains(got, "\"tcp\":{\"syncookies_sent\":0,\"listen_overflows\":0}}\n");
	free(got);

	/* a second sample: interval and rates */
	s->interval = 1.0;
	lo->has_rate = true;
	lo->rx_bps = 10;
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, "\"interval\":1.000,");
	assert_contains(got, "\"rx_bps\":10.0,");
	assert_contains(got, "\"tcp_rates\":{\"syncookies_sent\":0.0,\"listen_overflows\":0.0}");
	free(got);
	snapshot_free(s);
}

/* Interface and process names are untrusted: escaped, then JSON-quoted. */
static void test_json_hostile_names(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	struct sock_rec *r;
	char *got, longname[3000];

	(void)state;
	build_iface(s, 2, "\x1b[2J");
	build_iface(s, 3, "a\"b\\c\n\x7f\xc2\x9b\xe2\x80\xae");
	memset(longname, '"', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	build_iface(s, 4, longname);
	build_iface(s, 5, "caf\xc3\xa9");
	s->flags |= SNAP_HAS_PROCS;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "192.0.2.7", 50001);
	r->owner = snapshot_add_proc(s, 66, 0, "\x1b]0;owned\x07\"}");
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "192.0.2.7", 50002);
	s->note = "partial: \x01";
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	/* the ESC is the four characters \x1b, its backslash JSON-escaped */
	assert_contains(got, "{\"name\":\"\\\\x1b[2J\",\"ifindex\":2,");
	assert_contains(got, "{\"name\":\"a\\\"b\\\\\\\\c\\\\x0a\\\\x7f\\\\xc2\\\\x9b\\\\xe2\\\\x80\\\\xae\",");
	assert_contains(got, "{\"name\":\"caf\xc3\xa9\",");
	assert_contains(got, "\"pid\":66,\"user\":0,\"process\":\"\\\\x1b]0;owned\\\\x07\\\"}\"");
	assert_contains(got, "\"pid\":null,\"process\":null");
	assert_contains(got, "\"note\":\"partial: \\\\x01\"");
	for (const char *p = got; *p; p++)
		assert_true((unsigned char)*p >= 0x20 || *p == '\n');
	free(got);
	snapshot_free(s);
}

/* A socket's JSON object is the registry's keys (view/fields.c), in its
 * order, each written whole: one socket with an owner found through its
 * listener shows every key, byte for byte as before the registry. */
static void test_json_keys_from_registry(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	struct sock_rec *r;
	const struct field_json *keys;
	size_t nkeys;
	const char *p;
	char *got, want[64];

	(void)state;
	s->flags |= SNAP_HAS_PROCS | SNAP_HAS_EXTRA;
	r = TCP6(s, ST_ESTABLISHED, "2001:db8::1", 443, "2001:db8::2", 50001);
	r->owner = snapshot_add_proc(s, 4242, 1000, "nginx \"w\"");
	r->flags |= SOCK_OWNER_VIA_LISTENER | SOCK_HAS_INFO | SOCK_HAS_RATE;
	r->rtt_us = 250, r->rx_bps = 1234.56, r->tx_bps = 0;
	r->recv_q = 7, r->send_q = 9, build_extra(s, r)->uid = 1000, r->cookie = 0xabcdef;
	r->netns = (uint16_t)snapshot_add_netns(s, "pod-a", NULL, 4026531840u, 0);
	assert_int_equal(snapshot_add_cgroup(s, 77, "/system.slice/nginx.service"), 0);
	build_extra(s, r)->cgroup_id = 77;
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, "\"sockets\":[{\"proto\":\"tcp\",\"family\":6,\"state\":\"ESTABLISHED\","
			     "\"local\":\"[2001:db8::1]:443\",\"remote\":\"[2001:db8::2]:50001\","
			     "\"recv_q\":7,\"send_q\":9,\"uid\":1000,\"inode\":1001,\"cookie\":\"abcdef\","
			     "\"rtt_ms\":0.2,\"rx_bps\":1234.6,\"tx_bps\":0.0,\"pid\":4242,\"user\":1000,"
			     "\"process\":\"nginx \\\"w\\\"\",\"owner_via\":\"listener\","
			     "\"netns\":\"pod-a\",\"cgroup\":\"/system.slice/nginx.service\",\"retrans\":0,\"cwnd\":0,\"rttvar_ms\":0.000}]");
	keys = field_json_keys(&nkeys);
	assert_int_equal(nkeys, 19);
	p = strstr(got, "\"sockets\":[");
	for (size_t i = 0; i < nkeys; i++) {
		assert_true(keys[i].field <= FIELD_COUNT);
		snprintf(want, sizeof(want), "%c\"%s\":", i ? ',' : '{', keys[i].key);
		assert_non_null(p = strstr(p, want));
	}
	free(got);
	snapshot_free(s);
}

/* netstat's header is the registry's columns: titles, widths, alignment. */
static void test_netstat_columns_from_registry(void **state)
{
	const struct field_column *cols;
	size_t ncols, at = 0;
	char line[256];

	(void)state;
	cols = field_netstat_columns(&ncols);
	assert_int_equal(ncols, 7);
	for (size_t i = 0; i < ncols; i++) {
		const struct field *fd = field_get(cols[i].field);

		at += (size_t)snprintf(line + at, sizeof(line) - at, (fd->flags & FIELD_RIGHT) ? "%s%*s" : "%s%-*s",
				       i ? " " : "", cols[i].width, cols[i].title ? cols[i].title : fd->title);
	}
	assert_string_equal(line, "Proto Recv-Q Send-Q Local Address           Foreign Address         "
				  "State       PID/Program name    ");
}

/* Nothing at all: still one valid line, every key there. */
static void test_json_empty(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	char *got;

	(void)state;
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, "\"sockets\":[]");
	assert_contains(got, "\"top_remote\":[]");
	assert_contains(got, "\"interfaces\":[]");
	assert_contains(got, "\"tcp\":{}");
	assert_contains(got, "\"partial\":false");
	free(got);
	snapshot_free(s);
}

/* A closed connection as closed_join() makes it, never sampled. */
static struct closed_conn closed_conn(enum sock_proto proto, const char *comm)
{
	struct closed_conn c = { .pid = -1, .listener = -1, .duration_max_ms = 420 };

	c.ev.wall = (struct timespec){ .tv_sec = 1700000000, .tv_nsec = 7000000 };
	c.ev.r.proto = (uint8_t)proto;
	c.ev.r.family = 4;
	c.ev.r.state = ST_CLOSE;
	c.ev.r.cookie = 0xabc;
	build_event_addrs(&c.ev, "10.0.0.1", "192.0.2.7");
	c.ev.r.lport = 80;
	c.ev.r.rport = 50000;
	c.last_state = ST_CLOSE;
	c.has_bytes = proto == PROTO_TCP;
	c.rx_bytes = c.rx_credit = 5000;
	c.tx_bytes = c.tx_credit = 1000;
	c.ev.r.rtt_us = 1500;
	if (comm) {
		c.pid = 42;
		strcpy(c.comm, comm);
		c.via_listener = true;
	}
	return c;
}

/* --events' lines: every key, null where nothing is known, names escaped. */
static void test_event_json(void **state)
{
	struct closed_conn tcp = closed_conn(PROTO_TCP, "\x1b]0;x\x07\""), udp = closed_conn(PROTO_UDP, NULL);
	char *got;

	(void)state;
	CAPTURE(got, out_event_json(f, &tcp));
	assert_json_line(got);
	assert_string_equal(got, "{\"time\":1700000000.007,\"proto\":\"tcp\",\"family\":4,"
			    "\"local\":\"10.0.0.1:80\",\"remote\":\"192.0.2.7:50000\",\"state\":\"CLOSE\","
			    "\"seen\":false,\"duration_ms\":null,\"duration_max_ms\":420,"
			    "\"rx_bytes\":5000,\"tx_bytes\":1000,\"retrans\":0,\"rtt_ms\":1.500,"
			    "\"pid\":42,\"process\":\"\\\\x1b]0;x\\\\x07\\\"\",\"owner_via\":\"listener\","
			    "\"cookie\":\"abc\"}\n");
	free(got);
	udp.seen = true;
	udp.duration_ms = 1234;
	udp.last_state = ST_ESTABLISHED;
	CAPTURE(got, out_event_json(f, &udp));
	assert_json_line(got);
	assert_contains(got, "\"last_state\":\"ESTABLISHED\",\"seen\":true,\"duration_ms\":1234,");
	assert_contains(got, "\"rx_bytes\":null,\"tx_bytes\":null,\"retrans\":null,\"rtt_ms\":null,"
			"\"pid\":null,\"process\":null");
	free(got);
	CAPTURE(got, out_events_lost_json(f, 3, 10));
	assert_string_equal(got, "{\"lost\":3,\"lost_total\":10}\n");
	free(got);
	CAPTURE(got, out_events_unavailable_json(f, "needs \x01"));
	assert_json_line(got);
	free(got);
}

/* A sample's closed counts in JSON and Prometheus; and what both say when
 * the events are not listened to. */
static void test_closed_counts(void **state)
{
	struct snapshot *s = sample(), *ls = snapshot_new(1);
	struct out_options o = { .view = { ALL_PROTOS, LISTEN_ALL, NULL }, .top_remote = 20 };
	struct closed_conn c = closed_conn(PROTO_TCP, NULL);
	struct closed_seen seen;
	struct closed_tally t;
	char *got;

	(void)state;
	closed_seen_init(&seen);
	closed_tally_init(&t);
	TCP4(ls, ST_LISTEN, "10.0.0.1", 80, "0.0.0.0", 0);
	assert_int_equal(closed_seen_update(&seen, ls), 0);
	c.listener = 0;
	assert_int_equal(closed_tally_add(&t, &seen, &c), 0);
	assert_int_equal(closed_tally_add(&t, &seen, &c), 0);
	o.closed = &t;
	o.events_lost = 3;
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, ",\"closed\":{\"total\":2,\"states\":{\"ESTABLISHED\":0,");
	assert_contains(got, "\"CLOSE\":2,");
	assert_contains(got, ",\"closed_remotes\":[{\"addr\":\"192.0.2.7\",\"family\":4,\"closed\":2,"
			"\"rx_bytes\":10000,\"tx_bytes\":2000}]");
	assert_contains(got, ",\"closed_listeners\":[{\"local\":\"10.0.0.1:80\",\"closed\":2,"
			"\"closed_total\":2,\"rx_bytes\":10000,\"tx_bytes\":2000}],\"events_lost\":3}");
	free(got);
	CAPTURE(got, out_prometheus(f, s, &o));
	assert_contains(got, "nettop_events_available 1\n");
	assert_contains(got, "nettop_closed_total{state=\"CLOSE\"} 2\n");
	assert_contains(got, "nettop_listener_closed_total{local=\"10.0.0.1:80\"} 2\n");
	assert_contains(got, "nettop_events_lost_total 3\n");
	free(got);
	o.closed = NULL;
	o.events_note = "needs CAP_NET_ADMIN";
	CAPTURE(got, out_json(f, s, &o));
	assert_json_line(got);
	assert_contains(got, ",\"closed\":null,\"events_lost\":null,\"events_note\":\"needs CAP_NET_ADMIN\"}");
	free(got);
	CAPTURE(got, out_prometheus(f, s, &o));
	assert_contains(got, "nettop_events_available 0\n");
	free(got);
	closed_tally_free(&t);
	closed_seen_free(&seen);
	snapshot_free(ls);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validator),
		cmocka_unit_test(test_netstat_listing),
		cmocka_unit_test(test_netstat_programs),
		cmocka_unit_test(test_states_section),
		cmocka_unit_test(test_top_remote_section),
		cmocka_unit_test(test_ifaces_section),
		cmocka_unit_test(test_counters_section),
		cmocka_unit_test(test_json_keys),
		cmocka_unit_test(test_json_hostile_names),
		cmocka_unit_test(test_json_empty),
		cmocka_unit_test(test_json_keys_from_registry),
		cmocka_unit_test(test_netstat_columns_from_registry),
		cmocka_unit_test(test_event_json),
		cmocka_unit_test(test_closed_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
