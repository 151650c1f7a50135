/* iter.bpf.c: the BPF side of the sampler (clang -target bpf, CO-RE). Two
 * iterators, iter/tcp and iter/udp, walk the reader's network namespace and
 * write one struct nt_rec per socket that passes the filter: full, request
 * and TIME_WAIT sockets, IPv4 and IPv6, with the values sock_diag would put
 * in its message (inet_diag.c, tcp_diag.c, udp_diag.c) so that a sample
 * cannot tell the two apart. The filter is the one a dump request carries:
 * the state bits and the inet_diag bytecode, run here as the kernel runs it. */
#include "vmlinux.h"

#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "rec.h"

/* GPL-compatible: bpf_seq_write() is offered to such programs only. */
char LICENSE[] SEC("license") = "Dual MIT/GPL";

/* Our own names: vmlinux.h may or may not carry the kernel's enums. */
#define NT_AF_INET 2
#define NT_AF_INET6 10
#define NT_TCP_SYN_RECV 3
#define NT_TCP_TIME_WAIT 6
#define NT_TCP_LISTEN 10
#define NT_TCP_NEW_SYN_RECV 12
#define NT_ICSK_TIME_RETRANS 1
#define NT_ICSK_TIME_PROBE0 3
#define NT_ICSK_TIME_LOSS_PROBE 5
#define NT_ICSK_TIME_REO_TIMEOUT 6

/* The filter, set by the reader (the .bss map, mmapped) before each walk. */
__u32 nt_states;		/* the kernel's TCPF_* bits, as idiag_states */
__u32 nt_families;		/* 1 << 4: IPv4, 1 << 6: IPv6 */
__u32 nt_want_info;		/* write the tcp_info part */
__u32 nt_want_cgroup;		/* and in it, full sockets' cgroup ids */
__u32 nt_bc_len;		/* bytes of bytecode; 0: none */
__u32 nt_lport_lo, nt_lport_hi;	/* the ports the bytecode can pass (bc_bounds.c) */
__u32 nt_rport_lo, nt_rport_hi;
__u8 nt_bc[NT_BC_SIZE + NT_BC_PAD];

extern int CONFIG_HZ __kconfig __weak;

/* Kernels before 6.15 kept the retransmit deadline in its own field. */
struct inet_connection_sock___old {
	unsigned long icsk_timeout;
} __attribute__((preserve_access_index));

#include "bc_run.bpf.h"

/* The family wanted, and the addresses, ports and device every socket has. */
static __always_inline int common_fill(struct nt_rec *r, struct sock_common *skc)
{
	__u16 family = skc->skc_family;

	if (family == NT_AF_INET && (nt_families & (1u << 4))) {
		__u32 l = skc->skc_rcv_saddr, d = skc->skc_daddr;

		__builtin_memcpy(r->laddr, &l, 4);
		__builtin_memcpy(r->raddr, &d, 4);
		r->family = 4;
	} else if (family == NT_AF_INET6 && (nt_families & (1u << 6))) {
		BPF_CORE_READ_INTO(&r->laddr, skc, skc_v6_rcv_saddr);
		BPF_CORE_READ_INTO(&r->raddr, skc, skc_v6_daddr);
		r->family = 6;
	} else {
		return 0;
	}
	r->lport = skc->skc_num;
	r->rport = bpf_ntohs(skc->skc_dport);
	r->ifindex = skc->skc_bound_dev_if;
	return bc_pass(r, family);
}

/* jiffies_delta_to_msecs(expires - jiffies) */
static __always_inline __u32 expires_ms(unsigned long expires)
{
	long delta = (long)(expires - bpf_jiffies64());
	__u64 hz = CONFIG_HZ > 0 ? (__u64)CONFIG_HZ : 0;

	if (delta <= 0 || !hz)
		return 0;
	if (1000 % hz == 0)
		return (__u32)(delta * (1000 / hz));
	return (__u32)(((__u64)delta * 1000 + hz - 1) / hz);
}

/* sock_i_ino() */
static __always_inline __u32 sock_ino(struct sock *sk)
{
	struct socket *sock;

	if (bpf_core_field_exists(sk->sk_ino))
		return (__u32)sk->sk_ino;
	sock = sk->sk_socket;
	if (!sock)
		return 0;
	return (__u32)BPF_CORE_READ(container_of(sock, struct socket_alloc, socket), vfs_inode.i_ino);
}

static __always_inline unsigned long retransmit_deadline(struct inet_connection_sock *icsk)
{
	struct inet_connection_sock___old *old = (void *)icsk;

	if (bpf_core_field_exists(old->icsk_timeout))
		return BPF_CORE_READ(old, icsk_timeout);
	return BPF_CORE_READ(icsk, icsk_retransmit_timer.expires);
}

