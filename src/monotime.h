/* monotime.h: time on CLOCK_MONOTONIC, the one clock every interval, timeout
 * and timed wait uses (a change of the wall clock never stalls or rushes
 * them), and the one place its arithmetic is written. */
#ifndef NETTOP_MONOTIME_H
#define NETTOP_MONOTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

void monotime_now(struct timespec *t);
/* Milliseconds on the monotonic clock (for deadlines kept as numbers). */
int64_t monotime_ms(void);
/* t + seconds (seconds >= 0; fractions kept to the nanosecond). */
void monotime_add(struct timespec *t, double seconds);
/* to - from, in seconds (negative when to is earlier). */
double monotime_seconds(const struct timespec *from, const struct timespec *to);
/* now is at or past when. */
bool monotime_reached(const struct timespec *now, const struct timespec *when);
/* The moment ms milliseconds from now. */
struct timespec monotime_after_ms(unsigned ms);

#endif
