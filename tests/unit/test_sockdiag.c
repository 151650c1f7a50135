/* test_sockdiag.c: replays recorded sock_diag dumps through the walker, then
 * truncates and corrupts them. Under `make SAN=1` any read past a buffer
 * fails the test: every buffer handed to the parser is an exact-size copy. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>

#include "fixture.h"
#include "sample/sockdiag.h"
#include "snapshot.h"
#include "tcpstate.h"

#define MAX_MSGS 64
#define INFO_ATTR_LEN 4		/* nlattr header */

/* Walks every frame of a recorded dump; returns the last walk result. */
static enum sockdiag_walk replay(const char *rel, uint8_t proto, uint32_t seq,
				 struct snapshot *snap, struct sockdiag_walker *w)
{
	struct frames fr;
	enum sockdiag_walk res = SOCKDIAG_MORE;

	frames_load(&fr, rel);
	*w = (struct sockdiag_walker){ .seq = seq, .proto = proto };
	for (size_t i = 0; i < fr.n && res == SOCKDIAG_MORE; i++) {
		void *buf = copy_exact(fr.f[i].p, fr.f[i].len);

		res = sockdiag_walk_buf(w, buf, fr.f[i].len, snap);
		free(buf);
	}
	frames_free(&fr);
	return res;
}

static const struct sock_rec *find_sock(const struct snapshot *s, int state, uint16_t lport,
					uint16_t rport)
{
	for (size_t i = 0; i < s->nsocks; i++) {
		const struct sock_rec *r = &s->socks[i];

		if (r->state == state && (!lport || r->lport == lport) && (!rport || r->rport == rport))
			return r;
	}
	return NULL;
}

static size_t count_state(const struct snapshot *s, int state)
{
	size_t n = 0;

	for (size_t i = 0; i < s->nsocks; i++)
		n += s->socks[i].state == state;
	return n;
}

static void assert_ipv4(const uint8_t *a, const char *dotted)
{
	struct in_addr want;

	assert_int_equal(inet_pton(AF_INET, dotted, &want), 1);
	assert_memory_equal(a, &want, 4);
}

static void test_replay_tcp4_info(void **state)
{
	struct snapshot *s = snapshot_new(0), *lean = snapshot_new(0);
	struct sockdiag_walker w;
	const struct sock_rec *r;

	(void)state;
	/* a sample that keeps struct sock_extra, and one that does not */
	s->flags |= SNAP_HAS_EXTRA;
	assert_int_equal(replay("netlink/tcp4_info.bin", PROTO_TCP, FIXTURE_SEQ, lean, &w), SOCKDIAG_DONE);
	assert_int_equal(lean->nsocks, 10);
	assert_null(lean->extra);
	for (size_t i = 0; i < lean->nsocks; i++)
		assert_int_equal(sock_extra_of(lean, &lean->socks[i])->segs_out, 0);
	snapshot_free(lean);
	assert_int_equal(replay("netlink/tcp4_info.bin", PROTO_TCP, FIXTURE_SEQ, s, &w), SOCKDIAG_DONE);
	assert_false(w.interrupted);
	assert_int_equal(w.malformed, 0);
	assert_int_equal(w.error, 0);
	assert_int_equal(s->nsocks, 10);
	assert_int_equal(count_state(s, ST_LISTEN), 2);
	assert_int_equal(count_state(s, ST_ESTABLISHED), 4);
	assert_int_equal(count_state(s, ST_CLOSE_WAIT), 1);
	assert_int_equal(count_state(s, ST_FIN_WAIT2), 1);
	assert_int_equal(count_state(s, ST_TIME_WAIT), 1);
	assert_int_equal(count_state(s, ST_SYN_RECV), 1);

	for (size_t i = 0; i < s->nsocks; i++) {
		r = &s->socks[i];
		assert_int_equal(r->family, 4);
		assert_int_equal(r->proto, PROTO_TCP);
		assert_true(r->cookie != 0);
		for (size_t j = 0; j < i; j++)
			assert_true(s->socks[j].cookie != r->cookie);
		if (r->state == ST_SYN_RECV || r->state == ST_TIME_WAIT) {
			/* request and timewait sockets: no file, no tcp_info */
			assert_int_equal(r->inode, 0);
			assert_false(r->flags & SOCK_HAS_INFO);
		} else {
			assert_true(r->inode != 0);
			assert_true(r->flags & SOCK_HAS_INFO);
			assert_true(sock_extra_of(s, r)->cwnd > 0);
		}
	}

	r = find_sock(s, ST_LISTEN, 8080, 0);
	assert_non_null(r);
	assert_ipv4(sock_laddr(r).b, "127.0.0.1");
	assert_ipv4(sock_raddr(r).b, "0.0.0.0");
	assert_true(sock_is_listening(r));
	assert_non_null(find_sock(s, ST_LISTEN, 8081, 0));

	/* the data pair: the server read 500 of 1000 bytes, the client none of 100 */
	r = find_sock(s, ST_ESTABLISHED, 8080, 0);
	assert_non_null(r);
	assert_int_equal(r->recv_q, 500);
	assert_int_equal(r->bytes_received, 1000);
	assert_true(r->rtt_us > 0);
	r = find_sock(s, ST_ESTABLISHED, 0, 8080);
	assert_non_null(r);
	assert_int_equal(r->recv_q, 100);
	assert_int_equal(r->bytes_received, 100);
	assert_int_equal(r->bytes_acked, 1001);	/* the SYN counts */
	assert_true(sock_extra_of(s, r)->segs_out > 0);
	assert_true(sock_extra_of(s, r)->rttvar_us > 0);

	r = find_sock(s, ST_TIME_WAIT, 0, 8080);
	assert_non_null(r);
	assert_ipv4(sock_laddr(r).b, "127.0.0.2");
	assert_int_equal(r->timer, 3);
	assert_non_null(find_sock(s, ST_SYN_RECV, 8081, 0));
	assert_non_null(find_sock(s, ST_CLOSE_WAIT, 8080, 0));
	assert_non_null(find_sock(s, ST_FIN_WAIT2, 0, 8080));
	snapshot_free(s);
}

