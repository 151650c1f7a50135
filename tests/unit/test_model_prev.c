/* test_model_prev.c: what the screen model keeps of the sample before the
 * newest (model/prev_keep.c): the sample itself while it is small, a
 * summary without sockets past prev_whole_max; the states pane's changes
 * from the counts kept, and none for a view never counted before. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prev_small_is_whole),
		cmocka_unit_test(test_prev_large_is_summary),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
