/* test_snapshot.c: rates derived from two hand-built snapshots, and the
 * address helpers every printer uses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>

#include "build.h"
#include "grow.h"
#include "model/model.h"
#include "snapshot.h"

/* Two snapshots dt seconds apart, both with tcp_info. */
static void pair(struct snapshot **prev, struct snapshot **cur, double dt)
{
	*prev = snapshot_new(0);
	*cur = snapshot_new(0);
	(*prev)->mono = (struct timespec){ .tv_sec = 100 };
	(*cur)->mono.tv_sec = 100 + (time_t)dt;
	(*cur)->mono.tv_nsec = (long)((dt - floor(dt)) * 1e9);
	(*prev)->flags = (*cur)->flags = SNAP_HAS_INFO;
}

static struct sock_rec *info_sock(struct snapshot *s, uint64_t cookie, uint16_t lport,
				  uint64_t received, uint64_t acked)
{
	struct sock_rec *r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", lport, "10.0.0.2", 443);

	r->cookie = cookie;
	r->flags |= SOCK_HAS_INFO;
	r->bytes_received = received;
	r->bytes_acked = acked;
	return r;
}

static void test_no_previous(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct iface_rec *i;

	(void)state;
	s->interval = 5;	/* whatever was there */
	s->flags = SNAP_HAS_INFO;
	info_sock(s, 1, 1, 100, 100);
	i = build_iface(s, 1, "lo");
	i->rx_bytes = 10;
	snapshot_derive(s, NULL);
	assert_true(s->interval == 0);
	assert_false(s->socks[0].flags & SOCK_HAS_RATE);
	assert_false(s->ifaces[0].has_rate);
	snapshot_free(s);
}

static void test_socket_rates_by_cookie(void **state)
{
	struct snapshot *prev, *cur;

	(void)state;
	pair(&prev, &cur, 2.0);
	info_sock(prev, 0xa, 1000, 1000, 500);
	info_sock(prev, 0xb, 1001, 5000, 5000);
	info_sock(prev, 0xc, 1002, 0, 0);
	info_sock(prev, 0xd, 1003, 0, 0);
	/* in another order, as dumps come */
	info_sock(cur, 0xd, 1099, 100, 100);		/* same cookie, other ports: a new socket */
	info_sock(cur, 0xb, 1001, 4000, 6000);		/* received went backwards: a reset */
	info_sock(cur, 0xe, 1004, 100, 100);		/* new */
	info_sock(cur, 0xa, 1000, 3000, 1500);
	info_sock(cur, 0xc, 1002, 10, 10)->flags &= (uint8_t)~SOCK_HAS_INFO;	/* no tcp_info now */
	snapshot_derive(cur, prev);
	assert_true(cur->interval == 2.0);

	assert_int_equal(cur->socks[3].cookie, 0xa);
	assert_true(cur->socks[3].flags & SOCK_HAS_RATE);
	assert_true(cur->socks[3].rx_bps == 1000.0f);
	assert_true(cur->socks[3].tx_bps == 500.0f);
	for (int i = 0; i < 5; i++) {
		if (i == 3)
			continue;
		assert_false(cur->socks[i].flags & SOCK_HAS_RATE);
		assert_true(cur->socks[i].rx_bps == 0 && cur->socks[i].tx_bps == 0);
	}
	snapshot_free(prev);
	snapshot_free(cur);
}

/* Thousands of sockets, so that the cookie table collides and wraps. */
static void test_many_sockets(void **state)
{
	struct snapshot *prev, *cur;
	const size_t n = 5000;

	(void)state;
	pair(&prev, &cur, 0.5);
	for (size_t i = 0; i < n; i++)
		info_sock(prev, (i * 7919) << 20 | 1, (uint16_t)i, i, 2 * i);
	for (size_t i = n; i-- > 0;)
		info_sock(cur, (i * 7919) << 20 | 1, (uint16_t)i, i + 50, 2 * i + 100);
	snapshot_derive(cur, prev);
	for (size_t i = 0; i < n; i++) {
		const struct sock_rec *r = &cur->socks[i];

		assert_true(r->flags & SOCK_HAS_RATE);
		assert_true(r->rx_bps == 100.0f);
		assert_true(r->tx_bps == 200.0f);
	}
	snapshot_free(prev);
	snapshot_free(cur);
}

