/* bc_bounds.c: the port ranges an inet_diag bytecode program lets through,
 * found by running it over ranges instead of sockets. The table walk tests
 * them first, on the cache line it has already read, and passes over most
 * sockets of a narrow filter without running the bytecode at all.
 *
 * Each op's position holds the ranges of the paths that reach it, joined
 * into their hull; a comparison narrows its two branches (S_GE p: yes
 * [p, 65535], no [0, p - 1]), a jump and a no-op take one branch only,
 * and every other op passes both unchanged. The
 * program's jumps only go forward (bpf_bytecode_runnable() checked it), so
 * one pass in position order sees every path into an op before the op. */
#include "bc_bounds.h"

#include <linux/inet_diag.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "rec.h"

static const struct port_range none = { 1, 0 };	/* no port: a path that cannot be */

struct ranges {
	bool reached;
	struct port_range port[2];	/* local, remote */
};

static struct port_range meet(struct port_range a, unsigned lo, unsigned hi)
{
	if (lo > a.lo)
		a.lo = (uint16_t)lo;
	if (hi < a.hi)
		a.hi = (uint16_t)hi;
	return a;
}

static bool empty(const struct ranges *r)
{
	return r->port[0].lo > r->port[0].hi || r->port[1].lo > r->port[1].hi;
}

/* Joins what reaches a position (an empty range is a path that cannot be). */
static void join(struct ranges *at, const struct ranges *in)
{
	if (empty(in))
		return;
	if (!at->reached) {
		*at = *in;
		return;
	}
	for (int side = 0; side < 2; side++) {
		if (in->port[side].lo < at->port[side].lo)
			at->port[side].lo = in->port[side].lo;
		if (in->port[side].hi > at->port[side].hi)
			at->port[side].hi = in->port[side].hi;
	}
}

/* The yes and no branches of one op. */
static void branch(const unsigned char *op, const struct ranges *in, struct ranges *yes, struct ranges *no)
{
	struct inet_diag_bc_op next;
	int side = -1;
	unsigned port = 0;

	*yes = *no = *in;
	switch (op[0]) {
	case INET_DIAG_BC_JMP:		/* always its no */
		yes->port[0] = none;
		return;
	case INET_DIAG_BC_NOP:		/* always its yes */
		no->port[0] = none;
		return;
	case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE: case INET_DIAG_BC_S_EQ: side = 0; break;
	case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE: case INET_DIAG_BC_D_EQ: side = 1; break;
	default: return;
	}
	memcpy(&next, op + sizeof(next), sizeof(next));	/* the port, in the op after */
	port = next.no;
	switch (op[0]) {
	case INET_DIAG_BC_S_GE: case INET_DIAG_BC_D_GE:
		yes->port[side] = meet(in->port[side], port, 65535);
		no->port[side] = port ? meet(in->port[side], 0, port - 1) : none;
		break;
	case INET_DIAG_BC_S_LE: case INET_DIAG_BC_D_LE:
		yes->port[side] = meet(in->port[side], 0, port);
		no->port[side] = port < 65535 ? meet(in->port[side], port + 1, 65535) : none;
		break;
	default:	/* EQ: its no branch is a range with a hole, kept whole */
		yes->port[side] = meet(in->port[side], port, port);
		break;
	}
}

void bc_port_bounds(const void *bytecode, size_t len, struct port_range *local, struct port_range *remote)
{
	const unsigned char *bc = bytecode;
	struct ranges *at;

	*local = *remote = (struct port_range){ 0, 65535 };
	if (!bc || !len || len > NT_BC_SIZE || len % 4 || !(at = calloc(len / 4 + 1, sizeof(*at))))
		return;
	at[0] = (struct ranges){ true, { { 0, 65535 }, { 0, 65535 } } };
	for (size_t pos = 0; pos < len; pos += 4) {
		struct inet_diag_bc_op op;
		struct ranges yes, no;

		if (!at[pos / 4].reached)
			continue;
		memcpy(&op, bc + pos, sizeof(op));
		if (pos + op.yes > len || pos + op.no > len + 4 || op.yes % 4 || op.no % 4 || !op.yes) {
			free(at);
			return;		/* not a program the walk runs: no bounds */
		}
		branch(bc + pos, &at[pos / 4], &yes, &no);
		join(&at[(pos + op.yes) / 4], &yes);
		if (pos + op.no <= len)	/* len + 4: rejected */
			join(&at[(pos + op.no) / 4], &no);
	}
	if (!at[len / 4].reached) {
		*local = *remote = none;	/* nothing passes */
	} else {
		*local = at[len / 4].port[0];
		*remote = at[len / 4].port[1];
	}
	free(at);
}
