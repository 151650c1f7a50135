/* resolve.h: host and service names without ever waiting for them.
 *
 * Reverse lookups run in a small pool of threads. Asking for a name never
 * blocks: it answers from the cache or queues the address and answers "not
 * yet". The queue is bounded and de-duplicated, and it is emptied of what
 * has not started whenever the asker begins a new frame, so only what is on
 * screen now is looked up, visible rows first, and a flood of new sources
 * cannot storm the resolver. Results are cached with a TTL; failures too, for
 * less time, and are retried later. A lookup that hangs past the timeout
 * counts as failed for the asker (the thread may still fill it in). */
#ifndef NETTOP_RESOLVE_H
#define NETTOP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct resolver;

struct resolver *resolver_new(unsigned threads);
/* Stops the threads that are not stuck in a lookup and frees the rest once
 * they return (a hung lookup never delays exit). */
void resolver_free(struct resolver *r);
/* Forgets the queued lookups that have not started. */
void resolver_begin_frame(struct resolver *r);
/* Copies the host name of addr into name and returns true when it is known;
 * otherwise queues it (unless queued, running or recently failed) and
 * returns false. The name is raw, untrusted text: escape it to show it. */
bool resolver_host(struct resolver *r, int family, const uint8_t addr[16], char *name, size_t len);
/* As resolver_host(), from the cache alone: nothing is queued. */
bool resolver_cached(struct resolver *r, int family, const uint8_t addr[16], char *name, size_t len);
/* Waits until the queue is empty or until timeout_ms passed. */
void resolver_wait(struct resolver *r, unsigned timeout_ms);
/* The service name of a port ("http"), from /etc/services, or NULL. */
const char *resolver_service(uint16_t port, bool udp);

#endif
