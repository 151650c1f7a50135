/* build.h: hand-built snapshots for the view, filter and printer tests.
 * Header-only (the Makefile links each test_*.c on its own). */
#ifndef NETTOP_TEST_BUILD_H
#define NETTOP_TEST_BUILD_H

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "close_event.h"
#include "snapshot.h"
#include "tcpstate.h"

/* Parses a numeric address of the family (4 or 6) into a[16]; exits on a typo. */
static inline void build_addr(int family, const char *text, uint8_t a[16])
{
	memset(a, 0, 16);
	if (inet_pton(family == 4 ? AF_INET : AF_INET6, text, a) != 1) {
		fprintf(stderr, "build_addr: bad address %s\n", text);
		exit(2);
	}
}

/* Appends a socket; cookies count up from 1 unless set afterwards. */
static inline struct sock_rec *build_sock(struct snapshot *s, enum sock_proto proto, int family,
					  enum tcp_state state, const char *laddr, uint16_t lport,
					  const char *raddr, uint16_t rport)
{
	struct sock_rec *r = snapshot_add_sock(s);
	uint8_t l[16], rem[16];

	if (!r)
		abort();
	r->proto = (uint8_t)proto;
	r->family = (uint8_t)family;
	r->state = (uint8_t)state;
	build_addr(family, laddr, l);
	build_addr(family, raddr, rem);
	if (snapshot_set_addrs(s, r, l, rem) < 0)
		abort();
	r->lport = lport;
	r->rport = rport;
	r->cookie = s->nsocks;
	r->inode = (uint32_t)(1000 + s->nsocks);
	return r;
}

/* A close event's addresses (its family set first): its own pair, and an
 * IPv4 one's in its record too (close_event.h). */
static inline void build_event_addrs(struct close_event *ev, const char *laddr, const char *raddr)
{
	build_addr(ev->r.family, laddr, ev->a.l);
	build_addr(ev->r.family, raddr, ev->a.r);
	sock_addrs_outside(&ev->r, &ev->a);
}

/* r's struct sock_extra in s (which keeps them from its first socket on:
 * SNAP_HAS_EXTRA); exits when s keeps none. */
static inline struct sock_extra *build_extra(struct snapshot *s, const struct sock_rec *r)
{
	struct sock_extra *x = snapshot_extra_slot(s, (size_t)(r - s->socks));

	if (!x) {
		fprintf(stderr, "build_extra: the snapshot keeps no struct sock_extra\n");
		exit(2);
	}
	return x;
}

#define TCP4(s, st, l, lp, r, rp) build_sock(s, PROTO_TCP, 4, st, l, lp, r, rp)
#define TCP6(s, st, l, lp, r, rp) build_sock(s, PROTO_TCP, 6, st, l, lp, r, rp)
#define UDP4(s, st, l, lp, r, rp) build_sock(s, PROTO_UDP, 4, st, l, lp, r, rp)
#define UDP6(s, st, l, lp, r, rp) build_sock(s, PROTO_UDP, 6, st, l, lp, r, rp)

static inline struct iface_rec *build_iface(struct snapshot *s, uint32_t ifindex, const char *name)
{
	struct iface_rec *r = snapshot_add_iface(s);

	if (!r)
		abort();
	r->ifindex = ifindex;
	r->name = arena_strndup(&s->arena, name, strlen(name));
	return r;
}

/* Reads what a printer wrote: runs print on a memory stream. The caller frees. */
#define CAPTURE(out, call)                                                   \
	do {                                                                 \
		size_t capture_len_;                                         \
		FILE *f = open_memstream(&(out), &capture_len_);             \
		if (!f)                                                      \
			abort();                                             \
		call;                                                        \
		fclose(f);                                                   \
	} while (0)

#endif
