/* group.h: sockets grouped by address through a sort, not a hash table. The
 * radix passes stream through memory, where a table's probes miss the
 * caches once per socket (a flood: 300k sockets from 65k sources). An IPv4
 * address and what it carries fit one 64-bit word, so the common case sorts
 * 8-byte items: a third of the memory traffic of keysort's. */
#ifndef NETTOP_GROUP_H
#define NETTOP_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keysort.h"

struct addr_groups {
	uint64_t *v4;			/* address << 32 | aux */
	struct sort_item *v6;		/* the address's halves; aux */
	size_t n4, n6, cap, cap6;
	bool part;			/* addr_groups_init_part()'s: v4 is another's */
};

/* Room for cap addresses. -1 when out of memory. */
int addr_groups_init(struct addr_groups *g, size_t cap);
void addr_groups_free(struct addr_groups *g);
/* One more address (family 4 or 6, zero-padded), with what to carry along.
 * -1 when out of memory (the address is not counted). */
int addr_groups_add(struct addr_groups *g, int family, const uint8_t addr[16], uint32_t aux);
/* The same for an IPv4 address (its 4 bytes), inline: one per socket. */
static inline int addr_groups_add4(struct addr_groups *g, const uint8_t addr[4], uint32_t aux)
{
	if (g->n4 + g->n6 >= g->cap)
		return -1;
	g->v4[g->n4++] = (uint64_t)addr[0] << 56 | (uint64_t)addr[1] << 48 | (uint64_t)addr[2] << 40 |
			 (uint64_t)addr[3] << 32 | aux;
	return 0;
}
/* A part of g (init()ed) for the sockets from index from on, whose IPv4
 * addresses go into g's own array past from: no array of its own (its
 * IPv6 ones have theirs). addr_groups_free(part) leaves g's alone. */
void addr_groups_init_part(struct addr_groups *part, const struct addr_groups *g, size_t from);
/* Adds part's addresses to g's (g has room for them). -1 when out of memory. */
int addr_groups_append(struct addr_groups *g, const struct addr_groups *part);
/* Puts the n4 + n6 items in address order, IPv4 first (the order of one
 * address's items is unspecified). -1 when out of memory. */
int addr_groups_sort(struct addr_groups *g);
/* After the sort: the end of the run of equal addresses that starts at i. */
size_t addr_groups_run(const struct addr_groups *g, size_t i);
/* The address of item i, and its family. */
int addr_groups_addr(const struct addr_groups *g, size_t i, uint8_t addr[16]);
/* What item i carries (inline: read once per socket). */
static inline uint32_t addr_groups_aux(const struct addr_groups *g, size_t i)
{
	return i < g->n4 ? (uint32_t)g->v4[i] : g->v6[i - g->n4].aux;
}

/* Sorts rows (n, by index) by count, most first, keeping their order
 * where counts tie; count(i) reads row i. -1 when out of memory. */
int group_order_by_count(uint32_t *order, size_t n, uint32_t (*count)(const void *rows, size_t i),
			 const void *rows);

#endif
