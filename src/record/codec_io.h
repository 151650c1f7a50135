/* codec_io.h: the recording format's bytes (doc/recording.md): varints,
 * strings, and reads that never pass the end of a frame. Shared by codec.c
 * and codec_events.c; inline, as they are called per field. */
#ifndef NETTOP_RECORD_CODEC_IO_H
#define NETTOP_RECORD_CODEC_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../arena.h"
#include "../grow.h"

/* ---- bytes out ---- */

struct buf {
	unsigned char *p;
	size_t len, cap;
	bool oom;
};

static inline void put_bytes(struct buf *b, const void *data, size_t n)
{
	/* nothing to copy: data may be NULL (an empty string) */
	if (b->oom || !n)
		return;
	if (n > SIZE_MAX - b->len || grow_array((void **)&b->p, &b->cap, b->len + n, 1, 4096) < 0) {
		b->oom = true;
		return;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static inline void put_u8(struct buf *b, uint8_t v)
{
	put_bytes(b, &v, 1);
}

static inline void put_varint(struct buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;

	do {
		tmp[n++] = (unsigned char)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	put_bytes(b, tmp, n);
}

static inline void put_svarint(struct buf *b, int64_t v)
{
	put_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static inline void put_str(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	put_varint(b, n);
	put_bytes(b, s, n);
}

static inline void put_u32le(struct buf *b, uint32_t v)
{
	unsigned char t[4] = { (unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
			       (unsigned char)(v >> 24) };

	put_bytes(b, t, 4);
}

/* ---- bytes in: every read is checked against the end ---- */

struct rd {
	const unsigned char *p;
	size_t len, pos;
	bool bad;
};

static inline const unsigned char *get_bytes(struct rd *r, size_t n)
{
	const unsigned char *p = r->p + r->pos;

	if (r->bad || n > r->len - r->pos) {
		r->bad = true;
		return NULL;
	}
	r->pos += n;
	return p;
}

static inline uint8_t get_u8(struct rd *r)
{
	const unsigned char *p = get_bytes(r, 1);

	return p ? *p : 0;
}

static inline uint64_t get_varint(struct rd *r)
{
	uint64_t v = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t c = get_u8(r);

		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80) || r->bad)
			return v;
	}
	r->bad = true;
	return 0;
}

static inline int64_t get_svarint(struct rd *r)
{
	uint64_t v = get_varint(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* A bounded count of items of at least min bytes each: more than the bytes
 * left can hold is malformed, so a short frame never claims a big array. */
static inline size_t get_count(struct rd *r, size_t min)
{
	uint64_t n = get_varint(r);

	if (n > (r->len - r->pos) / min)
		r->bad = true;
	return r->bad ? 0 : (size_t)n;
}

static inline const char *get_str(struct rd *r, struct arena *a)
{
	size_t n = get_count(r, 1);
	const unsigned char *p = get_bytes(r, n);

	return p ? arena_strndup(a, (const char *)p, n) : NULL;
}

#endif
