/* snapshot.c: the snapshot's storage and the rates derived from two of them. */
#include "snapshot.h"

#include "close_event.h"
#include "grow.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "monotime.h"
#include "sock_health.h"

static const struct {
	const char *json, *section, *key;
	bool has_rate;
} counter_names[TCPC_COUNT] = {
#define COUNTER true
#define GAUGE false
#define X(c, section, key, kind) [TCPC_##c] = { #c, section, key, kind },
	TCP_COUNTER_LIST(X)
#undef X
#undef COUNTER
#undef GAUGE
};

const char *tcp_counter_key(enum tcp_counter c) { return counter_names[c].key; }
const char *tcp_counter_json(enum tcp_counter c) { return counter_names[c].json; }
const char *tcp_counter_section(enum tcp_counter c) { return counter_names[c].section; }
bool tcp_counter_has_rate(enum tcp_counter c) { return counter_names[c].has_rate; }

/* Asks for transparent huge pages on a big array: at a million sockets,
 * faulting in 4 KiB pages one by one costs more than parsing them. */
static void advise_huge(void *p, size_t bytes)
{
	uintptr_t start = ((uintptr_t)p + 4095) & ~(uintptr_t)4095;
	uintptr_t end = ((uintptr_t)p + bytes) & ~(uintptr_t)4095;

	if (bytes >= (4u << 20) && end > start)
		madvise((void *)start, end - start, MADV_HUGEPAGE);
}

struct snapshot *snapshot_new(size_t sock_hint)
{
	struct snapshot *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	arena_init(&s->arena, 16 * 1024);
	if (sock_hint) {
		s->socks = malloc(sock_hint * sizeof(*s->socks));
		s->socks_cap = s->socks ? sock_hint : 0;
		if (s->socks)
			advise_huge(s->socks, sock_hint * sizeof(*s->socks));
	}
	return s;
}

void snapshot_free(struct snapshot *s)
{
	if (!s)
		return;
	snapshot_conntrack_free(s);
	arena_free(&s->arena);
	free(s->socks);
	free(s->ifaces);
	free(s->procs);
	free(s->syn_packets);
	free(s->closed);
	free(s->health);
	free(s->extra);
	free(s->netns);
	free(s->cgroups);
	free(s);
}

/* Copies n elements of size elem, or sets *ok false. */
static void *copy_array(const void *src, size_t n, size_t elem, bool *ok)
{
	void *p;

	if (!n)
		return NULL;
	p = malloc(n * elem);
	if (!p)
		*ok = false;
	else
		memcpy(p, src, n * elem);
	return p;
}

struct snapshot *snapshot_clone(const struct snapshot *s)
{
	struct snapshot *c = snapshot_new(0);
	bool ok = c != NULL;

	if (!ok)
		return NULL;
	c->mono = s->mono, c->wall = s->wall, c->interval = s->interval, c->flags = s->flags;
	c->backend_note = s->backend_note, c->bpf_iter_why = s->bpf_iter_why;
	c->tcp = s->tcp;
	memcpy(c->tcp_rate, s->tcp_rate, sizeof(c->tcp_rate));
	c->socks = copy_array(s->socks, s->nsocks, sizeof(*s->socks), &ok);
	c->nsocks = c->socks_cap = s->nsocks;
	/* the IPv6 pairs move to the copy's own arena */
	for (size_t i = 0; ok && i < c->nsocks; i++)
		ok = c->socks[i].family != 6 || snapshot_adopt_addrs(c, &c->socks[i]) == 0;
	c->ifaces = copy_array(s->ifaces, s->nifaces, sizeof(*s->ifaces), &ok);
	c->nifaces = c->ifaces_cap = s->nifaces;
	c->procs = copy_array(s->procs, s->nprocs, sizeof(*s->procs), &ok);
	c->nprocs = c->procs_cap = s->nprocs;
	c->syn_packets = copy_array(s->syn_packets, s->nsyn_packets, sizeof(*s->syn_packets), &ok);
	c->nsyn_packets = s->nsyn_packets;
	if (s->health && (s->flags & SNAP_HAS_HEALTH) && s->nsocks) {
		c->health = copy_array(s->health, s->nsocks, sizeof(*s->health), &ok);
		c->health_cap = s->nsocks;
	} else {
		c->flags &= ~(unsigned)SNAP_HAS_HEALTH;
	}
	if (s->extra && (s->flags & SNAP_HAS_EXTRA) && s->nsocks) {
		c->extra = copy_array(s->extra, s->nsocks, sizeof(*s->extra), &ok);
		c->extra_cap = s->nsocks;
	}
	c->syn_packets_total = s->syn_packets_total;
	c->syn_packets_dropped = s->syn_packets_dropped;
	c->closed = copy_array(s->closed, s->nclosed, sizeof(*s->closed), &ok);
	c->nclosed = s->nclosed;
	c->events_lost = s->events_lost;
	/* the strings move to the copy's own arena */
	for (size_t i = 0; ok && i < c->nifaces; i++)
		ok = (c->ifaces[i].name = arena_strndup(&c->arena, s->ifaces[i].name, strlen(s->ifaces[i].name)));
	for (size_t i = 0; ok && i < c->nprocs; i++)
		ok = (c->procs[i].comm = arena_strndup(&c->arena, s->procs[i].comm, strlen(s->procs[i].comm)));
	if (ok)
		ok = snapshot_netns_copy(c, s) == 0;
	if (ok && s->note)
		ok = (c->note = arena_strndup(&c->arena, s->note, strlen(s->note)));
	if (ok)
		ok = snapshot_conntrack_clone(c, s) == 0;
	if (ok && s->events_note)
		ok = (c->events_note = arena_strndup(&c->arena, s->events_note, strlen(s->events_note)));
	if (!ok) {
		snapshot_free(c);
		return NULL;
	}
	return c;
}

