/* test_link.c: replays a recorded RTM_GETLINK dump, then feeds hand-built,
 * truncated and corrupted RTM_NEWLINK messages. Buffers are exact-size
 * copies, so under `make SAN=1` a read past one fails the test. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/if.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "fixture.h"
#include "sample/link.h"
#include "snapshot.h"

#define LINK_FIXED (NLMSG_HDRLEN + sizeof(struct ifinfomsg))
#define MAX_ATTRS 64

/* A hand-built RTM_NEWLINK message. */
struct msg {
	_Alignas(4) unsigned char b[1024];
	size_t len;
};

static void msg_start(struct msg *m, int ifindex, unsigned flags)
{
	struct nlmsghdr h = { .nlmsg_type = RTM_NEWLINK, .nlmsg_seq = FIXTURE_SEQ };
	struct ifinfomsg ifi = { .ifi_index = ifindex, .ifi_flags = flags };

	memset(m, 0, sizeof(*m));
	memcpy(m->b, &h, sizeof(h));
	memcpy(m->b + NLMSG_HDRLEN, &ifi, sizeof(ifi));
	m->len = LINK_FIXED;
}

static void msg_attr(struct msg *m, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(m->b + m->len, &a, sizeof(a));
	memcpy(m->b + m->len + NLA_HDRLEN, data, len);
	m->len += NLA_ALIGN(NLA_HDRLEN + len);
}

static void msg_end(struct msg *m)
{
	uint32_t len = (uint32_t)m->len;

	memcpy(m->b, &len, 4);
}

/* Parses an exact-size copy of m into r (zeroed first) with a fresh snapshot. */
static int parse_copy(const void *p, size_t len, struct snapshot *s, struct iface_rec *r)
{
	void *buf = copy_exact(p, len);
	int ret;

	memset(r, 0, sizeof(*r));
	ret = link_parse_msg(buf, len, s, r);
	free(buf);
	return ret;
}

/* Walks an exact-size copy; returns link_walk_buf's result. */
static int walk_copy(const void *p, size_t len, uint32_t seq, size_t *nifaces)
{
	struct snapshot *s = snapshot_new(0);
	void *buf = copy_exact(p, len);
	int ret = link_walk_buf(buf, len, seq, s);

	for (size_t i = 0; i < s->nifaces; i++)
		assert_non_null(s->ifaces[i].name);
	*nifaces = s->nifaces;
	free(buf);
	snapshot_free(s);
	return ret;
}

static void test_replay_lo(void **state)
{
	struct frames fr;
	struct snapshot *s = snapshot_new(0);
	const struct iface_rec *lo;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	assert_int_equal(fr.n, 2);
	assert_int_equal(link_walk_buf(fr.f[0].p, fr.f[0].len, FIXTURE_SEQ, s), 0);
	assert_int_equal(link_walk_buf(fr.f[1].p, fr.f[1].len, FIXTURE_SEQ, s), 1);
	assert_int_equal(s->nifaces, 1);
	lo = &s->ifaces[0];
	assert_string_equal(lo->name, "lo");
	assert_int_equal(lo->ifindex, 1);
	assert_true(lo->up);
	assert_true(lo->if_flags & IFF_LOOPBACK);
	assert_int_equal(lo->mtu, 65536);
	/* stats64: what lo sends it receives */
	assert_true(lo->rx_packets > 0);
	assert_true(lo->rx_bytes > lo->rx_packets);
	assert_int_equal(lo->rx_bytes, lo->tx_bytes);
	assert_int_equal(lo->rx_packets, lo->tx_packets);
	assert_int_equal(lo->rx_errors, 0);
	assert_int_equal(lo->tx_dropped, 0);
	frames_free(&fr);
	snapshot_free(s);
}

