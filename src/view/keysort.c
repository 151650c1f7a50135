/* keysort.c: one pass counts every byte of every key, then each byte that
 * differs somewhere gets one stable scatter pass, least significant first. */
#include "keysort.h"

#include <stdbool.h>
#include <string.h>

#define DIGITS 16			/* 8 bytes of tie, then 8 of key */

/* One stable pass by the byte at shift of the tie (or of the key). */
static void scatter(const struct sort_item *src, struct sort_item *dst, size_t n, uint32_t *c,
		    bool tie, int shift)
{
	if (tie) {
		for (size_t i = 0; i < n; i++)
			dst[c[(src[i].tie >> shift) & 0xff]++] = src[i];
	} else {
		for (size_t i = 0; i < n; i++)
			dst[c[(src[i].key >> shift) & 0xff]++] = src[i];
	}
}

/* Counts each of v's 8 bytes in its own histogram (written out: a loop
 * here costs as much as the passes it saves). */
static inline void bytes_count(uint32_t (*c)[256], uint64_t v)
{
	c[0][v & 0xff]++;
	c[1][(v >> 8) & 0xff]++;
	c[2][(v >> 16) & 0xff]++;
	c[3][(v >> 24) & 0xff]++;
	c[4][(v >> 32) & 0xff]++;
	c[5][(v >> 40) & 0xff]++;
	c[6][(v >> 48) & 0xff]++;
	c[7][v >> 56]++;
}

void keysort(struct sort_item *items, struct sort_item *tmp, size_t n)
{
	uint32_t count[DIGITS][256];
	struct sort_item *src = items, *dst = tmp;

	if (n < 2)
		return;
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
		bytes_count(&count[8], items[i].key);
	for (size_t i = 0; i < n; i++)
		bytes_count(&count[0], items[i].tie);
	for (int d = 0; d < DIGITS; d++) {
		uint32_t sum = 0, *c = count[d];
		uint64_t first = d < 8 ? items[0].tie : items[0].key;
		struct sort_item *swap;

		/* every item has the same byte here: this pass would change nothing */
		if (c[(first >> (8 * (d & 7))) & 0xff] == n)
			continue;
		for (int b = 0; b < 256; b++) {
			uint32_t k = c[b];

			c[b] = sum;
			sum += k;
		}
		scatter(src, dst, n, c, d < 8, 8 * (d & 7));
		swap = src, src = dst, dst = swap;
	}
	if (src != items)
		memcpy(items, src, n * sizeof(*items));
}

void keysort_words(uint64_t *v, uint64_t *tmp, size_t n)
{
	uint32_t count[8][256];
	uint64_t *src = v, *dst = tmp, all_and = ~0ULL, all_or = 0;
	int digits[8], ndigits = 0;

	if (n < 2)
		return;
	/* the bytes that differ somewhere: addresses of one network share most
	 * of theirs, and only those that differ are counted and passed over */
	for (size_t i = 0; i < n; i++)
		all_and &= v[i], all_or |= v[i];
	for (int d = 0; d < 8; d++)
		if (((all_and ^ all_or) >> (8 * d)) & 0xff)
			digits[ndigits++] = d;
	memset(count, 0, sizeof(count));
	for (size_t i = 0; i < n; i++)
		for (int k = 0; k < ndigits; k++)
			count[k][(v[i] >> (8 * digits[k])) & 0xff]++;
	for (int k = 0; k < ndigits; k++) {
		uint32_t sum = 0, *c = count[k];
		int shift = 8 * digits[k];
		uint64_t *swap;

		for (int b = 0; b < 256; b++) {
			uint32_t m = c[b];

			c[b] = sum;
			sum += m;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[(src[i] >> shift) & 0xff]++] = src[i];
		swap = src, src = dst, dst = swap;
	}
	if (src != v)
		memcpy(v, src, n * sizeof(*v));
}

uint64_t keysort_float(float f)
{
	uint32_t bits;

	if (f == 0)
		f = 0;		/* -0 equals 0 */
	memcpy(&bits, &f, sizeof(bits));
	/* negative numbers order backwards, below every positive one */
	return bits & 0x80000000u ? (uint32_t)~bits : bits | 0x80000000u;
}
