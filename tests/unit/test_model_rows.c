/* test_model_rows.c: each pane's rows and their order, computed by the
 * screen model's worker from hand-built samples; the selection that
 * follows its row from sample to sample. No curses: the model alone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model_fixture.h"

static uint32_t ip4(const char *text)
{
	uint8_t a[16];

	build_addr(4, text, a);
	return (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
}

static uint32_t remote_ip4(const struct remote_row *r)
{
	return (uint32_t)r->addr[0] << 24 | (uint32_t)r->addr[1] << 16 | (uint32_t)r->addr[2] << 8 |
	       r->addr[3];
}

static void test_states_rows(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	assert_int_equal(pane_rows(&f->m, PANE_STATES), 0);	/* before the first sample */
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_rows(&f->m, PANE_STATES), ST_COUNT);
	for (size_t i = 0; i < ST_COUNT; i++)
		assert_int_equal(f->m.ops[PANE_STATES]->row_key(&f->m, i), tcpstate_display_order[i]);
	assert_int_equal(f->m.states.cur.n[ST_ESTABLISHED], 3);
	assert_int_equal(f->m.states.cur.n[ST_TIME_WAIT], 1);
	assert_int_equal(f->m.states.cur.total, 5);	/* TCP only */
	assert_false(f->m.states.has_prev);
	fixture_free(f);
}

static void test_states_change(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *next = fixture_server();

	(void)state;
	fixture_feed(f, fixture_server());
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.7", 40009)->owner = OWNER_NONE;
	fixture_feed(f, next);
	assert_true(f->m.states.has_prev);
	assert_int_equal(rows_states_change(&f->m.states, ST_ESTABLISHED), 1);
	assert_int_equal(rows_states_change(&f->m.states, ST_TIME_WAIT), 0);
	fixture_free(f);
}

static const struct column states_cols[] = {
	{ STATES_COL_STATE, "State", 11, 0 },
	{ STATES_COL_COUNT, "Count", 6, 0 },
	{ STATES_COL_CHANGE, "Chg", 5, 0 },
	{ STATES_COL_BAR, "", 4, 0 },
};

static void test_states_sorted_by_count(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	f->m.focus = PANE_STATES;
	assert_int_equal(pane_sort_set(&f->m, PANE_STATES, STATES_COL_COUNT, states_cols, 4),
			 REDO_RECOMPUTE);
	assert_string_equal(f->m.message, "TCP states sorted by Count");
	pane_sort_invert(&f->m);
	fixture_settle(f);
	assert_true(f->m.panes[PANE_STATES].descending);
	assert_int_equal(f->m.states.order[0], ST_ESTABLISHED);	/* 3 */
	/* 1 each: ties keep the display order both ways */
	assert_int_equal(f->m.states.order[1], ST_TIME_WAIT);
	assert_int_equal(f->m.states.order[2], ST_LISTEN);
	fixture_free(f);
}

static void test_remote_rows(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_rows(&f->m, PANE_REMOTE), 3);
	/* most connections first, ties by address */
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 0)), ip4("10.0.0.7"));
	assert_int_equal(rows_remote_at(&f->m, 0)->connections, 2);
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 1)), ip4("10.0.0.8"));
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 2)), ip4("10.0.0.9"));
	fixture_free(f);
}

static const struct column remote_cols[] = {
	{ REMOTE_COL_ADDRESS, "Remote address", 15, 0 },
	{ REMOTE_COL_CONNS, "Conns", 5, 0 },
	{ REMOTE_COL_STATES, "By state", 10, 0 },
};

static void test_remote_sorted_by_address(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	pane_sort_set(&f->m, PANE_REMOTE, REMOTE_COL_ADDRESS, remote_cols, 3);
	fixture_settle(f);
	/* descending stays: the direction is the pane's, the column changed */
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 0)), ip4("10.0.0.9"));
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 2)), ip4("10.0.0.7"));
	/* a sort alone is computed for that pane alone */
	assert_int_equal(f->m.shown_params.only, 1u << PANE_REMOTE);
	fixture_free(f);
}

static void test_ifaces_rows(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_rows(&f->m, PANE_IFACES), 2);
	/* by name */
	assert_string_equal(rows_ifaces_at(&f->m, 0)->name, "eth0");
	assert_string_equal(rows_ifaces_at(&f->m, 1)->name, "lo");
	assert_int_equal(f->m.ops[PANE_IFACES]->row_key(&f->m, 1), 1);	/* the ifindex */
	fixture_free(f);
}

