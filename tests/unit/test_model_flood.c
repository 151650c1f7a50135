/* test_model_flood.c: the screen model's flood watch: the alert rises
 * with SYN_RECV sockets on one listener, opens the flood band and asks for
 * SYNs to be counted; it falls when they go, the band stays until F. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_fixture.h"

static struct snapshot *flooded(int syn_recv)
{
	struct snapshot *s = fixture_server();

	fixture_syn_recv(s, syn_recv);
	return s;
}

static void test_quiet_below_threshold(void **state)
{
	struct fixture *f = fixture_new(3, NULL);

	(void)state;
	fixture_feed(f, flooded(2));
	assert_int_equal(f->m.flood.report.syn_recv, 2);
	assert_int_equal(f->m.flood.alert, 0);
	assert_false(f->m.flood.shown);
	fixture_free(f);
}

static void test_alert_rises(void **state)
{
	struct fixture *f = fixture_new(3, NULL);
	unsigned redo;

	(void)state;
	fixture_feed(f, fixture_server());
	redo = fixture_feed(f, flooded(3));
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	/* the band opens, its rows come with the next computation, and the
	 * next sample is asked for without the filter (and with SYNs) */
	assert_true(f->m.flood.shown);
	assert_true(redo & REDO_RECOMPUTE);
	assert_true(redo & REDO_REQUEST);
	assert_int_equal(f->m.flood.sniff, geteuid() == 0);
	fixture_redo(f, redo);
	assert_int_equal(pane_rows(&f->m, PANE_LISTENERS), 1);
	assert_int_equal(rows_listeners_at(&f->m, 0)->syn_recv, 3);
	fixture_free(f);
}

static void test_alert_stays_while_flooded(void **state)
{
	struct fixture *f = fixture_new(3, NULL);
	unsigned redo;

	(void)state;
	fixture_redo(f, fixture_feed(f, flooded(3)));
	redo = fixture_feed(f, flooded(4));
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	/* risen already: nothing more to ask for */
	assert_false(redo & REDO_REQUEST);
	fixture_free(f);
}

static void test_alert_falls_band_stays(void **state)
{
	struct fixture *f = fixture_new(3, NULL);

	(void)state;
	fixture_redo(f, fixture_feed(f, flooded(5)));
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	fixture_feed(f, fixture_server());
	assert_int_equal(f->m.flood.alert, 0);
	assert_int_equal(f->m.flood.report.syn_recv, 0);
	/* the band stays until F closes it */
	assert_true(f->m.flood.shown);
	flood_toggle_shown(&f->m);
	assert_false(f->m.flood.shown);
	fixture_free(f);
}

/* SYNs stay counted for a while after the alert: a flood in waves keeps
 * its sources on screen between them. */
static void test_sniff_held_after_alert(void **state)
{
	struct fixture *f = fixture_new(3, NULL);
	unsigned redo = 0;
	int quiet = 0;

	(void)state;
	if (geteuid() != 0)
		skip();	/* counting SYNs is root's */
	fixture_redo(f, fixture_feed(f, flooded(3)));
	assert_true(flood_wants_syn_packets(&f->m));
	while (!(redo & REDO_REQUEST) && quiet < 50) {
		redo = fixture_feed(f, fixture_server());
		quiet++;
	}
	assert_int_equal(quiet, 10);
	assert_false(flood_wants_syn_packets(&f->m));
	fixture_free(f);
}

/* The report counts every TCP socket, whatever the filter shows. */
static void test_alert_ignores_filter(void **state)
{
	struct fixture *f = fixture_new(3, NULL);

	(void)state;
	model_set_filter(&f->m, "sport 22");
	fixture_feed(f, flooded(3));
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 1);
	assert_int_equal(f->m.flood.report.syn_recv, 3);
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	fixture_free(f);
}

/* A key's new rows of the sample already shown leave the alert alone. */
static void test_alert_same_sample_recomputed(void **state)
{
	struct fixture *f = fixture_new(3, NULL);
	unsigned redo;

	(void)state;
	fixture_redo(f, fixture_feed(f, flooded(3)));
	action_toggle_listen(&f->m);
	redo = fixture_settle(f);
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	assert_false(redo & (REDO_REQUEST | REDO_RECOMPUTE));
	fixture_free(f);
}

static void test_alert_threshold_change(void **state)
{
	struct fixture *f = fixture_new(10, NULL);

	(void)state;
	fixture_feed(f, flooded(4));
	assert_int_equal(f->m.flood.alert, 0);
	f->m.flood_threshold = 4;
	assert_int_equal(flood_thresholds_of(&f->m).syn_recv_per_listener, 4);
	fixture_feed(f, flooded(4));
	assert_int_equal(f->m.flood.alert, FLOOD_SYN_RECV);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quiet_below_threshold),
		cmocka_unit_test(test_alert_rises),
		cmocka_unit_test(test_alert_stays_while_flooded),
		cmocka_unit_test(test_alert_falls_band_stays),
		cmocka_unit_test(test_sniff_held_after_alert),
		cmocka_unit_test(test_alert_ignores_filter),
		cmocka_unit_test(test_alert_same_sample_recomputed),
		cmocka_unit_test(test_alert_threshold_change),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
