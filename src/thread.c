/* thread.c: the signal mask is set around pthread_create(), which the new
 * thread inherits, then restored for the caller. */
#include "thread.h"

#include <signal.h>
#include <stddef.h>
#include <time.h>

int thread_create_quiet(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	sigset_t all, old;
	int err;

	sigfillset(&all);
	for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&all, faults[i]);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -err;
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
