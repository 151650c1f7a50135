/* bpf_sampler.h: the sockets of a sample through BPF iterators (iter/tcp,
 * iter/udp) instead of sock_diag dumps: the same records, in the same order,
 * at about half the CPU (no netlink messages to build, copy and parse). */
#ifndef NETTOP_BPF_SAMPLER_H
#define NETTOP_BPF_SAMPLER_H

#include "../../snapshot.h"
#include "../sampler.h"

struct bpf_sampler;
struct mnl_socket;

/* Loads and attaches the programs: root, or CAP_BPF and CAP_PERFMON, a
 * kernel with BTF. NULL with *err (-errno) when that fails. */
struct bpf_sampler *bpf_sampler_open(int *err);
void bpf_sampler_close(struct bpf_sampler *b);
/* True when TCP is read by the table walk, not the kernel's iterator. */
bool bpf_sampler_walks(const struct bpf_sampler *b);
/* Why BPF could not be used, for an error from bpf_sampler_open(): a
 * constant string. */
const char *bpf_sampler_why(int err);
/* Appends the sockets req asks for to snap, in sock_diag's order (TCP IPv4,
 * TCP IPv6, UDP IPv4, UDP IPv6), filtered by req's states and bytecode:
 * those of the calling thread's network namespace. diag: a sock_diag
 * socket of that namespace, for cookies nobody asked for yet; NULL: the
 * sampler's own (of the namespace it was opened in). 0 or -errno. */
int bpf_sampler_take(struct bpf_sampler *b, const struct sample_request *req,
		     struct mnl_socket *diag, struct snapshot *snap);
/* True when the kernel walk can run this inet_diag bytecode as the kernel
 * would; otherwise the walk passes every socket and userspace filters. */
bool bpf_bytecode_runnable(const void *bytecode, size_t len);

#endif
