/* sampler_thread.c: one worker thread, one lock, one condition variable. The
 * lock is never held across a dump: the reader only ever waits for the few
 * instructions it takes to swap a pointer. */
#include "sampler_thread.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

struct sampler_thread {
	struct sampler *sampler;	/* used by the worker only */
	pthread_t thread;
	int event_fd;			/* counts publications; wakes the reader's poll */

	void *dump_bytecode;		/* the worker's copy, for the dump in progress */
	size_t dump_bytecode_cap;

	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t changed;		/* stop, pause, request or interval changed */
	struct sample_request req;	/* req.bytecode points to our own copy */
	double interval;
	bool stop, paused, resample;
	struct sample *newest;		/* published, not yet acquired */
	int err;			/* last failure, until acquired */
};

void sample_hold(struct sample *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

void sample_release(struct sample *s)
{
	if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	snapshot_free(s->snap);
	free(s);
}

static void timespec_add(struct timespec *t, double seconds)
{
	long ns = (long)((seconds - (long)seconds) * 1e9);

	t->tv_sec += (time_t)seconds;
	t->tv_nsec += ns;
	if (t->tv_nsec >= 1000000000L)
		t->tv_sec++, t->tv_nsec -= 1000000000L;
}

static bool timespec_reached(const struct timespec *now, const struct timespec *when)
{
	return now->tv_sec > when->tv_sec ||
	       (now->tv_sec == when->tv_sec && now->tv_nsec >= when->tv_nsec);
}

static void wake_reader(struct sampler_thread *t)
{
	uint64_t one = 1;

	/* the counter only overflows after 2^64 - 1 unread wake-ups */
	if (write(t->event_fd, &one, sizeof(one)) < 0)
		return;
}

/* Called with the lock held: keeps snap as the base for the next rates and,
 * unless paused, hands it to the reader in place of one it never took. */
static void publish(struct sampler_thread *t, struct sample **prev, struct snapshot *snap)
{
	struct sample *s = malloc(sizeof(*s));

	if (!s) {
		snapshot_free(snap);
		t->err = -ENOMEM;
		wake_reader(t);
		return;
	}
	s->snap = snap;
	s->seq = *prev ? (*prev)->seq + 1 : 1;
	atomic_init(&s->refs, 1);
	sample_release(*prev);
	*prev = s;
	if (t->paused)
		return;
	sample_hold(s);
	sample_release(t->newest);
	t->newest = s;
	wake_reader(t);
}

/* Called with the lock held: waits until a sample is due. False when the
 * thread must stop. */
static bool wait_due(struct sampler_thread *t, const struct timespec *last, bool first)
{
	for (;;) {
		struct timespec now, due = *last;

		if (t->stop)
			return false;
		if (t->paused) {
			pthread_cond_wait(&t->changed, &t->lock);
			continue;
		}
		if (first || t->resample)
			return true;
		timespec_add(&due, t->interval);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (timespec_reached(&now, &due))
			return true;
		pthread_cond_timedwait(&t->changed, &t->lock, &due);
	}
}

/* Called with the lock held: req with the bytecode copied for the worker,
 * so that a new request may replace the shared copy during the dump. */
static struct sample_request request_for_dump(struct sampler_thread *t)
{
	struct sample_request req = t->req;

	if (!req.bytecode)
		return req;
	if (t->dump_bytecode_cap < req.bytecode_len) {
		void *p = realloc(t->dump_bytecode, req.bytecode_len);

		if (!p) {
			/* the kernel filters nothing; the views still check everything */
			req.bytecode = NULL, req.bytecode_len = 0;
			return req;
		}
		t->dump_bytecode = p;
		t->dump_bytecode_cap = req.bytecode_len;
	}
	memcpy(t->dump_bytecode, req.bytecode, req.bytecode_len);
	req.bytecode = t->dump_bytecode;
	return req;
}

static void *sampler_thread_main(void *arg)
{
	struct sampler_thread *t = arg;
	struct sample *prev = NULL;
	struct timespec last = { 0 };
	bool first = true;

	pthread_mutex_lock(&t->lock);
	while (wait_due(t, &last, first)) {
		struct sample_request req = request_for_dump(t);
		struct snapshot *snap;
		int err;

		first = t->resample = false;
		pthread_mutex_unlock(&t->lock);
		clock_gettime(CLOCK_MONOTONIC, &last);
		snap = sampler_take(t->sampler, &req, prev ? prev->snap : NULL, &err);
		pthread_mutex_lock(&t->lock);
		if (snap) {
			publish(t, &prev, snap);
		} else {
			t->err = err;
			wake_reader(t);
		}
	}
	pthread_mutex_unlock(&t->lock);
	sample_release(prev);
	return NULL;
}

/* Called with the lock held (or before the worker starts): the caller's
 * bytecode belongs to its filter, which it may free at any time. */
static void request_store(struct sampler_thread *t, const struct sample_request *req)
{
	void *bytecode = NULL;

	if (req->bytecode && req->bytecode_len && (bytecode = malloc(req->bytecode_len)))
		memcpy(bytecode, req->bytecode, req->bytecode_len);
	free((void *)t->req.bytecode);
	t->req = *req;
	t->req.bytecode = bytecode;
	t->req.bytecode_len = bytecode ? req->bytecode_len : 0;
}

/* The monotonic clock, so that a change of the wall clock never stalls or
 * rushes sampling. */
static int cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	int err;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
	return -err;
}

