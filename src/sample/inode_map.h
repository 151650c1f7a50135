/* inode_map.h: open-addressing tables keyed by a non-zero u32 (a socket
 * inode), sized to their content: no per-entry allocation. */
#ifndef NETTOP_INODE_MAP_H
#define NETTOP_INODE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct inode_map {
	uint32_t *keys;			/* 0: empty */
	void **values;
	size_t mask;
};

/* Empties the map and sizes it for n entries. 0 or -ENOMEM. */
int inode_map_reset(struct inode_map *m, size_t n);
/* Adds or replaces key (non-zero). The map must have been sized for it. */
void inode_map_put(struct inode_map *m, uint32_t key, void *value);
void *inode_map_get(const struct inode_map *m, uint32_t key);
void inode_map_free(struct inode_map *m);

/* Keys alone: 4 bytes a slot, where a map's are 12. */
struct inode_set {
	uint32_t *keys;			/* 0: empty */
	size_t mask;
};

int inode_set_reset(struct inode_set *s, size_t n);
void inode_set_add(struct inode_set *s, uint32_t key);
bool inode_set_has(const struct inode_set *s, uint32_t key);
void inode_set_free(struct inode_set *s);

#endif
