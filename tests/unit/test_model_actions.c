/* test_model_actions.c: what the keys' actions do to the screen model:
 * pause, protocols, listeners, names, the process column, the interval,
 * Enter on each pane, P, the filter and F. Each action says what must be
 * redone (enum redo) and leaves a message for the status line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model_fixture.h"

static void test_pause(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(action_toggle_pause(&f->m), REDO_REDRAW);
	assert_true(f->m.paused);
	assert_string_equal(f->m.message, "paused: the screen stays browsable; Space resumes");
	/* a sample published as the pause took effect is not shown */
	assert_int_equal(fixture_feed(f, snapshot_new(0)), 0);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 6);
	assert_int_equal(f->m.samples, 1);
	action_toggle_pause(&f->m);
	assert_false(f->m.paused);
	assert_string_equal(f->m.message, "resumed");
	fixture_feed(f, snapshot_new(0));
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 0);
	fixture_free(f);
}

static void test_count_stops_taking(void **state)
{
	static const char *const args[] = { "--count", "1", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(fixture_feed(f, snapshot_new(0)), 0);	/* past --count */
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 6);
	fixture_free(f);
}

static void test_toggle_proto(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	unsigned gen = f->m.view_gen;

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(action_toggle_proto(&f->m, PROTO_TCP), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_string_equal(f->m.message, "TCP sockets hidden");
	assert_int_equal(f->m.view_gen, gen + 1);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 1);	/* the DNS socket */
	assert_int_equal(rows_conns_at(&f->m, 0)->proto, PROTO_UDP);
	action_toggle_proto(&f->m, PROTO_TCP);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 6);
	fixture_free(f);
}

static void test_toggle_proto_keeps_one(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	action_toggle_proto(&f->m, PROTO_UDP);
	assert_int_equal(f->m.protos, 1u << PROTO_TCP);
	assert_int_equal(action_toggle_proto(&f->m, PROTO_TCP), REDO_REDRAW);
	assert_int_equal(f->m.protos, 1u << PROTO_TCP);
	assert_true(f->m.message_error);
	assert_string_equal(f->m.message, "TCP is all that is shown: it stays");
	fixture_free(f);
}