static void test_replay_tcp6(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sockdiag_walker w;
	const struct sock_rec *r;
	static const uint8_t loop6[16] = { [15] = 1 };

	(void)state;
	assert_int_equal(replay("netlink/tcp6.bin", PROTO_TCP, FIXTURE_SEQ, s, &w), SOCKDIAG_DONE);
	assert_int_equal(w.malformed, 0);
	assert_int_equal(s->nsocks, 5);
	assert_int_equal(count_state(s, ST_LISTEN), 2);
	assert_int_equal(count_state(s, ST_ESTABLISHED), 3);
	for (size_t i = 0; i < s->nsocks; i++) {
		assert_int_equal(s->socks[i].family, 6);
		assert_true(s->socks[i].cookie != 0);
		/* this dump did not ask for tcp_info */
		assert_false(s->socks[i].flags & SOCK_HAS_INFO);
	}
	r = find_sock(s, ST_LISTEN, 8443, 0);
	assert_non_null(r);
	assert_memory_equal(sock_laddr(r).b, loop6, 16);
	r = find_sock(s, ST_LISTEN, 8444, 0);
	assert_non_null(r);
	assert_true(addr_is_any(6, sock_laddr(r).b));
	/* the dual-stack listener's v4 client shows as IPv4-mapped */
	r = find_sock(s, ST_ESTABLISHED, 8444, 0);
	assert_non_null(r);
	assert_true(addr_is_v4mapped(sock_raddr(r).b));
	assert_ipv4(sock_raddr(r).b + 12, "127.0.0.1");
	snapshot_free(s);
}

static void test_replay_udp(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sockdiag_walker w;
	const struct sock_rec *r;

	(void)state;
	assert_int_equal(replay("netlink/udp4.bin", PROTO_UDP, FIXTURE_SEQ, s, &w), SOCKDIAG_DONE);
	assert_int_equal(s->nsocks, 2);
	r = find_sock(s, ST_CLOSE, 5353, 0);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_UDP);
	assert_true(r->recv_q > 0);	/* one unread datagram */
	r = find_sock(s, ST_ESTABLISHED, 0, 5353);
	assert_non_null(r);
	assert_int_equal(r->proto, PROTO_UDP);
	assert_int_equal(replay("netlink/udp6.bin", PROTO_UDP, FIXTURE_SEQ, s, &w), SOCKDIAG_DONE);
	assert_int_equal(s->nsocks, 3);
	assert_int_equal(s->socks[2].family, 6);
	assert_int_equal(s->socks[2].lport, 5354);
	snapshot_free(s);
}

