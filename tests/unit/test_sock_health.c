/* test_sock_health.c: the health records: a sock_diag message with
 * tcp_info, INET_DIAG_CONG and INET_DIAG_SKMEMINFO parsed (and cut at every
 * length), the walker filling the side array only when asked, and the
 * shares of time derived against the sample before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>

#include "build.h"
#include "sample/sockdiag.h"
#include "sock_health.h"

static size_t put_attr(uint8_t *p, uint16_t type, const void *data, size_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(p, &a, sizeof(a));
	memcpy(p + NLA_HDRLEN, data, len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

/* One TCP socket's message; cong: the algorithm's name as the kernel sends it. */
static size_t message(uint8_t *buf, const char *cong)
{
	struct nlmsghdr h = { .nlmsg_type = SOCK_DIAG_BY_FAMILY };
	struct inet_diag_msg d = { .idiag_family = AF_INET, .idiag_state = 1 };
	struct tcp_info info;
	uint32_t mem[SK_MEMINFO_VARS] = { 0 };
	size_t n = NLMSG_HDRLEN;

	memset(&info, 0, sizeof(info));
	info.tcpi_total_retrans = 7, info.tcpi_lost = 2, info.tcpi_snd_ssthresh = 30;
	info.tcpi_min_rtt = 1500, info.tcpi_unacked = 5, info.tcpi_notsent_bytes = 4096;
	info.tcpi_delivery_rate = 123456, info.tcpi_pacing_rate = 234567;
	info.tcpi_busy_time = 2000000, info.tcpi_rwnd_limited = 500000;
	mem[SK_MEMINFO_RMEM_ALLOC] = 100, mem[SK_MEMINFO_WMEM_ALLOC] = 20, mem[SK_MEMINFO_DROPS] = 3;
	d.id.idiag_sport = htons(80);
	memcpy(buf + n, &d, sizeof(d));
	n += NLMSG_ALIGN(sizeof(d));
	n += put_attr(buf + n, INET_DIAG_INFO, &info, sizeof(info));
	n += put_attr(buf + n, INET_DIAG_CONG, cong, strlen(cong) + 1);
	n += put_attr(buf + n, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
	h.nlmsg_len = (uint32_t)n;
	memcpy(buf, &h, sizeof(h));
	return n;
}

static void test_parse(void **state)
{
	uint8_t buf[1024];
	size_t len = message(buf, "cubic");
	struct sock_health h;

	(void)state;
	memset(&h, 0, sizeof(h));
	assert_int_equal(sockdiag_parse_health(buf, len, PROTO_TCP, &h), 0);
	assert_int_equal(h.flags, HEALTH_INFO | HEALTH_CONG | HEALTH_MEM);
	assert_int_equal(h.lost, 2);
	assert_int_equal(h.ssthresh, 30);
	assert_int_equal(h.min_rtt_us, 1500);
	assert_int_equal(h.unacked, 5);
	assert_int_equal(h.notsent, 4096);
	assert_int_equal(h.delivery_rate, 123456);
	assert_int_equal(h.pacing_rate, 234567);
	assert_int_equal(h.busy_us, 2000000);
	assert_string_equal(h.cong, "cubic");
	assert_int_equal(h.rmem, 100);
	assert_int_equal(h.drops, 3);
	/* UDP: memory only */
	memset(&h, 0, sizeof(h));
	assert_int_equal(sockdiag_parse_health(buf, len, PROTO_UDP, &h), 0);
	assert_int_equal(h.flags, HEALTH_MEM);
	/* a name with a control byte is no name */
	len = message(buf, "cu\x1b[2J");
	memset(&h, 0, sizeof(h));
	assert_int_equal(sockdiag_parse_health(buf, len, PROTO_TCP, &h), 0);
	assert_false(h.flags & HEALTH_CONG);
}

/* Every cut: a clean error or a parse, never a read past the cut (ASan). */
static void test_cuts(void **state)
{
	uint8_t buf[1024];
	size_t len = message(buf, "bbr");

	(void)state;
	for (size_t cut = 0; cut < len; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		struct sock_health h;
		uint32_t nl = (uint32_t)cut;

		memcpy(copy, buf, cut);
		if (cut >= sizeof(struct nlmsghdr))
			memcpy(copy, &nl, sizeof(nl));	/* a message of the cut's length */
		memset(&h, 0, sizeof(h));
		(void)sockdiag_parse_health(copy, cut, PROTO_TCP, &h);
		free(copy);
	}
}

/* The walker fills the side array only in samples that ask for it. */
static void test_walk(void **state)
{
	uint8_t buf[1024];
	size_t len = message(buf, "bbr");
	struct snapshot *plain = snapshot_new(0), *health = snapshot_new(0);
	struct sockdiag_walker w = { .proto = PROTO_TCP };
	const struct sock_health *h;

	(void)state;
	sockdiag_walk_buf(&w, buf, len, plain);
	assert_int_equal(plain->nsocks, 1);
	assert_null(plain->health);
	assert_null(sock_health_of(plain, &plain->socks[0]));
	health->flags |= SNAP_HAS_HEALTH;
	sockdiag_walk_buf(&w, buf, len, health);
	sockdiag_walk_buf(&w, buf, len, health);
	assert_int_equal(health->nsocks, 2);
	assert_non_null(h = sock_health_of(health, &health->socks[1]));
	assert_string_equal(h->cong, "bbr");
	/* a record that is no element of the array has none */
	{
		struct sock_rec copy = health->socks[1];

		assert_null(sock_health_of(health, &copy));
	}
	snapshot_free(plain);
	snapshot_free(health);
}

static void test_derive(void **state)
{
	struct snapshot *prev = snapshot_new(0), *cur = snapshot_new(0);
	struct sock_health *h;
	struct sock_rec *r;

	(void)state;
	prev->flags = cur->flags = SNAP_HAS_INFO | SNAP_HAS_HEALTH | SNAP_HAS_EXTRA;
	cur->mono.tv_sec = 1;
	r = TCP4(prev, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 4000);
	r->flags |= SOCK_HAS_INFO, build_extra(prev, r)->total_retrans = 10;
	build_extra(prev, r)->segs_out = UINT32_MAX - 4, build_extra(prev, r)->segs_in = 100;
	h = sock_health_slot(prev, 0);
	h->flags = HEALTH_INFO, h->busy_us = 1000000, h->rwnd_limited_us = 0;
	r = TCP4(cur, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 4000);
	r->flags |= SOCK_HAS_INFO, build_extra(cur, r)->total_retrans = 30;
	/* segs_out wrapped from UINT32_MAX - 4 */
	build_extra(cur, r)->segs_out = 5, build_extra(cur, r)->segs_in = 400;
	h = sock_health_slot(cur, 0);
	h->flags = HEALTH_INFO, h->busy_us = 1500000, h->rwnd_limited_us = 250000;
	h->sndbuf_limited_us = 9000000;		/* more than the interval: capped */
	snapshot_derive(cur, prev);
	h = &cur->health[0];
	assert_true(h->flags & HEALTH_RATES);
	assert_float_equal(h->retrans_ps, 20, 0.001);
	assert_float_equal(h->segs_out_ps, 10, 0.001);
	assert_float_equal(h->segs_in_ps, 300, 0.001);
	assert_float_equal(h->busy_share, 0.5, 0.001);
	assert_float_equal(h->rwnd_limited_share, 0.25, 0.001);
	assert_float_equal(h->sndbuf_limited_share, 1, 0.001);
	snapshot_free(prev);
	snapshot_free(cur);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_cuts),
		cmocka_unit_test(test_walk),
		cmocka_unit_test(test_derive),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
