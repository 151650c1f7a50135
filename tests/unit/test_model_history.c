/* test_model_history.c: the history's rings: a full ring keeps the newest
 * samples, folded minutes keep min, max and mean, the series of a kind are
 * capped with the least recently seen evicted, memory stays within bounds;
 * the graph's columns, heights and labels; a sample's named values. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <cmocka.h>

#include "build.h"
#include "model/history.h"

static void add(struct history *h, double t, const char *name, double v)
{
	history_begin(h, t);
	assert_int_equal(history_set(h, name, HC_FIXED, v), 0);
	history_end(h);
}

static void test_ring_keeps_newest(void **state)
{
	struct history h;

	(void)state;
	assert_int_equal(history_init(&h, 10), 0);
	for (int i = 0; i < 25; i++)
		add(&h, 1000 + i, "x", i);
	assert_int_equal(h.base_n, 10);
	assert_true(history_time(&h, 0) == 1015);
	assert_true(history_value(&h, 0, 0) == 15);
	assert_true(history_value(&h, 0, 9) == 24);
	history_free(&h);
}

static void test_fold_min_max_mean(void **state)
{
	struct history h;
	const struct history_fold *f;

	(void)state;
	assert_int_equal(history_init(&h, 30), 0);
	/* two whole minutes, 1 s apart: 0..59 then 60..119, then one more */
	for (int i = 0; i <= 120; i++)
		add(&h, 6000 + i, "x", i);
	assert_int_equal(h.fold_n, 2);
	f = &h.series[0].fold[0];
	assert_true(h.fold_t[0] == 6000);
	assert_true(f->min == 0 && f->max == 59 && fabsf(f->mean - 29.5f) < 1e-3f);
	f = &h.series[0].fold[1];
	assert_true(f->min == 60 && f->max == 119 && fabsf(f->mean - 89.5f) < 1e-3f);
	history_free(&h);
}

static void test_fold_ring_bounded(void **state)
{
	struct history h;

	(void)state;
	assert_int_equal(history_init(&h, 4), 0);
	for (int i = 0; i < HISTORY_FOLD_POINTS + 10; i++)
		add(&h, 60.0 * i, "x", i);
	assert_int_equal(h.fold_n, HISTORY_FOLD_POINTS);
	/* the oldest bucket kept is the 10th minute */
	assert_true(history_first_time(&h) == 60.0 * 9);
	history_free(&h);
}

static void test_missing_is_nan(void **state)
{
	struct history h;

	(void)state;
	assert_int_equal(history_init(&h, 8), 0);
	add(&h, 1, "a", 1);
	add(&h, 2, "b", 2);
	assert_true(isnan(history_value(&h, (size_t)history_find(&h, "a"), 1)));
	assert_true(isnan(history_value(&h, (size_t)history_find(&h, "b"), 0)));
	assert_int_equal(history_find(&h, "c"), -1);
	history_free(&h);
}

static void test_eviction_least_recent(void **state)
{
	struct history h;
	char name[64];

	(void)state;
	assert_int_equal(history_init(&h, 8), 0);
	/* 64 addresses, one a sample: the 65th replaces the first */
	for (int i = 0; i < 65; i++) {
		snprintf(name, sizeof(name), "remote.10.0.0.%d.connections", i);
		history_begin(&h, i);
		assert_int_equal(history_set(&h, name, HC_REMOTE, i), 0);
		history_end(&h);
	}
	assert_int_equal(h.class_n[HC_REMOTE], 64);
	assert_int_equal(h.evicted, 1);
	assert_int_equal(history_find(&h, "remote.10.0.0.0.connections"), -1);
	assert_true(history_find(&h, "remote.10.0.0.64.connections") >= 0);
	assert_true(history_find(&h, "remote.10.0.0.1.connections") >= 0);
	/* 65 in one sample: no room for the last, counted */
	history_begin(&h, 100);
	for (int i = 100; i < 165; i++) {
		snprintf(name, sizeof(name), "remote.10.0.1.%d.connections", i);
		history_set(&h, name, HC_REMOTE, 1);
	}
	history_end(&h);
	assert_int_equal(h.refused, 1);
	assert_int_equal(h.class_n[HC_REMOTE], 64);
	history_free(&h);
}

static void test_memory_bounded(void **state)
{
	struct history h;
	char name[40];

	(void)state;
	assert_int_equal(history_init(&h, HISTORY_DEFAULT_POINTS), 0);
	history_begin(&h, 0);
	for (int i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "iface.if%d.rx_bps", i);
		history_set(&h, name, HC_IFACE, i);
		snprintf(name, sizeof(name), "listener.l%d.syn_recv", i);
		history_set(&h, name, HC_LISTENER, i);
		snprintf(name, sizeof(name), "remote.r%d.connections", i);
		history_set(&h, name, HC_REMOTE, i);
		snprintf(name, sizeof(name), "fixed%d", i);
		history_set(&h, name, HC_FIXED, i);
	}
	history_end(&h);
	assert_int_equal(h.nseries, 512);
	assert_true(history_memory(&h) <= 16u << 20);
	history_free(&h);
}

static void test_init_zero_rejected(void **state)
{
	struct history h;

	(void)state;
	assert_int_equal(history_init(&h, 0), -EINVAL);
}

