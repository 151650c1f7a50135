/* bytes.h: the recording's primitives (bytes.c), shared by the codec's
 * parts (codec.c the sample, codec_ct.c the conntrack table): little-endian
 * varints (LEB128), zig-zag svarints, strings as a length and bytes. */
#ifndef NETTOP_RECORD_BYTES_H
#define NETTOP_RECORD_BYTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../arena.h"

/* Bytes out: a malloc'd buffer that grows; oom once any append failed. */
struct buf {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

void put_bytes(struct buf *b, const void *data, size_t n);
void put_u8(struct buf *b, uint8_t v);
void put_varint(struct buf *b, uint64_t v);
void put_svarint(struct buf *b, int64_t v);
/* A length and the bytes (NULL: empty). */
void put_str(struct buf *b, const char *s);
void put_u32le(struct buf *b, uint32_t v);

/* Bytes in: every read is checked against the end; bad once one was not
 * there, and every read after it gives 0 or NULL. */
struct rd {
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

const unsigned char *get_bytes(struct rd *r, size_t n);
uint8_t get_u8(struct rd *r);
uint64_t get_varint(struct rd *r);
int64_t get_svarint(struct rd *r);
/* A count of items of at least min bytes each: more than the bytes left
 * can hold is malformed, so a short frame never claims a big array. */
size_t get_count(struct rd *r, size_t min);
/* A string copied into the arena; NULL when malformed. */
const char *get_str(struct rd *r, struct arena *a);

#endif
