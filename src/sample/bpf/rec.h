/* rec.h: what the BPF iterators write for each socket, and the filter they
 * read: shared by the programs (iter.bpf.c) and their reader (bpf_sampler.c).
 * Plain __uN types: both sides have them (vmlinux.h, linux/types.h). */
#ifndef NETTOP_BPF_REC_H
#define NETTOP_BPF_REC_H

/* One socket, a fixed size. Everything sock_diag's message carries for a
 * sample, in the kernel's terms: state is the kernel's TCP_* value (a
 * request socket is TCP_SYN_RECV, a TIME_WAIT one its substate), addresses
 * are as on the wire, IPv4 in the first 4 bytes. The tcp_info part comes
 * last: without it a record is cut at NT_REC_SHORT. */
struct nt_rec {
	__u64 cookie;
	__u8 laddr[16];
	__u8 raddr[16];
	__u16 lport, rport;		/* host byte order */
	__u8 family;			/* 4 or 6 */
	__u8 state;
	__u8 timer;			/* as idiag_timer */
	__u8 retrans;			/* as idiag_retrans */
	__u32 expires_ms;
	__u32 recv_q, send_q;		/* as idiag_rqueue, idiag_wqueue */
	__u32 uid, inode, ifindex;
	__u32 has_info;			/* the fields below are tcp_info's */
	__u32 order;			/* where sock_diag's dump meets it: UDP's slot << 16 |
					 * place; NT_WALK_PORT's bucket << 6 | place */
	__u32 rtt_us, rttvar_us, cwnd, total_retrans, segs_in, segs_out;
	__u64 bytes_acked, bytes_received;
	__u64 cgroup_id;		/* with nt_want_cgroup; 0: none (not a full socket) */
};

#define NT_REC_SHORT 80			/* offsetof(struct nt_rec, rtt_us) */

/* What only some samples ask for, after a whole struct nt_rec when
 * nt_want_ext says so: sock_health.h's fields, as tcp_get_info(),
 * INET_DIAG_CONG and sk_get_meminfo() give them. */
enum {
	NT_HAS_INFO = 1 << 0,		/* the tcp_info fields are set */
	NT_HAS_MEM = 1 << 1,		/* rmem, wmem and drops are set */
	NT_HAS_CONG = 1 << 2,		/* cong is set */
};
struct nt_ext {
	__u64 delivery_rate, pacing_rate;
	__u64 busy_us, rwnd_limited_us, sndbuf_limited_us;
	__u32 lost, ssthresh, min_rtt_us, unacked, notsent;
	__u32 drops, rmem, wmem;
	__u32 has;			/* NT_HAS_* */
	char cong[16];
};

/* The walk of the hash tables (nt_walk): records per run, and the longest
 * chain it follows (a bucket's chain holds every namespace's sockets; at 1M
 * sockets in 262,144 buckets, ~4 on average). */
#define NT_WALK_MAX 16384
#define NT_CHAIN_MAX 64
/* nt_walk_table: which table; NT_WALK_PORT: the established table's sockets
 * of local ports nt_walk_from to nt_walk_to, by the bind hash (port_walk.bpf.h) */
enum { NT_WALK_LISTEN, NT_WALK_ESTABLISHED, NT_WALK_PORT };

/* The filter: inet_diag bytecode, run as the kernel runs it on a dump. */
#define NT_BC_SIZE 16384		/* filter_bc.c's BYTECODE_MAX */
#define NT_BC_PAD 32			/* the longest op read past a program's end */
/* INET_DIAG_BC_*, which vmlinux.h may lack (bpf_sampler.c checks them) */
enum {
	NT_BC_NOP, NT_BC_JMP, NT_BC_S_GE, NT_BC_S_LE, NT_BC_D_GE, NT_BC_D_LE, NT_BC_AUTO,
	NT_BC_S_COND, NT_BC_D_COND, NT_BC_DEV_COND, NT_BC_MARK_COND, NT_BC_S_EQ, NT_BC_D_EQ,
};

#endif
