/* keysort.h: sorting by precomputed 64-bit keys instead of a comparator: an
 * LSD radix sort, stable, that skips the bytes every key shares. Sorting
 * 300k sockets this way costs a few passes over 24-byte items, not millions
 * of indirect comparisons. */
#ifndef NETTOP_KEYSORT_H
#define NETTOP_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

struct sort_item {
	uint64_t key;			/* compared first */
	uint64_t tie;			/* then this */
	uint32_t idx;			/* what is being sorted */
	uint32_t aux;			/* carried along: what the caller needs in sorted order */
};

/* Sorts items[0..n) by (key, tie), ascending; tmp has room for n items. */
void keysort(struct sort_item *items, struct sort_item *tmp, size_t n);

/* Sorts plain 64-bit words, ascending; tmp has room for n. */
void keysort_words(uint64_t *v, uint64_t *tmp, size_t n);

/* An unsigned key that orders as the float f does (NaN aside). */
uint64_t keysort_float(float f);

#endif
