/* bpf_sampler.c: loads iter.bpf.c (its skeleton, built with the program
 * inside), sets the filter in the program's global data, and reads the
 * records of one walk per protocol into the snapshot. */
#include "bpf_sampler.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../grow.h"
#include "../../tcpstate.h"
#include "bc_bounds.h"
#include "cookie_lookup.h"
#include "rec_place.h"
#include "rec.h"		/* before the skeleton: its .bss holds records */
#include "iter.skel.h"

_Static_assert(offsetof(struct nt_rec, rtt_us) == NT_REC_SHORT, "the short record ends at tcp_info");
_Static_assert((int)NT_BC_DEV_COND == (int)INET_DIAG_BC_DEV_COND && (int)NT_BC_D_EQ == (int)INET_DIAG_BC_D_EQ &&
	       (int)NT_BC_S_COND == (int)INET_DIAG_BC_S_COND, "the program's op codes are the kernel's");
_Static_assert((SAMPLE_V4 | SAMPLE_V6) == (1u << 4 | 1u << 6), "the program's family bits");

/* The kernel fills 8 pages per read of an iterator: twice that always holds
 * one read plus a record cut short by the previous one. */
#define READ_BUF_SIZE (64 * 1024)

struct bpf_sampler {
	struct nt_iter *skel;
	struct bpf_link *tcp, *udp;
	unsigned char *buf;
	struct rec_mover mover;		/* records being reordered */
	size_t *from;			/* their new order (rec_permute()) */
	size_t from_cap;
	struct udp_place *places;	/* UDP: where sock_diag meets each record */
	size_t places_cap;
	uint64_t *keys;			/* a port walk's records: order << 32 | index */
	size_t keys_cap;
	bool by_port;			/* the filter passes few local ports: port_lo to _hi */
	uint16_t port_lo, port_hi;
	bool walk;			/* nt_walk loaded: TCP by the table walk */
	bool filter_set;		/* the program's filter was set once */
	struct cookie_lookup *cookies;	/* the walk's, in the opener's namespace */
	struct mnl_socket *diag;	/* this sample's namespace's sock_diag socket; NULL: cookies' */
};

/* A filter that passes at most this many local ports (`sport = :80 or
 * sport = :443` passes 364, as its bounds go) is walked port by port: a
 * port whose bucket of the bind hash is empty costs ~0.2 us, and the walk
 * of the established table costs ~1 ms before a socket is read. */
#define PORT_WALK_SPAN 8192

/* How many missing cookies are looked up one by one (~2 us each) before
 * the iterator takes the sample instead (~0.7 us a socket). */
#define COOKIE_LOOKUP_MAX(n) ((n) / 4 > 4096 ? (n) / 4 : 4096)

struct udp_place {
	uint64_t key;			/* IPv6 after IPv4, then the record's order */
	size_t at;			/* index in the snapshot: keeps the sort stable */
};

/* libbpf reports on stderr by default; the sampler's caller says why. */
static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level, (void)fmt, (void)ap;
	return 0;
}

const char *bpf_sampler_why(int err)
{
	switch (err) {
	case -EPERM:
	case -EACCES:
		return "BPF not permitted: needs root, or CAP_BPF and CAP_PERFMON (and no lockdown)";
	case -ENOENT:
	case -ESRCH:
		return "BPF unavailable: the kernel lacks BTF or the tcp/udp socket iterators";
	case -ENOMEM:
		return "BPF unavailable: out of memory";
	default:
		return "BPF unavailable: the socket iterators did not load";
	}
}

/* Loads the programs; the table walk needs a kernel whose verifier knows
 * bpf_rdonly_cast() (6.2): without it, or without a sock_diag socket for
 * the cookies, TCP goes through the iterator. */
static int load(struct bpf_sampler *b)
{
	int err = nt_iter__load(b->skel);

	if (!err) {
		b->cookies = cookie_lookup_open(&err);
		b->walk = b->cookies != NULL;
		return 0;
	}
	nt_iter__destroy(b->skel);
	if (!(b->skel = nt_iter__open()))
		return errno ? -errno : -EINVAL;
	bpf_program__set_autoload(b->skel->progs.nt_walk, false);
	return nt_iter__load(b->skel);
}

