/* group_rates.c: rates summed per remote address and per listener. One
 * pass over the sockets each, with a table sized to the rows (remote) or a
 * binary search of the listeners by port: no allocation per socket. */
#include "group_rates.h"

#include <stdlib.h>
#include <string.h>

#include "../sock_health.h"
#include "hash.h"

/* A socket's remote address as the top remote rows key it: IPv4-mapped
 * IPv6 as IPv4, zero-padded. */
static int remote_key(const struct sock_rec *r, uint8_t addr[16])
{
	memset(addr, 0, 16);
	if (r->family == 6 && addr_is_v4mapped(sock_raddr(r).b)) {
		memcpy(addr, sock_raddr(r).b + 12, 4);
		return 4;
	}
	memcpy(addr, sock_raddr(r).b, r->family == 4 ? 4 : 16);
	return r->family;
}

static size_t row_slot(const uint32_t *table, size_t mask, const struct remote_row *rows,
		       int family, const uint8_t addr[16])
{
	size_t h = hash_addr((uint64_t)family, addr) & mask;

	while (table[h] != UINT32_MAX &&
	       (rows[table[h]].family != family || memcmp(rows[table[h]].addr, addr, 16)))
		h = (h + 1) & mask;
	return h;
}

int view_remote_rates(const struct snapshot *snap, const struct view_options *opts,
		      struct remote_row *rows, size_t n)
{
	size_t size = 16, mask;
	uint32_t *table;

	bool has_rate = snap->interval > 0 && (snap->flags & SNAP_HAS_INFO);

	for (size_t i = 0; i < n; i++) {
		rows[i].rx_bps = rows[i].tx_bps = rows[i].rx_pps = rows[i].tx_pps = 0;
		rows[i].has_rate = has_rate;
		rows[i].has_pps = has_rate && (snap->flags & SNAP_HAS_HEALTH);
	}
	if (!n || !rows[0].has_rate)
		return 0;
	while (size < n * 2)
		size <<= 1;
	if (!(table = malloc(size * sizeof(*table))))
		return -1;
	memset(table, 0xff, size * sizeof(*table));
	mask = size - 1;
	for (size_t i = 0; i < n; i++)
		table[row_slot(table, mask, rows, rows[i].family, rows[i].addr)] = (uint32_t)i;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		uint8_t addr[16];
		size_t h;
		int family;

		if (r->proto != PROTO_TCP || !(r->flags & SOCK_HAS_RATE) ||
		    !view_sock_visible(snap, r, opts))
			continue;
		family = remote_key(r, addr);
		h = row_slot(table, mask, rows, family, addr);
		if (table[h] != UINT32_MAX) {
			struct remote_row *row = &rows[table[h]];
			const struct sock_health *sh = sock_health_of(snap, r);

			row->rx_bps += r->rx_bps;
			row->tx_bps += r->tx_bps;
			if (sh && (sh->flags & HEALTH_RATES))
				row->rx_pps += sh->segs_in_ps, row->tx_pps += sh->segs_out_ps;
		}
	}
	free(table);
	return 0;
}

static int by_port(const void *a, const void *b, void *arg)
{
	const struct snapshot *snap = arg;
	const struct sock_rec *x = &snap->socks[((const struct listener_rate *)a)->sock];
	const struct sock_rec *y = &snap->socks[((const struct listener_rate *)b)->sock];

	return x->lport < y->lport ? -1 : x->lport > y->lport;
}

/* The listener (in byport, sorted by port) that accepted r, or NULL: the
 * same port, and the same address or a wildcard one (an IPv6 wildcard
 * takes IPv4 clients as IPv4-mapped ones, unless v6only, which the sample
 * does not say). */
static struct listener_rate *listener_of(const struct snapshot *snap, struct listener_rate **byport,
					 size_t n, const struct sock_rec *r)
{
	size_t lo = 0, hi = n;
	struct listener_rate *wildcard = NULL;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (snap->socks[byport[mid]->sock].lport < r->lport)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && snap->socks[byport[i]->sock].lport == r->lport; i++) {
		const struct sock_rec *l = &snap->socks[byport[i]->sock];

		if (l->family == r->family && !memcmp(sock_laddr(l).b, sock_laddr(r).b, r->family == 4 ? 4 : 16))
			return byport[i];
		if (addr_is_any(l->family, sock_laddr(l).b) && (l->family == r->family || l->family == 6))
			wildcard = byport[i];
	}
	return wildcard;
}

static int ptr_by_port(const void *a, const void *b, void *arg)
{
	return by_port(*(const struct listener_rate *const *)a, *(const struct listener_rate *const *)b,
		       arg);
}

