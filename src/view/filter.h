/* filter.h: which sockets a view keeps. Today: "state NAME[,NAME…]" and plain
 * words matched as text against the row; the filter-language issue grows it
 * into ss's expressions behind this same interface. */
#ifndef NETTOP_FILTER_H
#define NETTOP_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"

struct filter;

/* Parses expr. NULL on error, with a message naming the column in err. */
struct filter *filter_parse(const char *expr, char *err, size_t errlen);
void filter_free(struct filter *f);
/* The expression as the user typed it, for the header. */
const char *filter_text(const struct filter *f);
/* The states any match can have: pushed into the kernel's dump request. */
uint32_t filter_state_mask(const struct filter *f);
bool filter_match(const struct filter *f, const struct snapshot *snap, const struct sock_rec *r);

#endif
