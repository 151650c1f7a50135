/* reader.c: reads a recording's frames in order, checks each one's CRC, and
 * decodes it against the sample before it. */
#include "reader.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"

struct record_reader {
	FILE *f;
	struct snapshot *prev;		/* the last decoded sample, for references */
	size_t position;
	char note[128];
};

struct record_reader *record_reader_open(const char *path, char *err, size_t errlen, int *status)
{
	struct record_reader *r = calloc(1, sizeof(*r));
	unsigned char head[RECORD_HEADER_SIZE];
	uint32_t version;
	int e;

	*status = -1;
	if (!r || !(r->f = fopen(path, "rb"))) {
		snprintf(err, errlen, "--replay %s: %s", path, strerror(errno));
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

/* Reads one whole frame's payload; NULL at the end or at a torn frame. */
static unsigned char *read_frame(struct record_reader *r, size_t *len)
{
	unsigned char head[RECORD_FRAME_HEADER_SIZE], crc[4], *payload;
	size_t got = fread(head, 1, sizeof(head), r->f);
	long n;

	if (got == 0 && feof(r->f))
		return NULL;
	if (got != sizeof(head) || (n = record_frame_length(head)) < 0) {
		snprintf(r->note, sizeof(r->note), "truncated or damaged after sample %zu", r->position);
		return NULL;
	}
	*len = (size_t)n;
	payload = malloc(*len ? *len : 1);
	if (!payload || fread(payload, 1, *len, r->f) != *len || fread(crc, 1, 4, r->f) != 4 ||
	    !record_frame_intact(payload, *len, crc)) {
		snprintf(r->note, sizeof(r->note), "truncated or damaged after sample %zu", r->position);
		free(payload);
		return NULL;
	}
	return payload;
}

/* Decodes the next frame into r->prev (the reference for the one after). */
static struct snapshot *reader_advance(struct record_reader *r)
{
	size_t len;
	unsigned char *payload = read_frame(r, &len);
	struct snapshot *s;

	if (!payload)
		return NULL;
	s = record_decode(payload, len, r->prev);
	free(payload);
	if (!s) {
		snprintf(r->note, sizeof(r->note), "sample %zu is malformed", r->position + 1);
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
		if (n == cap) {
			struct record_frame *grown = realloc(list, (cap ? cap * 2 : 64) * sizeof(*list));

			if (!grown) {
				free(payload);
				free(list);
				return -ENOMEM;
			}
			list = grown;
			cap = cap ? cap * 2 : 64;
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