/* inet_sk_diag_fill()'s timer fields. */
static __always_inline void full_timer(struct nt_rec *r, struct sock *sk,
				       struct inet_connection_sock *icsk)
{
	__u8 pending = icsk->icsk_pending;

	if (pending == NT_ICSK_TIME_RETRANS || pending == NT_ICSK_TIME_REO_TIMEOUT ||
	    pending == NT_ICSK_TIME_LOSS_PROBE) {
		r->timer = 1;
		r->retrans = icsk->icsk_retransmits;
		r->expires_ms = expires_ms(retransmit_deadline(icsk));
	} else if (pending == NT_ICSK_TIME_PROBE0) {
		r->timer = 4;
		r->retrans = icsk->icsk_probes_out;
		r->expires_ms = expires_ms(retransmit_deadline(icsk));
	} else if (sk->sk_timer.entry.pprev) {
		r->timer = 2;
		r->retrans = icsk->icsk_probes_out;
		r->expires_ms = expires_ms(sk->sk_timer.expires);
	}
}

/* cgroup_id(sock_cgroup_ptr(&sk->sk_cgrp_data)), which inet_sk_diag_fill()
 * gives every full socket, TCP and UDP; 0 unless asked for */
static __always_inline __u64 cgroup_of(struct sock *sk)
{
	struct cgroup *cg;

	if (!nt_want_cgroup)
		return 0;
	cg = sk->sk_cgrp_data.cgroup;
	return cg && cg->kn ? cg->kn->id : 0;
}

/* A full TCP socket: tcp_diag_get_info()'s queues, tcp_get_info()'s fields. */
static __always_inline void full_fill(struct nt_rec *r, struct tcp_sock *tp, __u32 uid)
{
	struct inet_connection_sock *icsk = &tp->inet_conn;
	struct sock *sk = &icsk->icsk_inet.sk;

	r->uid = uid;
	r->inode = sock_ino(sk);
	if (r->state == NT_TCP_LISTEN) {
		r->recv_q = sk->sk_ack_backlog;
		r->send_q = sk->sk_max_ack_backlog;
	} else {
		int rq = (int)(tp->rcv_nxt - tp->copied_seq);

		r->recv_q = rq < 0 ? 0 : rq;
		r->send_q = tp->write_seq - tp->snd_una;
	}
	full_timer(r, sk, icsk);
	if (!nt_want_info)
		return;
	r->cgroup_id = cgroup_of(sk);
	r->has_info = 1;
	r->cwnd = tp->snd_cwnd;
	if (r->state == NT_TCP_LISTEN)	/* tcp_get_info() stops there for listeners */
		return;
	r->rtt_us = tp->srtt_us >> 3;
	r->rttvar_us = tp->mdev_us >> 2;
	r->total_retrans = tp->total_retrans;
	r->segs_in = tp->segs_in;
	r->segs_out = tp->segs_out;
	r->bytes_acked = tp->bytes_acked;
	r->bytes_received = tp->bytes_received;
}

/* inet_twsk_diag_fill() */
static __always_inline void tw_fill(struct nt_rec *r, struct tcp_timewait_sock *tw)
{
	r->timer = 3;
	r->expires_ms = expires_ms(tw->tw_sk.tw_timer.expires);
}

/* inet_req_diag_fill() */
static __always_inline void req_fill(struct nt_rec *r, struct tcp_request_sock *req)
{
	r->state = NT_TCP_SYN_RECV;
	r->timer = 1;
	r->retrans = req->req.req.num_retrans;
	r->expires_ms = expires_ms(req->req.req.rsk_timer.expires);
}

/* The part of a record only some samples ask for (rec.h's struct nt_ext),
 * when nt_want_ext says which. The walk's records have theirs in nt_xout[]
 * at the same index; an iterator writes its own, from nt_xout[NT_WALK_MAX],
 * after the record. */
__u32 nt_want_ext;		/* write the ext part (the health columns') */
struct nt_ext nt_xout[NT_WALK_MAX + 1];

/* A pointer the walk does arithmetic on, as a number: the verifier allows
 * no bit tests on a pointer, but a privileged program may store one in its
 * global data and read it back (bpf_probe_read_kernel() would do too, at
 * several times the cost of a load). Also how a socket is handed to a
 * function the verifier checks on its own (those take numbers). */
