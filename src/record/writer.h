/* writer.h: --record FILE: appends one frame per sample to a recording.
 * Each frame is written with a single write() and closed by a CRC, so a
 * recording cut short (a killed process, a full disk) reads up to its last
 * complete sample. */
#ifndef NETTOP_RECORD_WRITER_H
#define NETTOP_RECORD_WRITER_H

#include <stddef.h>

#include "../snapshot.h"

struct record_writer;

/* Opens path for appending (creating it with a header when new or empty).
 * NULL with a message in err when it cannot be written or is not a
 * recording, or is a symbolic link (-2 in *status then, a usage error; -1
 * otherwise). */
struct record_writer *record_writer_open(const char *path, char *err, size_t errlen, int *status);
/* Appends snap; prev is the sample before it in this run (NULL for the
 * first). 0 or -errno. */
int record_writer_write(struct record_writer *w, const struct snapshot *snap,
			const struct snapshot *prev);
void record_writer_close(struct record_writer *w);

#endif