struct bpf_sampler *bpf_sampler_open(int *err)
{
	struct bpf_sampler *b = calloc(1, sizeof(*b));

	*err = 0;
	libbpf_set_print(libbpf_quiet);
	if (!b || !(b->buf = malloc(READ_BUF_SIZE))) {
		*err = -ENOMEM;
		goto fail;
	}
	if (access("/sys/kernel/btf/vmlinux", R_OK) < 0) {
		*err = -ENOENT;
		goto fail;
	}
	b->skel = nt_iter__open();
	if (!b->skel) {
		*err = errno ? -errno : -EINVAL;
		goto fail;
	}
	*err = load(b);
	if (*err)
		goto fail;
	b->tcp = bpf_program__attach_iter(b->skel->progs.nt_tcp, NULL);
	if (!b->tcp)
		*err = errno ? -errno : -EINVAL;
	b->udp = *err ? NULL : bpf_program__attach_iter(b->skel->progs.nt_udp, NULL);
	if (!*err && !b->udp)
		*err = errno ? -errno : -EINVAL;
	if (!*err)
		return b;
fail:
	bpf_sampler_close(b);
	return NULL;
}

bool bpf_sampler_walks(const struct bpf_sampler *b)
{
	return b->walk;
}

void bpf_sampler_close(struct bpf_sampler *b)
{
	if (!b)
		return;
	bpf_link__destroy(b->udp);
	bpf_link__destroy(b->tcp);
	nt_iter__destroy(b->skel);
	cookie_lookup_close(b->cookies);
	rec_mover_free(&b->mover);
	free(b->from);
	free(b->places);
	free(b->keys);
	free(b->buf);
	free(b);
}

static bool bc_op_known(unsigned code)
{
	switch (code) {
	case INET_DIAG_BC_NOP: case INET_DIAG_BC_JMP:
	case INET_DIAG_BC_S_GE: case INET_DIAG_BC_S_LE: case INET_DIAG_BC_S_EQ:
	case INET_DIAG_BC_D_GE: case INET_DIAG_BC_D_LE: case INET_DIAG_BC_D_EQ:
	case INET_DIAG_BC_S_COND: case INET_DIAG_BC_D_COND: case INET_DIAG_BC_DEV_COND:
		return true;
	}
	return false;
}

/* inet_diag_bc_audit()'s rules, for the ops the program runs: each op is
 * known, each jump goes forward onto an op, the end, or 4 past it (reject). */
bool bpf_bytecode_runnable(const void *bytecode, size_t len)
{
	bool op_at[NT_BC_SIZE / 4 + 2] = { false };
	const unsigned char *bc = bytecode;

	if (!bc || !len || len > NT_BC_SIZE || len % 4)
		return false;
	for (size_t at = 0; at < len;) {
		struct inet_diag_bc_op op;

		memcpy(&op, bc + at, sizeof(op));
		if (!bc_op_known(op.code) || !op.yes || op.yes % 4 || op.yes > len - at)
			return false;
		op_at[at / 4] = true;
		at += op.yes;
	}
	op_at[len / 4] = op_at[len / 4 + 1] = true;
	for (size_t at = 0; at < len;) {
		struct inet_diag_bc_op op;

		memcpy(&op, bc + at, sizeof(op));
		if (!op.no || op.no % 4 || op.no > len - at + 4 || !op_at[(at + op.no) / 4])
			return false;
		at += op.yes;
	}
	return true;
}

/* The filter a dump request would carry, into the program's global data.
 * The ports its bytecode can pass are found when the bytecode changes, not
 * every sample. */
static void filter_set(struct bpf_sampler *b, const struct sample_request *req)
{
	struct nt_iter__bss *g = b->skel->bss;
	size_t len = bpf_bytecode_runnable(req->bytecode, req->bytecode_len) ? req->bytecode_len : 0;
	struct port_range local, remote;

	g->nt_states = tcpstate_kernel_mask(req->state_mask);
	g->nt_families = req->families;
	g->nt_want_cgroup = req->want_cgroups || req->want_cgroup_ids;
	g->nt_want_info = req->want_info || req->want_health || g->nt_want_cgroup;
	g->nt_want_ext = req->want_health;
	if (b->filter_set && len == g->nt_bc_len && (!len || !memcmp(g->nt_bc, req->bytecode, len)))
		return;
	b->filter_set = true;
	if (len)
		memcpy(g->nt_bc, req->bytecode, len);
	g->nt_bc_len = (__u32)len;
	bc_port_bounds(req->bytecode, len, &local, &remote);
	b->by_port = local.lo > local.hi || local.hi - local.lo < PORT_WALK_SPAN;
	b->port_lo = local.lo;
	b->port_hi = local.hi;
	g->nt_lport_lo = local.lo;
	g->nt_lport_hi = local.hi;
	g->nt_rport_lo = remote.lo;
	g->nt_rport_hi = remote.hi;
}

