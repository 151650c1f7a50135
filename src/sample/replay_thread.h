/* replay_thread.h: a recording (--replay FILE) played on the screen at its
 * recorded pace, in a thread that hands samples over as the sampler thread
 * does: an fd that becomes readable, then acquire. Stepping back decodes the
 * recording's run again up to the sample asked for, so keys never wait on it. */
#ifndef NETTOP_REPLAY_THREAD_H
#define NETTOP_REPLAY_THREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "sampler_thread.h"

struct replay_thread;

struct replay_status {
	size_t count;			/* complete samples in the recording */
	double speed;			/* 0.25 … 16 times the recorded pace */
	bool paused;
};

/* Opens and indexes the recording, then plays it from the first sample, or
 * shows sample pause_at (1-based; 0: none; past the end: the last) paused.
 * NULL with a message in err when it cannot be read or is not a recording
 * (*status -2 then, a usage error; -1 otherwise). */
struct replay_thread *replay_thread_start(const char *path, size_t pause_at, char *err,
					  size_t errlen, int *status);
void replay_thread_stop(struct replay_thread *t);
/* Readable when a sample, an error or a change of status is waiting. */
int replay_thread_fd(const struct replay_thread *t);
/* The newest sample not yet handed out, or NULL; its seq is its number in
 * the recording. *before (held, or NULL) is the sample recorded just before
 * it in the same run: after a step back, not the one shown before. *err is
 * -EBADMSG once a malformed sample ended the recording early. */
struct sample *replay_thread_acquire(struct replay_thread *t, struct sample **before, int *err);
/* Pauses, or plays on; playing on from the last sample starts over. */
void replay_thread_pause(struct replay_thread *t, bool paused);
/* Pauses and shows the sample step (-1, +1) from the one shown. False when
 * there is none there. */
bool replay_thread_step(struct replay_thread *t, int step);
/* One step faster (> 0) or slower; returns the speed now. */
double replay_thread_speed_step(struct replay_thread *t, int step);
void replay_thread_status(struct replay_thread *t, struct replay_status *out);
/* Why the recording reads short ("truncated or damaged after sample 12"),
 * or NULL. Set at start; it does not change afterwards. */
const char *replay_thread_note(const struct replay_thread *t);

#endif
