/* test_group_rates.c: bytes per second summed per remote address and per
 * listener, on hand-built snapshots with rates set. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "sock_health.h"
#include "view/group_rates.h"

#define ALL_PROTOS (1u << PROTO_TCP | 1u << PROTO_UDP)

static struct sock_rec *rated(struct snapshot *s, struct sock_rec *r, float rx, float tx,
			      uint32_t retrans)
{
	r->flags |= SOCK_HAS_INFO | SOCK_HAS_RATE;
	r->rx_bps = rx;
	r->tx_bps = tx;
	build_extra(s, r)->total_retrans = retrans;
	r->bytes_acked = (uint64_t)tx * 10;
	return r;
}

/* A server: a wildcard listener on 80 (IPv6, so IPv4 clients come mapped),
 * one on 10.0.0.1:22 and one on 0.0.0.0:22; clients from two addresses. */
static struct snapshot *server(void)
{
	struct snapshot *s = snapshot_new(0);

	s->interval = 1;
	s->flags |= SNAP_HAS_INFO | SNAP_HAS_EXTRA;
	TCP6(s, ST_LISTEN, "::", 80, "::", 0);						/* 0 */
	TCP4(s, ST_LISTEN, "10.0.0.1", 22, "0.0.0.0", 0);				/* 1 */
	TCP4(s, ST_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);				/* 2 */
	rated(s, TCP6(s, ST_ESTABLISHED, "::ffff:10.0.0.1", 80, "::ffff:192.0.2.7", 5001), 10, 1000, 3);
	rated(s, TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "192.0.2.7", 5002), 20, 2000, 0);
	rated(s, TCP4(s, ST_ESTABLISHED, "10.0.0.2", 22, "198.51.100.9", 5003), 40, 4000, 1);
	TCP4(s, ST_TIME_WAIT, "10.0.0.2", 22, "198.51.100.9", 5004);			/* no rate */
	rated(s, TCP4(s, ST_ESTABLISHED, "10.0.0.1", 41000, "203.0.113.5", 443), 80, 8000, 0); /* a client */
	UDP4(s, ST_ESTABLISHED, "10.0.0.1", 5353, "192.0.2.7", 53);
	return s;
}

static void test_remote_rates(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct remote_row *rows;
	long n = view_top_remote(s, &all, 0, &rows);

	(void)state;
	assert_int_equal(n, 3);
	assert_int_equal(view_remote_rates(s, &all, rows, (size_t)n), 0);
	/* 192.0.2.7: two connections, one of them IPv4-mapped */
	assert_int_equal(rows[0].connections, 2);
	assert_true(rows[0].has_rate);
	assert_float_equal(rows[0].rx_bps, 30, 0.01);
	assert_float_equal(rows[0].tx_bps, 3000, 0.01);
	assert_float_equal(rows[1].tx_bps, 4000, 0.01);		/* 198.51.100.9 */
	assert_float_equal(rows[2].tx_bps, 8000, 0.01);		/* 203.0.113.5 */
	free(rows);
	/* no interval: no rates */
	s->interval = 0;
	n = view_top_remote(s, &all, 0, &rows);
	assert_int_equal(view_remote_rates(s, &all, rows, (size_t)n), 0);
	assert_false(rows[0].has_rate);
	assert_float_equal(rows[0].tx_bps, 0, 0.01);
	free(rows);
	snapshot_free(s);
}

static void test_listener_rates(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct listener_rate *rows;
	long n = view_listener_rates(s, &all, &rows);

	(void)state;
	assert_int_equal(n, 3);
	/* [::]:80 took the IPv4-mapped client */
	assert_int_equal(rows[0].sock, 0);
	assert_int_equal(rows[0].connections, 1);
	assert_float_equal(rows[0].tx_bps, 1000, 0.01);
	assert_int_equal(rows[0].retrans, 3);
	/* 10.0.0.1:22 is exact: its client is not the wildcard's */
	assert_int_equal(rows[1].connections, 1);
	assert_float_equal(rows[1].tx_bps, 2000, 0.01);
	assert_int_equal(rows[1].tx_bytes, 20000);
	/* 0.0.0.0:22 took 10.0.0.2's, the TIME_WAIT one counted without bytes */
	assert_int_equal(rows[2].connections, 2);
	assert_float_equal(rows[2].rx_bps, 40, 0.01);
	assert_int_equal(rows[2].retrans, 1);
	assert_true(rows[2].has_rate);
	assert_ptr_equal(listener_rate_find(rows, (size_t)n, 2), &rows[2]);
	assert_null(listener_rate_find(rows, (size_t)n, 3));
	free(rows);
	snapshot_free(s);
}