static void test_conns_rows(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	/* every socket: the screen shows listeners too unless -l */
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 6);
	/* by local address, then port: ssh first */
	assert_int_equal(rows_conns_at(&f->m, 0)->lport, 22);
	assert_int_equal(rows_conns_at(&f->m, 1)->lport, 53);
	for (size_t i = 0; i < 6; i++)
		assert_int_equal(f->m.ops[PANE_CONNS]->row_key(&f->m, i),
				 rows_conns_at(&f->m, i)->cookie);
	assert_int_equal(f->m.tcp_total, 5);
	assert_int_equal(f->m.udp_total, 1);
	fixture_free(f);
}

static void test_conns_listen_only(void **state)
{
	static const char *const args[] = { "-l", NULL };
	struct fixture *f = fixture_new(256, args);

	(void)state;
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 2);	/* :80 and udp :53 */
	fixture_free(f);
}

static void test_procs_rows(void **state)
{
	static const char *const args[] = { "--group", "process", NULL };
	struct fixture *f = fixture_new(256, args);
	const struct proc_rec *p;

	(void)state;
	assert_true(f->m.by_process);
	fixture_feed(f, fixture_server());
	assert_int_equal(pane_rows(&f->m, PANE_CONNS), 3);
	/* most sockets first: nginx 3, the ownerless 2, sshd 1 */
	p = rows_procs_proc(&f->m, rows_procs_at(&f->m, 0));
	assert_non_null(p);
	assert_string_equal(p->comm, "nginx");
	assert_int_equal(rows_procs_at(&f->m, 0)->sockets, 3);
	assert_int_equal(f->m.ops[PANE_CONNS]->row_key(&f->m, 0), 100);	/* the pid */
	assert_null(rows_procs_proc(&f->m, rows_procs_at(&f->m, 1)));
	assert_int_equal(rows_procs_at(&f->m, 1)->sockets, 2);
	fixture_free(f);
}

static void test_flood_panes_rows(void **state)
{
	static const char *const args[] = { "--flood", NULL };
	struct fixture *f = fixture_new(256, args);
	struct snapshot *s = fixture_server();

	(void)state;
	fixture_syn_recv(s, 3);
	TCP4(s, ST_LISTEN, "10.0.0.1", 443, "0.0.0.0", 0)->owner = OWNER_NONE;
	TCP4(s, ST_SYN_RECV, "10.0.0.1", 443, "10.9.0.1", 20000)->owner = OWNER_NONE;
	fixture_feed(f, s);
	assert_true(f->m.flood.shown);
	assert_int_equal(pane_rows(&f->m, PANE_FLOOD), FLOOD_INDICATORS);
	assert_int_equal(f->m.flood.counter_order[0], 0);	/* SYN_RECV first, by name */
	assert_int_equal(rows_flood_count(&f->m.flood, f->m.cur->snap, 0), 4);
	/* the listeners under SYN_RECV, most first */
	assert_int_equal(pane_rows(&f->m, PANE_LISTENERS), 2);
	assert_int_equal(rows_listeners_at(&f->m, 0)->syn_recv, 3);
	assert_int_equal(rows_listeners_sock(&f->m, rows_listeners_at(&f->m, 0))->lport, 80);
	assert_int_equal(rows_listeners_sock(&f->m, rows_listeners_at(&f->m, 1))->lport, 443);
	/* the sources: 10.9.0.1 sent two, the others one */
	assert_int_equal(pane_rows(&f->m, PANE_SOURCES), 3);
	assert_int_equal(rows_sources_at(&f->m, 0)->syn_recv, 2);
	fixture_free(f);
}

static void test_flood_sources_by_network(void **state)
{
	static const char *const args[] = { "--flood", NULL };
	struct fixture *f = fixture_new(256, args);
	struct snapshot *s = fixture_server();
	char text[64];

	(void)state;
	fixture_syn_recv(s, 5);
	fixture_feed(f, s);
	assert_int_equal(pane_rows(&f->m, PANE_SOURCES), 5);
	assert_int_equal(flood_toggle_grouping(&f->m), REDO_RECOMPUTE);
	fixture_settle(f);
	assert_int_equal(pane_rows(&f->m, PANE_SOURCES), 1);
	flood_source_format(rows_sources_at(&f->m, 0), text, sizeof(text));
	assert_string_equal(text, "10.9.0.0/24");
	fixture_free(f);
}

