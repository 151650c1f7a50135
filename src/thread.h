/* thread.h: helper threads that leave signals to the thread that polls. */
#ifndef NETTOP_THREAD_H
#define NETTOP_THREAD_H

#include <pthread.h>

/* Starts fn(arg) with every signal blocked but the faults. Signals belong to
 * the screen's thread (its poll must see SIGWINCH and SIGINT); the faults
 * stay unblocked so that their handler, which restores the terminal, runs
 * wherever they happen (a blocked SIGSEGV kills without running it).
 * Returns 0 or -errno. */
int thread_create_quiet(pthread_t *thread, void *(*fn)(void *), void *arg);

/* Initialises a condition variable that waits on the monotonic clock, so
 * that a change of the wall clock never stalls or rushes a timed wait.
 * Returns 0 or -errno. */
int cond_init_monotonic(pthread_cond_t *c);

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