/* tcp_info in a UDP walk (it cannot happen, but the parser must not trust it). */
static void test_info_only_for_tcp(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sockdiag_walker w;

	(void)state;
	replay("netlink/tcp4_info.bin", PROTO_UDP, FIXTURE_SEQ, s, &w);
	assert_int_equal(s->nsocks, 10);
	for (size_t i = 0; i < s->nsocks; i++)
		assert_false(s->socks[i].flags & SOCK_HAS_INFO);
	snapshot_free(s);
}

static void test_sequence_filter(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sockdiag_walker w;

	(void)state;
	/* replies to another request are skipped, the DONE included */
	assert_int_equal(replay("netlink/tcp6.bin", PROTO_TCP, FIXTURE_SEQ + 1, s, &w), SOCKDIAG_MORE);
	assert_int_equal(s->nsocks, 0);
	/* seq 0 accepts any */
	assert_int_equal(replay("netlink/tcp6.bin", PROTO_TCP, 0, s, &w), SOCKDIAG_DONE);
	assert_int_equal(s->nsocks, 5);
	snapshot_free(s);
}

/* Walks an exact-size copy of len bytes of p with a fresh walker and snapshot. */
static enum sockdiag_walk walk_copy(const void *p, size_t len, struct sockdiag_walker *w,
				    size_t *nsocks)
{
	struct snapshot *s = snapshot_new(0);
	void *buf = copy_exact(p, len);
	enum sockdiag_walk res;

	*w = (struct sockdiag_walker){ .seq = FIXTURE_SEQ, .proto = PROTO_TCP };
	res = sockdiag_walk_buf(w, buf, len, s);
	*nsocks = s->nsocks;
	/* whatever the input, records hold the walker's own proto and a known family */
	for (size_t i = 0; i < s->nsocks; i++) {
		assert_int_equal(s->socks[i].proto, PROTO_TCP);
		assert_true(s->socks[i].family == 4 || s->socks[i].family == 6);
		assert_true(s->socks[i].state < ST_COUNT);
	}
	free(buf);
	snapshot_free(s);
	return res;
}

/* Every prefix of every frame: the complete messages are parsed, a cut one is
 * counted as malformed, nothing is read past the prefix. */
static void truncate_frames(const char *rel)
{
	struct frames fr;

	frames_load(&fr, rel);
	for (size_t f = 0; f < fr.n; f++) {
		size_t off[MAX_MSGS];
		size_t nmsg = nl_offsets(fr.f[f].p, fr.f[f].len, off, MAX_MSGS);

		for (size_t len = 0; len <= fr.f[f].len; len++) {
			struct sockdiag_walker w;
			size_t nsocks, complete = 0;
			bool done = false, cut = false;
			enum sockdiag_walk res = walk_copy(fr.f[f].p, len, &w, &nsocks);

			for (size_t m = 0; m < nmsg; m++) {
				size_t end = off[m] + nl_len_at(fr.f[f].p, off[m]);
				uint16_t type;

				memcpy(&type, fr.f[f].p + off[m] + 4, 2);
				if (end <= len) {
					complete += type == SOCK_DIAG_BY_FAMILY;
					done |= type == NLMSG_DONE;
				} else if (off[m] < len) {
					cut = true;
				}
			}
			assert_int_equal(nsocks, complete);
			assert_int_equal(res, done ? SOCKDIAG_DONE : SOCKDIAG_MORE);
			assert_int_equal(w.malformed, cut ? 1 : 0);
		}
	}
	frames_free(&fr);
}

static void test_truncated_frames(void **state)
{
	(void)state;
	truncate_frames("netlink/tcp4_info.bin");
	truncate_frames("netlink/tcp6.bin");
	truncate_frames("netlink/udp4.bin");
	truncate_frames("netlink/udp6.bin");
}

#define DIAG_FIXED (16 + sizeof(struct inet_diag_msg))

static size_t attr_bounds(const unsigned char *m, size_t *start, size_t *end, size_t max)
{
	return nl_attr_bounds(m, DIAG_FIXED, start, end, max);
}

