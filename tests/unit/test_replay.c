/* test_replay.c: a recording of hand-built samples (two runs appended), read
 * back through the index the screen uses (record_reader_index, _seek,
 * _skip) and played by the replay thread: steps back and forward, the
 * sample recorded before each, pausing at the end, speeds, a torn tail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build.h"
#include "record/reader.h"
#include "record/writer.h"
#include "session/replay.h"

#define RUN1 5
#define RUN2 3

static char path[64];

/* Sample i of a run: sockets that mostly stay (references), one that comes
 * and goes, and a clock half a second further each time. */
static struct snapshot *sample_make(int i, long second)
{
	struct snapshot *s = snapshot_new(0);

	s->wall = (struct timespec){ .tv_sec = second, .tv_nsec = (i % 2) * 500000000L };
	s->mono = s->wall;
	for (int k = 0; k < 20; k++)
		TCP4(s, ST_ESTABLISHED, "127.0.0.1", 443, "127.0.0.2", (uint16_t)(40000 + k));
	if (i % 2)
		TCP4(s, ST_TIME_WAIT, "127.0.0.1", 443, "127.0.0.3", (uint16_t)(50000 + i));
	/* the sample's number, where a test can read it back */
	s->socks[0].recv_q = (uint32_t)i;
	return s;
}

static void record_run(int n, long start)
{
	char err[256];
	int status;
	struct record_writer *r = record_writer_open(path, err, sizeof(err), &status);
	struct snapshot *prev = NULL;

	assert_non_null(r);
	for (int i = 0; i < n; i++) {
		struct snapshot *s = sample_make(i, start + i / 2);

		assert_int_equal(record_writer_write(r, s, prev), 0);
		snapshot_free(prev);
		prev = s;
	}
	snapshot_free(prev);
	record_writer_close(r);
}

static int setup(void **state)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/nettop-test-replay-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	record_run(RUN1, 1000);
	record_run(RUN2, 5000);	/* appended the next day: a second run */
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static struct record_reader *open_reader(void)
{
	char err[256];
	int status;
	struct record_reader *p = record_reader_open(path, err, sizeof(err), &status);

	assert_non_null(p);
	return p;
}

static void test_index(void **state)
{
	struct record_reader *p = open_reader();
	struct record_frame *f;
	size_t n;

	assert_int_equal(record_reader_index(p, &f, &n), 0);
	assert_int_equal(n, RUN1 + RUN2);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(f[i].run_start, i == 0 || i == RUN1);
	assert_int_equal(f[1].wall.tv_nsec, 500000000L);
	assert_int_equal(f[RUN1].wall.tv_sec, 5000);
	assert_null(record_reader_note(p));
	/* the index leaves the replay at its first sample */
	struct snapshot *s = record_reader_next(p);

	assert_non_null(s);
	assert_int_equal(s->socks[0].recv_q, 0);
	snapshot_free(s);
	free(f);
	record_reader_close(p);
}

static void test_seek_and_skip(void **state)
{
	struct record_reader *p = open_reader();
	struct record_frame *f;
	struct snapshot *s;
	size_t n;

	assert_int_equal(record_reader_index(p, &f, &n), 0);
	/* the second run decodes from its own start */
	assert_int_equal(record_reader_seek(p, f[RUN1].offset, RUN1), 0);
	assert_int_equal(record_reader_skip(p), 0);
	s = record_reader_next(p);
	assert_non_null(s);
	assert_int_equal(s->socks[0].recv_q, 1);
	assert_int_equal(s->nsocks, 21);
	assert_true(s->interval > 0);	/* rates against the skipped sample */
	assert_int_equal(record_reader_position(p), RUN1 + 2);
	snapshot_free(s);
	/* a frame in the middle of a run needs the one before it */
	assert_int_equal(record_reader_seek(p, f[2].offset, 2), 0);
	assert_null(record_reader_next(p));
	assert_non_null(record_reader_note(p));
	free(f);
	record_reader_close(p);
}

