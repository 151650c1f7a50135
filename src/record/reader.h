/* reader.h: --replay FILE: reads a recording back, sample after sample, with
 * the rates derived as the live run derived them; an index of its frames
 * lets the screen seek back to any run. */
#ifndef NETTOP_RECORD_READER_H
#define NETTOP_RECORD_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "../snapshot.h"

struct record_reader;

/* Opens a recording. NULL with a message in err when it cannot be read or
 * is not a recording (-2 in *status then, a usage error; -1 otherwise). */
struct record_reader *record_reader_open(const char *path, char *err, size_t errlen, int *status);
/* The next sample, or NULL at the end (see record_reader_note() for a
 * truncated file). The caller owns the snapshot; the reader keeps a copy to
 * resolve the next one's references. */
struct snapshot *record_reader_next(struct record_reader *r);
/* As record_reader_next(), but keeps the sample only as the reference for
 * the next one (stepping to a sample means decoding its run up to it). 0,
 * or -1 at the end or a bad frame. */
int record_reader_skip(struct record_reader *r);
/* Why reading stopped early ("truncated after sample 12"), or NULL. */
const char *record_reader_note(const struct record_reader *r);
/* Samples read so far. */
size_t record_reader_position(const struct record_reader *r);

/* Where a sample's frame lies, for seeking back on the screen. */
struct record_frame {
	long offset;			/* in the file */
	struct timespec wall;		/* when it was taken */
	bool run_start;			/* decodes without the sample before it */
};
/* Reads the whole recording once, checking every frame, and lists the
 * complete ones (*frames malloc'd, *count of them); then goes back to the
 * first. A torn tail ends the list and sets record_reader_note(). 0 or
 * -errno. */
int record_reader_index(struct record_reader *r, struct record_frame **frames, size_t *count);
/* Goes to the frame at offset, which must start a run (the next
 * record_reader_next() fails otherwise), as sample number position + 1. 0
 * or -1. */
int record_reader_seek(struct record_reader *r, long offset, size_t position);
void record_reader_close(struct record_reader *r);

#endif