/* Where the tcp_info attribute of the message at m ends, or 0. */
static size_t info_end(const unsigned char *m)
{
	size_t mlen = nl_len_at(m, 0), pos = 16 + sizeof(struct inet_diag_msg);

	while (pos + 4 <= mlen) {
		uint16_t alen, type;

		memcpy(&alen, m + pos, 2);
		memcpy(&type, m + pos + 2, 2);
		if (type == INET_DIAG_INFO)
			return pos + alen;
		pos += (alen + 3u) & ~3u;
	}
	return 0;
}

/* Every prefix of one message, as the buffer's length and then also as its
 * own nlmsg_len: short messages and cut attributes are refused. */
static void truncate_message(const unsigned char *msg)
{
	size_t mlen = nl_len_at(msg, 0), start[32], end[32];
	size_t nattr = attr_bounds(msg, start, end, 32);
	const size_t fixed = 16 + sizeof(struct inet_diag_msg);

	for (size_t len = 0; len <= mlen; len++) {
		unsigned char *buf = copy_exact(msg, len);
		struct sock_rec r;
		bool whole = len >= fixed;
		struct sockdiag_walker w;
		size_t nsocks;
		int ret;

		/* a buffer shorter than the message says */
		ret = sockdiag_parse_msg(buf, len, PROTO_TCP, &r, NULL, NULL);
		assert_int_equal(ret, len == mlen ? 0 : -EINVAL);

		/* a message that says it is that short */
		if (len >= 4) {
			uint32_t l32 = (uint32_t)len;

			memcpy(buf, &l32, 4);
		}
		/* an attribute cut by the end of the message makes it malformed */
		for (size_t a = 0; a < nattr; a++)
			if (start[a] < len && len < end[a])
				whole = false;
		memset(&r, 0, sizeof(r));	/* as the walker's fresh record is */
		ret = sockdiag_parse_msg(buf, len, PROTO_TCP, &r, NULL, NULL);
		assert_int_equal(ret, whole ? 0 : -EINVAL);
		if (ret == 0)
			assert_int_equal(!!(r.flags & SOCK_HAS_INFO),
					 info_end(msg) && len >= info_end(msg));
		free(buf);

		/* the walker agrees, and counts what it refused */
		buf = copy_exact(msg, len);
		if (len >= 4) {
			uint32_t l32 = (uint32_t)len;

			memcpy(buf, &l32, 4);
		}
		walk_copy(buf, len, &w, &nsocks);
		assert_int_equal(nsocks, whole ? 1 : 0);
		assert_int_equal(w.malformed, whole || len == 0 ? 0 : 1);
		free(buf);
	}
}

static void test_truncated_messages(void **state)
{
	static const char *const files[] = {
		"netlink/tcp4_info.bin", "netlink/tcp6.bin", "netlink/udp4.bin", "netlink/udp6.bin",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct frames fr;
		size_t off[MAX_MSGS], n;

		frames_load(&fr, files[i]);
		n = nl_offsets(fr.f[0].p, fr.f[0].len, off, MAX_MSGS);
		assert_true(n > 0);
		for (size_t m = 0; m < n; m++)
			truncate_message(fr.f[0].p + off[m]);
		frames_free(&fr);
	}
}

/* nlmsg_len of one message set to values that are too big, too small, zero. */
static void test_corrupt_nlmsg_len(void **state)
{
	struct frames fr;
	size_t off[MAX_MSGS], n;

	(void)state;
	frames_load(&fr, "netlink/tcp4_info.bin");
	n = nl_offsets(fr.f[0].p, fr.f[0].len, off, MAX_MSGS);
	for (size_t m = 0; m < n; m++) {
		uint32_t real = nl_len_at(fr.f[0].p, off[m]);
		uint32_t rest = (uint32_t)(fr.f[0].len - off[m]);
		const uint32_t values[] = {
			0, 1, 4, 15, 16, 17, 20, 87, 88, 89, real - 4, real - 1, real + 1, real + 4,
			rest, rest + 1, rest + 4, 0x7fffffff, 0x80000000, 0xffffffff,
		};

		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			unsigned char *buf = copy_exact(fr.f[0].p, fr.f[0].len);
			struct sockdiag_walker w;
			size_t nsocks;

			memcpy(buf + off[m], &values[v], 4);
			walk_copy(buf, fr.f[0].len, &w, &nsocks);
			/* the messages before it always come through */
			assert_true(nsocks >= m);
			if (values[v] < 16 || values[v] > rest) {
				/* the walk cannot step over it: the rest is refused */
				assert_int_equal(nsocks, m);
				assert_int_equal(w.malformed, 1);
			} else if (values[v] < 16 + sizeof(struct inet_diag_msg)) {
				assert_true(w.malformed >= 1);
			}
			free(buf);
		}
	}
	frames_free(&fr);
}