static void test_flood_panes_not_computed_hidden(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *s = fixture_server();

	(void)state;
	fixture_syn_recv(s, 3);
	fixture_feed(f, s);
	assert_false(pane_enabled(&f->m, PANE_LISTENERS));
	assert_int_equal(pane_rows(&f->m, PANE_LISTENERS), 0);
	/* the report is made anyway: the alert needs it */
	assert_int_equal(f->m.flood.report.syn_recv, 3);
	fixture_free(f);
}

/* The selection stays on its socket when rows come and go before it. */
static void test_selection_follows_socket(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *next = fixture_server();

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 2);
	assert_int_equal(f->m.panes[PANE_CONNS].sel_key, rows_conns_at(&f->m, 2)->cookie);
	/* the same sockets again, with new ones sorting first */
	for (size_t i = 0; i < next->nsocks; i++)
		next->socks[i].cookie += 100;
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 1, "10.0.0.2", 2)->owner = OWNER_NONE;
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 2, "10.0.0.2", 3)->owner = OWNER_NONE;
	fixture_feed(f, fixture_server());	/* cookies as before: found again */
	assert_int_equal(rows_conns_at(&f->m, f->m.panes[PANE_CONNS].sel)->cookie,
			 f->m.panes[PANE_CONNS].sel_key);
	snapshot_free(next);
	fixture_free(f);
}

static void test_selection_follows_socket_moved(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *next = fixture_server();
	uint64_t key;

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 0);	/* ssh, cookie 5 */
	key = f->m.panes[PANE_CONNS].sel_key;
	assert_int_equal(key, 5);
	/* two sockets that sort before it */
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 7, "10.0.0.2", 2)->owner = OWNER_NONE;
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 8, "10.0.0.2", 3)->owner = OWNER_NONE;
	fixture_feed(f, next);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 2);
	assert_int_equal(rows_conns_at(&f->m, 2)->cookie, key);
	fixture_free(f);
}

/* A row that went away leaves the selection at the same height. */
static void test_selection_row_gone(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *next = snapshot_new(0);

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 5);
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 22, "10.0.0.9", 50000)->owner = OWNER_NONE;
	TCP4(next, ST_ESTABLISHED, "10.0.0.1", 23, "10.0.0.9", 50001)->owner = OWNER_NONE;
	next->socks[0].cookie = 900, next->socks[1].cookie = 901;
	fixture_feed(f, next);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 1);	/* the last row */
	assert_int_equal(f->m.panes[PANE_CONNS].sel_key, 901);	/* and keyed to it */
	fixture_free(f);
}

/* The remote pane keys its rows by address: the selection stays on the
 * address when its count changes its place. */
static void test_selection_follows_address(void **state)
{
	struct fixture *f = fixture_new(256, NULL);
	struct snapshot *next = fixture_server();

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_REMOTE, 2);	/* 10.0.0.9, one connection */
	for (int i = 0; i < 3; i++)
		TCP4(next, ST_ESTABLISHED, "10.0.0.1", 22, "10.0.0.9", (uint16_t)(50001 + i))->owner =
			OWNER_NONE;
	fixture_feed(f, next);
	assert_int_equal(f->m.panes[PANE_REMOTE].sel, 0);	/* now the most */
	assert_int_equal(remote_ip4(rows_remote_at(&f->m, 0)), ip4("10.0.0.9"));
	fixture_free(f);
}

static void test_selection_clamped(void **state)
{
	struct fixture *f = fixture_new(256, NULL);

	(void)state;
	fixture_feed(f, fixture_server());
	pane_select(&f->m, PANE_CONNS, 99);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 5);
	pane_select(&f->m, PANE_CONNS, -4);
	assert_int_equal(f->m.panes[PANE_CONNS].sel, 0);
	fixture_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_states_rows),
		cmocka_unit_test(test_states_change),
		cmocka_unit_test(test_states_sorted_by_count),
		cmocka_unit_test(test_remote_rows),
		cmocka_unit_test(test_remote_sorted_by_address),
		cmocka_unit_test(test_ifaces_rows),
		cmocka_unit_test(test_conns_rows),
		cmocka_unit_test(test_conns_listen_only),
		cmocka_unit_test(test_procs_rows),
		cmocka_unit_test(test_flood_panes_rows),
		cmocka_unit_test(test_flood_sources_by_network),
		cmocka_unit_test(test_flood_panes_not_computed_hidden),
		cmocka_unit_test(test_selection_follows_socket),
		cmocka_unit_test(test_selection_follows_socket_moved),
		cmocka_unit_test(test_selection_row_gone),
		cmocka_unit_test(test_selection_follows_address),
		cmocka_unit_test(test_selection_clamped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
