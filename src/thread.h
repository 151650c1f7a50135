/* thread.h: helper threads that leave signals to the thread that polls. */
#ifndef NETTOP_THREAD_H
#define NETTOP_THREAD_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

/* Initialises a condition variable that waits on the monotonic clock, so
 * that a change of the wall clock never stalls or rushes a timed wait.
 * Returns 0 or -errno. */
int cond_init_monotonic(pthread_cond_t *c);

/* Every thread nettop starts is quiet: every signal blocked but the
 * faults. Signals belong to the screen's thread (its poll must see SIGWINCH
 * and SIGINT); the faults stay unblocked so that their handler, which
 * restores the terminal, runs wherever they happen (a blocked SIGSEGV kills
 * without running it). */

/* Starts fn(arg) detached and quiet: for threads nobody waits for. 0 or
 * -errno. */
int thread_create_detached(void *(*fn)(void *), void *arg);

/* Runs fn(arg) with the signal mask of a quiet thread, so that the threads a
 * library starts inside (libmicrohttpd's) leave signals alone too. */
int thread_call_quiet(int (*fn)(void *), void *arg);

/* A thread that loops until it is stopped: the sampler, the replay, the
 * screen's worker. The owner keeps the lock that guards its state (and
 * stop) and the condition its thread sleeps on; start initialises both (the
 * condition on the monotonic clock) and starts the thread quietly; stop sets
 * stop, wakes the thread, joins it and destroys both. */
struct stoppable {
	pthread_t id;
	pthread_mutex_t *lock;
	pthread_cond_t *wake;
	bool stop;			/* under *lock: the thread must return */
	bool started;
};

/* 0, or -errno with nothing left to undo. */
int stoppable_start(struct stoppable *s, pthread_mutex_t *lock, pthread_cond_t *wake,
		    void *(*fn)(void *), void *arg);
/* With the lock held: sleeps until woken or until due (CLOCK_MONOTONIC;
 * NULL: until woken). Returns s->stop. */
bool stoppable_sleep(struct stoppable *s, const struct timespec *due);
/* Takes the lock: wakes the thread to look at its state again. */
void stoppable_wake(struct stoppable *s);
/* Idempotent; a stoppable never started is left alone. */
void stoppable_stop(struct stoppable *s);

/* A thread that runs one task at a time for another, which hands it over,
 * goes on with its own work, then waits for it: fork and join without a
 * thread made per task. NULL when it cannot start; a NULL helper runs the
 * task at once, in the caller. */
struct helper;
struct helper *helper_start(void);
void helper_run(struct helper *h, void (*fn)(void *), void *arg);
void helper_wait(struct helper *h);	/* until the task handed over returned */
void helper_stop(struct helper *h);

#endif
