/* sampler_thread.c: one worker thread, one lock, one condition variable. The
 * lock is never held across a dump: the reader only ever waits for the few
 * instructions it takes to swap a pointer. */
#include "../thread.h"
#include "sampler_thread.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "../monotime.h"
#include "event_pending.h"

/* The sampler thread's niceness, above the screen's threads (0). */
#define SAMPLER_NICE 5
/* How long the thread sleeps at most while destroy events come: their
 * listener's ring is drained this often. */
#define EVENTS_DRAIN_SEC 0.1

struct sampler_thread {
	struct sampler *sampler;	/* used by the worker only */
	struct stoppable thread;	/* its stop is under lock */
	int netns_fd;			/* entered by the worker before it opens; -1: none */
	int event_fd;			/* counts publications; wakes the reader's poll */
	atomic_bool dumping;		/* a sample is being taken (read without the lock) */

	void *dump_bytecode;		/* the worker's copy, for the dump in progress */
	size_t dump_bytecode_cap;

	pthread_mutex_t lock;		/* guards everything below */
	pthread_cond_t changed;		/* stop, pause, request or interval changed */
	struct sample_request req;	/* req.bytecode points to our own copy */
	double interval;
	bool paused, resample;
	struct sample *newest;		/* published, not yet acquired */
	int err;			/* last failure, until acquired */
	bool opened;			/* the worker has opened its sampler, or failed to */
	int open_err;
	const char *open_note;

	/* SOCK_DESTROY: handed over, running, then done until the reader asks */
	struct sock_rec *kill_socks;	/* waiting for the worker; NULL: none */
	size_t kill_n;
	bool kill_busy, kill_done;
	struct destroy_result kill_result;

	/* --record: the worker hands each sample over; the first failure stops it */
	struct sample_sink sink;	/* sink.write NULL: none, or no more */
	int sink_err;			/* until the reader asks */

	/* the destroy events of the interval, for the next sample (the
	 * worker's; drained under the lock) */
	struct event_pending events;
};

/* The samples of many sockets that sampler threads published and that are
 * still held, anywhere: the thread's own, the one the screen shows, the one
 * its worker is computing rows of, or one it has replaced and not yet
 * freed. A dump begins once only its own is left (or after BIG_WAIT_SEC):
 * a key that asks for a new sample while the worker still holds the one
 * before would otherwise make three copies of a million sockets at once. */
#define BIG_SOCKETS 65536
#define BIG_WAIT_SEC 1.0
#define BIG_POLL_SEC 0.02
static atomic_uint big_alive;

/* Called with the lock held: waits (in short sleeps, so that a stop is
 * seen at once) until the samples of many sockets alive are this thread's
 * own, or until BIG_WAIT_SEC have passed. */
static void wait_for_room(struct sampler_thread *t)
{
	struct timespec now, until, poll;

	monotime_now(&until);
	monotime_add(&until, BIG_WAIT_SEC);
	while (atomic_load_explicit(&big_alive, memory_order_acquire) > 1 && !t->thread.stop) {
		monotime_now(&now);
		if (monotime_reached(&now, &until))
			return;
		poll = now;
		monotime_add(&poll, BIG_POLL_SEC);
		stoppable_sleep(&t->thread, &poll);
	}
}

void sample_hold(struct sample *s)
{
	atomic_fetch_add_explicit(&s->refs, 1, memory_order_relaxed);
}