/* The same order as prev's, as a dump gives it, with a socket gone and
 * one new in between: each is found where prev had it, or by its cookie. */
static void test_socket_rates_in_dump_order(void **state)
{
	struct snapshot *prev, *cur;
	const size_t n = 3000;

	(void)state;
	pair(&prev, &cur, 1.0);
	for (size_t i = 0; i < n; i++)
		info_sock(prev, i + 1, (uint16_t)i, i, i);
	for (size_t i = 0; i < n; i++) {
		if (i == 1000)
			continue;	/* gone */
		if (i == 2000)
			info_sock(cur, n + 5, 9, 0, 0);	/* new */
		info_sock(cur, i + 1, (uint16_t)i, i + 7, i + 9);
	}
	info_sock(cur, 1001, 1000, 1000, 1000);	/* the gone one, back last: found by cookie */
	snapshot_derive(cur, prev);
	for (size_t i = 0; i < cur->nsocks; i++) {
		const struct sock_rec *r = &cur->socks[i];

		if (r->cookie == n + 5) {
			assert_false(r->flags & SOCK_HAS_RATE);
			continue;
		}
		assert_true(r->flags & SOCK_HAS_RATE);
		if (r->cookie == 1001) {
			assert_true(r->rx_bps == 0.0f);	/* 1000 - 1000: unchanged */
			continue;
		}
		assert_true(r->rx_bps == 7.0f);
		assert_true(r->tx_bps == 9.0f);
	}
	snapshot_free(prev);
	snapshot_free(cur);
}

/* Without tcp_info in both samples there are no socket rates at all. */
static void test_socket_rates_need_info(void **state)
{
	struct snapshot *prev, *cur;

	(void)state;
	pair(&prev, &cur, 1.0);
	prev->flags = 0;
	info_sock(prev, 1, 1, 0, 0);
	info_sock(cur, 1, 1, 10, 10);
	snapshot_derive(cur, prev);
	assert_true(cur->interval == 1.0);
	assert_false(cur->socks[0].flags & SOCK_HAS_RATE);
	snapshot_free(prev);
	snapshot_free(cur);
}

static struct iface_rec *counters_iface(struct snapshot *s, uint32_t ifindex, uint64_t rx,
					uint64_t tx, uint64_t rxp, uint64_t txp)
{
	struct iface_rec *r = build_iface(s, ifindex, "eth");

	r->rx_bytes = rx, r->tx_bytes = tx, r->rx_packets = rxp, r->tx_packets = txp;
	return r;
}

static void test_interface_rates_by_ifindex(void **state)
{
	struct snapshot *prev, *cur;
	const struct iface_rec *r;

	(void)state;
	pair(&prev, &cur, 4.0);
	counters_iface(prev, 1, 1000, 1000, 10, 10);
	counters_iface(prev, 2, 0, 0, 0, 0);
	counters_iface(prev, 7, 100, 100, 100, 100);
	counters_iface(prev, 8, 100, 100, 100, 100);
	counters_iface(cur, 2, 4000, 8000, 40, 80);
	counters_iface(cur, 1, 1000, 1400, 10, 14);
	counters_iface(cur, 3, 5, 5, 5, 5);		/* new */
	counters_iface(cur, 7, 50, 200, 200, 200);	/* rx went backwards: counters reset */
	counters_iface(cur, 8, 200, 200, 200, 99);	/* tx packets went backwards */
	snapshot_derive(cur, prev);

	r = &cur->ifaces[0];
	assert_true(r->has_rate);
	assert_true(r->rx_bps == 1000 && r->tx_bps == 2000 && r->rx_pps == 10 && r->tx_pps == 20);
	r = &cur->ifaces[1];
	assert_true(r->has_rate);
	assert_true(r->rx_bps == 0 && r->tx_bps == 100 && r->rx_pps == 0 && r->tx_pps == 1);
	assert_false(cur->ifaces[2].has_rate);
	for (int i = 3; i < 5; i++) {
		r = &cur->ifaces[i];
		assert_false(r->has_rate);
		/* never negative, never huge: nothing at all */
		assert_true(r->rx_bps == 0 && r->tx_bps == 0 && r->rx_pps == 0 && r->tx_pps == 0);
	}
	snapshot_free(prev);
	snapshot_free(cur);
}

