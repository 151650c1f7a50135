/* test_rec_place.c: the BPF sampler's records into a snapshot, and moved
 * about there (src/sample/bpf/rec_place.c): a socket's health record goes
 * wherever its socket goes, through a reorder and through the drop of the
 * sockets that closed since the walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "sample/bpf/rec_place.h"
#include "snapshot.h"
#include "sock_health.h"

/* n sockets, socket i with lport 100 + i and a health record whose lost
 * count is i: the pairing that must survive every move. */
static struct snapshot *numbered(size_t n)
{
	struct snapshot *s = snapshot_new(n);

	assert_non_null(s);
	s->flags |= SNAP_HAS_HEALTH;
	for (size_t i = 0; i < n; i++) {
		struct sock_rec *r = snapshot_add_sock(s);
		struct sock_health *h;

		assert_non_null(r);
		r->family = 4;
		r->lport = (uint16_t)(100 + i);
		h = sock_health_slot(s, i);
		assert_non_null(h);
		h->lost = (uint32_t)i;
		h->flags = HEALTH_INFO;
	}
	return s;
}

static void assert_paired(const struct snapshot *s)
{
	for (size_t i = 0; i < s->nsocks; i++)
		assert_int_equal(s->health[i].lost + 100, s->socks[i].lport);
}

static void test_permute_moves_health(void **state)
{
	struct snapshot *s = numbered(6);
	struct rec_mover m = { 0 };
	/* the records from 2 on, reversed; the first two stay */
	const size_t from[] = { 5, 4, 3, 2 };

	(void)state;
	assert_int_equal(rec_permute(&m, s, 2, from, 4), 0);
	assert_int_equal(s->socks[0].lport, 100);
	assert_int_equal(s->socks[1].lport, 101);
	assert_int_equal(s->socks[2].lport, 105);
	assert_int_equal(s->socks[5].lport, 102);
	assert_paired(s);
	rec_mover_free(&m);
	snapshot_free(s);
}

static void test_drop_gone_moves_health(void **state)
{
	struct snapshot *s = numbered(6);

	(void)state;
	s->socks[1].family = 0;		/* gone, as cookie_lookup.h marks them */
	s->socks[4].family = 0;
	s->socks[0].family = 0;		/* before start: kept */
	rec_drop_gone(s, 1);
	assert_int_equal(s->nsocks, 4);
	assert_int_equal(s->socks[0].lport, 100);
	assert_int_equal(s->socks[1].lport, 102);
	assert_int_equal(s->socks[2].lport, 103);
	assert_int_equal(s->socks[3].lport, 105);
	assert_paired(s);
	snapshot_free(s);
}

static void test_ext_fill(void **state)
{
	struct snapshot *s = numbered(1);
	struct nt_ext e;

	(void)state;
	memset(&e, 0, sizeof(e));
	e.has = NT_HAS_INFO | NT_HAS_MEM | NT_HAS_CONG;
	e.lost = 7;
	e.pacing_rate = 123456;
	e.drops = 3;
	memcpy(e.cong, "bbr", 4);
	rec_ext_fill(&e, s, 0);
	assert_int_equal(s->health[0].lost, 7);
	assert_int_equal(s->health[0].pacing_rate, 123456);
	assert_int_equal(s->health[0].drops, 3);
	assert_string_equal(s->health[0].cong, "bbr");
	assert_int_equal(s->health[0].flags, HEALTH_INFO | HEALTH_MEM | HEALTH_CONG);
	/* a name that is not printable ASCII is not taken */
	memcpy(e.cong, "b\x1b[2J", 6);
	rec_ext_fill(&e, s, 0);
	assert_false(s->health[0].flags & HEALTH_CONG);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_permute_moves_health),
		cmocka_unit_test(test_drop_gone_moves_health),
		cmocka_unit_test(test_ext_fill),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
