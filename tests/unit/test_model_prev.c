/* test_model_prev.c: what the screen model keeps of the sample before the
 * newest (model/prev_keep.c): the sample itself while it is small, a
 * summary without sockets past prev_whole_max; the states pane's changes
 * from the counts kept, and none for a view never counted before; and a
 * large sample counted in two halves written in place. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "model_fixture.h"

/* fixture_server() with one more established connection: ESTABLISHED +1 */
static struct snapshot *server_plus_one(void)
{
	struct snapshot *s = fixture_server();

	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 40009)->owner = OWNER_NONE;
	return s;
}

static void test_prev_small_is_whole(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_int_equal(f->m.prev_whole_max, MODEL_PREV_WHOLE_MAX);
	fixture_feed(f, fixture_server());
	fixture_feed(f, server_plus_one());
	assert_false(f->m.next_prev_summary);
	assert_int_equal(f->m.next_prev->snap->nsocks, 6);
	assert_ptr_equal(f->m.prev, f->m.next_prev);
	/* a view never counted: the sample before is counted under it */
	fixture_redo(f, action_toggle_listen(&f->m));
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_LISTEN), 0);
	fixture_free(f);
}

static void test_prev_large_is_summary(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	f->m.prev_whole_max = 6;	/* fixture_server()'s sockets: kept as a summary */
	fixture_feed(f, fixture_server());
	fixture_feed(f, server_plus_one());
	assert_true(f->m.next_prev_summary);
	/* no socket of it is held: only its number, time and flags */
	assert_int_equal(f->m.next_prev->snap->nsocks, 0);
	assert_null(f->m.next_prev->snap->socks);
	assert_int_equal(f->m.next_prev->seq, 1);
	assert_int_equal(f->m.prev->seq, 1);
	assert_int_equal(f->m.prev->snap->flags, SNAP_HAS_PROCS);
	/* its counts under the view shown were kept: the changes are there */
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_ESTABLISHED), 1);
	/* a sort keeps the view: still there */
	fixture_redo(f, pane_sort_invert(&f->m));
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_ESTABLISHED), 1);
	/* a view never counted: the summary cannot be, no changes (not wrong ones) */
	fixture_redo(f, action_toggle_listen(&f->m));
	assert_false(f->m.states.has_prev);
	/* and back to the view counted before: they are there again */
	fixture_redo(f, action_toggle_listen(&f->m));
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_ESTABLISHED), 1);
	/* the next sample is compared under the new view once it comes */
	fixture_redo(f, action_toggle_listen(&f->m));
	fixture_feed(f, server_plus_one());
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_LISTEN), 0);
	assert_int_equal(f->m.states.cur.n[ST_ESTABLISHED], 0);	/* listeners only */
	fixture_free(f);
}

/* A sample the worker counts on two threads (past 20,000 sockets), the
 * second half's remote addresses and sort keys written in place into the
 * whole's arrays, past the first half's: every socket in its place. */
static void test_large_sample_halves(void **state)
{
	enum { N = 50000 };
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = snapshot_new(N);
	uint64_t conns = 0, key;

	(void)state;
	for (int i = 0; i < N; i++) {
		char remote[32];

		snprintf(remote, sizeof(remote), "10.1.%d.%d", i % 7, i % 5);
		/* the local ports descending: the sort (local address, port) reverses them */
		TCP4(s, ST_ESTABLISHED, "10.0.0.1", (uint16_t)(60000 - i), remote, 1000)->owner = OWNER_NONE;
	}
	fixture_feed(f, s);
	assert_int_equal(f->m.tcp_total, N);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), N);
	for (size_t row = 0; row < N; row += 997)
		assert_int_equal(rows_conns_at(&f->m, row)->lport, 60000 - (N - 1) + row);
	assert_int_equal(pane_rows(&f->m, PANE_REMOTE), 35);
	for (size_t row = 0; row < 35; row++)
		conns += rows_remote_at(&f->m, row)->connections;
	assert_int_equal(conns, N);
	/* a selection in the middle: the worker finds its place in the next
	 * sample's order, the loop's reselect reads it */
	f->m.focus = PANE_CONNS;
	pane_select(&f->m, PANE_CONNS, 25000);
	key = f->m.panes[PANE_CONNS].sel_key;
	fixture_feed(f, snapshot_clone(f->m.cur->snap));
	assert_true(f->m.conns.order->found);
	assert_int_equal(f->m.conns.order->found_cookie, key);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 25000);
	assert_int_equal(rows_conns_at(&f->m, 25000)->cookie, key);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prev_small_is_whole),
		cmocka_unit_test(test_prev_large_is_summary),
		cmocka_unit_test(test_large_sample_halves),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
