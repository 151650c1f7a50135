/* closed_filter.h: the view's options (-t/-u, -l/-a, the filter) applied
 * to a closed connection: the filter sees it in the last state a sample saw
 * it in, with the process the join found, so `state established` and
 * `proc NAME` mean on closed connections what they mean on live ones. */
#ifndef NETTOP_CLOSED_FILTER_H
#define NETTOP_CLOSED_FILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "closed.h"
#include "view.h"

/* The filter's scratch sample: it holds one process at a time. */
struct closed_filter {
	struct snapshot *scratch;
	size_t uses;
};

/* 0 or -ENOMEM. */
int closed_filter_init(struct closed_filter *f);
void closed_filter_free(struct closed_filter *f);
/* True when v shows c. */
bool closed_visible(struct closed_filter *f, const struct closed_conn *c, const struct view_options *v);

#endif
