/* test_record_events.c: a sample's destroy events in a recording
 * (record/codec_events.c): every field back as it was, the note of a
 * listener that could not run, a frame without the section (as every frame
 * recorded before it) read as before, and a section cut short refused. The
 * fixture recordings of tests/fixtures/recordings (made before events were
 * recorded) still decode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "close_event.h"
#include "fixture.h"
#include "record/codec.h"

static struct snapshot *sample_with_events(size_t n)
{
	struct snapshot *s = snapshot_new(0);

	assert_non_null(s);
	s->wall.tv_sec = 1700000000;
	s->mono.tv_sec = 500;
	s->flags |= SNAP_HAS_EVENTS;
	TCP4(s, ST_ESTABLISHED, "127.0.0.1", 443, "127.0.0.2", 40000);
	s->closed = calloc(n ? n : 1, sizeof(*s->closed));
	assert_non_null(s->closed);
	for (size_t i = 0; i < n; i++) {
		struct close_event *e = &s->closed[i];

		e->r.cookie = 0x1000 + i;
		e->r.family = i % 2 ? 6 : 4;
		e->r.proto = i % 3 == 2 ? PROTO_UDP : PROTO_TCP;
		e->r.state = ST_CLOSE;
		e->r.retrans = 1;
		build_event_addrs(e, e->r.family == 4 ? "10.1.2.3" : "fd00::7",
				  e->r.family == 4 ? "10.1.2.4" : "fd00::8");
		e->r.lport = (uint16_t)(1000 + i);
		e->r.rport = 80;
		e->r.owner = OWNER_NONE;
		if (e->r.proto == PROTO_TCP) {
			e->r.flags = SOCK_HAS_INFO;
			e->r.rtt_us = 123, e->x.rttvar_us = 45, e->x.cwnd = 10, e->x.total_retrans = 2;
			e->x.segs_in = 7, e->x.segs_out = 9;
			e->r.bytes_acked = 5002, e->r.bytes_received = 1001;
			e->has_sent = true;
			e->bytes_sent = 5000, e->bytes_retrans = 0;
		}
		e->wall = (struct timespec){ 1699999999, 250000000 + (long)i };
		e->mono = (struct timespec){ 499, 250000000 + (long)i };
	}
	s->nclosed = n;
	s->events_lost = 42;
	return s;
}

/* The frame's payload decoded (the header and CRC stripped). */
static struct snapshot *roundtrip(const struct snapshot *s, size_t cut)
{
	size_t len;
	unsigned char *frame = record_encode(s, NULL, &len);
	struct snapshot *back;

	assert_non_null(frame);
	assert_true(len > RECORD_FRAME_HEADER_SIZE + 4 + cut);
	back = record_decode(frame + RECORD_FRAME_HEADER_SIZE, len - RECORD_FRAME_HEADER_SIZE - 4 - cut, NULL);
	free(frame);
	return back;
}

static void test_events_roundtrip(void **state)
{
	struct snapshot *s = sample_with_events(5);
	struct snapshot *back = roundtrip(s, 0);

	(void)state;
	assert_non_null(back);
	assert_true(back->flags & SNAP_HAS_EVENTS);
	assert_int_equal(back->nclosed, 5);
	assert_int_equal(back->events_lost, 42);
	assert_null(back->events_note);
	for (size_t i = 0; i < 5; i++) {
		const struct close_event *a = &s->closed[i], *b = &back->closed[i];

		assert_memory_equal(&a->r, &b->r, sizeof(a->r));
		assert_int_equal(a->wall.tv_sec, b->wall.tv_sec);
		assert_int_equal(a->wall.tv_nsec, b->wall.tv_nsec);
		assert_int_equal(a->mono.tv_nsec, b->mono.tv_nsec);
		assert_int_equal(a->has_sent, b->has_sent);
		assert_int_equal(a->bytes_sent, b->bytes_sent);
	}
	snapshot_free(back);
	snapshot_free(s);
}

static void test_note_without_events(void **state)
{
	struct snapshot *s = sample_with_events(0), *back, *clone;

	(void)state;
	s->flags &= ~(unsigned)SNAP_HAS_EVENTS;
	s->events_note = "closed connections need CAP_NET_ADMIN";
	back = roundtrip(s, 0);
	assert_non_null(back);
	assert_false(back->flags & SNAP_HAS_EVENTS);
	assert_int_equal(back->nclosed, 0);
	assert_string_equal(back->events_note, "closed connections need CAP_NET_ADMIN");
	/* the note lives in the snapshot's arena: a copy has its own */
	clone = snapshot_clone(back);
	snapshot_free(back);
	assert_string_equal(clone->events_note, "closed connections need CAP_NET_ADMIN");
	snapshot_free(clone);
	snapshot_free(s);
}

/* A sample without events writes no section: the frame is as before. */
static void test_no_section(void **state)
{
	struct snapshot *s = sample_with_events(0), *back;

	(void)state;
	s->flags &= ~(unsigned)SNAP_HAS_EVENTS;
	back = roundtrip(s, 0);
	assert_non_null(back);
	assert_int_equal(back->nclosed, 0);
	assert_null(back->closed);
	snapshot_free(back);
	snapshot_free(s);
}

static void test_cut_short(void **state)
{
	struct snapshot *s = sample_with_events(3);

	(void)state;
	for (size_t cut = 1; cut < 40; cut++)
		assert_null(roundtrip(s, cut));
	snapshot_free(s);
}

/* Recordings made before the section existed: every sample still decodes,
 * with no events and nothing said of them. */
static void test_old_recordings(void **state)
{
	static const char *const files[] = { "recordings/busy.rec", "recordings/flood.rec",
					     "recordings/quiet.rec" };

	(void)state;
	for (size_t f = 0; f < 3; f++) {
		size_t len, pos = RECORD_HEADER_SIZE;
		unsigned char *file = fixture_read(files[f], &len);
		struct snapshot *prev = NULL;
		int n = 0;

		assert_int_equal(record_header_check(file, &(uint32_t){ 0 }), 0);
		while (pos + RECORD_FRAME_HEADER_SIZE + 4 <= len) {
			long plen = record_frame_length(file + pos);
			struct snapshot *s;

			assert_true(plen >= 0);
			s = record_decode(file + pos + RECORD_FRAME_HEADER_SIZE, (size_t)plen, prev);
			assert_non_null(s);
			assert_int_equal(s->nclosed, 0);
			assert_false(s->flags & SNAP_HAS_EVENTS);
			assert_null(s->events_note);
			snapshot_free(prev);
			prev = s;
			pos += RECORD_FRAME_HEADER_SIZE + (size_t)plen + 4;
			n++;
		}
		assert_int_equal(pos, len);
		assert_true(n > 0);
		snapshot_free(prev);
		free(file);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_roundtrip),
		cmocka_unit_test(test_note_without_events),
		cmocka_unit_test(test_no_section),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_old_recordings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