/* A record read from an iterator into socket i of snap: size bytes,
 * unaligned in the buffer, its ext part after a whole struct nt_rec. 0, or
 * -ENOMEM. */
static int rec_to_sock(const unsigned char *p, size_t size, uint8_t proto, struct snapshot *snap,
		       size_t i)
{
	struct nt_rec rec;
	struct nt_ext ext;

	memset(&rec, 0, sizeof(rec));
	memcpy(&rec, p, size < sizeof(rec) ? size : sizeof(rec));
	if (rec_fill(&rec, size >= sizeof(rec), proto, snap, i) < 0)
		return -ENOMEM;
	if (size < sizeof(rec) + sizeof(ext))
		return 0;
	memcpy(&ext, p + sizeof(rec), sizeof(ext));
	rec_ext_fill(&ext, snap, i);
	return 0;
}

/* Converts the whole records in buf; returns the bytes used, or -ENOMEM.
 * A UDP record's place is kept for ordering the walk afterwards. */
static long convert(struct bpf_sampler *b, size_t have, size_t size, uint8_t proto,
		    size_t start, struct snapshot *snap)
{
	size_t used = 0;

	for (; have - used >= size; used += size) {
		struct sock_rec *r = snapshot_add_sock(snap);
		size_t n = snap->nsocks - 1 - start;
		uint32_t order;

		if (!r || (proto == PROTO_UDP &&
			   grow_array((void **)&b->places, &b->places_cap, n + 1, sizeof(*b->places), 1024)) ||
		    rec_to_sock(b->buf + used, size, proto, snap, snap->nsocks - 1) < 0)
			return -ENOMEM;
		if (proto != PROTO_UDP)
			continue;
		memcpy(&order, b->buf + used + offsetof(struct nt_rec, order), sizeof(order));
		b->places[n].key = (uint64_t)(r->family == 6) << 32 | order;
		b->places[n].at = snap->nsocks - 1;
	}
	return (long)used;
}

/* Reads one walk to its end. A read may end inside a record: its start
 * moves to the front of the buffer and the next read completes it. */
static int walk_read(struct bpf_sampler *b, struct bpf_link *link, size_t size, uint8_t proto,
		     struct snapshot *snap)
{
	int fd = bpf_iter_create(bpf_link__fd(link)), err = 0;
	size_t have = 0, start = snap->nsocks;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, b->buf + have, READ_BUF_SIZE - have);
		long used;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : have ? -EPROTO : 0;
			break;
		}
		have += (size_t)n;
		used = convert(b, have, size, proto, start, snap);
		if (used < 0) {
			err = (int)used;
			break;
		}
		memmove(b->buf, b->buf + used, have - (size_t)used);
		have -= (size_t)used;
	}
	close(fd);
	return err;
}

/* Room for the new order of n records. */
static int from_room(struct bpf_sampler *b, size_t n)
{
	return grow_array((void **)&b->from, &b->from_cap, n, sizeof(*b->from), 1024);
}

/* One walk yields both families in hash order; sock_diag's dumps give one
 * family after the other, each in that same order. A stable partition. */
static int order_families(struct bpf_sampler *b, struct snapshot *snap, size_t start)
{
	size_t n = snap->nsocks - start, n6 = 0, k = 0;

	for (size_t i = start; i < snap->nsocks; i++)
		n6 += snap->socks[i].family == 6;
	if (!n6 || n6 == n)
		return 0;
	if (from_room(b, n))
		return -ENOMEM;
	for (int family = 4; family <= 6; family += 2)
		for (size_t i = start; i < snap->nsocks; i++)
			if (snap->socks[i].family == family)
				b->from[k++] = i;
	return rec_permute(&b->mover, snap, start, b->from, n);
}

