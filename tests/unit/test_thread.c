/* test_thread.c: the stoppable thread, the monotonic arithmetic, and that
 * every thread nettop starts (its own and libmicrohttpd's) leaves signals
 * to the screen's thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "export.h"
#include "monotime.h"
#include "resolve.h"
#include "thread.h"

static void test_monotime_arithmetic(void **state)
{
	struct timespec t = { 1, 600000000 }, u = { 1, 600000000 }, later;

	(void)state;
	monotime_add(&t, 0.5);
	assert_int_equal(t.tv_sec, 2);
	assert_int_equal(t.tv_nsec, 100000000);
	monotime_add(&t, 3);
	assert_int_equal(t.tv_sec, 5);
	assert_int_equal(t.tv_nsec, 100000000);
	assert_true(monotime_seconds(&u, &t) > 3.49 && monotime_seconds(&u, &t) < 3.51);
	assert_true(monotime_seconds(&t, &u) < -3.49);
	assert_true(monotime_reached(&t, &u));
	assert_false(monotime_reached(&u, &t));
	assert_true(monotime_reached(&t, &t));
	monotime_now(&u);
	later = monotime_after_ms(1500);
	assert_true(monotime_seconds(&u, &later) >= 1.5 && monotime_seconds(&u, &later) < 60);
	assert_true(later.tv_nsec >= 0 && later.tv_nsec < 1000000000L);
}

struct counter {
	struct stoppable thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int wakes, timeouts;
};

/* Sleeps with a deadline already past (a timeout each time) until asked to
 * wait without one, then until stopped. */
static void *count_main(void *arg)
{
	struct counter *c = arg;

	pthread_mutex_lock(&c->lock);
	while (c->timeouts < 3) {
		struct timespec past;

		monotime_now(&past);
		if (stoppable_sleep(&c->thread, &past))
			break;
		c->timeouts++;
	}
	while (!stoppable_sleep(&c->thread, NULL))
		c->wakes++;
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

static void test_stoppable(void **state)
{
	struct counter c = { 0 };

	(void)state;
	assert_int_equal(stoppable_start(&c.thread, &c.lock, &c.changed, count_main, &c), 0);
	for (int timeouts = 0; timeouts < 3;) {	/* deadlines past: no wait at all */
		pthread_mutex_lock(&c.lock);
		timeouts = c.timeouts;
		pthread_mutex_unlock(&c.lock);
		sched_yield();
	}
	stoppable_wake(&c.thread);
	stoppable_stop(&c.thread);	/* joins: returns once the thread has */
	assert_int_equal(c.timeouts, 3);
	assert_false(c.thread.started);
	stoppable_stop(&c.thread);	/* twice is harmless */
}

/* True when thread tid blocks SIGINT and SIGWINCH (its SigBlk mask). */
static int blocks_signals(const char *tid)
{
	char path[320], line[256];
	unsigned long long mask = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%s/status", tid);
	if (!(f = fopen(path, "r")))
		return -1;	/* gone meanwhile */
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "SigBlk: %llx", &mask) == 1)
			break;
	fclose(f);
	return (mask >> (SIGINT - 1) & 1) && (mask >> (SIGWINCH - 1) & 1);
}

static unsigned free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	close(fd);
	return ntohs(a.sin_port);
}

static void test_threads_leave_signals_alone(void **state)
{
	struct counter c = { 0 };
	struct resolver *names = resolver_new(2);
	struct exporter *e;
	char listen[32], err[256], self[16];
	struct dirent *d;
	DIR *dir;
	int others = 0;

	(void)state;
	snprintf(listen, sizeof(listen), "127.0.0.1:%u", free_port());
	assert_non_null(e = exporter_start(NULL, listen, err, sizeof(err)));
	assert_int_equal(stoppable_start(&c.thread, &c.lock, &c.changed, count_main, &c), 0);
	snprintf(self, sizeof(self), "%d", (int)getpid());
	assert_non_null(dir = opendir("/proc/self/task"));
	while ((d = readdir(dir))) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, self))
			continue;
		others++;
		if (blocks_signals(d->d_name) == 0)
			fail_msg("thread %s takes SIGINT or SIGWINCH", d->d_name);
	}
	closedir(dir);
	assert_true(others >= 4);	/* 2 resolvers, the HTTP thread, ours */
	stoppable_stop(&c.thread);
	exporter_stop(e);
	resolver_free(names);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monotime_arithmetic),
		cmocka_unit_test(test_stoppable),
		cmocka_unit_test(test_threads_leave_signals_alone),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