volatile __u64 nt_scratch;
#define AS_NUMBER(ptr) (nt_scratch = (__u64)(ptr), nt_scratch)

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#define AS(type, addr) ((type *)bpf_rdonly_cast((void *)(addr), bpf_core_type_id_kernel(type)))

#include "ext.bpf.h"

/* A record, and its ext part when asked for: a request or TIME_WAIT
 * socket (sk NULL) has none to give. */
static __always_inline int emit(struct seq_file *seq, struct nt_rec *r, void *sk, __u32 tcp)
{
	if (nt_want_ext) {
		struct nt_ext *e = &nt_xout[NT_WALK_MAX];

		nt_ext_fill(sk ? AS_NUMBER(sk) : 0, NT_WALK_MAX, r->state, tcp);
		bpf_seq_write(seq, r, sizeof(*r));
		return bpf_seq_write(seq, e, sizeof(*e));
	}
	if (nt_want_info)
		return bpf_seq_write(seq, r, sizeof(*r));
	return bpf_seq_write(seq, r, NT_REC_SHORT);
}

SEC("iter/tcp")
int nt_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct tcp_timewait_sock *tw;
	struct tcp_request_sock *req;
	struct tcp_sock *tp;
	struct nt_rec r = {};

	if (!skc)
		return 0;
	/* the state as the dump's mask sees it */
	tp = bpf_skc_to_tcp_sock(skc);
	tw = tp ? NULL : bpf_skc_to_tcp_timewait_sock(skc);
	req = tp || tw ? NULL : bpf_skc_to_tcp_request_sock(skc);
	if (tw)
		r.state = tw->tw_sk.tw_substate;
	else if (tp || req)
		r.state = skc->skc_state;
	else
		return 0;
	if (r.state > 31 || !(nt_states & (1u << r.state)) || !common_fill(&r, skc))
		return 0;
	r.cookie = bpf_get_socket_cookie(skc);
	if (tp)
		full_fill(&r, tp, ctx->uid);
	else if (tw)
		tw_fill(&r, tw);
	else if (req)
		req_fill(&r, req);
	emit(ctx->meta->seq, &r, tp, 1);
	return 0;
}

/* The walk of the hash tables: the kernel's iterator locks and holds every
 * socket it shows, which costs more than the dump it replaces. This program
 * reads the tables as the kernel's own lookups do, without locks, under RCU
 * (sockets are SLAB_TYPESAFE_BY_RCU): a chain that ends on another
 * bucket's nulls marker lost a socket to a move, and is walked again. Run
 * by BPF_PROG_TEST_RUN from the reader's thread (its network namespace), a
 * run fills nt_out with whole chains of one table from bucket nt_walk_from
 * on, and says where the next run starts. The order is sock_diag's. */
__u32 nt_walk_table;		/* in: NT_WALK_LISTEN, _ESTABLISHED or _PORT */
__u32 nt_walk_from;		/* in: the first bucket; NT_WALK_PORT: the first port */
__u32 nt_walk_next;		/* out: the next run's first bucket; ~0: done */
__u32 nt_walk_n;		/* out: records in nt_out */
__u32 nt_walk_cut;		/* out: chains left unfinished (longer than NT_CHAIN_MAX) */
struct nt_rec nt_out[NT_WALK_MAX];


#define NT_LISTENING_NULLS_BASE (1u << 29)	/* the listening hash's markers */
#define NT_EMPTY_SKIP 16
#define NT_STEPS_PER_RUN (1u << 22)	/* nodes and buckets: bpf_loop() allows 1 << 23 */

struct walk {
	__u64 base, net, node;		/* node: the chain's next, or its end's marker */
	__u32 mask, bucket, nulls;
	__u32 n, start;			/* records; and where this bucket's began */
	__u32 len, tries;		/* nodes of this chain so far; walks of it */
	int done;			/* the last bucket is walked, or the run is full */
};

/* One socket of the reader's namespace: into nt_out[w->n] when it passes
 * the filter. */