/* Signals belong to the reader's thread (its poll must see SIGWINCH and
 * SIGINT), so the worker starts with them blocked; all but the faults, whose
 * handlers must run wherever the fault happens (a blocked SIGSEGV kills the
 * process without running the handler that restores the terminal). */
static int thread_create_quiet(struct sampler_thread *t)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	sigset_t all, old;
	int err;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t->thread, NULL, sampler_thread_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

struct sampler_thread *sampler_thread_start(const struct sample_request *req, double interval,
					    const char **note, int *err)
{
	struct sampler_thread *t = calloc(1, sizeof(*t));

	*err = -ENOMEM;
	if (!t)
		return NULL;
	request_store(t, req);
	t->interval = interval;
	t->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->event_fd < 0) {
		*err = -errno;
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	if (!(t->sampler = sampler_open(note)) || (*err = cond_init_monotonic(&t->changed)))
		goto fail;
	if (!(*err = thread_create_quiet(t)))
		return t;
	pthread_cond_destroy(&t->changed);
fail:
	if (!*err)
		*err = -ENOMEM;
	free((void *)t->req.bytecode);
	sampler_close(t->sampler);
	pthread_mutex_destroy(&t->lock);
	close(t->event_fd);
	free(t);
	return NULL;
}

void sampler_thread_stop(struct sampler_thread *t)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	t->stop = true;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
	pthread_join(t->thread, NULL);
	sample_release(t->newest);
	sampler_close(t->sampler);
	free((void *)t->req.bytecode);
	free(t->dump_bytecode);
	pthread_cond_destroy(&t->changed);
	pthread_mutex_destroy(&t->lock);
	close(t->event_fd);
	free(t);
}

int sampler_thread_fd(const struct sampler_thread *t)
{
	return t->event_fd;
}

struct sample *sampler_thread_acquire(struct sampler_thread *t, int *err)
{
	struct sample *s;
	uint64_t count;

	/* drained first: a publication racing with us then wakes the poll again */
	if (read(t->event_fd, &count, sizeof(count)) < 0)
		count = 0;
	pthread_mutex_lock(&t->lock);
	s = t->newest;
	t->newest = NULL;
	*err = t->err;
	t->err = 0;
	pthread_mutex_unlock(&t->lock);
	return s;
}

void sampler_thread_set_request(struct sampler_thread *t, const struct sample_request *req)
{
	pthread_mutex_lock(&t->lock);
	request_store(t, req);
	t->resample = true;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

void sampler_thread_set_interval(struct sampler_thread *t, double interval)
{
	pthread_mutex_lock(&t->lock);
	t->interval = interval;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
}

void sampler_thread_pause(struct sampler_thread *t, bool paused)
{
	pthread_mutex_lock(&t->lock);
	if (t->paused && !paused)
		t->resample = true;
	t->paused = paused;
	pthread_cond_signal(&t->changed);
	pthread_mutex_unlock(&t->lock);
}