static void test_sequence_and_types(void **state)
{
	struct frames fr;
	size_t n;
	unsigned char *buf;
	uint16_t type = RTM_DELLINK;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	/* another request's replies are skipped; seq 0 takes any */
	assert_int_equal(walk_copy(fr.f[0].p, fr.f[0].len, FIXTURE_SEQ + 1, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(walk_copy(fr.f[1].p, fr.f[1].len, FIXTURE_SEQ + 1, &n), 0);
	assert_int_equal(walk_copy(fr.f[0].p, fr.f[0].len, 0, &n), 0);
	assert_int_equal(n, 1);
	/* other message types are stepped over */
	buf = copy_exact(fr.f[0].p, fr.f[0].len);
	memcpy(buf + 4, &type, 2);
	assert_int_equal(walk_copy(buf, fr.f[0].len, FIXTURE_SEQ, &n), 0);
	assert_int_equal(n, 0);
	free(buf);
	frames_free(&fr);
}

static void test_nlmsg_error(void **state)
{
	struct nlmsghdr h = {
		.nlmsg_len = NLMSG_HDRLEN + sizeof(struct nlmsgerr),
		.nlmsg_type = NLMSG_ERROR, .nlmsg_seq = FIXTURE_SEQ,
	};
	unsigned char buf[NLMSG_HDRLEN + sizeof(struct nlmsgerr)] = { 0 };
	size_t n;

	(void)state;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(walk_copy(buf, sizeof(buf), FIXTURE_SEQ, &n), -EPROTO);
	/* even one with no room for its error code */
	h.nlmsg_len = NLMSG_HDRLEN;
	memcpy(buf, &h, sizeof(h));
	assert_int_equal(walk_copy(buf, NLMSG_HDRLEN, FIXTURE_SEQ, &n), -EPROTO);
}

/* Replaces the type of lo's attribute `type` with one the parser ignores. */
static void hide_attr(unsigned char *msg, uint16_t type)
{
	size_t start[MAX_ATTRS], end[MAX_ATTRS];
	size_t n = nl_attr_bounds(msg, LINK_FIXED, start, end, MAX_ATTRS);
	uint16_t unknown = IFLA_MAX + 100;

	for (size_t i = 0; i < n; i++) {
		uint16_t t;

		memcpy(&t, msg + start[i] + 2, 2);
		if ((t & NLA_TYPE_MASK) == type)
			memcpy(msg + start[i] + 2, &unknown, 2);
	}
}

static void test_stats32_fallback(void **state)
{
	struct frames fr;
	struct snapshot *s = snapshot_new(0);
	struct iface_rec with64, r;
	unsigned char *buf;
	uint32_t mlen;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	mlen = nl_len_at(fr.f[0].p, 0);
	assert_int_equal(parse_copy(fr.f[0].p, mlen, s, &with64), 0);
	buf = copy_exact(fr.f[0].p, mlen);
	hide_attr(buf, IFLA_STATS64);
	assert_int_equal(parse_copy(buf, mlen, s, &r), 0);
	/* lo's counters are small: the 32-bit copy holds the same numbers */
	assert_true(r.rx_packets > 0);
	assert_int_equal(r.rx_bytes, with64.rx_bytes);
	assert_int_equal(r.tx_bytes, with64.tx_bytes);
	assert_int_equal(r.rx_packets, with64.rx_packets);
	assert_int_equal(r.tx_packets, with64.tx_packets);
	/* neither: zeros, and the interface is still listed */
	hide_attr(buf, IFLA_STATS);
	assert_int_equal(parse_copy(buf, mlen, s, &r), 0);
	assert_int_equal(r.rx_bytes, 0);
	assert_int_equal(r.tx_packets, 0);
	assert_string_equal(r.name, "lo");
	/* no name: refused */
	hide_attr(buf, IFLA_IFNAME);
	assert_int_equal(parse_copy(buf, mlen, s, &r), -EINVAL);
	free(buf);
	frames_free(&fr);
	snapshot_free(s);
}

static void test_names(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct iface_rec r;
	struct msg m;
	size_t n;

	(void)state;
	/* terminated */
	msg_start(&m, 2, IFF_UP);
	msg_attr(&m, IFLA_IFNAME, "eth0", 5);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_string_equal(r.name, "eth0");
	assert_int_equal(r.ifindex, 2);
	assert_true(r.up);

	/* unterminated: the payload's length bounds it */
	msg_start(&m, 3, 0);
	msg_attr(&m, IFLA_IFNAME, "wlan0", 5);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_string_equal(r.name, "wlan0");
	assert_false(r.up);

	/* unterminated and unpadded, at the very end of the message */
	msg_start(&m, 3, 0);
	msg_attr(&m, IFLA_IFNAME, "abcde", 5);
	m.len -= 3;
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_string_equal(r.name, "abcde");

	/* a NUL inside: the name ends there */
	msg_start(&m, 4, 0);
	msg_attr(&m, IFLA_IFNAME, "ab\0cd", 6);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_string_equal(r.name, "ab");

	/* hostile bytes are kept as they are: escaping is the printers' job */
	msg_start(&m, 5, 0);
	msg_attr(&m, IFLA_IFNAME, "\x1b[2J", 5);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_string_equal(r.name, "\x1b[2J");

	/* an empty name: refused */
	msg_start(&m, 6, 0);
	msg_attr(&m, IFLA_IFNAME, "", 0);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), -EINVAL);
	assert_int_equal(walk_copy(m.b, m.len, FIXTURE_SEQ, &n), 0);
	assert_int_equal(n, 0);

	/* missing */
	msg_start(&m, 7, 0);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), -EINVAL);
	assert_int_equal(walk_copy(m.b, m.len, FIXTURE_SEQ, &n), 0);
	assert_int_equal(n, 0);
	snapshot_free(s);
}