/* Grows *arr (of elem-sized items) so that one more fits. */
static int grow(void **arr, size_t *cap, size_t n, size_t elem, size_t first)
{
	size_t ncap;
	void *p;

	if (n < *cap)
		return 0;
	if (!(ncap = grow_capacity(*cap, n + 1, elem, first)))
		return -1;
	p = realloc(*arr, ncap * elem);
	if (!p)
		return -1;
	advise_huge(p, ncap * elem);
	*arr = p;
	*cap = ncap;
	return 0;
}

const char *snapshot_backend(const struct snapshot *s)
{
	if (s->flags & SNAP_BPF)
		return "bpf";
	return s->flags & SNAP_PROCFS_FALLBACK ? "procfs" : "sockdiag";
}

void snapshot_forget_sockets(struct snapshot *s)
{
	s->nsocks = 0;
	s->nnetns = 0;
	s->netns_unreadable = 0;
	s->bpf_walked = 0;
	s->bpf_iter_why = NULL;
	s->flags &= ~(unsigned)(SNAP_BPF | SNAP_BPF_ITER | SNAP_BPF_PORT | SNAP_HAS_HEALTH);
}

/* The extra array keeps the sockets' room: a sample that keeps it has a
 * zeroed record for every socket added. Out of memory, it keeps none. */
static void extra_keep_room(struct snapshot *s)
{
	struct sock_extra *x;

	if (!(s->flags & SNAP_HAS_EXTRA) || s->extra_cap >= s->socks_cap)
		return;
	if (!(x = realloc(s->extra, s->socks_cap * sizeof(*x)))) {
		s->flags &= ~(unsigned)SNAP_HAS_EXTRA;
		return;
	}
	/* zeroed: sockets added before the flag was set have none */
	memset(x + s->extra_cap, 0, (s->socks_cap - s->extra_cap) * sizeof(*x));
	s->extra = x;
	s->extra_cap = s->socks_cap;
}

struct sock_rec *snapshot_add_sock(struct snapshot *s)
{
	struct sock_rec *r;

	if (grow((void **)&s->socks, &s->socks_cap, s->nsocks, sizeof(*r), 1024))
		return NULL;
	extra_keep_room(s);
	if (s->flags & SNAP_HAS_EXTRA)
		memset(&s->extra[s->nsocks], 0, sizeof(*s->extra));
	r = &s->socks[s->nsocks++];
	memset(r, 0, sizeof(*r));
	r->owner = OWNER_NONE;
	return r;
}

struct sock_extra *snapshot_extra_slot(struct snapshot *s, size_t i)
{
	return (s->flags & SNAP_HAS_EXTRA) && s->extra && i < s->nsocks ? &s->extra[i] : NULL;
}

int snapshot_set_addrs(struct snapshot *s, struct sock_rec *r, const uint8_t *l, const uint8_t *rem)
{
	struct addr_pair *p;

	if (r->family != 6) {
		memcpy(r->addr.v4.l, l, 4);
		memcpy(r->addr.v4.r, rem, 4);
		return 0;
	}
	r->addr.v6 = p = arena_alloc(&s->arena, sizeof(*p));
	if (!p)
		return -ENOMEM;
	memcpy(p->l, l, 16);
	memcpy(p->r, rem, 16);
	return 0;
}

int snapshot_adopt_addrs(struct snapshot *s, struct sock_rec *r)
{
	return snapshot_set_addrs(s, r, sock_laddr(r).b, sock_raddr(r).b);
}

