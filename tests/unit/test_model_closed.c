/* test_model_closed.c: the screen's log of closed connections
 * (model/closed_log.c, closed_sort.c, rows_closed.c): each sample's destroy
 * events joined to the samples before, newest first, sorted and filtered
 * as the connections pane is, E and Enter, the closed/s counts and the
 * panes sorted by them, the ring's bound, and a replay's jump that starts
 * the log again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "close_event.h"
#include "model/closed_log.h"
#include "model_fixture.h"

/* A sample at mono second sec (interval 1 s), with the listener running. */
static struct snapshot *sample_at(int sec)
{
	struct snapshot *s = snapshot_new(0);

	assert_non_null(s);
	s->mono.tv_sec = sec;
	s->wall.tv_sec = 1700000000 + sec;
	s->interval = sec > 1 ? 1.0 : 0;
	s->flags |= SNAP_HAS_EVENTS | SNAP_HAS_PROCS | SNAP_HAS_INFO;
	return s;
}

/* A connection from 10.0.0.7:port to 10.0.0.1:dport closed at mono ms, its
 * payload rx/tx as the connecting side counts it. */
static struct close_event *closed_add(struct snapshot *s, uint64_t cookie, uint16_t port,
				      uint16_t dport, int64_t ms, uint64_t rx, uint64_t tx)
{
	struct close_event *e;

	s->closed = realloc(s->closed, (s->nclosed + 1) * sizeof(*s->closed));
	assert_non_null(s->closed);
	e = &s->closed[s->nclosed++];
	memset(e, 0, sizeof(*e));
	e->r.cookie = cookie;
	e->r.family = 4;
	e->r.proto = PROTO_TCP;
	e->r.state = ST_CLOSE;
	e->r.flags = SOCK_HAS_INFO;
	build_event_addrs(e, "10.0.0.7", "10.0.0.1");
	e->r.lport = port;
	e->r.rport = dport;
	/* the SYN and the FIN are counted by tcp_info, never by the payload */
	e->r.bytes_acked = tx + 2;
	e->r.bytes_received = rx + 1;
	e->r.rtt_us = 250;
	e->mono.tv_sec = ms / 1000;
	e->mono.tv_nsec = (ms % 1000) * 1000000;
	e->wall.tv_sec = 1700000000 + ms / 1000;
	e->wall.tv_nsec = (ms % 1000) * 1000000;
	return e;
}

static uint64_t cookie_at(const struct fixture *f, size_t row)
{
	return rows_closed_at(&f->m, row)->c.ev.r.cookie;
}

static void test_newest_first_with_bytes(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 101, 40001, 80, 1200, 1000, 5000);
	closed_add(s, 102, 40002, 80, 1500, 7, 9);
	fixture_feed(f, s);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 0);	/* the live form: no sockets */
	assert_int_equal(action_toggle_closed(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_true(f->m.closed_shown);
	assert_ptr_equal(f->m.ops[PANE_CONNS], &pane_closed_model);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 2);
	assert_int_equal(cookie_at(f, 0), 102);
	assert_int_equal(cookie_at(f, 1), 101);
	assert_int_equal(rows_closed_at(&f->m, 1)->c.rx_bytes, 1000);
	assert_int_equal(rows_closed_at(&f->m, 1)->c.tx_bytes, 5000);
	/* never sampled: it lived less than the time since the last sample */
	assert_false(rows_closed_at(&f->m, 1)->c.seen);
	assert_int_equal(rows_closed_at(&f->m, 1)->c.duration_max_ms, 200);
	action_toggle_closed(&f->m);
	assert_ptr_equal(f->m.ops[PANE_CONNS], &pane_conns_model);
	fixture_free(f);
}

static void test_join_to_samples(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);
	struct sock_rec *r;
	int curl = snapshot_add_proc(s, 4242, 1000, "curl");

	(void)state;
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.7", 40009, "10.0.0.1", 443);
	r->cookie = 500;
	r->owner = curl;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 500, 40009, 443, 1750, 10, 20);
	fixture_feed(f, s);
	action_toggle_closed(&f->m);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 1);
	assert_true(rows_closed_at(&f->m, 0)->c.seen);
	assert_int_equal(rows_closed_at(&f->m, 0)->c.duration_ms, 750);
	assert_int_equal(rows_closed_at(&f->m, 0)->c.last_state, ST_ESTABLISHED);
	assert_int_equal(rows_closed_at(&f->m, 0)->c.pid, 4242);
	assert_string_equal(rows_closed_at(&f->m, 0)->c.comm, "curl");
	fixture_free(f);
}

