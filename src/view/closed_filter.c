/* closed_filter.c: a closed connection through the view's options, as a
 * socket record of a one-process sample. */
#include "closed_filter.h"

#include <errno.h>

/* The scratch sample's names pile up in its arena: it is made anew now and
 * then. */
#define SCRATCH_USES 4096

int closed_filter_init(struct closed_filter *f)
{
	f->uses = 0;
	return (f->scratch = snapshot_new(1)) ? 0 : -ENOMEM;
}

void closed_filter_free(struct closed_filter *f)
{
	snapshot_free(f->scratch);
	f->scratch = NULL;
}

bool closed_visible(struct closed_filter *f, const struct closed_conn *c, const struct view_options *v)
{
	struct sock_rec copy = c->ev.r, *r = &copy;
	struct sock_extra *x;
	int idx;

	if (!v->filter)	/* nothing reads the addresses */
		return view_sock_visible(f->scratch, r, v);
	if (++f->uses > SCRATCH_USES) {
		struct snapshot *s = snapshot_new(1);

		if (s) {
			snapshot_free(f->scratch);
			f->scratch = s;
			f->uses = 0;
		}
	}
	/* the one socket of the scratch sample, with its IPv6 pair and its
	 * extra record (its cgroup) where there is memory for them */
	f->scratch->nprocs = 0;
	f->scratch->nsocks = 0;
	f->scratch->flags |= SNAP_HAS_PROCS | SNAP_HAS_EXTRA;
	if ((r = snapshot_add_sock(f->scratch))) {
		*r = c->ev.r;
		(void)snapshot_set_addrs(f->scratch, r, c->ev.a.l, c->ev.a.r);
		if ((x = snapshot_extra_slot(f->scratch, 0)))
			*x = c->ev.x;
	} else {
		r = &copy;
	}
	r->state = c->last_state;
	r->owner = OWNER_NONE;
	if (c->pid >= 0 && (idx = snapshot_add_proc(f->scratch, c->pid, c->uid, c->comm)) >= 0)
		r->owner = idx;
	return view_sock_visible(f->scratch, r, v);
}
