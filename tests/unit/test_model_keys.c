/* test_model_keys.c: the keys that move about the screen model: focus,
 * selection, sort columns, search, and K's question and answer. */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model_fixture.h"

static void test_focus_step(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_int_equal(f->m.focus, PANE_CONNS);
	assert_int_equal(pane_focus_step(&f->m, 1), REDO_REDRAW);
	assert_int_equal(f->m.focus, PANE_STATES);	/* wraps */
	pane_focus_step(&f->m, 1);
	pane_focus_step(&f->m, 1);
	assert_int_equal(f->m.focus, PANE_IFACES);
	/* the flood band is hidden: its panes are skipped */
	pane_focus_step(&f->m, 1);
	assert_int_equal(f->m.focus, PANE_CONNS);
	pane_focus_step(&f->m, -1);
	assert_int_equal(f->m.focus, PANE_IFACES);
	fixture_free(f);
}

static void test_focus_step_flood_band(void **state)
{
	static const char *const args[] = { "--flood", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	f->m.focus = PANE_IFACES;
	pane_focus_step(&f->m, 1);
	assert_int_equal(f->m.focus, PANE_FLOOD);
	pane_focus_step(&f->m, 1);
	assert_int_equal(f->m.focus, PANE_LISTENERS);
	pane_focus_step(&f->m, 1);
	assert_int_equal(f->m.focus, PANE_SOURCES);
	fixture_free(f);
}

static void test_move(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct pane_state *ps = &f->m.panes[PANE_CONNS];

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_move(&f->m, 1), REDO_REDRAW);
	assert_int_equal(ps->sel, 1);
	assert_int_equal(ps->sel_key, rows_conns_at(&f->m, 1)->cookie);
	pane_move(&f->m, -5);
	assert_int_equal(ps->sel, 0);
	pane_move(&f->m, LONG_MAX);	/* End */
	assert_int_equal(ps->sel, 5);
	pane_move(&f->m, LONG_MIN);	/* Home */
	assert_int_equal(ps->sel, 0);
	pane_move(&f->m, 4);		/* a page of 4 */
	assert_int_equal(ps->sel, 4);
	pane_move(&f->m, 4);
	assert_int_equal(ps->sel, 5);
	fixture_free(f);
}

static void test_move_without_rows(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	pane_move(&f->m, 3);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 0);
	assert_false(f->m.panes[PANE_CONNS].keyed);
	fixture_free(f);
}

static const struct column ifaces_cols[] = {
	{ IFACES_COL_NAME, "Interface", 10, 0 },
	{ IFACES_COL_RX, "RX/s", 7, 0 },
	{ IFACES_COL_TX, "TX/s", 7, 0 },
};

static void test_sort_step(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	f->m.focus = PANE_IFACES;
	assert_int_equal(pane_sort_step(&f->m, 1, ifaces_cols, 3), REDO_RECOMPUTE);
	assert_int_equal(f->m.panes[PANE_IFACES].sort, IFACES_COL_RX);
	assert_string_equal(f->m.message, "Interfaces sorted by RX/s");
	pane_sort_step(&f->m, 1, ifaces_cols, 3);
	pane_sort_step(&f->m, 1, ifaces_cols, 3);
	assert_int_equal(f->m.panes[PANE_IFACES].sort, IFACES_COL_NAME);	/* wraps */
	pane_sort_step(&f->m, -1, ifaces_cols, 3);
	assert_int_equal(f->m.panes[PANE_IFACES].sort, IFACES_COL_TX);
	assert_int_equal(pane_sort_step(&f->m, 1, ifaces_cols, 0), 0);	/* no columns */
	fixture_free(f);
}

static void test_sort_rx_then_invert(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	f->m.focus = PANE_IFACES;
	pane_sort_set(&f->m, PANE_IFACES, IFACES_COL_RX, ifaces_cols, 3);
	fixture_settle(f);
	assert_string_equal(rows_ifaces_at(&f->m, 0)->name, "lo");	/* 0 before 1000 */
	assert_int_equal(pane_sort_invert(&f->m), REDO_RECOMPUTE);
	assert_string_equal(f->m.message, "Interfaces: descending order");
	fixture_settle(f);
	assert_string_equal(rows_ifaces_at(&f->m, 0)->name, "eth0");
	fixture_free(f);
}

static void test_sort_set_unknown_column(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_int_equal(pane_sort_set(&f->m, PANE_IFACES, 99, ifaces_cols, 3), 0);
	assert_int_equal(f->m.panes[PANE_IFACES].sort, IFACES_COL_NAME);
	fixture_free(f);
}

