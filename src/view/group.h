/* group.h: sockets grouped by address through a sort, not a hash table. The
 * radix passes stream through memory, where a table's probes miss the
 * caches once per socket (a flood: 300k sockets from 65k sources). */
#ifndef NETTOP_GROUP_H
#define NETTOP_GROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "keysort.h"

struct addr_groups {
	struct sort_item *items;	/* IPv4 from the front, IPv6 from the back */
	size_t n4, n6, cap;
};

/* Room for cap addresses. -1 when out of memory. */
int addr_groups_init(struct addr_groups *g, size_t cap);
void addr_groups_free(struct addr_groups *g);
/* One more address (family 4 or 6, zero-padded), with what to carry along. */
void addr_groups_add(struct addr_groups *g, int family, const uint8_t addr[16], uint32_t idx,
		     uint32_t aux);
/* Puts the n4 + n6 items in address order: IPv4 first, then bytes. -1 when
 * out of memory. */
int addr_groups_sort(struct addr_groups *g);
/* After the sort: the end of the run of equal addresses that starts at i. */
size_t addr_groups_run(const struct addr_groups *g, size_t i);
/* The address of item i. */
int addr_groups_addr(const struct addr_groups *g, size_t i, uint8_t addr[16]);

/* Sorts rows (n, by index) by count, most first, keeping their order
 * where counts tie; count(i) reads row i. -1 when out of memory. */
int group_order_by_count(uint32_t *order, size_t n, uint32_t (*count)(const void *rows, size_t i),
			 const void *rows);

#endif