/* nla_len of each attribute set to values that are too big, too small, zero. */
static void test_corrupt_nla_len(void **state)
{
	struct frames fr;
	size_t off[MAX_MSGS], n;

	(void)state;
	frames_load(&fr, "netlink/tcp4_info.bin");
	n = nl_offsets(fr.f[0].p, fr.f[0].len, off, MAX_MSGS);
	for (size_t m = 0; m < n; m++) {
		const unsigned char *msg = fr.f[0].p + off[m];
		size_t mlen = nl_len_at(msg, 0), start[32], end[32];
		size_t nattr = attr_bounds(msg, start, end, 32);

		for (size_t a = 0; a < nattr; a++) {
			uint16_t real;
			uint16_t to_end = (uint16_t)(mlen - start[a]);

			memcpy(&real, msg + start[a], 2);
			const uint16_t values[] = {
				0, 1, 3, 4, 5, (uint16_t)(real - 1), (uint16_t)(real + 1), to_end,
				(uint16_t)(to_end + 1), (uint16_t)(to_end + 4), 0x7fff, 0xffff,
			};
			for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
				unsigned char *buf = copy_exact(msg, mlen);
				struct sock_rec r;
				struct sockdiag_walker w;
				size_t nsocks;
				int ret;

				memcpy(buf + start[a], &values[v], 2);
				ret = sockdiag_parse_msg(buf, mlen, PROTO_TCP, &r, NULL, NULL);
				walk_copy(buf, mlen, &w, &nsocks);
				assert_int_equal(nsocks + w.malformed, 1);
				assert_int_equal(nsocks, ret == 0);
				if (values[v] < 4 || values[v] > to_end)
					assert_int_equal(ret, -EINVAL);
				free(buf);
			}
		}
	}
	frames_free(&fr);
}

/* A message whose length is not a multiple of 4 and ends two bytes into an
 * attribute header: the header must not be read past the message (libmnl's
 * mnl_attr_parse() walks to the padded end of the message). */
static void test_attr_header_past_unaligned_end(void **state)
{
	struct frames fr;
	unsigned char *buf;
	const size_t fixed = 16 + sizeof(struct inet_diag_msg);
	size_t start[32], end[32], nattr;
	struct sock_rec r;
	struct sockdiag_walker w;
	size_t nsocks;

	(void)state;
	frames_load(&fr, "netlink/udp4.bin");
	nattr = attr_bounds(fr.f[0].p, start, end, 32);
	assert_true(nattr >= 2);
	for (size_t a = 0; a < nattr; a++) {
		uint32_t len = (uint32_t)start[a] + 2;
		uint16_t four = 4;

		assert_true(start[a] >= fixed);
		buf = copy_exact(fr.f[0].p, len);
		memcpy(buf, &len, 4);
		memcpy(buf + start[a], &four, 2);
		assert_int_equal(sockdiag_parse_msg(buf, len, PROTO_UDP, &r, NULL, NULL), -EINVAL);
		walk_copy(buf, len, &w, &nsocks);
		assert_int_equal(nsocks, 0);
		assert_int_equal(w.malformed, 1);
		free(buf);
	}
	frames_free(&fr);
}

