/* arena.h: a bump allocator freed whole; one per snapshot. */
#ifndef NETTOP_ARENA_H
#define NETTOP_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t chunk_size;
	size_t used_total;	/* bytes handed out, for memory accounting */
};

void arena_init(struct arena *a, size_t chunk_size);
/* size bytes, zeroed and aligned to 16, or NULL when out of memory. */
void *arena_alloc(struct arena *a, size_t size);
/* Copies len bytes of s and a terminating NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t len);
void arena_free(struct arena *a);

#endif
