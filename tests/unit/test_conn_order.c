/* test_conn_order.c: the connections' order (view/conn_order.c) in 16-byte
 * items: ties by the cookie, told from its low half while the cookies lie
 * within 2^32 of each other (here across a boundary of the low half), from
 * the sockets otherwise; and a part filled in place (the census's second
 * half) appended after the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "build.h"
#include "view/conn_order.h"

#define ALL_PROTOS (1u << PROTO_TCP | 1u << PROTO_UDP)

/* n established sockets (ties by state), cookies from base in a shuffled order */
static struct snapshot *tied(size_t n, uint64_t base, uint64_t step)
{
	struct snapshot *s = snapshot_new(n);
	unsigned seed = 7;

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		TCP4(s, ST_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", (uint16_t)i)->cookie = base + i * step;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = (size_t)rand_r(&seed) % (i + 1);
		struct sock_rec t = s->socks[i];

		s->socks[i] = s->socks[j];
		s->socks[j] = t;
	}
	return s;
}

static void check_ascending(struct conn_order *o, const struct snapshot *s, size_t n)
{
	assert_int_equal(o->n, n);
	for (size_t row = 1; row < n; row++)
		assert_true(s->socks[conn_order_at(o, row - 1)].cookie <
			    s->socks[conn_order_at(o, row)].cookie);
}

static void test_item_size(void **state)
{
	(void)state;
	assert_int_equal(sizeof(struct conn_item), 16);
}

static void test_ties_by_cookie(void **state)
{
	static const struct { uint64_t base, step; bool exact; } cases[] = {
		{ 0xfffff000, 3, true },		/* the low half wraps */
		{ (5ULL << 32) - 1000, 1, true },
		{ 1, 1ULL << 31 | 1, false },		/* farther apart than 2^32 */
	};
	struct conn_sort sort = { FIELD_STATE, false };
	struct view_options v = { ALL_PROTOS, LISTEN_ALL, NULL };

	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct snapshot *s = tied(3000, cases[c].base, cases[c].step);
		struct conn_order o;

		assert_int_equal(conn_order_build(&o, s, &v, &sort), 0);
		assert_true(o.tie_exact == cases[c].exact);
		check_ascending(&o, s, 3000);
		assert_int_equal(conn_order_find(&o, cases[c].base + 17 * cases[c].step),
				 17);
		assert_int_equal(conn_order_find(&o, cases[c].base + 3000 * cases[c].step), -1);
		conn_order_free(&o);
		snapshot_free(s);
	}
}

static void test_part_in_place(void **state)
{
	struct conn_sort sort = { FIELD_STATE, false };
	struct snapshot *s = tied(1000, 0xffffff00, 1);
	struct conn_order o, part;

	(void)state;
	assert_int_equal(conn_order_init(&o, s, &sort, s->nsocks), 0);
	assert_int_equal(conn_order_init_part(&part, &o, 600), 0);
	assert_ptr_equal(part.items, o.items + 600);
	for (size_t i = 600; i < 1000; i++)
		conn_order_add(&part, &s->socks[i]);
	/* the first half shows fewer than it had room for */
	for (size_t i = 0; i < 600; i += 2)
		conn_order_add(&o, &s->socks[i]);
	conn_order_append(&o, &part);
	conn_order_free(&part);
	conn_order_finish(&o);
	assert_true(o.tie_exact);
	assert_int_equal(o.n, 700);
	for (size_t row = 1; row < o.n; row++)
		assert_true(s->socks[conn_order_at(&o, row - 1)].cookie <
			    s->socks[conn_order_at(&o, row)].cookie);
	conn_order_free(&o);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_item_size),
		cmocka_unit_test(test_ties_by_cookie),
		cmocka_unit_test(test_part_in_place),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