/* An older kernel's shorter tcp_info: the fields it has, zeros for the rest. */
static void test_short_tcp_info(void **state)
{
	struct frames fr;
	size_t off[MAX_MSGS], n;
	struct sock_rec full, r;
	struct sock_extra full_x = { 0 }, r_x = { 0 };

	(void)state;
	frames_load(&fr, "netlink/tcp4_info.bin");
	n = nl_offsets(fr.f[0].p, fr.f[0].len, off, MAX_MSGS);
	for (size_t m = 0; m < n; m++) {
		const unsigned char *msg = fr.f[0].p + off[m];
		size_t iend = info_end(msg);
		uint32_t mlen = nl_len_at(msg, 0);
		/* keep 76 bytes of tcp_info: up to and with tcpi_rttvar, not the byte counts */
		const uint16_t keep = 76;
		unsigned char *buf;
		size_t start;
		uint32_t newlen;
		uint16_t alen;

		if (!iend || iend != mlen)
			continue;	/* the info attribute is last in these dumps */
		assert_int_equal(sockdiag_parse_msg(msg, mlen, PROTO_TCP, &full, &full_x, NULL), 0);
		start = 0;
		for (size_t pos = 16 + sizeof(struct inet_diag_msg); pos < mlen;) {
			memcpy(&alen, msg + pos, 2);
			if (pos + alen == iend)
				start = pos;
			pos += (alen + 3u) & ~3u;
		}
		assert_true(start > 0);
		newlen = (uint32_t)(start + INFO_ATTR_LEN + keep);
		buf = copy_exact(msg, newlen);
		memcpy(buf, &newlen, 4);
		alen = INFO_ATTR_LEN + keep;
		memcpy(buf + start, &alen, 2);
		assert_int_equal(sockdiag_parse_msg(buf, newlen, PROTO_TCP, &r, &r_x, NULL), 0);
		assert_true(r.flags & SOCK_HAS_INFO);
		assert_int_equal(r.rtt_us, full.rtt_us);
		assert_int_equal(r_x.rttvar_us, full_x.rttvar_us);
		assert_int_equal(r.bytes_acked, 0);
		assert_int_equal(r.bytes_received, 0);
		assert_int_equal(r_x.segs_in, 0);
		assert_int_equal(r.cookie, full.cookie);
		free(buf);
	}
	frames_free(&fr);
}

static void test_not_inet_family(void **state)
{
	struct frames fr;
	unsigned char *buf;
	uint32_t mlen;
	struct sock_rec r;

	(void)state;
	frames_load(&fr, "netlink/tcp6.bin");
	mlen = nl_len_at(fr.f[0].p, 0);
	buf = copy_exact(fr.f[0].p, mlen);
	buf[16] = 1;	/* AF_UNIX */
	assert_int_equal(sockdiag_parse_msg(buf, mlen, PROTO_TCP, &r, NULL, NULL), -EINVAL);
	free(buf);
	frames_free(&fr);
}

/* One NLMSG_ERROR message carrying errno e; payload_len bytes of its payload. */
static size_t put_error(unsigned char *buf, int e, size_t payload_len, uint32_t seq)
{
	struct nlmsghdr h = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + payload_len),
		.nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq,
	};
	struct nlmsgerr err = { .error = e };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + NLMSG_HDRLEN, &err, payload_len < sizeof(err) ? payload_len : sizeof(err));
	return NLMSG_HDRLEN + payload_len;
}

static void test_nlmsg_error(void **state)
{
	unsigned char msg[256];
	struct sockdiag_walker w;
	size_t nsocks, len;

	(void)state;
	len = put_error(msg, -EPERM, sizeof(struct nlmsgerr), FIXTURE_SEQ);
	assert_int_equal(walk_copy(msg, len, &w, &nsocks), SOCKDIAG_ERROR);
	assert_int_equal(w.error, -EPERM);
	/* an ACK (error 0) or a positive value in a dump is still an error */
	len = put_error(msg, 0, sizeof(struct nlmsgerr), FIXTURE_SEQ);
	assert_int_equal(walk_copy(msg, len, &w, &nsocks), SOCKDIAG_ERROR);
	assert_int_equal(w.error, -EPROTO);
	len = put_error(msg, 5, sizeof(struct nlmsgerr), FIXTURE_SEQ);
	assert_int_equal(walk_copy(msg, len, &w, &nsocks), SOCKDIAG_ERROR);
	assert_int_equal(w.error, -EPROTO);
	/* too short to hold its error: said so, and nothing past it read */
	for (size_t p = 0; p < sizeof(struct nlmsgerr); p++) {
		len = put_error(msg, -EPERM, p, FIXTURE_SEQ);
		assert_int_equal(walk_copy(msg, len, &w, &nsocks), SOCKDIAG_ERROR);
		assert_int_equal(w.error, -EBADMSG);
	}
	/* another request's error is not ours */
	len = put_error(msg, -EPERM, sizeof(struct nlmsgerr), FIXTURE_SEQ + 7);
	assert_int_equal(walk_copy(msg, len, &w, &nsocks), SOCKDIAG_MORE);
	assert_int_equal(w.error, 0);
}