static int place_cmp(const void *x, const void *y)
{
	const struct udp_place *a = x, *b = y;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return a->at < b->at ? -1 : a->at > b->at;
}

/* UDP records into sock_diag's order: by family, then by place. */
static int order_udp(struct bpf_sampler *b, struct snapshot *snap, size_t start)
{
	size_t n = snap->nsocks - start;

	if (n < 2)
		return 0;
	if (from_room(b, n))
		return -ENOMEM;
	qsort(b->places, n, sizeof(*b->places), place_cmp);
	for (size_t i = 0; i < n; i++)
		b->from[i] = b->places[i].at;
	return rec_permute(&b->mover, snap, start, b->from, n);
}

/* One run of nt_walk: 0, -EAGAIN when it was cut (a chain left unfinished,
 * or records that would not fit), or -errno. */
static int walk_run(struct bpf_sampler *b, struct snapshot *snap)
{
	LIBBPF_OPTS(bpf_test_run_opts, run);

	if (bpf_prog_test_run_opts(bpf_program__fd(b->skel->progs.nt_walk), &run) < 0) {
		snap->bpf_iter_why = "the walk could not be run";
		return -errno;
	}
	return b->skel->bss->nt_walk_cut ? -EAGAIN : 0;
}

/* The run's records into snap, in the order of key's low halves (NULL:
 * as they are). */
static int walk_keep(struct bpf_sampler *b, size_t size, const uint64_t *key, struct snapshot *snap)
{
	struct nt_iter__bss *g = b->skel->bss;
	bool has_info = size >= sizeof(struct nt_rec);

	snap->bpf_walked += g->nt_walk_n;
	for (uint32_t k = 0; k < g->nt_walk_n && k < NT_WALK_MAX; k++) {
		struct sock_rec *r = snapshot_add_sock(snap);
		uint32_t i = key ? (uint32_t)key[k] : k;

		if (!r || rec_fill(&g->nt_out[i], has_info, PROTO_TCP, snap, snap->nsocks - 1) < 0)
			return -ENOMEM;
		if (g->nt_want_ext)
			rec_ext_fill(&g->nt_xout[i], snap, snap->nsocks - 1);
	}
	return 0;
}

/* One table, walked by nt_walk in runs of up to NT_WALK_MAX records, each
 * read from the program's mmapped global data. -EAGAIN when a chain was
 * left unfinished (longer than NT_CHAIN_MAX, or moving under the walk). */
static int walk_table(struct bpf_sampler *b, unsigned table, size_t size, struct snapshot *snap)
{
	struct nt_iter__bss *g = b->skel->bss;
	int err;

	g->nt_walk_table = table;
	g->nt_walk_from = 0;
	do {
		if ((err = walk_run(b, snap) ?: walk_keep(b, size, NULL, snap)) == -EAGAIN)
			snap->bpf_iter_why = "a hash chain moved twice under the walk, or is too long";
		if (err)
			return err;
		g->nt_walk_from = g->nt_walk_next;
	} while (g->nt_walk_from != ~0u);
	return 0;
}