void sample_release(struct sample *s)
{
	bool big;

	if (!s || atomic_fetch_sub_explicit(&s->refs, 1, memory_order_acq_rel) != 1)
		return;
	big = s->big;
	snapshot_free(s->snap);
	free(s);
	if (big)
		atomic_fetch_sub_explicit(&big_alive, 1, memory_order_release);
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
	if ((s->big = snap->nsocks >= BIG_SOCKETS))
		atomic_fetch_add_explicit(&big_alive, 1, memory_order_relaxed);
	sample_release(*prev);
	*prev = s;
	if (t->paused)
		return;
	sample_hold(s);
	if (t->newest)
		event_pending_carry(snap, t->newest->snap);
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

		if (t->thread.stop)
			return false;
		if (t->kill_socks)
			return true;
		if (t->paused) {
			stoppable_sleep(&t->thread, NULL);
			continue;
		}
		if (first || t->resample)
			return true;
		monotime_add(&due, t->interval);
		monotime_now(&now);
		if (monotime_reached(&now, &due))
			return true;
		if (t->events.ev) {
			struct timespec soon = now;

			event_pending_drain(&t->events);
			monotime_add(&soon, EVENTS_DRAIN_SEC);
			if (monotime_reached(&due, &soon))
				soon = due;
			stoppable_sleep(&t->thread, &soon);
			continue;
		}
		stoppable_sleep(&t->thread, &due);
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

static bool stop_requested(struct sampler_thread *t)
{
	bool stop;

	pthread_mutex_lock(&t->lock);
	stop = t->thread.stop;
	pthread_mutex_unlock(&t->lock);
	return stop;
}

/* Called with the lock held; runs the handed-over batch without it. A kernel
 * or a user that cannot close one socket cannot close the next either: the
 * first such failure ends the batch. */
static void kill_run(struct sampler_thread *t)
{
	struct sock_rec *socks = t->kill_socks;
	struct destroy_result r = { .requested = t->kill_n };

	t->kill_socks = NULL;
	pthread_mutex_unlock(&t->lock);
	for (size_t i = 0; i < r.requested; i++) {
		int err = sampler_destroy(t->sampler, &socks[i]);

		if (!err) {
			r.closed++;
		} else if (err == -ENOENT) {
			r.gone++;
		} else if (!r.err) {
			r.err = err;
			if (err == -EOPNOTSUPP || err == -EPERM || err == -EACCES)
				break;
		}
		/* a batch of a whole flood must not hold up quitting */
		if ((i & 1023) == 1023 && stop_requested(t))
			break;
	}
	free(socks);
	pthread_mutex_lock(&t->lock);
	t->kill_result = r;
	t->kill_done = true;
	t->kill_busy = false;
	t->resample = true;	/* the screen shows what is left at once */
	wake_reader(t);
}

/* The worker's: hands snap to the sink, before anyone else sees it. */
static void sink_feed(struct sampler_thread *t, const struct snapshot *snap,
		      const struct snapshot *prev)
{
	int err = t->sink.write(t->sink.arg, snap, prev);

	if (!err)
		return;
	t->sink.write = NULL;
	pthread_mutex_lock(&t->lock);
	t->sink_err = err;
	pthread_mutex_unlock(&t->lock);
}

/* The worker's first act: netlink sockets and /proc/thread-self/net belong
 * to the namespace of the thread that uses them, so it enters its own before
 * it opens anything. The starter waits for the outcome. */
static bool worker_open(struct sampler_thread *t)
{
	const char *note = NULL;
	int err = 0;

	if (t->netns_fd >= 0 && setns(t->netns_fd, CLONE_NEWNET) < 0)
		err = -errno;
	else if (!(t->sampler = sampler_open(t->req.backend, &note)))
		err = -ENOMEM;
	pthread_mutex_lock(&t->lock);
	t->opened = true;
	t->open_err = err;
	t->open_note = note;
	pthread_cond_broadcast(&t->changed);
	pthread_mutex_unlock(&t->lock);
	return !err;
}

static void *sampler_thread_main(void *arg)
{
	struct sampler_thread *t = arg;
	struct sample *prev = NULL;
	struct timespec last = { 0 };
	bool first = true;

	if (!worker_open(t))
		return NULL;
	/* the screen first: a dump of 300k sockets takes a core for half a
	 * second, and on a busy machine the views and keys must not queue
	 * behind it. A hint: failing it changes nothing else. */
	if (setpriority(PRIO_PROCESS, (id_t)gettid(), SAMPLER_NICE) < 0)
		(void)0;
	pthread_mutex_lock(&t->lock);
	while (wait_due(t, &last, first)) {
		struct sample_request req;
		struct snapshot *snap;
		int err;

		if (t->kill_socks) {
			kill_run(t);
			continue;
		}
		wait_for_room(t);
		if (t->thread.stop)
			break;
		req = request_for_dump(t);
		event_pending_want(&t->events, req.want_events);
		first = t->resample = false;
		pthread_mutex_unlock(&t->lock);
		monotime_now(&last);
		atomic_store_explicit(&t->dumping, true, memory_order_relaxed);
		snap = sampler_take(t->sampler, &req, prev ? prev->snap : NULL, &err);
		atomic_store_explicit(&t->dumping, false, memory_order_relaxed);
		if (snap) {
			pthread_mutex_lock(&t->lock);
			event_pending_attach(&t->events, snap);
			pthread_mutex_unlock(&t->lock);
		}
		if (snap && t->sink.write)
			sink_feed(t, snap, prev ? prev->snap : NULL);
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

/* Waits for worker_open(); 0 or its error (the worker has then ended). */
static int wait_opened(struct sampler_thread *t, const char **note)
{
	int err;

	pthread_mutex_lock(&t->lock);
	while (!t->opened)
		pthread_cond_wait(&t->changed, &t->lock);
	err = t->open_err;
	*note = t->open_note;
	pthread_mutex_unlock(&t->lock);
	return err;
}

struct sampler_thread *sampler_thread_start(int netns_fd, const struct sample_request *req,
					    double interval, const struct sample_sink *sink,
					    const char **note, int *err)
{
	struct sampler_thread *t = calloc(1, sizeof(*t));

	*err = -ENOMEM;
	if (!t)
		return NULL;
	if (sink)
		t->sink = *sink;
	t->netns_fd = netns_fd;
	request_store(t, req);
	t->interval = interval;
	t->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (t->event_fd < 0) {
		*err = -errno;
		free(t);
		return NULL;
	}
	*note = NULL;
	if (!(*err = stoppable_start(&t->thread, &t->lock, &t->changed, sampler_thread_main, t)) &&
	    !(*err = wait_opened(t, note)))
		return t;
	stoppable_stop(&t->thread);	/* the worker has ended: joined */
	if (!*err)
		*err = -ENOMEM;
	free((void *)t->req.bytecode);
	sampler_close(t->sampler);
	close(t->event_fd);
	free(t);
	return NULL;
}

int sampler_thread_sink_error(struct sampler_thread *t)
{
	int err;

	pthread_mutex_lock(&t->lock);
	err = t->sink_err;
	t->sink_err = 0;
	pthread_mutex_unlock(&t->lock);
	return err;
}

void sampler_thread_stop(struct sampler_thread *t)
{
	if (!t)
		return;
	stoppable_stop(&t->thread);
	sample_release(t->newest);
	free(t->kill_socks);
	sampler_close(t->sampler);
	event_pending_close(&t->events);
	free((void *)t->req.bytecode);
	free(t->dump_bytecode);
	close(t->event_fd);
	free(t);
}

bool sampler_thread_dumping(const struct sampler_thread *t)
{
	return atomic_load_explicit(&t->dumping, memory_order_relaxed);
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

void sampler_thread_set_request(struct sampler_thread *t, const struct sample_request *req, bool now)
{
	pthread_mutex_lock(&t->lock);
	request_store(t, req);
	if (now)
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

int sampler_thread_destroy(struct sampler_thread *t, struct sock_rec *socks, size_t n)
{
	int err = 0;

	if (!socks || !n) {
		free(socks);
		return -EINVAL;
	}
	pthread_mutex_lock(&t->lock);
	if (t->kill_busy) {
		err = -EBUSY;
	} else {
		t->kill_socks = socks;
		t->kill_n = n;
		t->kill_busy = true;
		t->kill_done = false;
		socks = NULL;
		pthread_cond_signal(&t->changed);
	}
	pthread_mutex_unlock(&t->lock);
	free(socks);
	return err;
}

bool sampler_thread_destroy_result(struct sampler_thread *t, struct destroy_result *out)
{
	bool done;

	pthread_mutex_lock(&t->lock);
	done = t->kill_done;
	if (done)
		*out = t->kill_result;
	t->kill_done = false;
	pthread_mutex_unlock(&t->lock);
	return done;
}
