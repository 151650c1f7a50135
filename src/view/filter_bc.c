/* filter_bc.c: compiles the expression into inet_diag bytecode, as ss does.
 *
 * The kernel runs the program on each socket: an op whose test holds
 * advances by `yes` bytes, otherwise by `no`; landing exactly on the end
 * accepts the socket, landing 4 bytes past it rejects it. Only addresses,
 * ports and devices can be tested there. The rest (states and protocols go
 * into the request instead; owners and text stay in userspace) is replaced
 * by "true", which keeps the program a superset of the expression: under
 * AND a "true" is dropped, an OR with a "true" is true, and a NOT is kept
 * only over an exact program. Userspace checks every socket again. */
#include <errno.h>
#include <linux/inet_diag.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter_impl.h"

/* The longest program sent. The dump request, bytecode included, is built in
 * the sampler's 32 KiB buffer: a longer program overran it (a crash with
 * `sport = :1 or sport = :2 or … sport = :2000`). Every partial program is
 * kept within it too, which also keeps the 16-bit jumps from wrapping and
 * the copying linear: past it, an AND keeps its left side alone and an OR
 * or a NOT gives up, each a superset of the exact program. */
#define BYTECODE_MAX (16 * 1024)

struct prog {
	unsigned char *code;
	size_t len;			/* 0 with exact false: no constraint ("true") */
	bool exact;			/* the program equals the expression */
};

static struct prog prog_true(bool exact)
{
	return (struct prog){ NULL, 0, exact };
}

static int prog_alloc(struct prog *p, size_t len, bool exact)
{
	p->code = calloc(1, len);
	p->len = len;
	p->exact = exact;
	return p->code ? 0 : -ENOMEM;
}

static void put_op(unsigned char *at, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { code, yes, no };

	memcpy(at, &op, sizeof(op));
}

/* A rejecting jump of a program of len bytes points 4 past its end; when the
 * program becomes the left operand of an AND, it must point past both. */
static void relocate_rejects(unsigned char *code, size_t len, size_t extra)
{
	for (size_t at = 0; at < len;) {
		struct inet_diag_bc_op op;

		memcpy(&op, code + at, sizeof(op));
		if (op.no == len - at + 4) {
			op.no = (uint16_t)(op.no + extra);
			memcpy(code + at, &op, sizeof(op));
		}
		at += op.yes;
	}
}

/* One host condition: family (or AF_UNSPEC), prefix and port (-1: any). */
static int prog_hostcond(struct prog *p, const struct node *n, bool dst, int family)
{
	size_t alen = n->u.addr.family == 4 ? 4 : n->u.addr.family == 6 ? 16 : 0;
	size_t len = sizeof(struct inet_diag_bc_op) + sizeof(struct inet_diag_hostcond) + alen;
	struct inet_diag_hostcond cond = {
		.family = n->u.addr.family == 4 ? AF_INET : n->u.addr.family == 6 ? AF_INET6 : AF_UNSPEC,
		.prefix_len = n->u.addr.family ? n->u.addr.prefix : 0,
		.port = n->u.addr.port,
	};
	(void)family;
	if (prog_alloc(p, len, true))
		return -ENOMEM;
	put_op(p->code, dst ? INET_DIAG_BC_D_COND : INET_DIAG_BC_S_COND, (uint8_t)len, (uint16_t)(len + 4));
	memcpy(p->code + sizeof(struct inet_diag_bc_op), &cond, sizeof(cond));
	memcpy(p->code + sizeof(struct inet_diag_bc_op) + sizeof(cond), n->u.addr.addr, alen);
	return 0;
}

/* A port comparison op: the op, then a second op holding the port. */
static int prog_port_op(struct prog *p, uint8_t code, uint16_t port)
{
	if (prog_alloc(p, 8, true))
		return -ENOMEM;
	put_op(p->code, code, 8, 12);
	put_op(p->code + 4, 0, 0, port);
	return 0;
}

static int prog_and(struct prog *out, struct prog a, struct prog b);
static int prog_or(struct prog *out, struct prog a, struct prog b);
static int prog_not(struct prog *out, struct prog a);

static int prog_port(struct prog *out, enum port_op op, bool dst, uint16_t port)
{
	uint8_t ge = dst ? INET_DIAG_BC_D_GE : INET_DIAG_BC_S_GE;
	uint8_t le = dst ? INET_DIAG_BC_D_LE : INET_DIAG_BC_S_LE;
	struct prog a, b;

	switch (op) {
	case OP_GE: return prog_port_op(out, ge, port);
	case OP_LE: return prog_port_op(out, le, port);
	case OP_GT:
		return prog_port_op(&a, le, port) ?: prog_not(out, a);
	case OP_LT:
		return prog_port_op(&a, ge, port) ?: prog_not(out, a);
	case OP_EQ:
	case OP_NE:
		if (prog_port_op(&a, ge, port) || prog_port_op(&b, le, port)) {
			free(a.code);
			return -ENOMEM;
		}
		if (op == OP_EQ)
			return prog_and(out, a, b);
		return prog_and(&a, a, b) ?: prog_not(out, a);
	}
	return -EINVAL;
}

