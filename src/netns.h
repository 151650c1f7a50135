/* netns.h: moves nettop into another network namespace before it samples. */
#ifndef NETTOP_NETNS_H
#define NETTOP_NETNS_H

#include <stddef.h>

/* Enters the namespace named by spec: a name under /run/netns, or a PID
 * (that process's namespace). Must run before any thread starts: threads
 * created later inherit it, and /proc/net then shows it. Returns 0, or -1
 * with a message in err (-2: the spec names nothing, a usage error). */
int netns_enter(const char *spec, char *err, size_t errlen);

/* Runs fn(arg) with the calling thread back in the namespace nettop started
 * in, then returns the thread to the entered one: sockets fn creates live
 * where nettop runs (the --listen endpoint must be reachable from there,
 * not from inside the namespace sampled). Without --netns, just fn(arg).
 * Returns fn's result, or -errno when a switch failed. */
int netns_in_original(int (*fn)(void *), void *arg);

#endif
