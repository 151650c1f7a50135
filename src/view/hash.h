/* hash.h: the one hash of nettop's tables and row keys. An address is read as two
 * 64-bit words and mixed (murmur3's finaliser), not multiplied in byte by
 * byte: grouping 300k sockets hashes 300k addresses per sample. */
#ifndef NETTOP_HASH_H
#define NETTOP_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t hash_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* addr: all 16 bytes (an IPv4 address zero-padded); extra: what else keys
 * the row (family, prefix, port). */
static inline uint64_t hash_addr(uint64_t extra, const uint8_t addr[16])
{
	uint64_t a, b;

	memcpy(&a, addr, 8);
	memcpy(&b, addr + 8, 8);
	return hash_mix(a ^ hash_mix(b ^ hash_mix(extra)));
}

/* Any bytes (a filter's text, the significant bytes of an address), eight
 * at a time through the same finaliser; extra as in hash_addr. */
static inline uint64_t hash_bytes(uint64_t extra, const void *p, size_t n)
{
	const uint8_t *b = p;
	uint64_t h = hash_mix(extra ^ (uint64_t)n << 56), w;

	for (; n >= 8; b += 8, n -= 8) {
		memcpy(&w, b, 8);
		h = hash_mix(h ^ w);
	}
	if (n) {
		w = 0;
		memcpy(&w, b, n);
		h = hash_mix(h ^ w);
	}
	return h;
}

/* The address bytes from..from+7 as one big-endian number, for sort keys. */
static inline uint64_t addr_word(const uint8_t addr[16], int from)
{
	uint64_t w = 0;

	for (int i = from; i < from + 8; i++)
		w = w << 8 | addr[i];
	return w;
}

#endif
