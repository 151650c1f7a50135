/* replay.h: a recording (--replay FILE) played on the screen at its
 * recorded pace, in a thread that hands samples over as the sampler thread
 * does: an fd that becomes readable, then acquire. Stepping back decodes the
 * recording's run again up to the sample asked for, so keys never wait on it.
 * What the replay keys do and say, and the replay's place in the header,
 * are here too (replay_control.c): the screen only shows the text. */
#ifndef NETTOP_SESSION_REPLAY_H
#define NETTOP_SESSION_REPLAY_H

#include <stdbool.h>
#include <stddef.h>

#include "../sample/sampler_thread.h"

struct replay;

struct replay_status {
	size_t count;			/* complete samples in the recording */
	double speed;			/* 0.25 … 16 times the recorded pace */
	bool paused;
};

/* Opens and indexes the recording, then plays it from the first sample, or
 * shows sample pause_at (1-based; 0: none; past the end: the last) paused.
 * NULL with a message in err when it cannot be read or is not a recording
 * (*status -2 then, a usage error; -1 otherwise). */
struct replay *replay_start(const char *path, size_t pause_at, char *err, size_t errlen,
			    int *status);
void replay_stop(struct replay *r);
/* Readable when a sample, an error or a change of status is waiting. */
int replay_fd(const struct replay *r);
/* The newest sample not yet handed out, or NULL; its seq is its number in
 * the recording. *before (held, or NULL) is the sample recorded just before
 * it in the same run: after a step back, not the one shown before. *err is
 * -EBADMSG once a malformed sample ended the recording early. */
struct sample *replay_acquire(struct replay *r, struct sample **before, int *err);
/* Pauses, or plays on; playing on from the last sample starts over. */
void replay_pause(struct replay *r, bool paused);
/* Pauses and shows the sample step (-1, +1) from the one shown. False when
 * there is none there. */
bool replay_step(struct replay *r, int step);
/* One step faster (> 0) or slower; returns the speed now. */
double replay_speed_step(struct replay *r, int step);
void replay_status(struct replay *r, struct replay_status *out);
/* Why the recording reads short ("truncated or damaged after sample 12"),
 * or NULL. Set at start; it does not change afterwards. */
const char *replay_note(const struct replay *r);

/* The replay keys (replay_control.c). r may be NULL (the screen is live):
 * they then say what they are for. Each returns what the screen says of it,
 * or NULL; *paused follows the replay. shown is the seq of the sample on
 * screen (0: none yet). */
const char *replay_key_pause(struct replay *r, uint64_t shown, bool *paused);
const char *replay_key_step(struct replay *r, int step, bool *paused);
const char *replay_key_speed(struct replay *r, int step, char *buf, size_t len);
/* After a replay sample or event: *paused as the replay is now; what to say
 * (*error: as an error), or NULL. err as from replay_acquire(). */
const char *replay_sync(struct replay *r, int err, bool *paused, bool *error, char *buf,
			size_t len);
/* "recorded 2024-05-01 12:34:56": the clock of a replay (cur may be NULL). */
void replay_when(const struct sample *cur, char *buf, size_t len);
/* "replay 12/40 x2": the sample shown, of how many, and the speed. */
void replay_position(struct replay *r, const struct sample *cur, char *buf, size_t len);

#endif