static int key_cmp(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The established table's sockets of local ports lo to hi, by the bind
 * hash (port_walk.bpf.h), in the order a walk of the whole table meets them.
 * -EAGAIN when the whole table is to be walked instead: more sockets than
 * a run holds, a socket moving under the walk, a kernel whose bind hash
 * the walk cannot read, or request sockets (SYN_RECV) wanted and there. */
static int walk_port(struct bpf_sampler *b, uint16_t lo, uint16_t hi, uint32_t states, size_t size,
		     struct snapshot *snap)
{
	struct nt_iter__bss *g = b->skel->bss;
	uint32_t n;
	int err;

	g->nt_walk_table = NT_WALK_PORT;
	g->nt_walk_from = lo;
	g->nt_walk_to = hi;
	if ((err = walk_run(b, snap)))
		return err;
	if (g->nt_port_reqs && (states & 1u << ST_SYN_RECV))
		return -EAGAIN;
	n = g->nt_walk_n < NT_WALK_MAX ? g->nt_walk_n : NT_WALK_MAX;
	if (grow_array((void **)&b->keys, &b->keys_cap, n ? n : 1, sizeof(*b->keys), 1024))
		return -ENOMEM;
	for (uint32_t k = 0; k < n; k++)
		b->keys[k] = (uint64_t)g->nt_out[k].order << 32 | k;
	qsort(b->keys, n, sizeof(*b->keys), key_cmp);
	snap->flags |= SNAP_BPF_PORT;
	return walk_keep(b, size, b->keys, snap);
}

/* The TCP sockets by the walk, listeners first as sock_diag dumps them,
 * each table only when the states ask for it; then the cookies nobody had
 * asked the kernel for. 0, or -EAGAIN when too many are missing to look
 * them up one by one (the first sample) or one could not be had, or the
 * walk's error. */
static int walk_tcp(struct bpf_sampler *b, const struct sample_request *req, size_t size,
		    struct snapshot *snap)
{
	/* ST_LISTEN is the kernel's TCP_LISTEN (tcpstate.h) */
	uint32_t states = tcpstate_kernel_mask(req->state_mask), listen = 1u << ST_LISTEN;
	size_t start = snap->nsocks, unknown = 0, missing, n;
	int err = 0;

	if (states & listen)
		err = walk_table(b, NT_WALK_LISTEN, size, snap);
	if (!err && (states & ~listen)) {
		size_t mark = snap->nsocks, walked = snap->bpf_walked;

		err = b->by_port ? walk_port(b, b->port_lo, b->port_hi, states, size, snap) : -EAGAIN;
		if (err == -EAGAIN) {
			snap->nsocks = mark;
			snap->bpf_walked = walked;
			snap->flags &= ~(unsigned)SNAP_BPF_PORT;
			err = walk_table(b, NT_WALK_ESTABLISHED, size, snap);
		}
	}
	if (err)
		return err;
	for (size_t i = start; i < snap->nsocks; i++)
		unknown += !snap->socks[i].cookie;
	n = snap->nsocks - start;
	if (!unknown)
		return 0;
	if (unknown > COOKIE_LOOKUP_MAX(n)) {
		snap->bpf_iter_why = "too many sockets without a cookie to look them up one by one";
		return -EAGAIN;
	}
	err = cookie_lookup_fill(b->cookies, b->diag, snap->socks + start, n, &missing);
	rec_drop_gone(snap, start);
	if (err || missing)
		snap->bpf_iter_why = err ? "a cookie lookup failed" : "a socket's cookie could not be looked up";
	return err ? err : missing ? -EAGAIN : 0;
}

/* TCP by the walk when it loaded and could take the sample; else by the
 * iterator, which asks for every cookie, and locks. */
static int take_tcp(struct bpf_sampler *b, const struct sample_request *req, size_t size,
		    struct snapshot *snap)
{
	size_t start = snap->nsocks, walked = snap->bpf_walked;

	if (b->walk && !walk_tcp(b, req, size, snap))
		return 0;
	if (!b->walk)
		snap->bpf_iter_why = "the kernel cannot run the walk (before 6.2)";
	snap->nsocks = start;
	snap->bpf_walked = walked;	/* the namespaces' before (--all-netns) */
	snap->flags |= SNAP_BPF_ITER;
	return walk_read(b, b->tcp, size, PROTO_TCP, snap);
}

int bpf_sampler_take(struct bpf_sampler *b, const struct sample_request *req,
		     struct mnl_socket *diag, struct snapshot *snap)
{
	const struct nt_iter__bss *g = b->skel->bss;
	size_t start = snap->nsocks, size;
	int err = 0;

	filter_set(b, req);
	/* the records' size, as the programs' emit() writes them */
	size = g->nt_want_ext ? sizeof(struct nt_rec) + sizeof(struct nt_ext)
	       : g->nt_want_info ? sizeof(struct nt_rec) : NT_REC_SHORT;
	b->diag = diag;
	if (req->protos & SAMPLE_TCP)
		err = take_tcp(b, req, size, snap) ?: order_families(b, snap, start);
	start = snap->nsocks;
	if (!err && (req->protos & SAMPLE_UDP))
		err = walk_read(b, b->udp, size, PROTO_UDP, snap) ?: order_udp(b, snap, start);
	return err;
}
