/* inode_map.c: linear probing at a load of at most one half. */
#include "inode_map.h"

#include <errno.h>
#include <stdlib.h>

static size_t slot_of(uint32_t key, size_t mask)
{
	return (size_t)(key * 2654435761u) & mask;
}

/* Room for n keys at a load of at most one half. */
static size_t table_size(size_t n)
{
	size_t size = 16;

	while (size < n * 2)
		size <<= 1;
	return size;
}

int inode_map_reset(struct inode_map *m, size_t n)
{
	size_t size = table_size(n);

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

/* key's slot in keys: where it is, or the empty one it would take. */
static size_t probe(const uint32_t *keys, size_t mask, uint32_t key)
{
	size_t h = slot_of(key, mask);

	while (keys[h] && keys[h] != key)
		h = (h + 1) & mask;
	return h;
}

void inode_map_put(struct inode_map *m, uint32_t key, void *value)
{
	size_t h = probe(m->keys, m->mask, key);

	m->keys[h] = key;
	m->values[h] = value;
}

void *inode_map_get(const struct inode_map *m, uint32_t key)
{
	size_t h;

	if (!m->keys || !key)
		return NULL;
	h = probe(m->keys, m->mask, key);
	return m->keys[h] ? m->values[h] : NULL;
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
	size_t size = table_size(n);

	inode_set_free(s);
	if (!(s->keys = calloc(size, sizeof(*s->keys))))
		return -ENOMEM;
	s->mask = size - 1;
	return 0;
}

void inode_set_add(struct inode_set *s, uint32_t key)
{
	s->keys[probe(s->keys, s->mask, key)] = key;
}

bool inode_set_has(const struct inode_set *s, uint32_t key)
{
	return s->keys && key && s->keys[probe(s->keys, s->mask, key)];
}

void inode_set_free(struct inode_set *s)
{
	free(s->keys);
	s->keys = NULL;
	s->mask = 0;
}