static void test_counter_rates(void **state)
{
	struct snapshot *prev, *cur;

	(void)state;
	pair(&prev, &cur, 2.0);
	for (int c = 0; c < TCPC_COUNT; c++) {
		prev->tcp.v[c] = 1000;
		cur->tcp.v[c] = 1100;
	}
	prev->tcp.present = cur->tcp.present = (1ULL << TCPC_COUNT) - 1;
	cur->tcp.v[TCPC_retrans_segs] = 10;			/* reset */
	cur->tcp.v[TCPC_listen_drops] = UINT64_MAX;		/* huge, but forward */
	prev->tcp.present &= ~(1ULL << TCPC_out_rsts);		/* new this sample */
	snapshot_derive(cur, prev);

	assert_true(cur->tcp_rate[TCPC_active_opens] == 50.0);
	assert_true(cur->tcp_rate[TCPC_syncookies_sent] == 50.0);
	assert_true(cur->tcp_rate[TCPC_retrans_segs] == 0);
	assert_true(cur->tcp_rate[TCPC_out_rsts] == 0);
	assert_true(cur->tcp_rate[TCPC_listen_drops] > 0);
	/* gauges have no rate */
	assert_false(tcp_counter_has_rate(TCPC_curr_estab));
	assert_false(tcp_counter_has_rate(TCPC_tcp_tw));
	assert_true(tcp_counter_has_rate(TCPC_active_opens));
	assert_true(cur->tcp_rate[TCPC_curr_estab] == 0);
	assert_true(cur->tcp_rate[TCPC_tcp_tw] == 0);
	assert_true(cur->tcp_rate[TCPC_tcp_orphans] == 0);
	for (int c = 0; c < TCPC_COUNT; c++)
		assert_true(cur->tcp_rate[c] >= 0 && isfinite(cur->tcp_rate[c]));
	snapshot_free(prev);
	snapshot_free(cur);
}

/* The same moment, or a clock that went backwards: no interval, no rates. */
static void test_no_time_passed(void **state)
{
	struct snapshot *prev, *cur;

	(void)state;
	for (int k = 0; k < 2; k++) {
		pair(&prev, &cur, 0);
		if (k)
			cur->mono.tv_sec = 99;
		info_sock(prev, 1, 1, 0, 0);
		info_sock(cur, 1, 1, 10, 10);
		counters_iface(prev, 1, 0, 0, 0, 0);
		counters_iface(cur, 1, 10, 10, 1, 1);
		prev->tcp.present = cur->tcp.present = 1ULL << TCPC_active_opens;
		cur->tcp.v[TCPC_active_opens] = 5;
		snapshot_derive(cur, prev);
		assert_true(cur->interval == 0);
		assert_false(cur->socks[0].flags & SOCK_HAS_RATE);
		assert_false(cur->ifaces[0].has_rate);
		assert_true(cur->tcp_rate[TCPC_active_opens] == 0);
		snapshot_free(prev);
		snapshot_free(cur);
	}
}

static void test_counter_names(void **state)
{
	(void)state;
	assert_string_equal(tcp_counter_key(TCPC_syncookies_sent), "SyncookiesSent");
	assert_string_equal(tcp_counter_json(TCPC_syncookies_sent), "syncookies_sent");
	assert_string_equal(tcp_counter_section(TCPC_syncookies_sent), "TcpExt");
	assert_string_equal(tcp_counter_section(TCPC_active_opens), "Tcp");
	assert_string_equal(tcp_counter_json(TCPC_tcp_req_q_full_do_cookies),
			    "tcp_req_q_full_do_cookies");
	assert_true(TCPC_COUNT <= 64);	/* present is a 64-bit mask */
}