/* The selection stays on its socket when the sort moves it. */
static void test_sort_keeps_selection(void **state)
{
	static const struct column cols[] = { { FIELD_LOCAL, "Local", 20, 0 },
					      { FIELD_REMOTE, "Remote", 20, 0 } };
	struct fixture *f = fixture_new(256, NULL);
	uint64_t key;

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 0);
	key = f->m.panes[PANE_CONNS].sel_key;
	pane_sort_set(&f->m, PANE_CONNS, FIELD_REMOTE, cols, 2);
	pane_sort_invert(&f->m);
	fixture_settle(f);
	assert_int_equal(rows_conns_at(&f->m, f->m.panes[PANE_CONNS].sel)->cookie, key);
	fixture_free(f);
}

struct port_search {
	const struct model *m;
	uint16_t port;
};

static bool local_port(const void *arg, enum pane_id id, size_t row)
{
	const struct port_search *s = arg;

	return id == PANE_CONNS && rows_conns_at(s->m, row)->lport == s->port;
}

static void test_search(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct port_search s = { &f->m, 80 };
	size_t first;

	(void)state;
	fixture_feed(f, fixture_server());
	assert_true(pane_search(&f->m, local_port, &s));
	first = f->m.panes[PANE_CONNS].sel;
	assert_int_equal(rows_conns_at(&f->m, first)->lport, 80);
	/* the next match after the selection, wrapping round */
	assert_true(pane_search(&f->m, local_port, &s));
	assert_int_equal(f->m.panes[PANE_CONNS].sel, first + 1);
	s.port = 22;
	assert_true(pane_search(&f->m, local_port, &s));
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 0);
	s.port = 9;
	assert_false(pane_search(&f->m, local_port, &s));
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 0);
	fixture_free(f);
}

static void test_kill_asks_for_socket(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 0);
	assert_int_equal(action_kill(&f->m), REDO_REDRAW);
	assert_true(kill_asking(&f->m));
	assert_int_equal(f->m.kill.n, 1);
	assert_int_equal(f->m.kill.socks[0].cookie, 5);
	assert_string_equal(f->m.kill.what, "ESTABLISHED socket 10.0.0.1:22 -> 10.0.0.9:50000");
	assert_int_equal(kill_answer(&f->m, false), REDO_REDRAW);
	assert_false(kill_asking(&f->m));
	assert_string_equal(f->m.message, "nothing closed");
	fixture_free(f);
}

static void test_kill_remote_address(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	f->m.focus = PANE_REMOTE;
	pane_select(&f->m, PANE_REMOTE, 0);
	action_kill(&f->m);
	assert_true(kill_asking(&f->m));
	assert_int_equal(f->m.kill.n, 2);
	assert_string_equal(f->m.kill.what, "sockets to 10.0.0.7");
	kill_release(&f->m);
	assert_false(kill_asking(&f->m));
	fixture_free(f);
}

static void test_kill_refused(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct destroy_result done = { .requested = 3, .closed = 2, .gone = 1 };

	(void)state;
	assert_int_equal(action_kill(&f->m), REDO_REDRAW);
	assert_string_equal(f->m.message, "nothing selected to close");
	fixture_feed(f, fixture_server());
	f->m.focus = PANE_STATES;
	action_kill(&f->m);
	assert_false(kill_asking(&f->m));
	f->m.focus = PANE_CONNS;
	f->m.kill.running = true;
	snprintf(f->m.kill.what, sizeof(f->m.kill.what), "sockets to 10.0.0.7");
	action_kill(&f->m);
	assert_false(kill_asking(&f->m));
	assert_string_equal(f->m.message, "still closing sockets to 10.0.0.7: the result comes first");
	assert_int_equal(kill_finished(&f->m, &done), REDO_REDRAW);
	assert_false(f->m.kill.running);
	assert_string_equal(f->m.message, "closed 2 of 3 sockets to 10.0.0.7, 1 already gone");
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_focus_step),
		cmocka_unit_test(test_focus_step_flood_band),
		cmocka_unit_test(test_move),
		cmocka_unit_test(test_move_without_rows),
		cmocka_unit_test(test_sort_step),
		cmocka_unit_test(test_sort_rx_then_invert),
		cmocka_unit_test(test_sort_set_unknown_column),
		cmocka_unit_test(test_sort_keeps_selection),
		cmocka_unit_test(test_search),
		cmocka_unit_test(test_kill_asks_for_socket),
		cmocka_unit_test(test_kill_remote_address),
		cmocka_unit_test(test_kill_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