static void test_short_attributes(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct iface_rec r;
	struct msg m;
	uint64_t st[4] = { 111, 222, 333, 444 };	/* rx/tx packets, rx/tx bytes */
	uint16_t mtu16 = 1500;
	uint32_t mtu = 9000;

	(void)state;
	/* an older kernel's shorter stats64: what is there, zeros after */
	msg_start(&m, 2, IFF_UP);
	msg_attr(&m, IFLA_IFNAME, "eth0", 5);
	msg_attr(&m, IFLA_MTU, &mtu, sizeof(mtu));
	msg_attr(&m, IFLA_STATS64, st, sizeof(st));
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_int_equal(r.mtu, 9000);
	assert_int_equal(r.rx_packets, 111);
	assert_int_equal(r.tx_packets, 222);
	assert_int_equal(r.rx_bytes, 333);
	assert_int_equal(r.tx_bytes, 444);
	assert_int_equal(r.rx_errors, 0);
	assert_int_equal(r.tx_dropped, 0);

	/* an MTU too short to hold one is ignored */
	msg_start(&m, 2, IFF_UP);
	msg_attr(&m, IFLA_IFNAME, "eth0", 5);
	msg_attr(&m, IFLA_MTU, &mtu16, sizeof(mtu16));
	msg_attr(&m, IFLA_STATS64, st, 0);
	msg_end(&m);
	assert_int_equal(parse_copy(m.b, m.len, s, &r), 0);
	assert_int_equal(r.mtu, 0);
	assert_int_equal(r.rx_packets, 0);
	snapshot_free(s);
}

/* Every prefix of every frame: nothing read past it, complete messages kept. */
static void test_truncated_frames(void **state)
{
	struct frames fr;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	for (size_t f = 0; f < fr.n; f++) {
		uint32_t mlen = nl_len_at(fr.f[f].p, 0);
		uint16_t type;

		memcpy(&type, fr.f[f].p + 4, 2);
		for (size_t len = 0; len <= fr.f[f].len; len++) {
			size_t n;
			int ret = walk_copy(fr.f[f].p, len, FIXTURE_SEQ, &n);

			if (type == NLMSG_DONE)
				assert_int_equal(ret, len >= mlen ? 1 : 0);
			else
				assert_int_equal(ret, 0);
			assert_int_equal(n, type == RTM_NEWLINK && len >= mlen ? 1 : 0);
		}
	}
	frames_free(&fr);
}

/* Every prefix of lo's message that says it is that long: refused when it
 * cuts the fixed header or an attribute, accepted otherwise once the name is in. */
