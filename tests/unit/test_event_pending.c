/* test_event_pending.c: the screen's sampler thread's side of the destroy
 * events (sample/event_pending.c), without a socket: a sample replaced
 * before the screen took it hands its events on, oldest first; a sampler
 * without a listener says why in each sample. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "close_event.h"
#include "sample/event_pending.h"

static struct snapshot *with_events(uint64_t first, size_t n)
{
	struct snapshot *s = snapshot_new(0);

	assert_non_null(s);
	s->flags |= SNAP_HAS_EVENTS;
	s->closed = calloc(n ? n : 1, sizeof(*s->closed));
	assert_non_null(s->closed);
	for (size_t i = 0; i < n; i++)
		s->closed[i].r.cookie = first + i;
	s->nclosed = n;
	return s;
}

static void test_carry_keeps_order(void **state)
{
	struct snapshot *older = with_events(1, 3), *snap = with_events(4, 2);

	(void)state;
	event_pending_carry(snap, older);
	assert_int_equal(snap->nclosed, 5);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(snap->closed[i].r.cookie, 1 + i);
	/* the older keeps its own: it may still be recorded or referenced */
	assert_int_equal(older->nclosed, 3);
	snapshot_free(older);
	snapshot_free(snap);
}

static void test_carry_into_none(void **state)
{
	struct snapshot *older = with_events(7, 2), *snap = snapshot_new(0);

	(void)state;
	event_pending_carry(snap, older);
	assert_int_equal(snap->nclosed, 2);
	assert_int_equal(snap->closed[1].r.cookie, 8);
	event_pending_carry(snap, NULL);
	assert_int_equal(snap->nclosed, 2);
	snapshot_free(older);
	snapshot_free(snap);
}

static void test_no_listener_says_why(void **state)
{
	struct event_pending p = { .tried = true, .note = "closed connections need CAP_NET_ADMIN" };
	struct snapshot *snap = snapshot_new(0);

	(void)state;
	/* tried once: asking again does not reopen */
	event_pending_want(&p, true);
	assert_null(p.ev);
	event_pending_attach(&p, snap);
	assert_false(snap->flags & SNAP_HAS_EVENTS);
	assert_int_equal(snap->nclosed, 0);
	assert_string_equal(snap->events_note, "closed connections need CAP_NET_ADMIN");
	event_pending_close(&p);
	snapshot_free(snap);
}

static void test_not_wanted(void **state)
{
	struct event_pending p = { 0 };
	struct snapshot *snap = snapshot_new(0);

	(void)state;
	event_pending_want(&p, false);
	assert_false(p.tried);
	event_pending_attach(&p, snap);
	assert_false(snap->flags & SNAP_HAS_EVENTS);
	assert_null(snap->events_note);
	event_pending_close(&p);
	snapshot_free(snap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_carry_keeps_order),
		cmocka_unit_test(test_carry_into_none),
		cmocka_unit_test(test_no_listener_says_why),
		cmocka_unit_test(test_not_wanted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
