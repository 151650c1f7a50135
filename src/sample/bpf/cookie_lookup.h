/* cookie_lookup.h: cookies for the TCP sockets a table walk read before
 * anyone asked the kernel for theirs, by sock_diag's exact lookup. */
#ifndef NETTOP_COOKIE_LOOKUP_H
#define NETTOP_COOKIE_LOOKUP_H

#include <stddef.h>

#include "../../snapshot.h"

struct cookie_lookup;
struct mnl_socket;

/* A sock_diag socket in the caller's network namespace. */
struct cookie_lookup *cookie_lookup_open(int *err);
void cookie_lookup_close(struct cookie_lookup *c);
/* Looks up every TCP record of socks[0..n) whose cookie is 0 and sets it,
 * through nl (a sock_diag socket of the sockets' namespace), or NULL: c's;
 * a socket closed since the walk is marked gone, its family 0, for the
 * caller to drop; *missing: how many others are still 0 (a listener whose
 * lookup found a SO_REUSEPORT sibling). 0 or -errno. */
int cookie_lookup_fill(struct cookie_lookup *c, struct mnl_socket *nl, struct sock_rec *socks, size_t n,
		       size_t *missing);
/* The answers in buf (len bytes, as received, untrusted): each one to the
 * request for socks[its sequence number] sets that record's cookie, or
 * marks it gone; how many answers there were. */
size_t cookie_answers_take(const void *buf, size_t len, struct sock_rec *socks, size_t n);

#endif
