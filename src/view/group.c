/* group.c: IPv4 keys are the address (one 32-bit key), IPv6 keys its two
 * halves; each family is sorted apart, so no IPv4 key ever meets an IPv6 one. */
#include "group.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

int addr_groups_init(struct addr_groups *g, size_t cap)
{
	*g = (struct addr_groups){ .cap = cap };
	g->items = malloc((cap ? cap : 1) * sizeof(*g->items));
	return g->items ? 0 : -1;
}

void addr_groups_free(struct addr_groups *g)
{
	free(g->items);
	g->items = NULL;
}

void addr_groups_add(struct addr_groups *g, int family, const uint8_t addr[16], uint32_t idx,
		     uint32_t aux)
{
	if (g->n4 + g->n6 >= g->cap)
		return;
	if (family == 4)
		g->items[g->n4++] = (struct sort_item){ addr_word(addr, 0) >> 32, 0, idx, aux };
	else
		g->items[g->cap - ++g->n6] =
			(struct sort_item){ addr_word(addr, 0), addr_word(addr, 8), idx, aux };
}

int addr_groups_sort(struct addr_groups *g)
{
	size_t big = g->n4 > g->n6 ? g->n4 : g->n6;
	struct sort_item *tmp = malloc((big ? big : 1) * sizeof(*tmp));

	if (!tmp)
		return -1;
	keysort(g->items, tmp, g->n4);
	memmove(g->items + g->n4, g->items + g->cap - g->n6, g->n6 * sizeof(*g->items));
	keysort(g->items + g->n4, tmp, g->n6);
	free(tmp);
	return 0;
}

size_t addr_groups_run(const struct addr_groups *g, size_t i)
{
	size_t end = i < g->n4 ? g->n4 : g->n4 + g->n6, j = i + 1;

	while (j < end && g->items[j].key == g->items[i].key && g->items[j].tie == g->items[i].tie)
		j++;
	return j;
}

int addr_groups_addr(const struct addr_groups *g, size_t i, uint8_t addr[16])
{
	const struct sort_item *it = &g->items[i];
	uint64_t w[2] = { it->key, it->tie };
	int family = i < g->n4 ? 4 : 6;

	if (family == 4)
		w[0] <<= 32;
	for (int b = 0; b < 16; b++)
		addr[b] = (uint8_t)(w[b / 8] >> (56 - 8 * (b % 8)));
	return family;
}

int group_order_by_count(uint32_t *order, size_t n, uint32_t (*count)(const void *rows, size_t i),
			 const void *rows)
{
	struct sort_item *items = malloc((n ? n : 1) * sizeof(*items));
	struct sort_item *tmp = malloc((n ? n : 1) * sizeof(*tmp));

	if (!items || !tmp) {
		free(items);
		free(tmp);
		return -1;
	}
	/* the tie keeps the rows' own order: keysort is stable, but this says so */
	for (size_t i = 0; i < n; i++)
		items[i] = (struct sort_item){ UINT32_MAX - count(rows, i), i, (uint32_t)i, 0 };
	keysort(items, tmp, n);
	for (size_t i = 0; i < n; i++)
		order[i] = items[i].idx;
	free(items);
	free(tmp);
	return 0;
}