static void test_truncated_message(void **state)
{
	struct frames fr;
	struct snapshot *s = snapshot_new(0);
	size_t start[MAX_ATTRS], end[MAX_ATTRS], nattr, name_end = 0;
	uint32_t mlen;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	mlen = nl_len_at(fr.f[0].p, 0);
	nattr = nl_attr_bounds(fr.f[0].p, LINK_FIXED, start, end, MAX_ATTRS);
	assert_true(nattr > 3);
	for (size_t a = 0; a < nattr; a++) {
		uint16_t t;

		memcpy(&t, fr.f[0].p + start[a] + 2, 2);
		if (t == IFLA_IFNAME)
			name_end = end[a];
	}
	assert_true(name_end > 0);
	for (size_t len = 0; len <= mlen; len++) {
		unsigned char *buf = copy_exact(fr.f[0].p, len);
		struct iface_rec r;
		bool ok = len >= LINK_FIXED && len >= name_end;
		size_t n;

		assert_int_equal(parse_copy(buf, len, s, &r), len == mlen ? 0 : -EINVAL);
		if (len >= 4) {
			uint32_t l32 = (uint32_t)len;

			memcpy(buf, &l32, 4);
		}
		for (size_t a = 0; a < nattr; a++)
			if (start[a] < len && len < end[a])
				ok = false;
		assert_int_equal(parse_copy(buf, len, s, &r), ok ? 0 : -EINVAL);
		assert_int_equal(walk_copy(buf, len, FIXTURE_SEQ, &n), 0);
		assert_int_equal(n, ok ? 1 : 0);
		free(buf);
	}
	frames_free(&fr);
	snapshot_free(s);
}

static void test_corrupt_nlmsg_len(void **state)
{
	struct frames fr;
	uint32_t mlen;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	mlen = nl_len_at(fr.f[0].p, 0);
	const uint32_t values[] = {
		0, 1, 15, 16, 17, 31, 32, 33, mlen - 1, mlen + 1, mlen + 4,
		0x7fffffff, 0x80000000, 0xfffffffc, 0xffffffff,
	};
	for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
		unsigned char *buf = copy_exact(fr.f[0].p, fr.f[0].len);
		size_t n;

		memcpy(buf, &values[v], 4);
		assert_int_equal(walk_copy(buf, fr.f[0].len, FIXTURE_SEQ, &n), 0);
		if (values[v] < LINK_FIXED || values[v] > fr.f[0].len)
			assert_int_equal(n, 0);
		free(buf);
	}
	frames_free(&fr);
}

static void test_corrupt_nla_len(void **state)
{
	struct frames fr;
	struct snapshot *s = snapshot_new(0);
	size_t start[MAX_ATTRS], end[MAX_ATTRS], nattr;
	uint32_t mlen;

	(void)state;
	frames_load(&fr, "netlink/link.bin");
	mlen = nl_len_at(fr.f[0].p, 0);
	nattr = nl_attr_bounds(fr.f[0].p, LINK_FIXED, start, end, MAX_ATTRS);
	for (size_t a = 0; a < nattr; a++) {
		uint16_t real = (uint16_t)(end[a] - start[a]);
		uint16_t to_end = (uint16_t)(mlen - start[a]);
		const uint16_t values[] = {
			0, 1, 3, 4, 5, (uint16_t)(real - 1), (uint16_t)(real + 1), to_end,
			(uint16_t)(to_end + 1), (uint16_t)(to_end + 4), 0x7fff, 0xffff,
		};

		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			unsigned char *buf = copy_exact(fr.f[0].p, mlen);
			struct iface_rec r;
			size_t n;
			int ret;

			memcpy(buf + start[a], &values[v], 2);
			ret = parse_copy(buf, mlen, s, &r);
			assert_int_equal(walk_copy(buf, mlen, FIXTURE_SEQ, &n), 0);
			assert_int_equal(n, ret == 0);
			if (values[v] < 4 || values[v] > to_end)
				assert_int_equal(ret, -EINVAL);
			free(buf);
		}
	}
	frames_free(&fr);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_lo),
		cmocka_unit_test(test_sequence_and_types),
		cmocka_unit_test(test_nlmsg_error),
		cmocka_unit_test(test_stats32_fallback),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_short_attributes),
		cmocka_unit_test(test_truncated_frames),
		cmocka_unit_test(test_truncated_message),
		cmocka_unit_test(test_corrupt_nlmsg_len),
		cmocka_unit_test(test_corrupt_nla_len),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