static void test_toggle_listen(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(action_toggle_listen(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_int_equal(f->m.listen, LISTEN_ONLY);
	assert_string_equal(f->m.message, "listening sockets only");
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 2);
	action_toggle_listen(&f->m);
	assert_int_equal(f->m.listen, LISTEN_ALL);
	fixture_free(f);
}

static void test_toggle_numeric(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_false(f->m.numeric);
	assert_int_equal(action_toggle_numeric(&f->m, true), REDO_REDRAW);
	assert_true(f->m.numeric);
	assert_string_equal(f->m.message, "numeric addresses and ports");
	/* names need the resolver: without it the addresses stay numeric */
	action_toggle_numeric(&f->m, false);
	assert_true(f->m.numeric);
	assert_true(f->m.message_error);
	action_toggle_numeric(&f->m, true);
	assert_false(f->m.numeric);
	fixture_free(f);
}

static void test_toggle_procs(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct sample_request req;

	(void)state;
	model_request(&f->m, &req);
	assert_false(req.want_procs);
	assert_int_equal(action_toggle_procs(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_true(f->m.show_procs);
	assert_string_equal(f->m.message, "process column shown");
	/* the owners are asked of the kernel for the column */
	model_request(&f->m, &req);
	assert_true(req.want_procs);
	fixture_free(f);
}

static void test_interval_step(void **state)
{
	static const char *const args[] = { "--interval", "1", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	assert_int_equal(action_interval_step(&f->m, -1), REDO_RESAMPLE | REDO_REDRAW);
	assert_true(f->m.interval == 0.5);
	assert_string_equal(f->m.message, "refresh every 0.5s");
	action_interval_step(&f->m, 1);
	action_interval_step(&f->m, 1);
	assert_true(f->m.interval == 2);
	fixture_free(f);
}

static void test_interval_step_ends(void **state)
{
	static const char *const args[] = { "--interval", "0.1", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	assert_int_equal(action_interval_step(&f->m, -1), REDO_REDRAW);
	assert_true(f->m.interval == 0.1);
	assert_string_equal(f->m.message, "refresh every 0.1s: the fastest there is");
	for (int i = 0; i < 20; i++)
		action_interval_step(&f->m, 1);
	assert_true(f->m.interval == 60);
	assert_string_equal(f->m.message, "refresh every 60s: the slowest there is");
	fixture_free(f);
}

/* Enter on a row filters the connections by it and focuses them. */
static void assert_enter(struct fixture *f, enum pane_id id, size_t row, const char *filter)
{
	f->m.focus = id;
	pane_select(&f->m, id, (long)row);
	assert_int_equal(action_enter(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_non_null(f->m.filter);
	assert_string_equal(filter_text(f->m.filter), filter);
	assert_int_equal(f->m.focus, PANE_CONNS);
}

static void test_enter_states(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_enter(f, PANE_STATES, 0, "state ESTABLISHED");
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 3);
	fixture_free(f);
}

static void test_enter_remote_and_iface(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_enter(f, PANE_REMOTE, 0, "dst 10.0.0.7");
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 2);
	assert_enter(f, PANE_IFACES, 0, "dev eth0");
	fixture_free(f);
}

static void test_enter_conns_says_where(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_int_equal(action_enter(&f->m), 0);	/* no rows yet */
	fixture_feed(f, fixture_server());
	assert_int_equal(action_enter(&f->m), REDO_REDRAW);
	assert_null(f->m.filter);
	assert_string_equal(f->m.message,
			    "Enter filters from the states, remote addresses and interfaces panes");
	fixture_free(f);
}

static void test_enter_process(void **state)
{
	static const char *const args[] = { "--group", "process", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_enter(f, PANE_CONNS, 0, "pid 100");
	/* that process's sockets, one row each */
	assert_false(f->m.by_process);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 3);
	/* the ownerless row names no process */
	action_toggle_by_process(&f->m);
	model_set_filter(&f->m, "");
	fixture_settle(f);
	pane_select(&f->m, PANE_CONNS, 1);
	assert_int_equal(action_enter(&f->m), REDO_REDRAW);
	assert_string_equal(f->m.message, "no process to filter by");
	fixture_free(f);
}

static void test_enter_flood_band(void **state)
{
	static const char *const args[] = { "--flood", NULL };
	struct fixture *f = fixture_new(256, args);
	struct snapshot *s = fixture_server();

	(void)state;
	fixture_syn_recv(s, 2);
	fixture_feed(f, s);
	assert_enter(f, PANE_FLOOD, 0, "state syn-recv");
	assert_enter(f, PANE_LISTENERS, 0, "state syn-recv and sport 80");
	assert_enter(f, PANE_SOURCES, 0, "state syn-recv and dst 10.9.0.1");
	/* a kernel counter is no socket to filter by */
	model_set_filter(&f->m, "");
	fixture_settle(f);
	f->m.focus = PANE_FLOOD;
	pane_select(&f->m, PANE_FLOOD, 1);
	assert_int_equal(action_enter(&f->m), REDO_REDRAW);
	assert_null(f->m.filter);
	fixture_free(f);
}

/* P: each form keeps its own selection and sort. */
static void test_by_process_keeps_forms(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 4);
	assert_int_equal(action_toggle_by_process(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_true(f->m.by_process);
	assert_ptr_equal(f->m.ops[PANE_CONNS], &pane_procs_model);
	assert_string_equal(f->m.message, "connections by process; P: one row per socket");
	assert_int_equal(f->m.panes[PANE_CONNS].sort, PROCS_COL_SOCKETS);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 3);
	pane_select(&f->m, PANE_CONNS, 2);
	action_toggle_by_process(&f->m);
	fixture_settle(f);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 4);
	assert_int_equal(f->m.panes[PANE_CONNS].sort, FIELD_LOCAL);
	assert_int_equal(f->m.other_conns.sel, 2);
	fixture_free(f);
}

static void test_filter_set(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	unsigned gen = f->m.view_gen;

	(void)state;
	fixture_feed(f, fixture_server());
	assert_true(model_set_filter(&f->m, "  sport 22"));
	assert_string_equal(f->m.message, "filter: sport 22");
	assert_int_equal(f->m.view_gen, gen + 1);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 1);
	/* a filter that does not parse leaves the one in use */
	assert_false(model_set_filter(&f->m, "state bogus"));
	assert_true(f->m.message_error);
	assert_string_equal(filter_text(f->m.filter), "sport 22");
	assert_true(model_set_filter(&f->m, ""));
	assert_null(f->m.filter);
	assert_string_equal(f->m.message, "filter cleared");
	fixture_free(f);
}

static void test_flood_toggle_shown(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct sample_request req;

	(void)state;
	assert_false(pane_enabled(&f->m, PANE_FLOOD));
	assert_int_equal(flood_toggle_shown(&f->m), REDO_RESAMPLE | REDO_RECOMPUTE);
	assert_true(pane_enabled(&f->m, PANE_FLOOD));
	/* the band counts every TCP socket: the kernel is asked for them all */
	action_toggle_proto(&f->m, PROTO_TCP);
	model_request(&f->m, &req);
	assert_true(req.protos & SAMPLE_TCP);
	f->m.focus = PANE_SOURCES;
	flood_toggle_shown(&f->m);
	assert_int_equal(f->m.focus, PANE_CONNS);
	assert_string_equal(f->m.message, "SYN flood panes hidden; an alert shows them again");
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pause),
		cmocka_unit_test(test_count_stops_taking),
		cmocka_unit_test(test_toggle_proto),
		cmocka_unit_test(test_toggle_proto_keeps_one),
		cmocka_unit_test(test_toggle_listen),
		cmocka_unit_test(test_toggle_numeric),
		cmocka_unit_test(test_toggle_procs),
		cmocka_unit_test(test_interval_step),
		cmocka_unit_test(test_interval_step_ends),
		cmocka_unit_test(test_enter_states),
		cmocka_unit_test(test_enter_remote_and_iface),
		cmocka_unit_test(test_enter_conns_says_where),
		cmocka_unit_test(test_enter_process),
		cmocka_unit_test(test_enter_flood_band),
		cmocka_unit_test(test_by_process_keeps_forms),
		cmocka_unit_test(test_filter_set),
		cmocka_unit_test(test_flood_toggle_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