/* Segments per second come from the health records, where a sample has them. */
static void test_segment_rates(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct remote_row *rows;
	struct listener_rate *ls;
	long n;

	(void)state;
	s->flags |= SNAP_HAS_HEALTH;
	for (size_t i = 0; i < s->nsocks; i++)
		assert_non_null(sock_health_slot(s, i));
	s->health[3].flags = HEALTH_INFO | HEALTH_RATES;	/* the mapped client of [::]:80 */
	s->health[3].segs_in_ps = 5, s->health[3].segs_out_ps = 700;
	s->health[4].flags = HEALTH_INFO | HEALTH_RATES;
	s->health[4].segs_out_ps = 300;
	s->health[5].flags = HEALTH_INFO;			/* no rates: not summed */
	s->health[5].segs_out_ps = 1e6f;
	n = view_top_remote(s, &all, 0, &rows);
	assert_int_equal(view_remote_rates(s, &all, rows, (size_t)n), 0);
	assert_true(rows[0].has_pps);
	assert_float_equal(rows[0].tx_pps, 1000, 0.01);
	assert_float_equal(rows[0].rx_pps, 5, 0.01);
	assert_float_equal(rows[1].tx_pps, 0, 0.01);
	free(rows);
	n = view_listener_rates(s, &all, &ls);
	assert_int_equal(n, 3);
	assert_float_equal(ls[0].tx_pps, 700, 0.01);
	assert_float_equal(ls[1].tx_pps, 300, 0.01);
	free(ls);
	snapshot_free(s);
}

static void test_udp_remotes(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct udp_remote_row *rows;
	struct sock_rec *r;
	long n;

	(void)state;
	r = UDP6(s, ST_ESTABLISHED, "::ffff:10.0.0.1", 5354, "::ffff:192.0.2.7", 53);
	r->recv_q = 300, r->send_q = 7;
	UDP4(s, ST_ESTABLISHED, "10.0.0.1", 5355, "198.51.100.9", 53)->recv_q = 5;
	UDP4(s, ST_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);			/* unconnected */
	n = view_udp_remotes(s, &all, &rows);
	assert_int_equal(n, 2);
	assert_int_equal(rows[0].family, 4);			/* 192.0.2.7: two, one mapped */
	assert_int_equal(rows[0].sockets, 2);
	assert_int_equal(rows[0].recv_q, 300);
	assert_int_equal(rows[0].send_q, 7);
	assert_false(rows[0].has_drops);
	assert_int_equal(rows[1].recv_q, 5);
	free(rows);
	snapshot_free(s);
}

/* The census sums the visible TCP sockets' rates: the connections pane's total line. */
static void test_census_totals(void **state)
{
	struct snapshot *s = server();
	struct view_options all = { ALL_PROTOS, LISTEN_ALL, NULL };
	struct view_options no_listeners = { ALL_PROTOS, LISTEN_EXCLUDE, NULL };
	struct census c, half;

	(void)state;
	assert_int_equal(view_census(s, &all, &c, NULL), 0);
	assert_float_equal(c.tx_bps, 15000, 0.01);
	assert_float_equal(c.rx_bps, 150, 0.01);
	/* two halves add up */
	view_census_range(s, &no_listeners, 0, 4, &c, NULL);
	view_census_range(s, &no_listeners, 4, s->nsocks, &half, NULL);
	census_add(&c, &half);
	assert_float_equal(c.tx_bps, 15000, 0.01);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remote_rates),
		cmocka_unit_test(test_listener_rates),
		cmocka_unit_test(test_udp_remotes),
		cmocka_unit_test(test_segment_rates),
		cmocka_unit_test(test_census_totals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
