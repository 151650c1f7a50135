/* group.c: IPv4 keys are the address (one 32-bit key), IPv6 keys its two
 * halves; each family is sorted apart, so no IPv4 key ever meets an IPv6 one. */
#include "group.h"

#include <stdlib.h>
#include <string.h>

#include "hash.h"

int addr_groups_init(struct addr_groups *g, size_t cap)
{
	*g = (struct addr_groups){ .cap = cap };
	g->v4 = malloc((cap ? cap : 1) * sizeof(*g->v4));
	return g->v4 ? 0 : -1;
}

void addr_groups_init_part(struct addr_groups *part, const struct addr_groups *g, size_t from)
{
	*part = (struct addr_groups){ .v4 = g->v4 + from, .cap = g->cap - from, .part = true };
}

void addr_groups_free(struct addr_groups *g)
{
	if (!g->part)
		free(g->v4);
	free(g->v6);
	*g = (struct addr_groups){ 0 };
}

int addr_groups_add(struct addr_groups *g, int family, const uint8_t addr[16], uint32_t aux)
{
	if (family == 4)
		return addr_groups_add4(g, addr, aux);
	if (g->n4 + g->n6 >= g->cap)
		return -1;
	/* IPv6 is the rare case: its array grows as it comes */
	if (g->n6 == g->cap6) {
		size_t cap6 = g->cap6 ? g->cap6 * 2 : 64;
		struct sort_item *v6 = realloc(g->v6, cap6 * sizeof(*v6));

		if (!v6)
			return -1;
		g->v6 = v6;
		g->cap6 = cap6;
	}
	g->v6[g->n6++] = (struct sort_item){ addr_word(addr, 0), addr_word(addr, 8), 0, aux };
	return 0;
}

int addr_groups_append(struct addr_groups *g, const struct addr_groups *part)
{
	if (g->n4 + g->n6 + part->n4 + part->n6 > g->cap)
		return -1;
	memmove(g->v4 + g->n4, part->v4, part->n4 * sizeof(*part->v4));
	g->n4 += part->n4;
	if (part->n6 && g->n6 + part->n6 > g->cap6) {
		struct sort_item *v6 = realloc(g->v6, (g->n6 + part->n6) * sizeof(*v6));

		if (!v6)
			return -1;
		g->v6 = v6;
		g->cap6 = g->n6 + part->n6;
	}
	if (part->n6)
		memcpy(g->v6 + g->n6, part->v6, part->n6 * sizeof(*part->v6));
	g->n6 += part->n6;
	return 0;
}

int addr_groups_sort(struct addr_groups *g)
{
	uint64_t *tmp4 = malloc((g->n4 ? g->n4 : 1) * sizeof(*tmp4));
	struct sort_item *tmp6 = malloc((g->n6 ? g->n6 : 1) * sizeof(*tmp6));
	int err = tmp4 && tmp6 ? 0 : -1;

	if (!err) {
		keysort_words(g->v4, tmp4, g->n4);
		keysort(g->v6, tmp6, g->n6);
	}
	free(tmp4);
	free(tmp6);
	return err;
}

size_t addr_groups_run(const struct addr_groups *g, size_t i)
{
	size_t j = i + 1;

	if (i < g->n4) {
		while (j < g->n4 && g->v4[j] >> 32 == g->v4[i] >> 32)
			j++;
		return j;
	}
	for (i -= g->n4, j = i + 1; j < g->n6 && g->v6[j].key == g->v6[i].key &&
				    g->v6[j].tie == g->v6[i].tie; j++)
		;
	return g->n4 + j;
}

int addr_groups_addr(const struct addr_groups *g, size_t i, uint8_t addr[16])
{
	uint64_t w[2] = { 0, 0 };
	int family = i < g->n4 ? 4 : 6;

	if (family == 4)
		w[0] = g->v4[i] >> 32 << 32;
	else
		w[0] = g->v6[i - g->n4].key, w[1] = g->v6[i - g->n4].tie;
	for (int b = 0; b < 16; b++)
		addr[b] = (uint8_t)(w[b / 8] >> (56 - 8 * (b % 8)));
	return family;
}

int group_order_by_count(uint32_t *order, size_t n, uint32_t (*count)(const void *rows, size_t i),
			 const void *rows)
{
	uint64_t *words = malloc((n ? n : 1) * sizeof(*words));
	uint64_t *tmp = malloc((n ? n : 1) * sizeof(*tmp));

	if (!words || !tmp || n > UINT32_MAX) {
		free(words);
		free(tmp);
		return -1;
	}
	/* one word a row: most first, then the row's own place, so that
	 * ties keep the rows' order (65k sources sort as 8-byte words) */
	for (size_t i = 0; i < n; i++)
		words[i] = (uint64_t)(UINT32_MAX - count(rows, i)) << 32 | i;
	keysort_words(words, tmp, n);
	for (size_t i = 0; i < n; i++)
		order[i] = (uint32_t)words[i];
	free(words);
	free(tmp);
	return 0;
}
