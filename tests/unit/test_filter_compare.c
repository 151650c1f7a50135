/* test_filter_compare.c: "FIELD OP NUMBER" in the filter language: units,
 * errors that name the column, matches on hand-built sockets, and what
 * the filter asks the kernel for. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "sock_health.h"
#include "view/conn_order.h"
#include "view/filter.h"

static struct filter *parse(const char *expr)
{
	char err[256];
	struct filter *f = filter_parse(expr, NULL, err, sizeof(err));

	if (!f)
		fail_msg("filter '%s': %s", expr, err);
	return f;
}

static void assert_error(const char *expr, const char *want)
{
	char err[256] = "";
	struct filter *f = filter_parse(expr, NULL, err, sizeof(err));

	assert_null(f);
	if (strcmp(err, want))
		fail_msg("filter '%s': got \"%s\", want \"%s\"", expr, err, want);
}

/* A fast flow, a slow lossy one, a listener and a UDP socket. */
static struct snapshot *flows(void)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	s->flags |= SNAP_HAS_INFO | SNAP_HAS_EXTRA;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 5001, "10.0.0.2", 40000);
	r->flags |= SOCK_HAS_INFO | SOCK_HAS_RATE;
	r->tx_bps = 5e6f, r->rtt_us = 150000, build_extra(s, r)->cwnd = 80;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 5002, "10.0.0.2", 40001);
	r->flags |= SOCK_HAS_INFO | SOCK_HAS_RATE;
	r->tx_bps = 2e5f, r->rtt_us = 2000;
	build_extra(s, r)->cwnd = 4, build_extra(s, r)->total_retrans = 17;
	TCP4(s, ST_LISTEN, "0.0.0.0", 5001, "0.0.0.0", 0);
	UDP4(s, ST_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	return s;
}

/* The sockets f matches, as a bit per index. */
static unsigned matches(const char *expr, const struct snapshot *s)
{
	struct filter *f = parse(expr);
	unsigned bits = 0;

	for (size_t i = 0; i < s->nsocks; i++)
		bits |= filter_match(f, s, &s->socks[i]) ? 1u << i : 0;
	filter_free(f);
	return bits;
}

static void test_compare_match(void **state)
{
	struct snapshot *s = flows();

	(void)state;
	assert_int_equal(matches("retrans > 0", s), 0x2);
	assert_int_equal(matches("tx > 1M", s), 0x1);
	assert_int_equal(matches("tx > 1000K", s), 0x1);
	assert_int_equal(matches("tx <= 200000", s), 0x2);
	assert_int_equal(matches("rtt > 100ms", s), 0x1);
	assert_int_equal(matches("rtt > 0.1s", s), 0x1);
	assert_int_equal(matches("rtt >= 2000us", s), 0x3);
	assert_int_equal(matches("cwnd < 10", s), 0x2);
	assert_int_equal(matches("cwnd lt 10 or not tcp", s), 0x2 | 0x8);
	/* no value (the listener's rtt, a UDP socket's cwnd): no match, even for != */
	assert_int_equal(matches("rtt != 1ms", s), 0x3);
	assert_int_equal(matches("recv_q = 0", s), 0xf);
	/* a word that is no comparison stays a text search */
	assert_int_equal(matches("rtt", s), 0);
	snapshot_free(s);
}

static void test_compare_health(void **state)
{
	struct snapshot *s = flows();
	struct sock_health *h;

	(void)state;
	/* no health records: nothing to compare */
	assert_int_equal(matches("lost >= 0", s), 0);
	s->flags |= SNAP_HAS_HEALTH;
	for (size_t i = 0; i < s->nsocks; i++)
		assert_non_null(sock_health_slot(s, i));
	h = &s->health[1];
	h->flags = HEALTH_INFO | HEALTH_RATES | HEALTH_MEM;
	h->lost = 3, h->busy_share = 0.75f;
	s->health[3].flags = HEALTH_MEM, s->health[3].drops = 9;
	assert_int_equal(matches("lost > 0", s), 0x2);
	assert_int_equal(matches("busy > 50%", s), 0x2);
	assert_int_equal(matches("busy > 80", s), 0);
	assert_int_equal(matches("drops > 0", s), 0x8);
	snapshot_free(s);
}

static void test_compare_needs(void **state)
{
	struct filter *f;

	(void)state;
	f = parse("retrans > 0");
	assert_true(filter_needs_info(f));
	assert_false(filter_needs_health(f));
	filter_free(f);
	f = parse("tcp and (lost > 0 or state listen)");
	assert_true(filter_needs_health(f));
	filter_free(f);
	f = parse("recv_q > 0");
	assert_false(filter_needs_info(f));
	filter_free(f);
	assert_false(filter_needs_info(NULL));
}

static void test_compare_errors(void **state)
{
	(void)state;
	assert_error("rtt > abc", "filter: 'abc' is not a time (as 100ms, 1.5s, 200us) for 'rtt' at column 7");
	assert_error("rx > 1Q", "filter: '1Q' is not a number of bytes (as 1500, 64K, 1.5M) for 'rx' at column 6");
	assert_error("cwnd <", "filter: expected a number (as 10, 2K) after 'cwnd <' at column 1");
	assert_error("busy > 5ms", "filter: '5ms' is not a share (as 50%) for 'busy' at column 8");
	assert_error("retrans > (", "filter: expected a number (as 10, 2K) after 'retrans >' at column 1");
	assert_error("retrans > -1", "filter: '-1' is not a number (as 10, 2K) for 'retrans' at column 11");
}

/* Sorting by a health field: sockets without a value first (ascending),
 * values past a float's 24 bits told apart by the comparator. */
static void test_sort_by_health(void **state)
{
	struct snapshot *s = flows();
	struct view_options all = { 1u << PROTO_TCP | 1u << PROTO_UDP, LISTEN_ALL, NULL };
	struct conn_sort by_retrans = { FIELD_RETRANS, true }, by_delivery = { FIELD_DELIVERY, false };
	struct conn_order o;

	(void)state;
	assert_int_equal(conn_order_build(&o, s, &all, &by_retrans), 0);
	assert_int_equal(conn_order_at(&o, 0), 1);		/* 17 retransmits */
	assert_int_equal(conn_order_at(&o, 1), 0);		/* 0 */
	conn_order_free(&o);
	s->flags |= SNAP_HAS_HEALTH;
	for (size_t i = 0; i < s->nsocks; i++)
		assert_non_null(sock_health_slot(s, i));
	s->health[0].flags = s->health[1].flags = HEALTH_INFO;
	s->health[0].delivery_rate = 100000001;			/* one float apart from ... */
	s->health[1].delivery_rate = 100000000;			/* ... this one */
	assert_int_equal(conn_order_build(&o, s, &all, &by_delivery), 0);
	assert_int_equal(conn_order_at(&o, 2), 1);
	assert_int_equal(conn_order_at(&o, 3), 0);
	assert_true(conn_order_at(&o, 0) >= 2);			/* no value: first */
	conn_order_free(&o);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compare_match),
		cmocka_unit_test(test_compare_health),
		cmocka_unit_test(test_compare_needs),
		cmocka_unit_test(test_compare_errors),
		cmocka_unit_test(test_sort_by_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