static void test_addresses(void **state)
{
	uint8_t a[16];
	char buf[64];

	(void)state;
	build_addr(6, "::ffff:10.1.2.3", a);
	assert_true(addr_is_v4mapped(a));
	build_addr(6, "::10.1.2.3", a);
	assert_false(addr_is_v4mapped(a));
	build_addr(6, "::", a);
	assert_true(addr_is_any(6, a));
	build_addr(4, "0.0.0.0", a);
	a[5] = 1;	/* beyond an IPv4 address: not looked at */
	assert_true(addr_is_any(4, a));
	build_addr(6, "2001:db8::1", a);
	assert_int_equal(addr_format(buf, sizeof(buf), 6, a), 11);
	assert_string_equal(buf, "2001:db8::1");
	assert_int_equal(addr_format(buf, 4, 6, a), 0);	/* too small: empty, not cut */
	assert_string_equal(buf, "");

	build_addr(4, "127.0.0.1", a);
	endpoint_format(buf, sizeof(buf), 4, a, 80, ENDPOINT_NETSTAT);
	assert_string_equal(buf, "127.0.0.1:80");
	endpoint_format(buf, sizeof(buf), 4, a, 0, ENDPOINT_NETSTAT);
	assert_string_equal(buf, "127.0.0.1:*");
	endpoint_format(buf, sizeof(buf), 4, a, 0, ENDPOINT_BRACKET);
	assert_string_equal(buf, "127.0.0.1:0");
	build_addr(6, "::1", a);
	endpoint_format(buf, sizeof(buf), 6, a, 80, ENDPOINT_NETSTAT);
	assert_string_equal(buf, "::1:80");
	endpoint_format(buf, sizeof(buf), 6, a, 80, ENDPOINT_BRACKET);
	assert_string_equal(buf, "[::1]:80");
	endpoint_format(buf, sizeof(buf), 6, a, 0, ENDPOINT_SCREEN);
	assert_string_equal(buf, "[::1]:*");
	build_addr(6, "::", a);
	endpoint_format(buf, sizeof(buf), 6, a, 0, ENDPOINT_NETSTAT);
	assert_string_equal(buf, ":::*");
}

static void test_storage(void **state)
{
	struct snapshot *s = snapshot_new(4);

	(void)state;
	for (int i = 0; i < 3000; i++) {
		struct sock_rec *r = snapshot_add_sock(s);

		assert_non_null(r);
		assert_int_equal(r->owner, OWNER_NONE);
		assert_int_equal(r->flags, 0);
	}
	assert_int_equal(s->nsocks, 3000);
	assert_true(s->socks_cap >= 3000);
	assert_int_equal(snapshot_add_proc(s, 42, 1000, "nginx"), 0);
	assert_int_equal(snapshot_add_proc(s, 43, 0, "sshd"), 1);
	assert_string_equal(s->procs[1].comm, "sshd");
	snapshot_free(s);
	snapshot_free(NULL);
}

/* An IPv6 socket's pair lives in its snapshot's arena: a clone, a
 * recording's next sample and K's batch each get their own, so that none
 * reads the freed one (ASan's build says so where one would). */