static void test_sort_and_invert(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 1, 40001, 80, 1100, 300, 1);
	closed_add(s, 2, 40002, 80, 1200, 100, 1);
	closed_add(s, 3, 40003, 80, 1300, 200, 1);
	fixture_feed(f, s);
	action_toggle_closed(&f->m);
	f->m.panes[PANE_CONNS].sort = CLOSED_COL_RX;
	f->m.panes[PANE_CONNS].descending = true;
	fixture_redo(f, REDO_RECOMPUTE);
	assert_int_equal(cookie_at(f, 0), 1);
	assert_int_equal(cookie_at(f, 1), 3);
	assert_int_equal(cookie_at(f, 2), 2);
	fixture_redo(f, pane_sort_invert(&f->m));
	assert_int_equal(cookie_at(f, 0), 2);
	assert_int_equal(cookie_at(f, 2), 1);
	/* oldest first, by time ascending */
	f->m.panes[PANE_CONNS].sort = CLOSED_COL_TIME;
	f->m.panes[PANE_CONNS].descending = false;
	fixture_redo(f, REDO_RECOMPUTE);
	assert_int_equal(cookie_at(f, 0), 1);
	assert_int_equal(cookie_at(f, 2), 3);
	fixture_free(f);
}

static void test_filter_dport(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 1, 40001, 80, 1100, 1, 1);
	closed_add(s, 2, 40002, 8080, 1200, 1, 1);
	closed_add(s, 3, 40003, 80, 1300, 1, 1);
	fixture_feed(f, s);
	action_toggle_closed(&f->m);
	assert_true(model_set_filter(&f->m, "dport = :8080"));
	fixture_redo(f, REDO_RECOMPUTE);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 1);
	assert_int_equal(cookie_at(f, 0), 2);
	assert_true(model_set_filter(&f->m, ""));
	fixture_redo(f, REDO_RECOMPUTE);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 3);
	fixture_free(f);
}

static void test_enter_filters_remote(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 1, 40001, 80, 1100, 1, 1);
	fixture_feed(f, s);
	action_toggle_closed(&f->m);
	assert_int_equal(action_enter(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_string_equal(filter_text(f->m.filter), "dst 10.0.0.1");
	assert_true(f->m.closed_shown);
	fixture_free(f);
}

static void test_rates(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);
	uint8_t addr[16];

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	closed_add(s, 1, 40001, 80, 1100, 1, 1);
	closed_add(s, 2, 40002, 80, 1200, 1, 1);
	closed_add(s, 3, 40003, 80, 1300, 1, 1)->r.state = ST_TIME_WAIT;
	s->interval = 2.0;
	fixture_feed(f, s);
	build_addr(4, "10.0.0.1", addr);
	assert_true(closed_log_state_rate(f->m.closed, ST_CLOSE) == 1.0);
	assert_true(closed_log_state_rate(f->m.closed, ST_TIME_WAIT) == 0.5);
	assert_true(closed_log_remote_rate(f->m.closed, 4, addr) == 1.5);
	/* the next interval counts anew */
	fixture_feed(f, sample_at(3));
	assert_true(closed_log_state_rate(f->m.closed, ST_CLOSE) == 0);
	assert_int_equal(f->m.closed->tally.total, 3);
	/* a sample without the listener: not known */
	s = sample_at(4);
	s->flags &= ~(unsigned)SNAP_HAS_EVENTS;
	s->events_note = "closed connections need CAP_NET_ADMIN";
	fixture_feed(f, s);
	assert_true(closed_log_state_rate(f->m.closed, ST_CLOSE) < 0);
	assert_string_equal(f->m.closed->note, "closed connections need CAP_NET_ADMIN");
	fixture_free(f);
}

/* The states and remote panes sorted by closed/s: the log's rates, most
 * first; ties keep the worker's order. */