/* side: SIDE_SRC, SIDE_DST, or both (either end). */
static int prog_sides(struct prog *out, enum side side, int (*one)(struct prog *, bool, const void *),
		      const void *arg)
{
	struct prog a, b;

	if (side != SIDE_ANY)
		return one(out, side == SIDE_DST, arg);
	if (one(&a, false, arg))
		return -ENOMEM;
	if (one(&b, true, arg)) {
		free(a.code);
		return -ENOMEM;
	}
	return prog_or(out, a, b);
}

static int one_addr(struct prog *p, bool dst, const void *arg)
{
	return prog_hostcond(p, arg, dst, 0);
}

static int one_port(struct prog *p, bool dst, const void *arg)
{
	const struct node *n = arg;

	return prog_port(p, n->u.port.op, dst, n->u.port.port);
}

static int prog_and(struct prog *out, struct prog a, struct prog b)
{
	bool exact = a.exact && b.exact;

	if (!a.len || !b.len) {	/* "true" AND x = x */
		*out = a.len ? a : b;
		out->exact = exact;
		return 0;
	}
	if (a.len + b.len > BYTECODE_MAX) {	/* a AND b is within a */
		free(b.code);
		*out = a;
		out->exact = false;
		return 0;
	}
	if (prog_alloc(out, a.len + b.len, exact))
		goto nomem;
	memcpy(out->code, a.code, a.len);
	memcpy(out->code + a.len, b.code, b.len);
	relocate_rejects(out->code, a.len, b.len);
nomem:
	free(a.code);
	free(b.code);
	return out->code ? 0 : -ENOMEM;
}

static int prog_or(struct prog *out, struct prog a, struct prog b)
{
	bool exact = a.exact && b.exact;

	/* "true" OR x = true; past BYTECODE_MAX, give up (true) */
	if (!a.len || !b.len || a.len + 4 + b.len > BYTECODE_MAX) {
		free(a.code);
		free(b.code);
		*out = prog_true(exact && (!a.len || !b.len));
		return 0;
	}
	/* a; on success jump over b to the end; a's rejects land on b */
	if (prog_alloc(out, a.len + 4 + b.len, exact))
		goto nomem;
	memcpy(out->code, a.code, a.len);
	put_op(out->code + a.len, INET_DIAG_BC_JMP, 4, (uint16_t)(b.len + 4));
	memcpy(out->code + a.len + 4, b.code, b.len);
nomem:
	free(a.code);
	free(b.code);
	return out->code ? 0 : -ENOMEM;
}

static int prog_not(struct prog *out, struct prog a)
{
	/* not of an approximation (or too long): no constraint */
	if (!a.exact || !a.len || a.len + 4 > BYTECODE_MAX) {
		free(a.code);
		*out = prog_true(false);
		return 0;
	}
	/* a's success falls onto a jump past the end; its rejects land on the end */
	if (prog_alloc(out, a.len + 4, true) == 0) {
		memcpy(out->code, a.code, a.len);
		put_op(out->code + a.len, INET_DIAG_BC_JMP, 4, 8);
	}
	free(a.code);
	return out->code ? 0 : -ENOMEM;
}

static int compile(const struct filter *f, int i, struct prog *out)
{
	const struct node *n = &f->nodes[i];
	struct prog a, b;

	switch (n->kind) {
	case NODE_AND:
	case NODE_OR:
		if (compile(f, n->a, &a))
			return -ENOMEM;
		if (compile(f, n->b, &b)) {
			free(a.code);
			return -ENOMEM;
		}
		return n->kind == NODE_AND ? prog_and(out, a, b) : prog_or(out, a, b);
	case NODE_NOT:
		return compile(f, n->a, &a) ?: prog_not(out, a);
	case NODE_ADDR:
		return prog_sides(out, n->side, one_addr, n);
	case NODE_PORT:
		return prog_sides(out, n->side, one_port, n);
	case NODE_DEV:
		if (!n->u.ifindex)
			break;
		if (prog_alloc(out, 8, true))
			return -ENOMEM;
		put_op(out->code, INET_DIAG_BC_DEV_COND, 8, 12);
		memcpy(out->code + 4, &n->u.ifindex, 4);
		return 0;
	default:
		break;
	}
	*out = prog_true(false);
	return 0;
}

int filter_compile_bytecode(struct filter *f)
{
	struct prog p;

	if (compile(f, f->root, &p))
		return -ENOMEM;
	/* the kernel's jumps are 16-bit; a program that long is left to userspace */
	if (p.len > BYTECODE_MAX) {
		free(p.code);
		p = prog_true(false);
	}
	/* one program serves both families: the kernel matches IPv4 conditions
	 * against IPv4-mapped IPv6 addresses itself */
	f->bytecode[0] = p.code;
	f->bytecode_len[0] = p.len;
	if (p.len) {
		f->bytecode[1] = malloc(p.len);
		if (!f->bytecode[1])
			return -ENOMEM;
		memcpy(f->bytecode[1], p.code, p.len);
		f->bytecode_len[1] = p.len;
	}
	return 0;
}
