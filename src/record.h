/* record.h: recordings of samples (--record FILE) and their replay
 * (--replay FILE). The format is documented in doc/recording.md.
 *
 * A recording is a file header, then one frame per sample, each written with
 * a single write() and closed by a CRC: a recording cut short (a killed
 * process, a full disk) reads up to its last complete sample. Sockets that
 * did not change since the previous sample are stored as runs of references
 * to it, so a long recording of a busy host stays small. */
#ifndef NETTOP_RECORD_H
#define NETTOP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "snapshot.h"

struct recorder;

/* Opens path for appending (creating it with a header when new or empty).
 * NULL with a message in err when it cannot be written or is not a
 * recording, or is a symbolic link (-2 in *status then, a usage error; -1
 * otherwise). */
struct recorder *recorder_open(const char *path, char *err, size_t errlen, int *status);
/* Appends snap; prev is the sample before it in this run (NULL for the
 * first). 0 or -errno. */
int recorder_write(struct recorder *r, const struct snapshot *snap, const struct snapshot *prev);
void recorder_close(struct recorder *r);

struct replay;

/* Opens a recording. NULL with a message in err when it cannot be read or
 * is not a recording (-2 in *status then, a usage error; -1 otherwise). */
struct replay *replay_open(const char *path, char *err, size_t errlen, int *status);
/* The next sample, with its rates derived as the live run derived them, or
 * NULL at the end (see replay_note() for a truncated file). The caller owns
 * the snapshot; the replay keeps a copy to resolve the next one's
 * references. */
struct snapshot *replay_next(struct replay *p);
/* Why reading stopped early ("truncated after sample 12"), or NULL. */
const char *replay_note(const struct replay *p);
/* Samples read so far. */
size_t replay_position(const struct replay *p);
/* As replay_next(), but keeps the sample only as the reference for the
 * next one (stepping to a sample means decoding its run up to it). 0, or -1
 * at the end or a bad frame. */
int replay_skip(struct replay *p);

/* Where a sample's frame lies, for seeking back on the screen. */
struct replay_frame {
	long offset;			/* in the file */
	struct timespec wall;		/* when it was taken */
	bool run_start;			/* decodes without the sample before it */
};
/* Reads the whole recording once, checking every frame, and lists the
 * complete ones (*frames malloc'd, *count of them); then goes back to the
 * first. A torn tail ends the list and sets replay_note(). 0 or -errno. */
int replay_index(struct replay *p, struct replay_frame **frames, size_t *count);
/* Goes to the frame at offset, which must start a run (the next
 * replay_next() fails otherwise), as sample number position + 1. 0 or -1. */
int replay_seek(struct replay *p, long offset, size_t position);
void replay_close(struct replay *p);

/* Decodes one frame's payload into a snapshot (prev resolves references).
 * Exposed for the fuzzer. NULL when the payload is malformed. */
struct snapshot *record_decode(const unsigned char *p, size_t len, const struct snapshot *prev);

#endif
