/* replay.c: --replay FILE on the screen: one worker that decodes, one
 * lock, one condition variable. The worker alone reads the file; the screen
 * only swaps pointers and sets what it wants (pause, a step, a speed) under
 * the lock. */
#include "replay.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "../monotime.h"
#include "../record/reader.h"
#include "../sample/event_pending.h"
#include "../thread.h"

static const double speeds[] = { 0.25, 0.5, 1, 2, 4, 8, 16 };
#define SPEED_NORMAL 2
#define SPEED_COUNT ((int)(sizeof(speeds) / sizeof(speeds[0])))

/* A gap longer than this between two samples (a recording resumed the next
 * day, a clock set back) plays as one second. */
#define GAP_MAX_SECONDS 60.0

struct replay {
	/* the worker's */
	struct record_reader *reader;
	struct sample *last;		/* the sample decoded last, if wrapped */
	struct stoppable thread;	/* its stop is under lock */

	/* fixed after start */
	struct record_frame *frames;
	size_t nframes;			/* complete frames; shrinks if one is malformed */
	char note[256];
	int event_fd;

	pthread_mutex_t lock;		/* guards everything below, and nframes */
	pthread_cond_t changed;
	bool paused;
	int speed;			/* index into speeds */
	size_t shown;			/* the sample published last (1-based); 0: none */
	size_t target;			/* a sample asked for (a step); 0: none */
	size_t decoding;		/* the sample being decoded, not yet shown; 0: none */
	struct timespec shown_at;	/* CLOCK_MONOTONIC */
	struct sample *newest, *newest_before;	/* published, not yet acquired */
	int err;
};

static void wake_reader(struct replay *t)
{
	uint64_t one = 1;

	if (write(t->event_fd, &one, sizeof(one)) < 0)
		return;
}

/* Seconds between sample n (1-based) and the next, as recorded. */
static double recorded_gap(const struct replay *t, size_t n)
{
	const struct record_frame *next = &t->frames[n];
	double gap;

	if (n == 0)
		return 0;
	gap = monotime_seconds(&t->frames[n - 1].wall, &next->wall);
	return next->run_start || gap < 0 || gap > GAP_MAX_SECONDS ? 1.0 : gap;
}

static struct sample *sample_wrap(struct snapshot *snap, size_t seq)
{
	struct sample *s = malloc(sizeof(*s));

	if (!s) {
		snapshot_free(snap);
		return NULL;
	}
	s->snap = snap;
	s->seq = seq;
	s->big = false;		/* a replay is not a sampler thread's: not waited for */
	atomic_init(&s->refs, 1);
	return s;
}

/* The index of the run start at or before frame i (0-based). */
static size_t run_start_of(const struct replay *t, size_t i)
{
	while (i > 0 && !t->frames[i].run_start)
		i--;
	return i;
}

/* The worker's: decodes up to sample goal (1-based), keeping the one before
 * it wrapped. 0, or -1 when a frame is malformed. */
static int decode_to(struct replay *t, size_t goal, struct sample **out,
		     struct sample **before)
{
	size_t start = run_start_of(t, goal - 1), at = record_reader_position(t->reader);
	struct snapshot *snap;

	*out = *before = NULL;
	/* forward within the run from where we are, else from the run's start */
	if (at >= goal || at < start) {
		if (record_reader_seek(t->reader, t->frames[start].offset, start) < 0)
			return -1;
		sample_release(t->last);
		t->last = NULL;
		at = start;
	}
	for (; at + 1 < goal; at++) {
		sample_release(t->last);
		t->last = NULL;
		if (at + 2 < goal) {
			if (record_reader_skip(t->reader) < 0)
				return -1;
		} else if (!(snap = record_reader_next(t->reader)) || !(t->last = sample_wrap(snap, at + 1))) {
			return -1;
		}
	}
	if (!(snap = record_reader_next(t->reader)) || !(*out = sample_wrap(snap, goal)))
		return -1;
	/* a run's first sample had no sample before it, live either */
	if (!t->frames[goal - 1].run_start)
		*before = t->last;
	else
		sample_release(t->last);
	t->last = *out;
	sample_hold(*out);
	return 0;
}

/* Called with the lock held: the sample to show next, waiting for its time
 * while playing. 0 when the thread must stop. */
static size_t next_goal(struct replay *t)
{
	for (;;) {
		struct timespec now, due = t->shown_at;

		if (t->thread.stop)
			return 0;
		if (t->target) {
			size_t goal = t->target;

			t->target = 0;
			return goal;
		}
		if (!t->paused && t->shown >= t->nframes) {
			/* the end: the last sample stays on screen, paused */
			t->paused = true;
			wake_reader(t);
		}
		if (t->paused) {
			stoppable_sleep(&t->thread, NULL);
			continue;
		}
		monotime_add(&due, recorded_gap(t, t->shown) / speeds[t->speed]);
		monotime_now(&now);
		if (t->shown == 0 || monotime_reached(&now, &due))
			return t->shown + 1;
		stoppable_sleep(&t->thread, &due);
	}
}

/* Called with the lock held: hands s (and the sample before it) to the
 * reader in place of any it never took. */
static void publish(struct replay *t, struct sample *s, struct sample *before)
{
	/* played straight on past one the reader never took: its closed
	 * connections come with this one, against the sample before both */
	if (t->newest && before == t->newest) {
		event_pending_carry(s->snap, t->newest->snap);
		sample_release(before);
		before = t->newest_before;
		t->newest_before = NULL;
	}
	sample_release(t->newest);
	sample_release(t->newest_before);
	t->newest = s;
	t->newest_before = before;
	t->shown = s->seq;
	monotime_now(&t->shown_at);
	wake_reader(t);
}