static void test_addresses_kept_apart(void **state)
{
	struct snapshot *s = snapshot_new(0), *c, *other = snapshot_new(0);
	struct sock_rec *r, moved, *kill;
	uint8_t want_l[16], want_r[16];

	(void)state;
	r = TCP6(s, ST_ESTABLISHED, "2001:db8::1", 443, "2001:db8::2", 50001);
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 40000);
	build_addr(6, "2001:db8::1", want_l);
	build_addr(6, "2001:db8::2", want_r);
	assert_memory_equal(sock_laddr(r).b, want_l, 16);
	assert_memory_equal(sock_raddr(r).b, want_r, 16);
	/* IPv4 inline, zero-padded when read */
	assert_memory_equal(sock_raddr(&s->socks[1]).b, "\x0a\x00\x00\x02\0\0\0\0\0\0\0\0\0\0\0\0", 16);
	assert_non_null(c = snapshot_clone(s));
	moved = s->socks[0];
	assert_int_equal(snapshot_adopt_addrs(other, &moved), 0);
	assert_non_null(kill = kill_copy_one(&s->socks[0]));
	assert_true(c->socks[0].addr.v6 != s->socks[0].addr.v6);
	assert_true(sock_same_addrs(&c->socks[0], &s->socks[0]));
	assert_false(sock_same_addrs(&c->socks[0], &c->socks[1]));
	snapshot_free(s);
	assert_memory_equal(sock_laddr(&c->socks[0]).b, want_l, 16);
	assert_memory_equal(sock_raddr(&moved).b, want_r, 16);
	assert_memory_equal(sock_laddr(kill).b, want_l, 16);
	free(kill);
	snapshot_free(c);
	snapshot_free(other);
}

/* struct sock_extra: none unless asked (the screen's common sample), kept
 * for every socket once asked, zeros for those added before. */
static void test_extra_when_asked(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	(void)state;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 40000);
	assert_null(snapshot_extra_slot(s, 0));
	assert_null(s->extra);
	assert_int_equal(sock_extra_of(s, r)->uid, 0);
	s->flags |= SNAP_HAS_EXTRA;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.3", 40001);
	build_extra(s, r)->uid = 1000;
	assert_int_equal(sock_extra_of(s, &s->socks[0])->uid, 0);
	assert_int_equal(sock_extra_of(s, &s->socks[1])->uid, 1000);
	snapshot_move_sock(s, 0, 1);
	assert_int_equal(sock_extra_of(s, &s->socks[0])->uid, 1000);
	snapshot_free(s);
}

/* Every small starting capacity grows: 1 + 1 / 2 is 1, and a rule that
 * forgot it wrote the second socket past the end (issue 16). */
static void test_growth_from_every_capacity(void **state)
{
	(void)state;
	for (size_t cap = 0; cap < 70; cap++) {
		struct snapshot *s = snapshot_new(cap);

		assert_int_equal(s->socks_cap, cap);
		for (size_t i = 0; i < 2 * cap + 3; i++) {
			struct sock_rec *r = snapshot_add_sock(s);

			assert_non_null(r);
			assert_true(s->nsocks <= s->socks_cap);
			r->cookie = i;
		}
		for (size_t i = 0; i < s->nsocks; i++)
			assert_int_equal(s->socks[i].cookie, i);
		snapshot_free(s);
	}
	for (size_t cap = 0; cap < 4096; cap++) {
		size_t grown = grow_capacity(cap, cap + 1, 8, 16);

		assert_true(grown > cap);
		assert_true(cap == 0 ? grown == 16 : grown >= cap + cap / 2);
	}
	assert_int_equal(grow_capacity(10, 1000, 8, 16), 1000);
	/* more bytes than a size_t counts: refused, never wrapped */
	assert_int_equal(grow_capacity(SIZE_MAX / 8, SIZE_MAX / 8 + 1, 8, 16), 0);
	assert_int_equal(grow_capacity(SIZE_MAX / 8 - 1, SIZE_MAX / 8, 8, 16), SIZE_MAX / 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_previous),
		cmocka_unit_test(test_socket_rates_by_cookie),
		cmocka_unit_test(test_many_sockets),
		cmocka_unit_test(test_socket_rates_need_info),
		cmocka_unit_test(test_interface_rates_by_ifindex),
		cmocka_unit_test(test_counter_rates),
		cmocka_unit_test(test_no_time_passed),
		cmocka_unit_test(test_counter_names),
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_storage),
		cmocka_unit_test(test_addresses_kept_apart),
		cmocka_unit_test(test_extra_when_asked),
		cmocka_unit_test(test_growth_from_every_capacity),
		cmocka_unit_test(test_socket_rates_in_dump_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