static __always_inline void walk_sock(struct walk *w, struct sock_common *skc)
{
	struct nt_rec *r;
	__u8 state = skc->skc_state;
	__u16 lport, rport;
	__u64 full = 0;		/* a full socket's address */

	if (state == NT_TCP_TIME_WAIT)
		state = AS(struct tcp_timewait_sock, skc)->tw_sk.tw_substate;
	if (state > 31 || !(nt_states & (1u << state)) || w->n >= NT_WALK_MAX)
		return;
	lport = skc->skc_num;
	rport = bpf_ntohs(skc->skc_dport);
	if (lport < nt_lport_lo || lport > nt_lport_hi || rport < nt_rport_lo || rport > nt_rport_hi)
		return;
	r = &nt_out[w->n];
	__builtin_memset(r, 0, sizeof(*r));
	r->state = state;
	if (!common_fill(r, skc))
		return;
	r->cookie = skc->skc_cookie.counter;
	if (skc->skc_state == NT_TCP_TIME_WAIT) {
		tw_fill(r, AS(struct tcp_timewait_sock, skc));
	} else if (skc->skc_state == NT_TCP_NEW_SYN_RECV) {
		req_fill(r, AS(struct tcp_request_sock, skc));
	} else {
		full_fill(r, AS(struct tcp_sock, skc), AS(struct sock, skc)->sk_uid.val);
		full = AS_NUMBER(skc);
	}
	if (nt_want_ext)
		nt_ext_fill(full, w->n, r->state, 1);
	/* Still hashed, once read? A socket closed meanwhile is unhashed, and
	 * its memory may already be a new socket's (a clone of its listener,
	 * not hashed yet): its record would mix the two. As the kernel's
	 * lookups check again what they found, the record is kept only if the
	 * socket is still in the table. */
	asm volatile("" ::: "memory");
	if (AS_NUMBER(skc->skc_nulls_node.pprev))
		w->n++;
}

/* The first node of bucket b's chain. */
static __always_inline __u64 chain_first(const struct walk *w, __u32 b)
{
	if (nt_walk_table == NT_WALK_LISTEN)
		return AS_NUMBER(AS(struct inet_listen_hashbucket,
				    w->base + (__u64)b * bpf_core_type_size(struct inet_listen_hashbucket))
					 ->nulls_head.first);
	return AS_NUMBER(AS(struct inet_ehash_bucket,
			    w->base + (__u64)b * bpf_core_type_size(struct inet_ehash_bucket))->chain.first);
}

/* Bucket b, from its first node; the run ends before it when the records
 * of a whole chain might not fit. */
static __always_inline int walk_enter(struct walk *w, __u32 b)
{
	if (b > w->mask)
		return 1;
	if (w->n + NT_CHAIN_MAX > NT_WALK_MAX) {
		nt_walk_next = b;
		return 1;
	}
	w->bucket = b;
	w->start = w->n;
	w->len = w->tries = 0;
	w->node = chain_first(w, b);
	return 0;
}

/* Read ahead: the first sockets of the established hash's buckets from
 * to from + NT_TOUCH, both cache lines the walk reads of each (the chain's
 * link; the state and ports), all at once. The walk reads a socket, then
 * the next: it waits for memory at each one. These loads do not depend on
 * each other, so they are in flight together, and the walk then finds its
 * sockets in the cache: a sample that keeps few of them costs ~15% less. A
 * function of its own, checked once by the verifier; the bucket it is at is
 * global data, which the verifier does not follow from step to step. */
#define NT_TOUCH 32
volatile __u64 nt_touch_sink;
__u32 nt_touched;		/* the buckets before it are read ahead */

__noinline __u64 nt_touch(__u64 base, __u32 from, __u32 mask)
{
	__u64 sink = 0;

	for (int k = 0; k < NT_TOUCH; k++) {
		__u32 b = from + k;
		__u64 node;

		if (b > mask)
			break;
		node = AS_NUMBER(AS(struct inet_ehash_bucket,
				    base + (__u64)b * bpf_core_type_size(struct inet_ehash_bucket))->chain.first);
		if (node & 1)
			continue;
		struct sock_common *skc = AS(struct sock_common,
					     node - bpf_core_field_offset(struct sock_common, skc_nulls_node));
		sink += AS_NUMBER(skc->skc_nulls_node.next) + skc->skc_state;
	}
	return sink;
}

/* One step of the walk, a bpf_loop() callback: a node of the chain, or at
 * its end the next bucket. A chain that ends on another bucket's marker
 * lost a node to a move: its records are dropped and it is walked again,
 * once; a chain that moves twice, or is longer than NT_CHAIN_MAX, ends the
 * run unfinished (nt_walk_cut), and the reader takes the sample otherwise. */