static void test_columns_and_heights(void **state)
{
	struct history h;
	float cols[6];
	int heights[6];
	struct history_stats st;

	(void)state;
	assert_int_equal(history_init(&h, 100), 0);
	/* 60 s of a rising count: 0 … 59 */
	for (int i = 0; i < 60; i++)
		add(&h, 1000 + i, "x", i);
	/* the window (999, 1059] in 6 columns of 10 s: each column's largest */
	assert_int_equal(history_columns(&h, 0, 1059, 60, cols, 6), 6);
	assert_true(cols[0] == 9 && cols[5] == 59);
	history_heights(cols, 6, 59, 8, heights);
	assert_int_equal(heights[5], 8);
	assert_true(heights[0] >= 1 && heights[0] < heights[3]);
	/* a window that ends earlier leaves the later points out */
	history_stats(&h, 0, 1029, 60, &st);
	assert_true(st.has && st.cur == 29 && st.min == 0 && st.max == 29);
	/* and a window before any point has nothing */
	assert_int_equal(history_columns(&h, 0, 990, 60, cols, 6), 0);
	history_free(&h);
}

static void test_columns_use_folds(void **state)
{
	struct history h;
	float cols[4];

	(void)state;
	/* a ring of 10 s, two hours of samples: the hour's graph comes from
	 * the folded minutes */
	assert_int_equal(history_init(&h, 10), 0);
	for (int i = 0; i < 7200; i++)
		add(&h, i, "x", i < 3600 ? 1 : 5);
	assert_int_equal(history_columns(&h, 0, 7199, 7200, cols, 4), 4);
	assert_true(cols[0] == 1 && cols[3] == 5);
	history_free(&h);
}

static void test_columns_hold_between_samples(void **state)
{
	struct history h;
	float cols[10];

	(void)state;
	/* two samples 50 s apart in a 60 s window: the columns between keep
	 * the first one's count; none before the first */
	assert_int_equal(history_init(&h, 10), 0);
	add(&h, 1010, "x", 3);
	add(&h, 1060, "x", 7);
	assert_int_equal(history_columns(&h, 0, 1060, 60, cols, 10), 9);
	assert_true(isnan(cols[0]));
	assert_true(cols[1] == 3 && cols[5] == 3 && cols[8] == 3 && cols[9] == 7);
	history_free(&h);
}

static void test_labels(void **state)
{
	struct history h;
	char buf[32];

	(void)state;
	history_span_label(60, buf, sizeof(buf));
	assert_string_equal(buf, "-60s");
	history_span_label(600, buf, sizeof(buf));
	assert_string_equal(buf, "-10m");
	history_span_label(3600, buf, sizeof(buf));
	assert_string_equal(buf, "-1h");
	history_span_label(12000, buf, sizeof(buf));
	assert_string_equal(buf, "-3h20m");
	history_value_format(1234567, buf, sizeof(buf));
	assert_string_equal(buf, "1.2M");
	history_value_format(400, buf, sizeof(buf));
	assert_string_equal(buf, "400");
	assert_int_equal(history_init(&h, 10), 0);
	add(&h, 100, "x", 1);
	add(&h, 150, "x", 1);
	assert_true(history_zoom_span(&h, 0, 150) == 60);
	assert_true(history_zoom_span(&h, 3, 150) >= 50);
	history_free(&h);
}

static void test_snapshot_point(void **state)
{
	struct snapshot *s = snapshot_new(8);
	struct history h;
	struct sock_rec *l;

	(void)state;
	l = TCP4(s, ST_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0);
	l->recv_q = 3;
	TCP4(s, ST_SYN_RECV, "127.0.0.1", 80, "10.0.0.9", 4000);
	TCP4(s, ST_SYN_RECV, "127.0.0.1", 80, "10.0.0.9", 4001);
	TCP4(s, ST_ESTABLISHED, "127.0.0.1", 80, "10.0.0.7", 4002);
	UDP4(s, ST_UNKNOWN, "0.0.0.0", 53, "0.0.0.0", 0);
	build_iface(s, 1, "e,th0");
	s->wall.tv_sec = 1000;
	assert_int_equal(history_init(&h, 10), 0);
	assert_int_equal(history_add_snapshot(&h, s), 0);
	assert_true(history_value(&h, (size_t)history_find(&h, "states.SYN_RECV"), 0) == 2);
	assert_true(history_value(&h, (size_t)history_find(&h, "total.tcp"), 0) == 4);
	assert_true(history_value(&h, (size_t)history_find(&h, "total.udp"), 0) == 1);
	assert_true(history_value(&h, (size_t)history_find(&h, "listener.127.0.0.1:80.syn_recv"), 0) == 2);
	assert_true(history_value(&h, (size_t)history_find(&h, "listener.127.0.0.1:80.accept_queue"), 0) ==
		    3);
	assert_true(history_value(&h, (size_t)history_find(&h, "remote.10.0.0.9.connections"), 0) == 2);
	/* no interval: no rates yet */
	assert_true(isnan(history_value(&h, (size_t)history_find(&h, "tcp_rates.syncookies_sent"), 0)));
	/* an interface's comma would split --series: escaped */
	assert_true(history_find(&h, "iface.e\\x2cth0.rx_bps") >= 0);
	history_free(&h);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_keeps_newest),
		cmocka_unit_test(test_fold_min_max_mean),
		cmocka_unit_test(test_fold_ring_bounded),
		cmocka_unit_test(test_missing_is_nan),
		cmocka_unit_test(test_eviction_least_recent),
		cmocka_unit_test(test_memory_bounded),
		cmocka_unit_test(test_init_zero_rejected),
		cmocka_unit_test(test_columns_and_heights),
		cmocka_unit_test(test_columns_use_folds),
		cmocka_unit_test(test_columns_hold_between_samples),
		cmocka_unit_test(test_labels),
		cmocka_unit_test(test_snapshot_point),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
