/* test_model_conntrack.c: the conntrack pane's model (C): the request asks
 * for the table only while the pane is shown (or --conntrack), the rows
 * are the sample's flows in sort order, counted by protocol and TCP state,
 * with the sources that opened the most; the statistics' rates come from
 * two samples; an absent table says why and leaves the rows empty. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <netinet/in.h>

#include "model_fixture.h"

static struct ct_flow *flow(struct ct_table *t, uint8_t proto, const char *src, uint16_t sport,
			    const char *dst, uint16_t dport)
{
	struct ct_flow *f;

	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 8;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		assert_non_null(t->v);
	}
	f = &t->v[t->n++];
	memset(f, 0, sizeof(*f));
	f->family = 4;
	f->orig.proto = f->reply.proto = proto;
	build_addr(4, src, f->orig.src);
	build_addr(4, dst, f->orig.dst);
	f->orig.sport = sport;
	f->orig.dport = dport;
	memcpy(f->reply.src, f->orig.dst, 16);
	memcpy(f->reply.dst, f->orig.src, 16);
	f->reply.sport = dport;
	f->reply.dport = sport;
	f->timeout = 100;
	return f;
}

/* Four flows: two TCP (one NATed) and a UDP one from 10.1.0.5, an ICMP one
 * from 10.1.0.9; drop stands at drops. */
static struct snapshot *sample_with_table(uint32_t count, uint32_t max, uint64_t drops)
{
	struct snapshot *s = fixture_server();
	struct ct_table *t = calloc(1, sizeof(*t));
	struct ct_flow *f;

	assert_non_null(t);
	f = flow(t, IPPROTO_TCP, "10.1.0.5", 40000, "10.2.0.2", 80);
	f->has_tcp_state = true;
	f->tcp_state = TCP_CONNTRACK_ESTABLISHED;
	f->status = IPS_SRC_NAT;
	build_addr(4, "10.2.0.1", f->reply.dst);
	f->reply.dport = 61000;
	f->has_counters = true;
	f->bytes[0] = 500, f->bytes[1] = 700, f->packets[0] = 5, f->packets[1] = 6;
	f = flow(t, IPPROTO_TCP, "10.1.0.5", 40001, "10.2.0.2", 80);
	f->has_tcp_state = true;
	f->tcp_state = TCP_CONNTRACK_TIME_WAIT;
	f->has_counters = true;
	f->bytes[0] = 10;
	f = flow(t, IPPROTO_UDP, "10.1.0.5", 5353, "10.2.0.3", 53);
	f->has_counters = true;
	f->bytes[0] = 3000;
	flow(t, IPPROTO_ICMP, "10.1.0.9", 7, "10.2.0.3", 8 << 8);
	t->count = count;
	t->max = max;
	t->stats.drop = drops;
	s->conntrack = t;
	return s;
}

static void test_request_only_while_shown(void **state)
{
	struct fixture *f = fixture_new(100, NULL);
	struct sample_request req;

	(void)state;
	model_request(&f->m, &req);
	assert_false(req.want_conntrack);
	assert_false(pane_enabled(&f->m, PANE_CONNTRACK));
	assert_true(conntrack_toggle_shown(&f->m) & REDO_RESAMPLE);
	model_request(&f->m, &req);
	assert_true(req.want_conntrack);
	/* shown alone: every other pane steps aside, focus on it */
	assert_true(pane_enabled(&f->m, PANE_CONNTRACK));
	assert_false(pane_enabled(&f->m, PANE_CONNS));
	assert_int_equal(f->m.focus, PANE_CONNTRACK);
	conntrack_toggle_shown(&f->m);
	model_request(&f->m, &req);
	assert_false(req.want_conntrack);
	assert_int_equal(f->m.focus, PANE_CONNS);
	fixture_free(f);
}

static void test_option_opens_on_it(void **state)
{
	static const char *const args[] = { "--conntrack", NULL };
	struct fixture *f = fixture_new(100, args);
	struct sample_request req;

	(void)state;
	assert_true(f->m.conntrack_shown);
	model_request(&f->m, &req);
	assert_true(req.want_conntrack);
	/* hidden again, --conntrack still samples it (the header's alert) */
	conntrack_toggle_shown(&f->m);
	model_request(&f->m, &req);
	assert_true(req.want_conntrack);
	fixture_free(f);
}

static void test_rows_counts_sources(void **state)
{
	struct fixture *f = fixture_new(100, NULL);
	const struct conntrack_data *d = &f->m.conntrack;
	char nat[64];

	(void)state;
	fixture_redo(f, conntrack_toggle_shown(&f->m));
	fixture_feed(f, sample_with_table(4, 1000, 0));
	assert_non_null(d->table);
	assert_int_equal(pane_rows(&f->m, PANE_CONNTRACK), 4);
	/* bytes both ways, most first; no counters last */
	assert_int_equal(rows_conntrack_at(&f->m, 0)->orig.proto, IPPROTO_UDP);
	assert_int_equal(rows_conntrack_at(&f->m, 1)->orig.sport, 40000);
	assert_int_equal(rows_conntrack_at(&f->m, 2)->orig.sport, 40001);
	assert_int_equal(rows_conntrack_at(&f->m, 3)->orig.proto, IPPROTO_ICMP);
	assert_int_equal(d->by_proto[IPPROTO_TCP], 2);
	assert_int_equal(d->by_proto[IPPROTO_UDP], 1);
	assert_int_equal(d->by_proto[IPPROTO_ICMP], 1);
	assert_int_equal(d->by_state[TCP_CONNTRACK_ESTABLISHED], 1);
	assert_int_equal(d->by_state[TCP_CONNTRACK_TIME_WAIT], 1);
	assert_true(d->accounted);
	assert_int_equal(d->ntop, 2);
	assert_int_equal(d->top[0].flows, 3);
	assert_memory_equal(d->top[0].addr, "\x0a\x01\x00\x05", 4);
	assert_int_equal(d->top[1].flows, 1);
	rows_conntrack_nat(rows_conntrack_at(&f->m, 1), nat, sizeof(nat));
	assert_string_equal(nat, "snat 10.2.0.1:61000");
	rows_conntrack_nat(rows_conntrack_at(&f->m, 2), nat, sizeof(nat));
	assert_string_equal(nat, "");
	assert_int_equal(conntrack_alert(d->table), 0);
	fixture_free(f);
}

