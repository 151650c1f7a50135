/* grow.h: the one growth rule for arrays that grow as items come. */
#ifndef NETTOP_GROW_H
#define NETTOP_GROW_H

#include <stddef.h>

/* The capacity after cap when need items (need > cap) of elem bytes must
 * fit: first when cap is 0, else half as much again (at least one more, so
 * that a capacity of 1 grows too), raised to need. 0 when that many bytes
 * cannot be counted in a size_t. */
size_t grow_capacity(size_t cap, size_t need, size_t elem, size_t first);

/* Makes room in *arr (*cap items of elem bytes) for need items, moving it
 * with realloc() when it must grow. 0 or -ENOMEM. */
int grow_array(void **arr, size_t *cap, size_t need, size_t elem, size_t first);

#endif
