/* codec.h: the recording format (doc/recording.md): the file header, and
 * one frame per sample, closed by a CRC. Sockets that did not change since
 * the previous sample are stored as runs of references to it, so a long
 * recording of a busy host stays small. No I/O here: writer.h appends
 * frames to a file, reader.h reads them back; the fuzzer feeds
 * record_decode() directly. */
#ifndef NETTOP_RECORD_CODEC_H
#define NETTOP_RECORD_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "../snapshot.h"

#define RECORD_FILE_MAGIC "NETTOPRC"
#define RECORD_FILE_VERSION 1
#define RECORD_HEADER_SIZE 16
#define RECORD_FRAME_HEADER_SIZE 8	/* magic, payload length */
#define RECORD_FRAME_MAX (1u << 30)	/* payloads are shorter */

/* The file header of a new recording. */
void record_header(unsigned char out[RECORD_HEADER_SIZE]);
/* 0 for a recording this nettop reads; -EBADMSG when it is no recording;
 * -EPROTO when it is of another format version (*version then says which). */
int record_header_check(const unsigned char head[RECORD_HEADER_SIZE], uint32_t *version);

/* The whole frame of snap (prev: the sample before it in this run, NULL for
 * the first), malloc'd, of *len bytes; NULL when out of memory or too large. */
unsigned char *record_encode(const struct snapshot *snap, const struct snapshot *prev, size_t *len);

/* The payload length a frame header announces; -1 when it is no frame
 * header, -2 when it claims RECORD_FRAME_MAX or more. */
long record_frame_length(const unsigned char head[RECORD_FRAME_HEADER_SIZE]);
/* True when crc (the 4 bytes after the payload) matches the payload. */
bool record_frame_intact(const unsigned char *payload, size_t len, const unsigned char crc[4]);
/* The payload's first fields: whether it starts a run, and when it was taken. */
void record_peek(const unsigned char *payload, size_t len, bool *run_start, struct timespec *wall);
/* Decodes one frame's payload into a snapshot (prev resolves references).
 * NULL when the payload is malformed. */
struct snapshot *record_decode(const unsigned char *p, size_t len, const struct snapshot *prev);

#endif
