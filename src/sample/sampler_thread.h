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
	bool big;			/* a sampler thread's, counted while alive (sampler_thread.c) */
};

void sample_hold(struct sample *s);
/* Drops a reference; the last one frees the snapshot. NULL is ignored. */
void sample_release(struct sample *s);

struct sampler_thread;

/* Where each sample goes as soon as it is taken (--record): called in the
 * sampler's thread with the sample and the one before it in this run (NULL
 * for the first), before anyone else sees them. A failure (-errno) detaches
 * the sink; sampler_thread_sink_error() then tells it. */
struct sample_sink {
	int (*write)(void *arg, const struct snapshot *snap, const struct snapshot *prev);
	void *arg;
};

/* Opens the sampler and starts taking samples at once (req as for
 * sampler_thread_set_request()), with the worker in the network namespace
 * of netns_fd (an open namespace file, which the caller may close on
 * return; -1: the caller's): its dumps, /proc/thread-self/net and
 * SOCK_DESTROY are that namespace's. sink (may be NULL; copied) gets every
 * sample taken. *note as for sampler_open(). NULL with *err (-errno) when
 * it cannot start; -EPERM when entering the namespace is not allowed. */
struct sampler_thread *sampler_thread_start(int netns_fd, const struct sample_request *req,
					    double interval, const struct sample_sink *sink,
					    const char **note, int *err);
/* The error that detached the sink (-errno), once; 0 otherwise. */
int sampler_thread_sink_error(struct sampler_thread *t);
/* Stops the thread (waiting for a dump in progress) and frees everything but
 * the samples others still hold. */
void sampler_thread_stop(struct sampler_thread *t);
/* True while the sampler takes a sample (a dump in progress); a hint. */
bool sampler_thread_dumping(const struct sampler_thread *t);
/* Readable when a sample or an error is waiting; sampler_thread_acquire()
 * empties it. */
int sampler_thread_fd(const struct sampler_thread *t);
/* The newest sample not yet handed out (the caller owns the reference), or
 * NULL. *err is the last sampling error since the previous call, or 0. */
struct sample *sampler_thread_acquire(struct sampler_thread *t, int *err);
/* Uses req from now on; with now, samples again at once, else when the next
 * sample is due. req->bytecode is copied: the caller may free it on return. */
void sampler_thread_set_request(struct sampler_thread *t, const struct sample_request *req, bool now);
/* Counts the next deadline from the last sample with the new interval, so a
 * shorter one takes effect at once. */
void sampler_thread_set_interval(struct sampler_thread *t, double interval);
/* Paused: nothing is sampled or published; resuming samples at once. */
void sampler_thread_pause(struct sampler_thread *t, bool paused);

/* What one batch of SOCK_DESTROY requests came to. */
struct destroy_result {
	size_t requested, closed;
	size_t gone;			/* already closed (-ENOENT): not a failure */
	int err;			/* the first failure (-errno), or 0; destroy_strerror() */
};
/* Closes socks (n records of a snapshot, malloc'd; ownership passes to the
 * thread) with SOCK_DESTROY. The worker alone talks to the sampler's netlink
 * socket, so the requests run there, between two samples, and a sample is
 * taken at once afterwards. 0, or -EBUSY while a previous batch is running,
 * -EINVAL for an empty batch (socks is then freed). Paused or not, the batch runs. */
int sampler_thread_destroy(struct sampler_thread *t, struct sock_rec *socks, size_t n);
/* True once per finished batch, with its result; the fd is readable then. */
bool sampler_thread_destroy_result(struct sampler_thread *t, struct destroy_result *out);

#endif