/* An error after some sockets: those are kept, the walk stops there. */
static void test_error_after_sockets(void **state)
{
	struct frames fr;
	unsigned char *buf;
	struct sockdiag_walker w;
	size_t nsocks, len;

	(void)state;
	frames_load(&fr, "netlink/udp4.bin");
	len = fr.f[0].len;
	buf = malloc(len + 64);
	memcpy(buf, fr.f[0].p, len);
	len += put_error(buf + len, -ENOMEM, sizeof(struct nlmsgerr), FIXTURE_SEQ);
	assert_int_equal(walk_copy(buf, len, &w, &nsocks), SOCKDIAG_ERROR);
	assert_int_equal(w.error, -ENOMEM);
	assert_int_equal(nsocks, 2);
	free(buf);
	frames_free(&fr);
}

static void test_dump_interrupted(void **state)
{
	struct frames fr;
	unsigned char *buf;
	struct sockdiag_walker w;
	size_t nsocks;
	uint16_t flags;

	(void)state;
	frames_load(&fr, "netlink/tcp6.bin");
	/* on a socket message */
	buf = copy_exact(fr.f[0].p, fr.f[0].len);
	memcpy(&flags, buf + 6, 2);
	flags |= NLM_F_DUMP_INTR;
	memcpy(buf + 6, &flags, 2);
	assert_int_equal(walk_copy(buf, fr.f[0].len, &w, &nsocks), SOCKDIAG_MORE);
	assert_true(w.interrupted);
	assert_int_equal(nsocks, 5);
	free(buf);
	/* on the DONE message */
	buf = copy_exact(fr.f[1].p, fr.f[1].len);
	memcpy(&flags, buf + 6, 2);
	flags |= NLM_F_DUMP_INTR;
	memcpy(buf + 6, &flags, 2);
	assert_int_equal(walk_copy(buf, fr.f[1].len, &w, &nsocks), SOCKDIAG_DONE);
	assert_true(w.interrupted);
	free(buf);
	/* not set: not interrupted */
	assert_int_equal(walk_copy(fr.f[1].p, fr.f[1].len, &w, &nsocks), SOCKDIAG_DONE);
	assert_false(w.interrupted);
	frames_free(&fr);
}

/* Other message types (NLMSG_NOOP, say) are stepped over. */
static void test_other_types_skipped(void **state)
{
	struct frames fr;
	unsigned char *buf;
	struct sockdiag_walker w;
	size_t nsocks;
	uint16_t type = NLMSG_NOOP;

	(void)state;
	frames_load(&fr, "netlink/udp4.bin");
	buf = copy_exact(fr.f[0].p, fr.f[0].len);
	memcpy(buf + 4, &type, 2);
	assert_int_equal(walk_copy(buf, fr.f[0].len, &w, &nsocks), SOCKDIAG_MORE);
	assert_int_equal(nsocks, 1);
	assert_int_equal(w.malformed, 0);
	free(buf);
	frames_free(&fr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_replay_tcp4_info),
		cmocka_unit_test(test_replay_tcp6),
		cmocka_unit_test(test_replay_udp),
		cmocka_unit_test(test_info_only_for_tcp),
		cmocka_unit_test(test_sequence_filter),
		cmocka_unit_test(test_truncated_frames),
		cmocka_unit_test(test_truncated_messages),
		cmocka_unit_test(test_corrupt_nlmsg_len),
		cmocka_unit_test(test_corrupt_nla_len),
		cmocka_unit_test(test_attr_header_past_unaligned_end),
		cmocka_unit_test(test_short_tcp_info),
		cmocka_unit_test(test_not_inet_family),
		cmocka_unit_test(test_nlmsg_error),
		cmocka_unit_test(test_error_after_sockets),
		cmocka_unit_test(test_dump_interrupted),
		cmocka_unit_test(test_other_types_skipped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