/* Called with the lock held: a malformed frame ends the recording there. */
static void truncate_at(struct replay *t)
{
	size_t good = record_reader_position(t->reader);

	if (good < t->nframes)
		t->nframes = good;
	t->err = -EBADMSG;
	t->paused = true;
	t->target = 0;
	sample_release(t->last);
	t->last = NULL;
	/* the next step decodes from the start again */
	record_reader_seek(t->reader, t->frames[0].offset, 0);
	wake_reader(t);
}

static void *replay_main(void *arg)
{
	struct replay *t = arg;
	size_t goal;

	pthread_mutex_lock(&t->lock);
	while ((goal = next_goal(t))) {
		struct sample *s, *before;
		int err;

		if (goal > t->nframes)
			continue;
		t->decoding = goal;
		pthread_mutex_unlock(&t->lock);
		err = decode_to(t, goal, &s, &before);
		pthread_mutex_lock(&t->lock);
		t->decoding = 0;
		if (err < 0) {
			sample_release(s);
			sample_release(before);
			truncate_at(t);
		} else {
			publish(t, s, before);
		}
	}
	pthread_mutex_unlock(&t->lock);
	return NULL;
}

static void replay_free(struct replay *t)
{
	record_reader_close(t->reader);
	free(t->frames);
	if (t->event_fd >= 0)
		close(t->event_fd);
	free(t);
}

struct replay *replay_start(const char *path, size_t pause_at, char *err,
					  size_t errlen, int *status)
{
	struct replay *t = calloc(1, sizeof(*t));
	int e;

	*status = -1;
	if (!t) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(ENOMEM));
		return NULL;
	}
	t->event_fd = -1;
	if (!(t->reader = record_reader_open(path, err, errlen, status))) {
		replay_free(t);
		return NULL;
	}
	if ((e = record_reader_index(t->reader, &t->frames, &t->nframes)) < 0) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(-e));
		replay_free(t);
		return NULL;
	}
	if (record_reader_note(t->reader))
		snprintf(t->note, sizeof(t->note), "%s", record_reader_note(t->reader));
	/* a first sample that does not decode leaves nothing to show: bad input,
	 * said before the screen opens */
	if (!t->nframes || record_reader_skip(t->reader) < 0) {
		const char *why = record_reader_note(t->reader);

		snprintf(err, errlen, "--replay %s: %s; nothing could be read", path,
			 why ? why : "the recording holds no sample");
		*status = -2;
		replay_free(t);
		return NULL;
	}
	if (record_reader_seek(t->reader, t->frames[0].offset, 0) < 0) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
		replay_free(t);
		return NULL;
	}
	t->speed = SPEED_NORMAL;
	if (pause_at) {
		t->target = pause_at < t->nframes ? pause_at : t->nframes;
		t->paused = true;
	}
	t->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e = t->event_fd < 0 ? -errno : 0;
	if (!e && !(e = stoppable_start(&t->thread, &t->lock, &t->changed, replay_main, t)))
		return t;
	snprintf(err, errlen, "--replay %s: %s", path, strerror(-e));
	replay_free(t);
	return NULL;
}

void replay_stop(struct replay *t)
{
	if (!t)
		return;
	stoppable_stop(&t->thread);
	sample_release(t->last);
	sample_release(t->newest);
	sample_release(t->newest_before);
	replay_free(t);
}

int replay_fd(const struct replay *t)
{
	return t->event_fd;
}

struct sample *replay_acquire(struct replay *t, struct sample **before, int *err)
{
	struct sample *s;
	uint64_t count;

	if (read(t->event_fd, &count, sizeof(count)) < 0)
		count = 0;
	pthread_mutex_lock(&t->lock);
	s = t->newest;
	*before = t->newest_before;
	t->newest = t->newest_before = NULL;
	*err = t->err;
	t->err = 0;
	pthread_mutex_unlock(&t->lock);
	return s;
}

void replay_pause(struct replay *t, bool paused)
{
	pthread_mutex_lock(&t->lock);
	if (t->paused && !paused && t->shown >= t->nframes)
		t->target = 1;
	t->paused = paused;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

bool replay_step(struct replay *t, int step)
{
	bool moved;
	size_t from, to;

	pthread_mutex_lock(&t->lock);
	/* keys faster than decoding: each step counts from the last one asked,
	 * or from the one being decoded (no longer a target, not yet shown) */
	from = t->target ? t->target : t->decoding ? t->decoding : t->shown;
	to = step < 0 ? (from > 1 ? from - 1 : from) : (from < t->nframes ? from + 1 : from);
	moved = to != from;
	t->paused = true;
	if (moved)
		t->target = to;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
	return moved;
}

double replay_speed_step(struct replay *t, int step)
{
	double speed;

	pthread_mutex_lock(&t->lock);
	t->speed += step > 0 ? 1 : -1;
	if (t->speed < 0)
		t->speed = 0;
	if (t->speed >= SPEED_COUNT)
		t->speed = SPEED_COUNT - 1;
	speed = speeds[t->speed];
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
	return speed;
}

void replay_status(struct replay *t, struct replay_status *out)
{
	pthread_mutex_lock(&t->lock);
	out->count = t->nframes;
	out->speed = speeds[t->speed];
	out->paused = t->paused;
	pthread_mutex_unlock(&t->lock);
}

const char *replay_note(const struct replay *t)
{
	return t->note[0] ? t->note : NULL;
}
