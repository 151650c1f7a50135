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
#include "record/codec.h"
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

/* A payload with nothing but sockets: the frame flags, clocks, flags, note,
 * counters, processes, SYN sources and interfaces all zero, then the
 * socket count and ops. */
static struct snapshot *decode_socks_only(const unsigned char *ops, size_t n,
					  const struct snapshot *prev)
{
	unsigned char p[64] = { 0 };

	assert_true(13 + n <= sizeof(p));
	memcpy(p + 13, ops, n);
	return record_decode(p, 13 + n, prev);
}

/* Sample 1 holds 1 socket, sample 2 holds 3: a capacity of 1 used to stay 1
 * (1 + 1 / 2) and the decoder wrote past it (issue 16). */
static void test_one_socket_then_more(void **state)
{
	char one[64], err[256];
	int fd, status;
	struct record_writer *r;
	struct record_reader *p;
	struct snapshot *a = snapshot_new(0), *b = snapshot_new(0), *s;

	snprintf(one, sizeof(one), "/tmp/nettop-test-one-XXXXXX");
	assert_true((fd = mkstemp(one)) >= 0);
	close(fd);
	TCP4(a, ST_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0);
	for (int k = 0; k < 3; k++)
		TCP4(b, ST_LISTEN, "127.0.0.1", (uint16_t)(80 + k), "0.0.0.0", 0);
	b->mono.tv_sec = 1;
	assert_non_null(r = record_writer_open(one, err, sizeof(err), &status));
	assert_int_equal(record_writer_write(r, a, NULL), 0);
	assert_int_equal(record_writer_write(r, b, a), 0);
	record_writer_close(r);
	assert_non_null(p = record_reader_open(one, err, sizeof(err), &status));
	for (size_t want = 1; want <= 3; want += 2) {
		assert_non_null(s = record_reader_next(p));
		assert_int_equal(s->nsocks, want);
		assert_int_equal(s->socks[want - 1].lport, 80 + want - 1);
		snapshot_free(s);
	}
	assert_null(record_reader_next(p));
	assert_null(record_reader_note(p));
	record_reader_close(p);
	unlink(one);
	snapshot_free(a);
	snapshot_free(b);
}

/* A frame may carry each socket of the sample before it once: copying a
 * range twice doubled the sockets every frame, 2M from 901 bytes. */
static void test_copy_carries_each_socket_once(void **state)
{
	const unsigned char twice[] = { 4, 0, 0, 2, 0, 0, 2 };	/* COPY 0+2, COPY 0+2 */
	const unsigned char overlap[] = { 3, 0, 0, 2, 0, 1, 1 };	/* COPY 0+2, COPY 1+1 */
	const unsigned char each[] = { 2, 0, 1, 1, 0, 0, 1 };		/* COPY 1+1, COPY 0+1 */
	const unsigned char claims[] = { 100, 0, 0, 2 };		/* 100 from 2 and 1 byte */
	struct snapshot *prev = snapshot_new(0), *s;

	TCP4(prev, ST_LISTEN, "127.0.0.1", 80, "0.0.0.0", 0);
	TCP4(prev, ST_LISTEN, "127.0.0.1", 81, "0.0.0.0", 0);
	assert_null(decode_socks_only(twice, sizeof(twice), prev));
	assert_null(decode_socks_only(overlap, sizeof(overlap), prev));
	assert_null(decode_socks_only(claims, sizeof(claims), prev));
	assert_non_null(s = decode_socks_only(each, sizeof(each), prev));
	assert_int_equal(s->nsocks, 2);
	assert_int_equal(s->socks[0].lport, 81);
	assert_int_equal(s->socks[1].lport, 80);
	snapshot_free(s);
	snapshot_free(prev);
}

/* A first frame whose CRC holds but whose sample does not decode leaves
 * nothing to show: refused before the screen opens, saying where. */
static void test_thread_refuses_a_malformed_first_sample(void **state)
{
	static const unsigned char file[] = {
		'N', 'E', 'T', 'T', 'O', 'P', 'R', 'C', 1, 0, 0, 0, 0, 0, 0, 0,
		0x53, 0x4d, 0x50, 0x4c, 3, 0, 0, 0, 1, 2, 3,	/* SMPL, 3 bytes of nonsense */
		0x1d, 0x80, 0xbc, 0x55,				/* their CRC-32 */
	};
	char bad[64], err[256];
	int fd, status;

	snprintf(bad, sizeof(bad), "/tmp/nettop-test-bad-XXXXXX");
	assert_true((fd = mkstemp(bad)) >= 0);
	assert_int_equal(write(fd, file, sizeof(file)), sizeof(file));
	close(fd);
	assert_null(replay_start(bad, 0, err, sizeof(err), &status));
	assert_int_equal(status, -2);
	assert_non_null(strstr(err, "sample 1 (frame at byte 16) is malformed"));
	assert_non_null(strstr(err, bad));
	unlink(bad);
}

static size_t samples_in(const char *file)
{
	char err[256];
	int status;
	struct record_reader *p = record_reader_open(file, err, sizeof(err), &status);
	struct snapshot *s;
	size_t n = 0;

	assert_non_null(p);
	while ((s = record_reader_next(p)))
		snapshot_free(s), n++;
	assert_null(record_reader_note(p));
	record_reader_close(p);
	return n;
}

/* Appending to a recording a killed recorder tore: the torn frame goes, so
 * the samples appended after it can be read; a recording damaged in its
 * middle is refused, as nothing appended after the damage could be read. */
static void test_append_after_a_torn_tail(void **state)
{
	char err[256];
	int status;
	struct record_writer *r;
	struct snapshot *s = sample_make(0, 9000);
	FILE *f;

	assert_non_null(f = fopen(path, "ab"));
	fwrite("SMPL\x40\0\0\0partial", 1, 15, f);
	fclose(f);
	assert_non_null(r = record_writer_open(path, err, sizeof(err), &status));
	assert_int_equal(record_writer_write(r, s, NULL), 0);
	record_writer_close(r);
	assert_int_equal(samples_in(path), RUN1 + RUN2 + 1);

	assert_non_null(f = fopen(path, "r+b"));
	fseek(f, 16, SEEK_SET);
	fwrite("JUNK", 1, 4, f);
	fclose(f);
	assert_null(record_writer_open(path, err, sizeof(err), &status));
	assert_non_null(strstr(err, "damaged at byte 16"));
	snapshot_free(s);
	/* put it back for the next tests */
	unlink(path);
	setup(state);
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
		cmocka_unit_test(test_append_after_a_torn_tail),
		cmocka_unit_test(test_thread_steps),
		cmocka_unit_test(test_thread_plays_to_the_end),
		cmocka_unit_test(test_thread_refuses_other_files),
		cmocka_unit_test(test_thread_refuses_a_malformed_first_sample),
		cmocka_unit_test(test_one_socket_then_more),
		cmocka_unit_test(test_copy_carries_each_socket_once),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