void snapshot_move_sock(struct snapshot *s, size_t to, size_t from)
{
	s->socks[to] = s->socks[from];
	if ((s->flags & SNAP_HAS_HEALTH) && s->health && from < s->health_cap && to < s->health_cap)
		s->health[to] = s->health[from];
	if ((s->flags & SNAP_HAS_EXTRA) && s->extra)
		s->extra[to] = s->extra[from];
}

struct iface_rec *snapshot_add_iface(struct snapshot *s)
{
	struct iface_rec *r;

	if (grow((void **)&s->ifaces, &s->ifaces_cap, s->nifaces, sizeof(*r), 16))
		return NULL;
	r = &s->ifaces[s->nifaces++];
	memset(r, 0, sizeof(*r));
	return r;
}

int snapshot_add_proc(struct snapshot *s, int32_t pid, uint32_t uid, const char *comm)
{
	struct proc_rec *r;

	if (grow((void **)&s->procs, &s->procs_cap, s->nprocs, sizeof(*r), 64))
		return -1;
	r = &s->procs[s->nprocs];
	r->pid = pid;
	r->uid = uid;
	r->comm = arena_strndup(&s->arena, comm, strlen(comm));
	if (!r->comm)
		return -1;
	return (int)s->nprocs++;
}

/* The rate of a counter that should only grow; false on a reset. */
static bool counter_rate(uint64_t now, uint64_t before, double dt, double *rate)
{
	if (now < before)
		return false;
	*rate = (double)(now - before) / dt;
	return true;
}

static uint64_t cookie_hash(uint64_t c)
{
	c ^= c >> 33;
	c *= 0xff51afd7ed558ccdULL;
	c ^= c >> 33;
	return c;
}

static bool same_socket(const struct sock_rec *a, const struct sock_rec *b)
{
	return a->cookie == b->cookie && a->lport == b->lport && a->rport == b->rport &&
	       a->proto == b->proto && !memcmp(sock_raddr(a).b, sock_raddr(b).b, 16);
}

/* prev's indexes by cookie: an open-addressing table sized to a power of
 * two at least twice prev's count, made on the first socket that is not
 * where prev had it (never, while the sockets stay as they were). */
struct prev_index {
	uint32_t *table;
	size_t mask;
	bool tried;
};

static bool prev_index_make(struct prev_index *x, const struct snapshot *prev)
{
	size_t size = 16;

	x->tried = true;
	while (size < prev->nsocks * 2)
		size <<= 1;
	if (!(x->table = malloc(size * sizeof(*x->table))))
		return false;
	memset(x->table, 0xff, size * sizeof(*x->table));
	x->mask = size - 1;
	for (size_t i = 0; i < prev->nsocks; i++) {
		size_t h = cookie_hash(prev->socks[i].cookie) & x->mask;

		while (x->table[h] != UINT32_MAX)
			h = (h + 1) & x->mask;
		x->table[h] = (uint32_t)i;
	}
	return true;
}

static bool prev_matches(const struct sock_rec *r, const struct sock_rec *p)
{
	return same_socket(r, p) && (p->flags & SOCK_HAS_INFO);
}

/* The index in prev of r's socket with tcp_info, or SIZE_MAX. A dump
 * walks the kernel's hash in the same order each time: the one after the
 * last found is tried first, and the table only when it is not that one. */
static size_t prev_find(struct prev_index *x, const struct snapshot *prev, size_t expect,
			const struct sock_rec *r)
{
	if (expect < prev->nsocks && prev_matches(r, &prev->socks[expect]))
		return expect;
	if (!x->table && (x->tried || !prev_index_make(x, prev)))
		return SIZE_MAX;
	for (size_t h = cookie_hash(r->cookie) & x->mask; x->table[h] != UINT32_MAX;
	     h = (h + 1) & x->mask)
		if (prev_matches(r, &prev->socks[x->table[h]]))
			return x->table[h];
	return SIZE_MAX;
}

/* Per-socket byte rates against the same socket in prev. */
static void derive_socks(struct snapshot *cur, const struct snapshot *prev, double dt)
{
	struct prev_index x = { 0 };
	size_t expect = 0;

	for (size_t i = 0; i < cur->nsocks; i++) {
		struct sock_rec *r = &cur->socks[i];
		const struct sock_rec *p;
		size_t at;
		double rx, tx;

		if (!(r->flags & SOCK_HAS_INFO) || (at = prev_find(&x, prev, expect, r)) == SIZE_MAX)
			continue;
		expect = at + 1;
		p = &prev->socks[at];
		sock_health_derive(cur, i, prev, at, dt);
		if (counter_rate(r->bytes_received, p->bytes_received, dt, &rx) &&
		    counter_rate(r->bytes_acked, p->bytes_acked, dt, &tx)) {
			r->rx_bps = (float)rx;
			r->tx_bps = (float)tx;
			r->flags |= SOCK_HAS_RATE;
		}
	}
	free(x.table);
}

