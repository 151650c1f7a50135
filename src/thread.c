/* thread.c: the signal mask is set around pthread_create(), which the new
 * thread inherits, then restored for the caller. */
#include "thread.h"

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <time.h>

/* Every signal blocked but the faults; old gets the mask before. */
static void mask_quiet(sigset_t *old)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	sigset_t all;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, old);
}

static int thread_create_quiet(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t old;
	int err;

	mask_quiet(&old);
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
}

int thread_create_detached(void *(*fn)(void *), void *arg)
{
	pthread_attr_t attr;
	pthread_t t;
	sigset_t old;
	int err;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	mask_quiet(&old);
	err = pthread_create(&t, &attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return -err;
}

int thread_call_quiet(int (*fn)(void *), void *arg)
{
	sigset_t old;
	int ret;

	mask_quiet(&old);
	ret = fn(arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return ret;
}

int cond_init_monotonic(pthread_cond_t *c)
{
	pthread_condattr_t attr;
	int err;

	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	err = pthread_cond_init(c, &attr);
	pthread_condattr_destroy(&attr);
	return -err;
}

int stoppable_start(struct stoppable *s, pthread_mutex_t *lock, pthread_cond_t *wake,
		    void *(*fn)(void *), void *arg)
{
	int err;

	*s = (struct stoppable){ .lock = lock, .wake = wake };
	if ((err = pthread_mutex_init(lock, NULL)))
		return -err;
	if ((err = cond_init_monotonic(wake)) < 0) {
		pthread_mutex_destroy(lock);
		return err;
	}
	if ((err = thread_create_quiet(&s->id, fn, arg)) < 0) {
		pthread_cond_destroy(wake);
		pthread_mutex_destroy(lock);
		return err;
	}
	s->started = true;
	return 0;
}

bool stoppable_sleep(struct stoppable *s, const struct timespec *due)
{
	if (s->stop)
		return true;
	if (due)
		pthread_cond_timedwait(s->wake, s->lock, due);
	else
		pthread_cond_wait(s->wake, s->lock);
	return s->stop;
}

void stoppable_wake(struct stoppable *s)
{
	pthread_mutex_lock(s->lock);
	pthread_cond_broadcast(s->wake);
	pthread_mutex_unlock(s->lock);
}

void stoppable_stop(struct stoppable *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(s->lock);
	s->stop = true;
	pthread_cond_broadcast(s->wake);
	pthread_mutex_unlock(s->lock);
	pthread_join(s->id, NULL);
	pthread_cond_destroy(s->wake);
	pthread_mutex_destroy(s->lock);
	s->started = false;
}

struct helper {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;		/* a task handed over, done, or stop */
	void (*fn)(void *);		/* the task; NULL: none waiting */
	void *arg;
	bool busy, stop;
};

static void *helper_main(void *arg)
{
	struct helper *h = arg;

	pthread_mutex_lock(&h->lock);
	for (;;) {
		void (*fn)(void *);

		while (!h->stop && !h->fn)
			pthread_cond_wait(&h->changed, &h->lock);
		if (h->stop)
			break;
		fn = h->fn;
		h->fn = NULL;
		pthread_mutex_unlock(&h->lock);
		fn(h->arg);
		pthread_mutex_lock(&h->lock);
		h->busy = false;
		pthread_cond_broadcast(&h->changed);
	}
	pthread_mutex_unlock(&h->lock);
	return NULL;
}

struct helper *helper_start(void)
{
	struct helper *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->changed, NULL);
	if (!thread_create_quiet(&h->thread, helper_main, h))
		return h;
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	free(h);
	return NULL;
}

void helper_run(struct helper *h, void (*fn)(void *), void *arg)
{
	if (!h) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&h->lock);
	h->fn = fn;
	h->arg = arg;
	h->busy = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
}

void helper_wait(struct helper *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	while (h->busy)
		pthread_cond_wait(&h->changed, &h->lock);
	pthread_mutex_unlock(&h->lock);
}

void helper_stop(struct helper *h)
{
	if (!h)
		return;
	pthread_mutex_lock(&h->lock);
	h->stop = true;
	pthread_cond_broadcast(&h->changed);
	pthread_mutex_unlock(&h->lock);
	pthread_join(h->thread, NULL);
	pthread_cond_destroy(&h->changed);
	pthread_mutex_destroy(&h->lock);
	free(h);
}
