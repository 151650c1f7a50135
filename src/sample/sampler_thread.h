/* sampler_thread.h: the sampler in its own thread, so that a slow dump (a
 * million sockets, a flood) never blocks keys or drawing. The thread takes a
 * snapshot every interval and publishes the newest complete one; the reader
 * picks it up when an fd becomes readable, never waiting on a dump. */
#ifndef NETTOP_SAMPLER_THREAD_H
#define NETTOP_SAMPLER_THREAD_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "sampler.h"

/* A published snapshot. The thread keeps one reference (it derives the next
 * sample's rates from it); whoever acquires one owns another. The snapshot
 * itself is never changed once published, so both threads read it freely. */
struct sample {
	struct snapshot *snap;
	uint64_t seq;			/* 1, 2, 3 … in the order taken */
	atomic_uint refs;
};

void sample_hold(struct sample *s);
/* Drops a reference; the last one frees the snapshot. NULL is ignored. */
void sample_release(struct sample *s);

struct sampler_thread;

/* Opens the sampler and starts taking samples at once (req as for
 * sampler_thread_set_request()). *note as for sampler_open(). NULL with *err
 * (-errno) when it cannot start. */
struct sampler_thread *sampler_thread_start(const struct sample_request *req, double interval,
					    const char **note, int *err);
/* Stops the thread (waiting for a dump in progress) and frees everything but
 * the samples others still hold. */
void sampler_thread_stop(struct sampler_thread *t);
/* Readable when a sample or an error is waiting; sampler_thread_acquire()
 * empties it. */
int sampler_thread_fd(const struct sampler_thread *t);
/* The newest sample not yet handed out (the caller owns the reference), or
 * NULL. *err is the last sampling error since the previous call, or 0. */
struct sample *sampler_thread_acquire(struct sampler_thread *t, int *err);
/* Uses req from now on and samples again at once. req->bytecode is copied:
 * the caller may free it on return. */
void sampler_thread_set_request(struct sampler_thread *t, const struct sample_request *req);
/* Counts the next deadline from the last sample with the new interval, so a
 * shorter one takes effect at once. */
void sampler_thread_set_interval(struct sampler_thread *t, double interval);
/* Paused: nothing is sampled or published; resuming samples at once. */
void sampler_thread_pause(struct sampler_thread *t, bool paused);

#endif