static void derive_ifaces(struct snapshot *cur, const struct snapshot *prev, double dt)
{
	for (size_t i = 0; i < cur->nifaces; i++) {
		struct iface_rec *r = &cur->ifaces[i];

		for (size_t j = 0; j < prev->nifaces; j++) {
			const struct iface_rec *p = &prev->ifaces[j];

			if (p->ifindex != r->ifindex)
				continue;
			r->has_rate = counter_rate(r->rx_bytes, p->rx_bytes, dt, &r->rx_bps) &&
				      counter_rate(r->tx_bytes, p->tx_bytes, dt, &r->tx_bps) &&
				      counter_rate(r->rx_packets, p->rx_packets, dt, &r->rx_pps) &&
				      counter_rate(r->tx_packets, p->tx_packets, dt, &r->tx_pps);
			if (!r->has_rate)
				r->rx_bps = r->tx_bps = r->rx_pps = r->tx_pps = 0;
			break;
		}
	}
}

static void derive_counters(struct snapshot *cur, const struct snapshot *prev, double dt)
{
	for (int c = 0; c < TCPC_COUNT; c++) {
		uint64_t bit = 1ULL << c;

		cur->tcp_rate[c] = 0;
		if (tcp_counter_has_rate(c) && (cur->tcp.present & bit) && (prev->tcp.present & bit) &&
		    !counter_rate(cur->tcp.v[c], prev->tcp.v[c], dt, &cur->tcp_rate[c]))
			cur->tcp_rate[c] = 0;
	}
}

void snapshot_derive(struct snapshot *cur, const struct snapshot *prev)
{
	double dt;

	cur->interval = 0;
	snapshot_conntrack_derive(cur, prev);
	if (!prev)
		return;
	dt = monotime_seconds(&prev->mono, &cur->mono);
	if (dt <= 0)
		return;
	cur->interval = dt;
	if (cur->flags & prev->flags & SNAP_HAS_INFO)
		derive_socks(cur, prev, dt);
	derive_ifaces(cur, prev, dt);
	derive_counters(cur, prev, dt);
}

bool addr_is_v4mapped(const uint8_t a[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return !memcmp(a, prefix, sizeof(prefix));
}


/* v in decimal at p; returns the end. */
static char *decimal(char *p, unsigned v)
{
	char tmp[10];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while (v /= 10);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* snprintf()'s contract for a string of n bytes: as much as fits, a NUL,
 * and n returned. */
static int copy_out(char *buf, size_t len, const char *s, size_t n)
{
	if (len) {
		size_t k = n < len ? n : len - 1;

		memcpy(buf, s, k);
		buf[k] = '\0';
	}
	return (int)n;
}

/* By hand, not inet_ntop() and snprintf(): a text filter formats every
 * socket's addresses, 200k of them per sample. */
/* An IPv4 address in dotted decimal at p; returns the end. */
static char *dotted(char *p, const uint8_t a[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = a[i];

		if (i)
			*p++ = '.';
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
	}
	return p;
}

int addr_format(char *buf, size_t len, int family, const uint8_t a[16])
{
	char tmp[INET6_ADDRSTRLEN];
	size_t n;

	if (family == 4)
		n = (size_t)(dotted(tmp, a) - tmp);
	else if (inet_ntop(AF_INET6, a, tmp, sizeof(tmp)))
		n = strlen(tmp);
	else
		n = 0;
	if (n >= len) {
		if (len)
			buf[0] = '\0';
		return 0;
	}
	return copy_out(buf, len, tmp, n);
}

int endpoint_format(char *buf, size_t len, int family, const uint8_t addr[16], uint16_t port,
		    enum endpoint_style style)
{
	char out[INET6_ADDRSTRLEN + 16], *p = out;
	bool brackets = family == 6 && style != ENDPOINT_NETSTAT;

	if (brackets)
		*p++ = '[';
	p += addr_format(p, INET6_ADDRSTRLEN, family, addr);
	if (brackets)
		*p++ = ']';
	*p++ = ':';
	if (port == 0 && style != ENDPOINT_BRACKET)
		*p++ = '*';
	else
		p = decimal(p, port);
	return copy_out(buf, len, out, (size_t)(p - out));
}

int sock_local_cmp(const struct sock_rec *x, const struct sock_rec *y)
{
	int c;

	if (x->netns != y->netns)
		return x->netns < y->netns ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	if ((c = memcmp(sock_laddr(x).b, sock_laddr(y).b, 16)))
		return c;
	return x->lport < y->lport ? -1 : x->lport > y->lport;
}