static void test_sort_by_source_keeps_selection(void **state)
{
	struct fixture *f = fixture_new(100, NULL);

	(void)state;
	fixture_redo(f, conntrack_toggle_shown(&f->m));
	fixture_feed(f, sample_with_table(4, 1000, 0));
	pane_select(&f->m, PANE_CONNTRACK, 3);	/* the ICMP flow */
	f->m.panes[PANE_CONNTRACK].sort = CT_COL_SOURCE;
	f->m.panes[PANE_CONNTRACK].descending = false;
	fixture_settle(f);
	/* 10.1.0.5's three flows by their tuple (destination, protocol,
	 * ports), then 10.1.0.9's */
	assert_int_equal(rows_conntrack_at(&f->m, 0)->orig.sport, 40000);
	assert_int_equal(rows_conntrack_at(&f->m, 1)->orig.sport, 40001);
	assert_int_equal(rows_conntrack_at(&f->m, 2)->orig.proto, IPPROTO_UDP);
	assert_int_equal(rows_conntrack_at(&f->m, 3)->orig.proto, IPPROTO_ICMP);
	assert_int_equal(f->m.panes[PANE_CONNTRACK].sel, 3);
	fixture_free(f);
}

static void test_alert_and_rates(void **state)
{
	struct fixture *f = fixture_new(100, NULL);
	struct snapshot *one = sample_with_table(4, 1000, 10), *two = sample_with_table(950, 1000, 25);
	const struct ct_table *t;
	uint64_t v;
	double rate;

	(void)state;
	fixture_redo(f, conntrack_toggle_shown(&f->m));
	two->mono.tv_sec = one->mono.tv_sec + 2;
	two->mono.tv_nsec = one->mono.tv_nsec;
	snapshot_derive(one, NULL);
	snapshot_derive(two, one);
	/* the first sample: no rate yet */
	assert_false(rows_conntrack_stat_rate(one->conntrack, 0, one->interval, &rate));
	t = two->conntrack;
	assert_string_equal(rows_conntrack_stat(t, 0, &v), "drop");
	assert_int_equal(v, 25);
	assert_true(rows_conntrack_stat_rate(t, 0, two->interval, &rate));
	assert_true(rate > 7.49 && rate < 7.51);
	assert_int_equal(conntrack_alert(t), CT_ALERT_FULL | CT_ALERT_DROPS);
	assert_int_equal(conntrack_fill_permille(t), 950);
	snapshot_free(one);
	fixture_feed(f, two);
	assert_int_equal(conntrack_alert(f->m.conntrack.table), CT_ALERT_FULL | CT_ALERT_DROPS);
	fixture_free(f);
}

static void test_absent_says_why(void **state)
{
	struct fixture *f = fixture_new(100, NULL);
	struct snapshot *s = fixture_server(), *copy;

	(void)state;
	fixture_redo(f, conntrack_toggle_shown(&f->m));
	s->conntrack_absent = "reading conntrack needs CAP_NET_ADMIN";
	copy = snapshot_clone(s);
	assert_non_null(copy);
	assert_string_equal(copy->conntrack_absent, s->conntrack_absent);
	snapshot_free(copy);
	fixture_feed(f, s);
	assert_null(f->m.conntrack.table);
	assert_string_equal(f->m.conntrack.absent, "reading conntrack needs CAP_NET_ADMIN");
	assert_int_equal(pane_rows(&f->m, PANE_CONNTRACK), 0);
	fixture_free(f);
}

static void test_clone_copies_table(void **state)
{
	struct snapshot *s = sample_with_table(4, 1000, 3), *copy;

	(void)state;
	copy = snapshot_clone(s);
	assert_non_null(copy);
	assert_non_null(copy->conntrack);
	assert_ptr_not_equal(copy->conntrack->v, s->conntrack->v);
	assert_int_equal(copy->conntrack->n, 4);
	assert_int_equal(copy->conntrack->stats.drop, 3);
	assert_memory_equal(copy->conntrack->v, s->conntrack->v, 4 * sizeof(struct ct_flow));
	snapshot_free(s);
	snapshot_free(copy);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_only_while_shown),
		cmocka_unit_test(test_option_opens_on_it),
		cmocka_unit_test(test_rows_counts_sources),
		cmocka_unit_test(test_sort_by_source_keeps_selection),
		cmocka_unit_test(test_alert_and_rates),
		cmocka_unit_test(test_absent_says_why),
		cmocka_unit_test(test_clone_copies_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