static void test_torn_tail(void **state)
{
	struct record_reader *p;
	struct record_frame *f;
	struct stat st;
	size_t n;

	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(truncate(path, st.st_size - 3), 0);
	p = open_reader();
	assert_int_equal(record_reader_index(p, &f, &n), 0);
	assert_int_equal(n, RUN1 + RUN2 - 1);
	assert_non_null(record_reader_note(p));
	free(f);
	record_reader_close(p);
	/* put it back for the next tests */
	unlink(path);
	setup(state);
}

/* Waits for the thread's next sample (with the one before it). */
static struct sample *next_sample(struct replay *t, struct sample **before)
{
	struct pollfd pfd = { .fd = replay_fd(t), .events = POLLIN };
	struct sample *s = NULL;
	int err;

	for (int i = 0; i < 50 && !s; i++) {
		if (poll(&pfd, 1, 100) > 0)
			s = replay_acquire(t, before, &err);
	}
	assert_non_null(s);
	return s;
}

static size_t sample_number(const struct sample *s)
{
	return s ? (size_t)s->snap->socks[0].recv_q : (size_t)-1;
}

static void test_thread_steps(void **state)
{
	char err[256];
	int status;
	struct replay *t = replay_start(path, 4, err, sizeof(err), &status);
	struct replay_status st;
	struct sample *s, *before;

	assert_non_null(t);
	s = next_sample(t, &before);
	assert_int_equal(s->seq, 4);
	assert_int_equal(sample_number(s), 3);
	assert_non_null(before);
	assert_int_equal(before->seq, 3);
	replay_status(t, &st);
	assert_int_equal(st.count, RUN1 + RUN2);
	assert_true(st.paused);
	sample_release(s);
	sample_release(before);

	/* back twice, faster than decoding: each step counts from the last asked */
	assert_true(replay_step(t, -1));
	assert_true(replay_step(t, -1));
	do {
		s = next_sample(t, &before);
		if (s->seq != 2) {
			sample_release(s);
			sample_release(before);
		}
	} while (s->seq != 2);
	assert_int_equal(sample_number(before), 0);
	sample_release(s);
	sample_release(before);

	/* the first sample of the second run has no sample before it */
	for (int i = 0; i < RUN1 - 1; i++)
		assert_true(replay_step(t, 1));
	do {
		s = next_sample(t, &before);
		if (s->seq != RUN1 + 1) {
			sample_release(s);
			sample_release(before);
		}
	} while (s->seq != RUN1 + 1);
	assert_null(before);
	assert_int_equal(s->snap->wall.tv_sec, 5000);
	sample_release(s);
	replay_stop(t);
}

static void test_thread_plays_to_the_end(void **state)
{
	char err[256];
	int status;
	struct replay *t = replay_start(path, 0, err, sizeof(err), &status);
	struct replay_status st;
	struct sample *s, *before;
	size_t last = 0;

	assert_non_null(t);
	/* recorded half a second apart: x16 plays them in ~0.3 s */
	for (int i = 0; i < 6; i++)
		replay_speed_step(t, 1);
	assert_true(replay_speed_step(t, 1) == 16);
	while (last < RUN1 + RUN2) {
		s = next_sample(t, &before);
		assert_true(s->seq > last);
		last = s->seq;
		sample_release(s);
		sample_release(before);
	}
	for (int i = 0; i < 100; i++) {
		replay_status(t, &st);
		if (st.paused)
			break;
		usleep(10000);
	}
	assert_true(st.paused);
	assert_false(replay_step(t, 1));
	/* playing on from the end starts over */
	replay_pause(t, false);
	s = next_sample(t, &before);
	assert_int_equal(s->seq, 1);
	assert_null(before);
	sample_release(s);
	replay_stop(t);
}

static void test_thread_refuses_other_files(void **state)
{
	char err[256];
	int status;

	assert_null(replay_start("/etc/passwd", 0, err, sizeof(err), &status));
	assert_int_equal(status, -2);
	assert_non_null(strstr(err, "not a nettop recording"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_seek_and_skip),
		cmocka_unit_test(test_torn_tail),
		cmocka_unit_test(test_thread_steps),
		cmocka_unit_test(test_thread_plays_to_the_end),
		cmocka_unit_test(test_thread_refuses_other_files),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