static long walk_step(__u32 i, void *data)
{
	struct walk *w = data;
	struct sock_common *skc;

	if (!(w->node & 1)) {
		if (++w->len > NT_CHAIN_MAX) {
			nt_walk_cut++;
			return 1;
		}
		skc = AS(struct sock_common, w->node - bpf_core_field_offset(struct sock_common, skc_nulls_node));
		w->node = AS_NUMBER(skc->skc_nulls_node.next);
		if (AS_NUMBER(skc->skc_net.net) == w->net)
			walk_sock(w, skc);
		return 0;
	}
	if ((w->node >> 1) != w->bucket + w->nulls) {
		if (w->tries++) {
			nt_walk_cut++;
			return 1;
		}
		w->n = w->start;
		w->len = 0;
		w->node = chain_first(w, w->bucket);
		return 0;
	}
	if (w->bucket + NT_TOUCH / 2 >= nt_touched && nt_walk_table == NT_WALK_ESTABLISHED) {
		nt_touch_sink = nt_touch(w->base, nt_touched, w->mask);
		nt_touched += NT_TOUCH;
	}
	/* the next bucket, and past the empty ones (half of them, at the
	 * kernel's usual sizing) without a step each */
	for (int k = 0; k < NT_EMPTY_SKIP; k++) {
		if ((w->done = walk_enter(w, w->bucket + 1)))
			return 1;
		if (w->node != ((__u64)(w->bucket + w->nulls) << 1 | 1))
			break;
	}
	return 0;
}

#include "port_walk.bpf.h"

SEC("raw_tp")
int nt_walk(void *ctx)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct inet_hashinfo *h = task->nsproxy->net_ns->ipv4.tcp_death_row.hashinfo;
	struct walk w = {};

	nt_walk_cut = 0;
	nt_walk_next = ~0u;
	if (nt_walk_table == NT_WALK_PORT) {
		port_walk(task->nsproxy->net_ns, h);
		return 0;
	}
	w.net = AS_NUMBER(task->nsproxy->net_ns);
	if (nt_walk_table == NT_WALK_LISTEN) {
		w.base = AS_NUMBER(h->lhash2);
		w.mask = h->lhash2_mask;
		w.nulls = NT_LISTENING_NULLS_BASE;
	} else {
		w.base = AS_NUMBER(h->ehash);
		w.mask = h->ehash_mask;
	}
	nt_touched = nt_walk_from;
	w.done = walk_enter(&w, nt_walk_from);
	if (!w.done && bpf_loop(NT_STEPS_PER_RUN, walk_step, &w, 0) == NT_STEPS_PER_RUN && !w.done) {
		nt_walk_next = w.bucket;	/* out of steps: this bucket again next run */
		w.n = w.start;
	}
	nt_walk_n = w.n;
	return 0;
}

/* Where sock_diag (and /proc/net/udp) meet a UDP socket: they walk the
 * port hash, slot by slot, each chain from its head; this iterator walks the
 * port+address hash. The slot is udp_hashfn(); the place in its chain is
 * found by following pprev back to the head (chains are short). */
static __always_inline __u32 udp_order(struct sock *sk)
{
	struct net *net = sk->__sk_common.skc_net.net;
	struct udp_table *t;
	unsigned long head, pp;
	__u32 slot, rank = 0;

	if (!bpf_core_field_exists(net->ipv4.udp_table) || !(t = net->ipv4.udp_table))
		return 0;
	slot = (sk->__sk_common.skc_num + net->hash_mix) & t->mask;
	head = (unsigned long)t->hash + slot * bpf_core_type_size(struct udp_hslot) +
	       bpf_core_field_offset(struct udp_hslot, head);
	pp = (unsigned long)sk->__sk_common.skc_node.pprev;
	for (int i = 0; i < 255 && pp && pp != head; i++) {
		/* pprev points at the previous node's next, its first member */
		if (bpf_probe_read_kernel(&pp, sizeof(pp),
					  (void *)(pp + bpf_core_field_offset(struct hlist_node, pprev))))
			break;
		rank++;
	}
	return (slot & 0xffff) << 16 | rank;
}

SEC("iter/udp")
int nt_udp(struct bpf_iter__udp *ctx)
{
	struct udp_sock *udp = ctx->udp_sk;
	struct nt_rec r = {};
	struct sock *sk;

	if (!udp)
		return 0;
	sk = &udp->inet.sk;
	r.state = sk->__sk_common.skc_state;
	if (r.state > 31 || !(nt_states & (1u << r.state)) || !common_fill(&r, &sk->__sk_common))
		return 0;
	r.cookie = bpf_get_socket_cookie(sk);
	r.uid = ctx->uid;
	r.inode = sock_ino(sk);
	/* udp_diag_get_info(): udp_rqueue_get(), sk_wmem_alloc_get() */
	r.recv_q = sk->sk_backlog.rmem_alloc.counter - udp->forward_deficit;
	r.send_q = sk->sk_wmem_alloc.refs.counter - 1;
	r.order = udp_order(sk);
	r.cgroup_id = cgroup_of(sk);
	emit(ctx->meta->seq, &r, sk, 0);
	return 0;
}
