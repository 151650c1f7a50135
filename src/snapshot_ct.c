/* snapshot_ct.c: a snapshot's conntrack table (sample/conntrack.h): it owns
 * it, copies it with itself, and derives its statistics' growth. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sample/conntrack.h"
#include "snapshot.h"

void snapshot_conntrack_free(struct snapshot *s)
{
	if (!s->conntrack)
		return;
	conntrack_table_free(s->conntrack);
	free(s->conntrack);
	s->conntrack = NULL;
}

int snapshot_conntrack_clone(struct snapshot *c, const struct snapshot *s)
{
	c->conntrack_absent = NULL;
	if (s->conntrack_absent &&
	    !(c->conntrack_absent = arena_strndup(&c->arena, s->conntrack_absent, strlen(s->conntrack_absent))))
		return -ENOMEM;
	if (!s->conntrack)
		return 0;
	c->conntrack = calloc(1, sizeof(*c->conntrack));
	if (!c->conntrack)
		return -ENOMEM;
	if (conntrack_table_copy(c->conntrack, s->conntrack) < 0) {
		free(c->conntrack);
		c->conntrack = NULL;
		return -ENOMEM;
	}
	return 0;
}

void snapshot_conntrack_derive(struct snapshot *cur, const struct snapshot *prev)
{
	if (cur->conntrack)
		conntrack_table_derive(cur->conntrack, prev ? prev->conntrack : NULL);
}
