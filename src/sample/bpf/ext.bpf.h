/* ext.bpf.h: the part of a record only some samples ask for (rec.h's
 * struct nt_ext): the health columns' fields, read where
 * tcp_get_info(), INET_DIAG_CONG and sk_get_meminfo() read them. For
 * iter.bpf.c, which includes it once, after nt_want_ext, nt_xout and AS(). */
#ifndef NETTOP_EXT_BPF_H
#define NETTOP_EXT_BPF_H

#define NT_TCP_CHRONO_RWND_LIMITED 2
#define NT_TCP_CHRONO_SNDBUF_LIMITED 3

/* sk_drops_read(): kernels from 6.18 count some sockets' drops per node */
static __always_inline __u32 drops_of(struct sock *sk)
{
	if (bpf_core_field_exists(sk->sk_drop_counters)) {
		struct numa_drop_counters *ndc = sk->sk_drop_counters;

		if (ndc)
			return ndc->drops0.counter + ndc->drops1.counter;
	}
	return sk->sk_drops.counter;
}

/* tcp_get_info_chrono_stats(): the time busy, and its parts limited by
 * the receive window and by the send buffer, in us */
static __always_inline void chrono_fill(struct nt_ext *e, struct tcp_sock *tp)
{
	__u64 hz = CONFIG_HZ > 0 ? (__u64)CONFIG_HZ : 0, total = 0;
	__u32 now = (__u32)bpf_jiffies64(), type = BPF_CORE_READ_BITFIELD(tp, chrono_type);

	if (!hz)
		return;
#pragma unroll
	for (__u32 i = 1; i <= 3; i++) {
		__u64 v = tp->chrono_stat[i - 1];

		if (i == type)
			v += (__u32)(now - tp->chrono_start);
		v *= 1000000 / hz;
		total += v;
		if (i == NT_TCP_CHRONO_RWND_LIMITED)
			e->rwnd_limited_us = v;
		else if (i == NT_TCP_CHRONO_SNDBUF_LIMITED)
			e->sndbuf_limited_us = v;
	}
	e->busy_us = total;
}

/* tcp_get_info()'s health fields; a listener has few */
static __always_inline void tcp_health(struct nt_ext *e, struct tcp_sock *tp, __u32 state)
{
	struct inet_connection_sock *icsk = &tp->inet_conn;
	struct sock *sk = &icsk->icsk_inet.sk;
	const struct tcp_congestion_ops *ca = icsk->icsk_ca_ops;
	__u32 rate = tp->rate_delivered, intv = tp->rate_interval_us;
	int notsent = (int)(tp->write_seq - tp->snd_nxt);

	e->pacing_rate = sk->sk_pacing_rate;
	e->has |= NT_HAS_INFO;
	if (ca && bpf_probe_read_kernel_str(e->cong, sizeof(e->cong), ca->name) > 1)
		e->has |= NT_HAS_CONG;
	if (state == NT_TCP_LISTEN) {
		e->unacked = sk->sk_ack_backlog;
		return;
	}
	e->lost = tp->lost_out;
	e->ssthresh = tp->snd_ssthresh;
	e->min_rtt_us = tp->rtt_min.s[0].v;
	e->unacked = tp->packets_out;
	e->notsent = notsent > 0 ? notsent : 0;
	if (rate && intv)	/* tcp_compute_delivery_rate() */
		e->delivery_rate = (__u64)rate * tp->mss_cache * 1000000 / intv;
	chrono_fill(e, tp);
}

/* nt_xout[at] for the socket at addr: a full TCP socket in the kernel's
 * state (tcp), a UDP one (!tcp). Checked by the verifier on its own, once. */
__noinline int nt_ext_fill(__u64 addr, __u32 at, __u32 state, __u32 tcp)
{
	struct sock *sk = AS(struct sock, addr);
	struct nt_ext *e;

	if (at > NT_WALK_MAX)
		return 0;
	e = &nt_xout[at];
	__builtin_memset(e, 0, sizeof(*e));
	if (!sk)
		return 0;
	/* sk_get_meminfo() */
	e->rmem = sk->sk_backlog.rmem_alloc.counter;
	e->wmem = sk->sk_wmem_alloc.refs.counter - 1;
	e->drops = drops_of(sk);
	e->has |= NT_HAS_MEM;
	if (tcp)
		tcp_health(e, AS(struct tcp_sock, addr), state);
	return 0;
}

#endif