static void test_sort_by_closed_rate(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);
	uint8_t addr[16];

	(void)state;
	fixture_feed(f, s);
	s = sample_at(2);
	/* live connections to two remotes, so that the remote pane has rows */
	TCP4(s, ST_ESTABLISHED, "10.0.0.7", 50001, "10.0.0.1", 80)->cookie = 900;
	TCP4(s, ST_ESTABLISHED, "10.0.0.7", 50002, "10.0.0.2", 80)->cookie = 901;
	TCP4(s, ST_ESTABLISHED, "10.0.0.7", 50003, "10.0.0.2", 80)->cookie = 902;
	for (int i = 0; i < 3; i++)
		closed_add(s, (uint64_t)(10 + i), (uint16_t)(40001 + i), 80, 1100 + i, 1, 1);
	closed_add(s, 20, 40010, 80, 1200, 1, 1)->r.state = ST_TIME_WAIT;
	build_event_addrs(&s->closed[3], "10.0.0.7", "10.0.0.2");
	fixture_feed(f, s);
	/* by connections, 10.0.0.2 comes first; by closed/s, 10.0.0.1 */
	assert_int_equal(pane_rows(&f->m, PANE_REMOTE), 2);
	build_addr(4, "10.0.0.2", addr);
	assert_memory_equal(rows_remote_at(&f->m, 0)->addr, addr, 4);
	f->m.panes[PANE_REMOTE].sort = REMOTE_COL_CLOSED;
	f->m.panes[PANE_REMOTE].descending = true;
	f->m.panes[PANE_STATES].sort = STATES_COL_CLOSED;
	f->m.panes[PANE_STATES].descending = true;
	fixture_redo(f, REDO_RECOMPUTE);
	build_addr(4, "10.0.0.1", addr);
	assert_memory_equal(rows_remote_at(&f->m, 0)->addr, addr, 4);
	assert_int_equal(f->m.states.order[0], ST_CLOSE);
	assert_int_equal(f->m.states.order[1], ST_TIME_WAIT);
	/* ascending: the fewest first */
	f->m.panes[PANE_REMOTE].descending = false;
	fixture_redo(f, REDO_RECOMPUTE);
	build_addr(4, "10.0.0.2", addr);
	assert_memory_equal(rows_remote_at(&f->m, 0)->addr, addr, 4);
	fixture_free(f);
}

static void test_ring_bound(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = sample_at(1);

	(void)state;
	f->m.closed_cap = 4;
	fixture_feed(f, s);
	s = sample_at(2);
	for (int i = 1; i <= 10; i++)
		closed_add(s, (uint64_t)i, (uint16_t)(40000 + i), 80, 1000 + i, 1, 1);
	s->events_lost = 7;
	fixture_feed(f, s);
	action_toggle_closed(&f->m);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 4);
	assert_int_equal(cookie_at(f, 0), 10);
	assert_int_equal(cookie_at(f, 3), 7);
	assert_int_equal(f->m.closed->lost, 7);
	assert_int_equal(f->m.closed->tally.total, 10);
	fixture_free(f);
}

/* A replay that jumps back hands a sample with the one recorded before it:
 * the log starts again from there, as if played straight through. */
static void test_replay_jump(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct sample before = { .seq = 7 }, *cur = calloc(1, sizeof(*cur));
	struct snapshot *s;

	(void)state;
	assert_non_null(cur);
	fixture_feed(f, sample_at(1));
	s = sample_at(2);
	closed_add(s, 1, 40001, 80, 1100, 1, 1);
	fixture_feed(f, s);
	assert_non_null(f->m.closed);
	before.snap = sample_at(5);
	cur->seq = 8;
	cur->snap = sample_at(6);
	atomic_init(&cur->refs, 1);
	closed_add(cur->snap, 2, 40002, 80, 5500, 1, 1);
	closed_log_take(f->m.closed, cur, &before);
	f->m.closed_shown = true;
	closed_rows_refresh(&f->m);
	assert_int_equal(f->m.closed->n, 1);
	assert_int_equal(closed_log_at(f->m.closed, 0)->c.ev.r.cookie, 2);
	assert_int_equal(closed_log_at(f->m.closed, 0)->c.duration_max_ms, 500);
	f->m.closed_shown = false;
	sample_release(cur);	/* the log holds it until its update is done */
	fixture_free(f);
	snapshot_free(before.snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_newest_first_with_bytes),
		cmocka_unit_test(test_join_to_samples),
		cmocka_unit_test(test_sort_and_invert),
		cmocka_unit_test(test_filter_dport),
		cmocka_unit_test(test_enter_filters_remote),
		cmocka_unit_test(test_rates),
		cmocka_unit_test(test_sort_by_closed_rate),
		cmocka_unit_test(test_ring_bound),
		cmocka_unit_test(test_replay_jump),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
