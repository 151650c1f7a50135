/* allnetns.h: --all-netns: one sample of every network namespace of the
 * host. Each namespace gets its own sock_diag socket, opened once from
 * inside it (setns) and kept: a netlink socket dumps the namespace it was
 * made in, whichever the thread is in later. Namespaces are listed again
 * each sample, so new ones join and gone ones are dropped. */
#ifndef NETTOP_ALLNETNS_H
#define NETTOP_ALLNETNS_H

#include <stdbool.h>
#include <stddef.h>

#include "../snapshot.h"
#include "sampler.h"

struct allnetns;
struct bpf_sampler;
struct mnl_socket;
struct sockstat_counts;

/* True when the kernel's counts say a dump would find nothing: the kernel
 * walks its whole established hash for every dump, whatever it returns, so
 * an empty IPv6 table should cost nothing. TIME_WAIT sockets are counted
 * for both families together. */
bool sampler_dump_is_empty(const struct sockstat_counts *c, int proto, int family);
/* sampler.c's TCP and UDP dumps (as the request asks) through diag into snap. */
int sampler_dump_inet(struct mnl_socket *diag, void *buf, size_t buflen,
		      const struct sample_request *req, const struct sockstat_counts *counts,
		      struct snapshot *snap);

/* NULL when out of memory or when the thread's own namespace cannot be
 * opened (to come back to after each setns). */
struct allnetns *allnetns_new(void);
void allnetns_free(struct allnetns *a);
/* Dumps every namespace's sockets into snap (req as for one namespace), and
 * fills snap->netns; a namespace that cannot be entered is listed with its
 * error and no sockets. With bpf, each namespace's sockets come from its
 * programs, run from inside it (the namespace's sock_diag socket looks up
 * cookies); else from its sock_diag socket. 0, or -errno when the sample
 * itself failed. */
int allnetns_take(struct allnetns *a, struct bpf_sampler *bpf, void *buf, size_t buflen,
		  const struct sample_request *req, struct snapshot *snap);
/* The sock_diag socket of the namespace of r (of the latest sample), or NULL. */
struct mnl_socket *allnetns_diag_of(const struct allnetns *a, const struct sock_rec *r);

#endif
