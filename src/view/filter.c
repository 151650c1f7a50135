/* filter.c: the parsed filter as an object: immutable once parsed, held by
 * every owner (the screen, each job of the worker, the exporter's view) and
 * freed by the last. What it can match is summed up once, here. */
#include <stdatomic.h>
#include <stdlib.h>

#include "../tcpstate.h"
#include "filter.h"
#include "filter_impl.h"

/* What a node can match, dimension by dimension: a conservative superset. */
struct reach {
	uint32_t states;
	unsigned protos, families;
};

static struct reach reach_of(const struct filter *f, int i)
{
	const struct reach all = { ST_MASK_ALL, 1u << PROTO_TCP | 1u << PROTO_UDP, 1u << 4 | 1u << 6 };
	const struct node *n = &f->nodes[i];
	struct reach r = all, a, b;

	switch (n->kind) {
	case NODE_STATE: r.states = n->u.states; break;
	case NODE_PROTO: r.protos = n->u.protos; break;
	case NODE_FAMILY: r.families = n->u.families; break;
	case NODE_AND:
		a = reach_of(f, n->a), b = reach_of(f, n->b);
		r = (struct reach){ a.states & b.states, a.protos & b.protos, a.families & b.families };
		break;
	case NODE_OR:
		a = reach_of(f, n->a), b = reach_of(f, n->b);
		r = (struct reach){ a.states | b.states, a.protos | b.protos, a.families | b.families };
		break;
	case NODE_NOT: {
		/* the complement is exact only for a single-dimension leaf */
		const struct node *c = &f->nodes[n->a];

		if (c->kind == NODE_STATE)
			r.states = ST_MASK_ALL & ~c->u.states;
		else if (c->kind == NODE_PROTO)
			r.protos = all.protos & ~c->u.protos;
		else if (c->kind == NODE_FAMILY)
			r.families = all.families & ~c->u.families;
		break;
	}
	default:
		break;
	}
	return r;
}

static bool uses_procs(const struct filter *f)
{
	for (int i = 0; i < f->nnodes; i++)
		if (f->nodes[i].kind == NODE_PROC || f->nodes[i].kind == NODE_PID)
			return true;
	return false;
}

void filter_summarize(struct filter *f)
{
	struct reach r = f->root >= 0 ? reach_of(f, f->root)
				      : (struct reach){ ST_MASK_ALL, 1u << PROTO_TCP | 1u << PROTO_UDP,
							1u << 4 | 1u << 6 };

	f->states = r.states;
	f->protos = r.protos;
	f->families = r.families;
	f->needs_procs = uses_procs(f);
	filter_compare_needs(f);
}

struct filter *filter_hold(const struct filter *f)
{
	struct filter *own = (struct filter *)f;	/* only refs changes: atomically */

	if (own)
		atomic_fetch_add_explicit(&own->refs, 1, memory_order_relaxed);
	return own;
}

void filter_free(const struct filter *held)
{
	struct filter *f = (struct filter *)held;

	if (!f || atomic_fetch_sub_explicit(&f->refs, 1, memory_order_acq_rel) != 1)
		return;
	for (int i = 0; i < f->nnodes; i++)
		free(f->nodes[i].text);
	free(f->nodes);
	free(f->bytecode[0]);
	free(f->bytecode[1]);
	free(f->expr);
	free(f);
}

const char *filter_text(const struct filter *f)
{
	return f ? f->expr : "";
}

uint32_t filter_state_mask(const struct filter *f)
{
	return f ? f->states : ST_MASK_ALL;
}

unsigned filter_protos(const struct filter *f)
{
	return f ? f->protos : 1u << PROTO_TCP | 1u << PROTO_UDP;
}

unsigned filter_families(const struct filter *f)
{
	return f ? f->families : 1u << 4 | 1u << 6;
}

bool filter_needs_cgroups(const struct filter *f)
{
	for (int i = 0; f && i < f->nnodes; i++)
		if (f->nodes[i].kind == NODE_CGROUP)
			return true;
	return false;
}

bool filter_needs_procs(const struct filter *f)
{
	return f && f->needs_procs;
}

bool filter_needs_info(const struct filter *f)
{
	return f && f->needs_info;
}

bool filter_needs_health(const struct filter *f)
{
	return f && f->needs_health;
}

bool filter_needs_extra(const struct filter *f)
{
	return f && f->needs_extra;
}

bool filter_states_only(const struct filter *f)
{
	return f && f->root >= 0 && f->nodes[f->root].kind == NODE_STATE;
}

const void *filter_bytecode(const struct filter *f, int family, size_t *len)
{
	int i = family == 6;

	*len = f ? f->bytecode_len[i] : 0;
	return *len ? f->bytecode[i] : NULL;
}