static void listener_add(struct listener_rate *l, const struct snapshot *snap,
			 const struct sock_rec *r)
{
	const struct sock_health *h = sock_health_of(snap, r);

	l->connections++;
	if (h && (h->flags & HEALTH_RATES))
		l->rx_pps += h->segs_in_ps, l->tx_pps += h->segs_out_ps;
	if (!(r->flags & SOCK_HAS_INFO))
		return;
	l->retrans += sock_extra_of(snap, r)->total_retrans;
	l->rx_bytes += r->bytes_received;
	l->tx_bytes += r->bytes_acked;
	if (r->flags & SOCK_HAS_RATE)
		l->rx_bps += r->rx_bps, l->tx_bps += r->tx_bps;
}

long view_listener_rates(const struct snapshot *snap, const struct view_options *opts,
			 struct listener_rate **out)
{
	struct listener_rate *rows, **byport;
	bool has_rate = snap->interval > 0 && (snap->flags & SNAP_HAS_INFO);
	size_t n = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].proto == PROTO_TCP && snap->socks[i].state == ST_LISTEN;
	rows = calloc(n ? n : 1, sizeof(*rows));
	byport = malloc((n ? n : 1) * sizeof(*byport));
	if (!rows || !byport) {
		free(rows);
		free(byport);
		return -1;
	}
	n = 0;
	for (size_t i = 0; i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];

		if (r->proto == PROTO_TCP && r->state == ST_LISTEN && view_sock_visible(snap, r, opts)) {
			rows[n] = (struct listener_rate){ .sock = (uint32_t)i, .has_rate = has_rate };
			byport[n] = &rows[n];
			n++;
		}
	}
	qsort_r(byport, n, sizeof(*byport), ptr_by_port, (void *)snap);
	for (size_t i = 0; n && i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		struct listener_rate *l;

		if (r->proto != PROTO_TCP || r->state == ST_LISTEN || !view_sock_visible(snap, r, opts))
			continue;
		if ((l = listener_of(snap, byport, n, r)))
			listener_add(l, snap, r);
	}
	free(byport);
	*out = rows;
	return (long)n;
}

const struct listener_rate *listener_rate_find(const struct listener_rate *rows, size_t n,
					       uint32_t sock)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (rows[mid].sock == sock)
			return &rows[mid];
		if (rows[mid].sock < sock)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int udp_row_cmp(const void *a, const void *b)
{
	const struct udp_remote_row *x = a, *y = b;

	if (x->sockets != y->sockets)
		return x->sockets > y->sockets ? -1 : 1;
	if (x->family != y->family)
		return x->family < y->family ? -1 : 1;
	return memcmp(x->addr, y->addr, 16);
}

/* The row of addr in a table of n slots (a power of two), made if new. */
static struct udp_remote_row *udp_slot(struct udp_remote_row *rows, size_t mask, int family,
				       const uint8_t addr[16])
{
	size_t h = hash_addr((uint64_t)family, addr) & mask;

	while (rows[h].family && (rows[h].family != family || memcmp(rows[h].addr, addr, 16)))
		h = (h + 1) & mask;
	if (!rows[h].family) {
		rows[h].family = (uint8_t)family;
		memcpy(rows[h].addr, addr, 16);
	}
	return &rows[h];
}

long view_udp_remotes(const struct snapshot *snap, const struct view_options *opts,
		      struct udp_remote_row **out)
{
	size_t n = 0, size = 16, k = 0;
	struct udp_remote_row *rows;

	for (size_t i = 0; i < snap->nsocks; i++)
		n += snap->socks[i].proto == PROTO_UDP && snap->socks[i].rport;
	while (size < n * 2)
		size <<= 1;
	if (!(rows = calloc(size, sizeof(*rows))))
		return -1;
	for (size_t i = 0; n && i < snap->nsocks; i++) {
		const struct sock_rec *r = &snap->socks[i];
		const struct sock_health *h;
		struct udp_remote_row *row;
		uint8_t addr[16];

		if (r->proto != PROTO_UDP || !r->rport || !view_sock_visible(snap, r, opts))
			continue;
		row = udp_slot(rows, size - 1, remote_key(r, addr), addr);
		row->sockets++;
		row->recv_q += r->recv_q;
		row->send_q += r->send_q;
		if ((h = sock_health_of(snap, r)) && (h->flags & HEALTH_MEM))
			row->drops += h->drops, row->has_drops = true;
	}
	for (size_t i = 0; i < size; i++)
		if (rows[i].family)
			rows[k++] = rows[i];
	qsort(rows, k, sizeof(*rows), udp_row_cmp);
	*out = rows;
	return (long)k;
}
