/* hash.h: the hash of the views' grouping tables. An address is read as two
 * 64-bit words and mixed (murmur3's finaliser), not multiplied in byte by
 * byte: grouping 300k sockets hashes 300k addresses per sample. */
#ifndef NETTOP_HASH_H
#define NETTOP_HASH_H

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

/* The address bytes from..from+7 as one big-endian number, for sort keys. */
static inline uint64_t addr_word(const uint8_t addr[16], int from)
{
	uint64_t w = 0;

	for (int i = from; i < from + 8; i++)
		w = w << 8 | addr[i];
	return w;
}

#endif
