/* keysort.c: one pass counts every byte of every key, then each byte that
 * differs somewhere gets one stable scatter pass, least significant first. */
#include "keysort.h"

#include <string.h>

#define DIGITS 16			/* 8 bytes of tie, then 8 of key */

static unsigned digit_of(const struct sort_item *it, int d)
{
	uint64_t v = d < 8 ? it->tie : it->key;

	return (unsigned)(v >> (8 * (d & 7))) & 0xff;
}

void keysort(struct sort_item *items, struct sort_item *tmp, size_t n)
{
	static const size_t zero[256];
	size_t count[DIGITS][256];
	struct sort_item *src = items, *dst = tmp;

	if (n < 2)
		return;
	for (int d = 0; d < DIGITS; d++)
		memcpy(count[d], zero, sizeof(zero));
	for (size_t i = 0; i < n; i++) {
		uint64_t t = items[i].tie, k = items[i].key;

		for (int b = 0; b < 8; b++, t >>= 8, k >>= 8) {
			count[b][t & 0xff]++;
			count[8 + b][k & 0xff]++;
		}
	}
	for (int d = 0; d < DIGITS; d++) {
		size_t sum = 0, *c = count[d];
		struct sort_item *swap;

		/* every key has the same byte here: this pass would change nothing */
		if (c[digit_of(src, d)] == n)
			continue;
		for (int b = 0; b < 256; b++) {
			size_t k = c[b];

			c[b] = sum;
			sum += k;
		}
		for (size_t i = 0; i < n; i++)
			dst[c[digit_of(&src[i], d)]++] = src[i];
		swap = src, src = dst, dst = swap;
	}
	if (src != items)
		memcpy(items, src, n * sizeof(*items));
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
