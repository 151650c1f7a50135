/* reader.c: reads a recording's frames in order, checks each one's CRC, and
 * decodes it against the sample before it. */
#include "reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../grow.h"
#include "../input_file.h"
#include "codec.h"

struct record_reader {
	FILE *f;
	struct snapshot *prev;		/* the last decoded sample, for references */
	size_t position;
	char note[256];
};

struct record_reader *record_reader_open(const char *path, char *err, size_t errlen, int *status)
{
	struct record_reader *r = calloc(1, sizeof(*r));
	unsigned char head[RECORD_HEADER_SIZE];
	const char *cause = "out of memory";
	uint32_t version;
	int e;

	*status = -1;
	/* a FIFO or a device is refused: it would block, or never end */
	if (!r || !(r->f = input_file_open(path, &cause))) {
		snprintf(err, errlen, "--replay %s: %s", path, cause);
		if (r && (errno == EINVAL || errno == EISDIR))
			*status = -2;	/* not a file nettop can replay: a usage error */
		free(r);
		return NULL;
	}
	if (fread(head, 1, sizeof(head), r->f) != sizeof(head))
		e = -EBADMSG;
	else
		e = record_header_check(head, &version);
	if (e == -EBADMSG)
		snprintf(err, errlen, "--replay %s: not a nettop recording", path);
	else if (e)
		snprintf(err, errlen, "--replay %s: recording format version %u, this nettop reads %u",
			 path, version & 0xffff, RECORD_FILE_VERSION);
	if (e) {
		*status = -2;
		record_reader_close(r);
		return NULL;
	}
	return r;
}

/* Says where reading stopped and why: the frame's number and offset. */
static void *frame_damaged(struct record_reader *r, long at, const char *why)
{
	snprintf(r->note, sizeof(r->note),
		 "truncated or damaged after sample %zu: frame %zu (byte %ld) %s", r->position,
		 r->position + 1, at, why);
	return NULL;
}

/* Why a read of a frame's bytes came short: the end of the file, or an error. */
static const char *short_read(struct record_reader *r)
{
	return ferror(r->f) ? strerror(errno) : "is cut short";
}

/* Reads one whole frame's payload; NULL at the end or at a torn frame. The
 * length is believed only as far as the file holds it. */
static unsigned char *read_frame(struct record_reader *r, size_t *len)
{
	unsigned char head[RECORD_FRAME_HEADER_SIZE], crc[4], *payload;
	long at = ftell(r->f), n;
	size_t got = fread(head, 1, sizeof(head), r->f);
	struct stat st;

	if (got == 0 && feof(r->f))
		return NULL;
	if (got != sizeof(head))
		return frame_damaged(r, at, short_read(r));
	if ((n = record_frame_length(head)) < 0)
		return frame_damaged(r, at, n == -2 ? "claims more than 1 GiB"
						    : "does not start with SMPL");
	*len = (size_t)n;
	if (fstat(fileno(r->f), &st) == 0 && at >= 0 &&
	    (uint64_t)*len + sizeof(head) + 4 > (uint64_t)(st.st_size - at))
		return frame_damaged(r, at, "is cut short");
	if (!(payload = malloc(*len ? *len : 1)))
		return frame_damaged(r, at, strerror(ENOMEM));
	if (fread(payload, 1, *len, r->f) != *len || fread(crc, 1, 4, r->f) != 4) {
		free(payload);
		return frame_damaged(r, at, short_read(r));
	}
	if (!record_frame_intact(payload, *len, crc)) {
		free(payload);
		return frame_damaged(r, at, "fails its CRC");
	}
	return payload;
}

/* Decodes the next frame into r->prev (the reference for the one after). */
static struct snapshot *reader_advance(struct record_reader *r)
{
	size_t len;
	long at = ftell(r->f);
	unsigned char *payload = read_frame(r, &len);
	struct snapshot *s;

	if (!payload)
		return NULL;
	s = record_decode(payload, len, r->prev);
	free(payload);
	if (!s) {
		snprintf(r->note, sizeof(r->note), "sample %zu (frame at byte %ld) is malformed",
			 r->position + 1, at);
		return NULL;
	}
	/* a run's first sample had no previous one live: no rates then either */
	snapshot_derive(s, (s->flags & SNAP_RUN_START) ? NULL : r->prev);
	snapshot_free(r->prev);
	r->prev = s;
	r->position++;
	return s;
}

struct snapshot *record_reader_next(struct record_reader *r)
{
	struct snapshot *s = reader_advance(r);

	return s ? snapshot_clone(s) : NULL;
}

int record_reader_skip(struct record_reader *r)
{
	return reader_advance(r) ? 0 : -1;
}

int record_reader_index(struct record_reader *r, struct record_frame **frames, size_t *count)
{
	struct record_frame *list = NULL;
	size_t n = 0, cap = 0;
	unsigned char *payload;
	size_t len;
	long offset;

	*frames = NULL;
	*count = 0;
	if (record_reader_seek(r, RECORD_HEADER_SIZE, 0) < 0)
		return -errno;
	while ((offset = ftell(r->f)) >= 0 && (payload = read_frame(r, &len))) {
		if (grow_array((void **)&list, &cap, n + 1, sizeof(*list), 64) < 0) {
			free(payload);
			free(list);
			return -ENOMEM;
		}
		list[n].offset = offset;
		record_peek(payload, len, &list[n].run_start, &list[n].wall);
		free(payload);
		/* the first frame of a file always starts a run */
		list[n].run_start |= n == 0;
		r->position = ++n;
	}
	if (record_reader_seek(r, RECORD_HEADER_SIZE, 0) < 0) {
		free(list);
		return -errno;
	}
	*frames = list;
	*count = n;
	return 0;
}

int record_reader_seek(struct record_reader *r, long offset, size_t position)
{
	if (fseek(r->f, offset, SEEK_SET) < 0)
		return -1;
	snapshot_free(r->prev);
	r->prev = NULL;
	r->position = position;
	return 0;
}

const char *record_reader_note(const struct record_reader *r)
{
	return r->note[0] ? r->note : NULL;
}

size_t record_reader_position(const struct record_reader *r)
{
	return r->position;
}

void record_reader_close(struct record_reader *r)
{
	if (!r)
		return;
	if (r->f)
		fclose(r->f);
	snapshot_free(r->prev);
	free(r);
}
