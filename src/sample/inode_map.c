/* inode_map.c: linear probing at a load of at most one half. */
#include "inode_map.h"

#include <errno.h>
#include <stdlib.h>

static size_t slot_of(uint32_t key, size_t mask)
{
	return (size_t)(key * 2654435761u) & mask;
}

int inode_map_reset(struct inode_map *m, size_t n)
{
	size_t size = 16;

	while (size < n * 2)
		size <<= 1;
	inode_map_free(m);
	m->keys = calloc(size, sizeof(*m->keys));
	m->values = malloc(size * sizeof(*m->values));
	if (!m->keys || !m->values) {
		inode_map_free(m);
		return -ENOMEM;
	}
	m->mask = size - 1;
	return 0;
}

void inode_map_put(struct inode_map *m, uint32_t key, void *value)
{
	size_t h = slot_of(key, m->mask);

	while (m->keys[h] && m->keys[h] != key)
		h = (h + 1) & m->mask;
	m->keys[h] = key;
	m->values[h] = value;
}

void *inode_map_get(const struct inode_map *m, uint32_t key)
{
	if (!m->keys || !key)
		return NULL;
	for (size_t h = slot_of(key, m->mask); m->keys[h]; h = (h + 1) & m->mask)
		if (m->keys[h] == key)
			return m->values[h];
	return NULL;
}

void inode_map_free(struct inode_map *m)
{
	free(m->keys);
	free(m->values);
	m->keys = NULL;
	m->values = NULL;
	m->mask = 0;
}

int inode_set_reset(struct inode_set *s, size_t n)
{
	return inode_map_reset(&s->map, n);
}

void inode_set_add(struct inode_set *s, uint32_t key)
{
	inode_map_put(&s->map, key, s);
}

bool inode_set_has(const struct inode_set *s, uint32_t key)
{
	return inode_map_get(&s->map, key) != NULL;
}

void inode_set_free(struct inode_set *s)
{
	inode_map_free(&s->map);
}
