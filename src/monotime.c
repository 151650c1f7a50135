/* monotime.c: timespec arithmetic, carried in nanoseconds. */
#include "monotime.h"

#define NS_PER_S 1000000000L

void monotime_now(struct timespec *t)
{
	clock_gettime(CLOCK_MONOTONIC, t);
}

int64_t monotime_ms(void)
{
	struct timespec t;

	monotime_now(&t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void monotime_add(struct timespec *t, double seconds)
{
	long ns = (long)((seconds - (double)(time_t)seconds) * 1e9);

	t->tv_sec += (time_t)seconds;
	t->tv_nsec += ns;
	if (t->tv_nsec >= NS_PER_S)
		t->tv_sec++, t->tv_nsec -= NS_PER_S;
}

double monotime_seconds(const struct timespec *from, const struct timespec *to)
{
	return (double)(to->tv_sec - from->tv_sec) + (double)(to->tv_nsec - from->tv_nsec) / 1e9;
}

bool monotime_reached(const struct timespec *now, const struct timespec *when)
{
	return now->tv_sec > when->tv_sec || (now->tv_sec == when->tv_sec && now->tv_nsec >= when->tv_nsec);
}

struct timespec monotime_after_ms(unsigned ms)
{
	struct timespec t;

	monotime_now(&t);
	t.tv_sec += ms / 1000;
	t.tv_nsec += (long)(ms % 1000) * 1000000;
	if (t.tv_nsec >= NS_PER_S)
		t.tv_sec++, t.tv_nsec -= NS_PER_S;
	return t;
}
