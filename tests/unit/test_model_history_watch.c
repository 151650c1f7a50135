/* test_model_history_watch.c: the screen model's history, fed as the loop
 * feeds it: each new sample adds one point (a key's recompute of the same
 * sample adds none), the counts ignore the filter shown, and H graphs what
 * the focused pane and its selection name; zoom stays within its levels. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/history.h"
#include "model_fixture.h"

static struct snapshot *server_at(long t, int syn_recv)
{
	struct snapshot *s = fixture_server();

	fixture_syn_recv(s, syn_recv);
	s->wall.tv_sec = t;
	return s;
}

static float value(const struct model *m, const char *name, size_t k)
{
	long s = history_find(m->history, name);

	assert_true(s >= 0);
	return history_value(m->history, (size_t)s, k);
}

static void test_each_sample_once(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);

	(void)state;
	assert_non_null(f->m.history);
	fixture_feed(f, server_at(1000, 2));
	fixture_feed(f, server_at(1001, 5));
	/* a key's job on the same sample */
	f->m.panes[PANE_CONNS].descending = !f->m.panes[PANE_CONNS].descending;
	fixture_settle(f);
	action_toggle_listen(&f->m);
	fixture_settle(f);
	fixture_feed(f, server_at(1002, 9));
	assert_int_equal(f->m.history->base_n, 3);
	assert_true(value(&f->m, "states.SYN_RECV", 0) == 2);
	assert_true(value(&f->m, "states.SYN_RECV", 2) == 9);
	assert_true(value(&f->m, "listener.10.0.0.1:80.syn_recv", 1) == 5);
	assert_true(value(&f->m, "remote.10.0.0.7.connections", 0) == 2);
	assert_true(history_now(&f->m) == 1002);
	fixture_free(f);
}

static void test_filter_not_followed(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);

	(void)state;
	assert_true(model_set_filter(&f->m, "10.0.0.7"));
	fixture_feed(f, server_at(1000, 3));
	/* the states pane counts 10.0.0.7's sockets; the history counts all */
	assert_int_equal(f->m.states.cur.n[ST_SYN_RECV], 0);
	assert_true(value(&f->m, "states.TIME_WAIT", 0) == 1);
	assert_true(value(&f->m, "states.SYN_RECV", 0) == 3);
	assert_true(value(&f->m, "total.udp", 0) == 1);
	fixture_free(f);
}

static bool chosen_has(const struct model *m, const char *name)
{
	size_t series[16], n = history_chosen(m, series, 16);

	for (size_t i = 0; i < n; i++)
		if (!strcmp(m->history->series[series[i]].name, name))
			return true;
	return false;
}

static void test_chosen_by_focus(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);
	size_t series[16];

	(void)state;
	fixture_feed(f, server_at(1000, 3));
	fixture_feed(f, server_at(1001, 6));
	f->m.focus = PANE_STATES;
	assert_true(chosen_has(&f->m, "states.SYN_RECV"));
	assert_true(chosen_has(&f->m, "states.ESTABLISHED"));
	/* no count in the window: not graphed */
	assert_false(chosen_has(&f->m, "states.CLOSING"));
	/* Enter on SYN_RECV: it alone */
	for (size_t r = 0; r < ST_COUNT; r++)
		if (f->m.states.order[r] == ST_SYN_RECV)
			pane_select(&f->m, PANE_STATES, (long)r);
	action_history_enter(&f->m);
	assert_int_equal(history_chosen(&f->m, series, 16), 1);
	assert_string_equal(f->m.history->series[series[0]].name, "states.SYN_RECV");
	action_history_enter(&f->m);
	assert_true(history_chosen(&f->m, series, 16) > 1);
	f->m.focus = PANE_IFACES;
	assert_int_equal(history_chosen(&f->m, series, 16), 4);
	assert_true(chosen_has(&f->m, "iface.eth0.rx_bps") || chosen_has(&f->m, "iface.lo.rx_bps"));
	f->m.focus = PANE_REMOTE;
	assert_int_equal(history_chosen(&f->m, series, 16), 1);
	f->m.focus = PANE_CONNS;
	assert_true(chosen_has(&f->m, "total.tcp"));
	fixture_free(f);
}

/* N switches the namespace: a new session, its samples numbered from 1. */
static void test_restart_on_release(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);

	(void)state;
	fixture_feed(f, server_at(1000, 2));
	fixture_feed(f, server_at(1001, 4));
	model_release(&f->m);
	f->seq = 0;
	fixture_feed(f, server_at(1002, 7));
	assert_int_equal(f->m.history->base_n, 1);
	assert_true(value(&f->m, "states.SYN_RECV", 0) == 7);
	fixture_free(f);
}

/* A replay's history: read in its own thread, whole once taken. */
static void test_replay_loader(void **state)
{
	struct history_loader *l;
	struct history h;
	int err;
	long s;

	(void)state;
	l = history_loader_start("tests/fixtures/recordings/flood-rise.rec", 3600, &err);
	assert_non_null(l);
	assert_true(history_loader_take(&l, &h, true, &err));
	assert_null(l);
	assert_int_equal(err, 0);
	assert_int_equal(h.base_n, 20);
	assert_true((s = history_find(&h, "states.SYN_RECV")) >= 0);
	assert_true(history_value(&h, (size_t)s, 19) == 600);
	history_free(&h);
	/* stopped before it is done: nothing left behind (ASan says) */
	l = history_loader_start("tests/fixtures/recordings/flood-rise.rec", 3600, &err);
	assert_non_null(l);
	history_loader_stop(l);
	/* not a recording: the error, once read */
	l = history_loader_start("/etc/passwd", 10, &err);
	assert_non_null(l);
	assert_true(history_loader_take(&l, &h, true, &err));
	assert_int_equal(err, -EINVAL);
	history_free(&h);
}

static void test_zoom_bounded(void **state)
{
	struct fixture *f = fixture_new(1000, NULL);

	(void)state;
	for (int i = 0; i < 6; i++)
		action_history_zoom(&f->m, -1);
	assert_int_equal(f->m.history_zoom, HISTORY_ZOOMS - 1);
	for (int i = 0; i < 6; i++)
		action_history_zoom(&f->m, 1);
	assert_int_equal(f->m.history_zoom, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_sample_once),
		cmocka_unit_test(test_filter_not_followed),
		cmocka_unit_test(test_chosen_by_focus),
		cmocka_unit_test(test_restart_on_release),
		cmocka_unit_test(test_replay_loader),
		cmocka_unit_test(test_zoom_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
