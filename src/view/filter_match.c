/* filter_match.c: evaluates the parsed expression against one socket. */
#include <ctype.h>
#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../tcpstate.h"
#include "fields.h"
#include "filter.h"
#include "filter_impl.h"

/* addr/prefix against a socket address; IPv4 conditions also match
 * IPv4-mapped IPv6 addresses, as the kernel's do. */
static bool addr_match(const struct node *n, int family, const uint8_t *a)
{
	const uint8_t *want = n->u.addr.addr;
	int bits = n->u.addr.prefix;

	if (!n->u.addr.family)
		return true;
	if (n->u.addr.family == 4 && family == 6) {
		if (!addr_is_v4mapped(a))
			return false;
		a += 12;
	} else if (n->u.addr.family != family) {
		return false;
	}
	if (memcmp(a, want, (size_t)bits / 8))
		return false;
	if (bits % 8) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));

		return (a[bits / 8] & mask) == (want[bits / 8] & mask);
	}
	return true;
}

static bool endpoint_match(const struct node *n, int family, const uint8_t *a, uint16_t port)
{
	if (n->u.addr.port >= 0 && n->u.addr.port != port)
		return false;
	return addr_match(n, family, a);
}

static bool port_match(enum port_op op, uint16_t have, uint16_t want)
{
	switch (op) {
	case OP_EQ: return have == want;
	case OP_NE: return have != want;
	case OP_LT: return have < want;
	case OP_LE: return have <= want;
	case OP_GT: return have > want;
	case OP_GE: return have >= want;
	}
	return false;
}

/* The row as a user reads it on screen, lower-cased, so that typing what
 * one sees finds it; returns its length. A text filter builds it for every
 * socket of every sample: ASCII case is folded by hand (tolower() asks the
 * locale for every byte). */
/* A-Z to a-z, eight bytes at a time: bytes with the top bit set (UTF-8)
 * stay as they are, as tolower() in the C locale leaves them. */
static void fold_ascii(char *s, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	size_t i = 0;

	for (; i + 8 <= n; i += 8) {
		uint64_t x, low, from_a, past_z;

		memcpy(&x, s + i, 8);
		low = x & ~high;
		from_a = low + ones * (0x80 - 'A');		/* top bit: >= 'A' */
		past_z = low + ones * (0x80 - 'Z' - 1);		/* top bit: > 'Z' */
		x |= ((from_a ^ past_z) & ~x & high) >> 2;	/* 0x20 where A-Z */
		memcpy(s + i, &x, 8);
	}
	for (; i < n; i++)
		s[i] = (char)(s[i] | ((unsigned char)(s[i] - 'A') < 26 ? 0x20 : 0));
}

static size_t row_text(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	size_t used = 0;

	for (int i = 0; i < FIELD_COUNT && used + 1 < len; i++) {
		const struct field *fd = field_get(i);

		if (!(fd->flags & FIELD_TEXT_MATCH))
			continue;
		used += (size_t)fd->format(snap, r, buf + used, len - used);
		if (used + 1 < len)
			buf[used++] = ' ';
	}
	if (used >= len)
		used = len - 1;
	buf[used] = '\0';
	fold_ascii(buf, used);
	return used;
}

/* Does hay hold needle? For rows of some fifty bytes a first-byte scan
 * beats memmem(), whose set-up is paid on every call. */
static bool contains(const char *hay, size_t n, const char *needle, size_t m)
{
	const char *p = hay, *end = hay + n;

	if (!m)
		return true;
	while (m <= (size_t)(end - p) && (p = memchr(p, needle[0], (size_t)(end - p) - m + 1))) {
		if (!memcmp(p, needle, m))
			return true;
		p++;
	}
	return false;
}

static const struct proc_rec *owner_of(const struct snapshot *snap, const struct sock_rec *r)
{
	return r->owner >= 0 && (size_t)r->owner < snap->nprocs ? &snap->procs[r->owner] : NULL;
}

static bool dev_match(const struct node *n, const struct snapshot *snap, const struct sock_rec *r)
{
	if (!r->ifindex)
		return false;
	for (size_t i = 0; i < snap->nifaces; i++)
		if (snap->ifaces[i].ifindex == r->ifindex)
			return !strcmp(snap->ifaces[i].name, n->text);
	return r->ifindex == n->u.ifindex;
}

/* A glob on a name that may be unknown (NULL): nothing matches that. */
static bool glob_match(const char *glob, const char *name)
{
	return name && !fnmatch(glob, name, 0);
}

static bool eval(const struct filter *f, int i, const struct snapshot *snap, const struct sock_rec *r)
{
	const struct node *n = &f->nodes[i];
	const struct proc_rec *p;
	char row[512];
	uint64_t id;

	switch (n->kind) {
	case NODE_AND: return eval(f, n->a, snap, r) && eval(f, n->b, snap, r);
	case NODE_OR: return eval(f, n->a, snap, r) || eval(f, n->b, snap, r);
	case NODE_NOT: return !eval(f, n->a, snap, r);
	case NODE_STATE: return n->u.states & ST_MASK(r->state);
	case NODE_PROTO: return n->u.protos & (1u << r->proto);
	case NODE_FAMILY: return n->u.families & (1u << r->family);
	case NODE_ADDR:
		return ((n->side & SIDE_SRC) && endpoint_match(n, r->family, sock_laddr(r).b, r->lport)) ||
		       ((n->side & SIDE_DST) && endpoint_match(n, r->family, sock_raddr(r).b, r->rport));
	case NODE_PORT:
		return ((n->side & SIDE_SRC) && port_match(n->u.port.op, r->lport, n->u.port.port)) ||
		       ((n->side & SIDE_DST) && port_match(n->u.port.op, r->rport, n->u.port.port));
	case NODE_DEV: return dev_match(n, snap, r);
	case NODE_PROC: return (p = owner_of(snap, r)) && !fnmatch(n->text, p->comm, 0);
	case NODE_PID: return (p = owner_of(snap, r)) && p->pid == n->u.pid;
	case NODE_USER: return sock_extra_of(snap, r)->uid == n->u.uid;
	case NODE_TEXT:
		return contains(row, row_text(snap, r, row, sizeof(row)), n->text, strlen(n->text));
	case NODE_COMPARE: return filter_compare_match(n, snap, r);
	case NODE_NETNS: return glob_match(n->text, snapshot_netns_name(snap, r));
	case NODE_CGROUP:
		return (id = sock_extra_of(snap, r)->cgroup_id) &&
		       glob_match(n->text, snapshot_cgroup_path(snap, id));
	}
	return false;
}

bool filter_match(const struct filter *f, const struct snapshot *snap, const struct sock_rec *r)
{
	return !f || f->root < 0 || eval(f, f->root, snap, r);
}
