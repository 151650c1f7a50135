/* test_closed_seen.c: the first-seen table of the Closed view's join
 * (view/closed_seen.c) at scale: sized to what it holds (at most 3 slots
 * for 2 sockets after it grows, not the next power of two), every socket
 * found, the gone ones kept one sample longer, then removed (the backward
 * shift across the table's end); a socket new in a later sample learned
 * from the first pass's list of new ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "view/closed_seen.h"

/* n sockets with cookies from, from + step, ... */
static struct snapshot *socks(size_t n, uint64_t from, uint64_t step, int sec)
{
	struct snapshot *s = snapshot_new(n);

	assert_non_null(s);
	s->mono.tv_sec = sec;
	for (size_t i = 0; i < n; i++) {
		struct sock_rec *r = snapshot_add_sock(s);

		assert_non_null(r);
		r->cookie = from + i * step;
		r->family = 4;
		r->state = 1;
		r->bytes_acked = r->cookie * 3;
	}
	return s;
}

static void test_seen_sized_to_contents(void **state)
{
	enum { N = 300000 };
	struct snapshot *all = socks(N, 1, 1, 10), *odd = socks(N / 2, 1, 2, 11);
	struct snapshot *odd2 = socks(N / 2, 1, 2, 12);
	struct closed_seen t;

	(void)state;
	closed_seen_init(&t);
	assert_int_equal(closed_seen_update(&t, all), 0);
	/* 300,000 in 450,048 slots; a power of two would have been 524,288 */
	assert_true(t.mask + 1 <= N + N / 2 + 64);
	assert_true(t.mask + 1 >= N + N / 3);
	assert_int_equal(t.used, N);
	for (uint64_t c = 1; c <= N; c++) {
		const struct closed_seen_entry *e = closed_seen_find(&t, c);

		assert_non_null(e);
		assert_int_equal(e->bytes_acked, c * 3);
		assert_int_equal(closed_seen_first_ms(&t, e), 10000);
	}
	/* the even cookies are gone: kept one sample longer, then forgotten */
	assert_int_equal(closed_seen_update(&t, odd), 0);
	assert_non_null(closed_seen_find(&t, 2));
	assert_int_equal(closed_seen_update(&t, odd2), 0);
	assert_int_equal(t.used, N / 2);
	for (uint64_t c = 1; c <= N; c++) {
		const struct closed_seen_entry *e = closed_seen_find(&t, c);

		if (c % 2 == 0) {
			assert_null(e);
			continue;
		}
		assert_non_null(e);
		assert_int_equal(closed_seen_first_ms(&t, e), 10000);	/* first seen in the first */
	}
	assert_null(closed_seen_find(&t, N + 1));
	/* a socket new in a later sample (twice in it): learned once, then */
	odd2->mono.tv_sec = 13;
	odd2->socks[5].cookie = N + 10;
	odd2->socks[77].cookie = N + 10;
	assert_int_equal(closed_seen_update(&t, odd2), 0);
	assert_int_equal(t.used, N / 2 + 1);
	assert_int_equal(closed_seen_first_ms(&t, closed_seen_find(&t, N + 10)), 13000);
	assert_int_equal(closed_seen_first_ms(&t, closed_seen_find(&t, 1)), 10000);
	closed_seen_free(&t);
	snapshot_free(all);
	snapshot_free(odd);
	snapshot_free(odd2);
}

/* Ten samples, a generation of two bits: a socket in every other sample
 * is kept through the one it misses, one gone for two is forgotten, and
 * one that stays keeps its first time, its last bytes and state. */
static void test_seen_generations(void **state)
{
	struct closed_seen t;

	(void)state;
	assert_int_equal(sizeof(struct closed_seen_entry), 32);
	closed_seen_init(&t);
	for (int k = 0; k < 10; k++) {
		/* cookies 1-4 always; 5 in the even samples; 6 in the first two */
		struct snapshot *s = socks(k % 2 ? 4 : 5, 1, 1, 100 + k);

		if (k < 2) {
			struct sock_rec *r = snapshot_add_sock(s);

			assert_non_null(r);
			r->cookie = 6;
		}
		s->socks[0].bytes_acked = (uint64_t)k << 40;
		s->socks[1].state = (uint8_t)(200 + k);		/* a replay's nonsense */
		assert_int_equal(closed_seen_update(&t, s), 0);
		assert_non_null(closed_seen_find(&t, 5));
		if (k >= 3)
			assert_null(closed_seen_find(&t, 6));
		assert_int_equal(closed_seen_first_ms(&t, closed_seen_find(&t, 1)), 100000);
		assert_int_equal(closed_seen_find(&t, 1)->bytes_acked, (uint64_t)k << 40);
		assert_int_equal(closed_seen_find(&t, 1)->state, 1);
		assert_int_equal(closed_seen_find(&t, 2)->state, 0);
		assert_int_equal(t.used, k < 2 ? 6 : k < 3 ? 6 : 5);
		snapshot_free(s);
	}
	closed_seen_free(&t);
}

/* Owners no longer asked for (the screen's P turned off): every socket
 * keeps its process from the sample before, and the process is copied
 * once, not once a socket. */
static void test_owner_carried_once(void **state)
{
	enum { N = 20000 };
	struct snapshot *owned = socks(N, 1, 1, 10), *plain = socks(N, 1, 1, 11);
	struct closed_seen t;

	(void)state;
	owned->flags |= SNAP_HAS_PROCS;
	assert_int_equal(snapshot_add_proc(owned, 4242, 1000, "loadgen"), 0);
	assert_int_equal(snapshot_add_proc(owned, 4243, 1000, "other"), 1);
	for (size_t i = 0; i < N; i++)
		owned->socks[i].owner = (int32_t)(i % 2);
	closed_seen_init(&t);
	assert_int_equal(closed_seen_update(&t, owned), 0);
	assert_int_equal(closed_seen_update(&t, plain), 0);
	assert_int_equal(t.procs[0].n, 2);
	for (uint64_t c = 1; c <= N; c++) {
		const struct closed_proc *p = closed_seen_proc(&t, closed_seen_find(&t, c));

		assert_non_null(p);
		assert_int_equal(p->pid, c % 2 ? 4242 : 4243);
	}
	closed_seen_free(&t);
	snapshot_free(owned);
	snapshot_free(plain);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seen_sized_to_contents),
		cmocka_unit_test(test_seen_generations),
		cmocka_unit_test(test_owner_carried_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
