/* bc_run.bpf.h: inet_diag's bytecode, run as inet_diag_bc_run() runs it
 * on a dump, for iter.bpf.c (which includes it once, after the filter's
 * global data: nt_bc, nt_bc_len). */
#ifndef NETTOP_BC_RUN_BPF_H
#define NETTOP_BC_RUN_BPF_H

/* What the bytecode tests, as inet_diag_bc_sk() fills it. */
struct bc_run {
	__u32 saddr[4], daddr[4];
	__u32 ifindex;
	__u16 sport, dport;
	__u16 family;
	__u16 aborted;		/* an op we do not run: the program is skipped */
	__u32 pos, len;
};

static __always_inline __u32 bc_u32(const __u8 *b)
{
	return (__u32)b[0] | (__u32)b[1] << 8 | (__u32)b[2] << 16 | (__u32)b[3] << 24;
}

static __always_inline __u16 bc_u16(const __u8 *b)
{
	return (__u16)(b[0] | b[1] << 8);
}

/* bitstring_match(): the first bits of two addresses, word by word. */
static __always_inline int bc_prefix(const __u32 *a, const __u8 *cond, __u32 bits)
{
#pragma unroll
	for (int i = 0; i < 4; i++) {
		__u32 w = bc_u32(cond + 4 * i);

		if (bits >= 32) {
			if (a[i] != w)
				return 0;
			bits -= 32;
			continue;
		}
		if (bits && ((a[i] ^ w) & bpf_htonl(~0u << (32 - bits))))
			return 0;
		return 1;
	}
	return 1;
}

/* INET_DIAG_BC_S_COND / D_COND: port, then family (IPv4 conditions match
 * IPv4-mapped IPv6 addresses), then the prefix. */
static __always_inline int bc_hostcond(const struct bc_run *run, const __u8 *b, int dst)
{
	const __u32 *addr = dst ? run->daddr : run->saddr;
	__u16 port = dst ? run->dport : run->sport;
	int cport = (int)bc_u32(b + 8);
	__u8 family = b[4], prefix = b[5];

	if (cport != -1 && cport != port)
		return 0;
	if (family != 0 && family != run->family) {
		if (run->family == NT_AF_INET6 && family == NT_AF_INET && !addr[0] && !addr[1] &&
		    addr[2] == bpf_htonl(0xffff))
			return bc_prefix(addr + 3, b + 12, prefix);
		return 0;
	}
	return prefix ? bc_prefix(addr, b + 12, prefix) : 1;
}

/* One op of inet_diag_bc_run(), a bpf_loop() callback. */
static long bc_step(__u32 i, void *data)
{
	struct bc_run *run = data;
	const __u8 *b;
	__u32 step;
	int yes;

	if (run->pos >= run->len)
		return 1;
	b = &nt_bc[run->pos & (NT_BC_SIZE - 1)];
	switch (b[0]) {
	case NT_BC_NOP: yes = 1; break;
	case NT_BC_JMP: yes = 0; break;
	case NT_BC_S_GE: yes = run->sport >= bc_u16(b + 6); break;
	case NT_BC_S_LE: yes = run->sport <= bc_u16(b + 6); break;
	case NT_BC_S_EQ: yes = run->sport == bc_u16(b + 6); break;
	case NT_BC_D_GE: yes = run->dport >= bc_u16(b + 6); break;
	case NT_BC_D_LE: yes = run->dport <= bc_u16(b + 6); break;
	case NT_BC_D_EQ: yes = run->dport == bc_u16(b + 6); break;
	case NT_BC_S_COND: yes = bc_hostcond(run, b, 0); break;
	case NT_BC_D_COND: yes = bc_hostcond(run, b, 1); break;
	case NT_BC_DEV_COND: yes = bc_u32(b + 4) == run->ifindex; break;
	default:
		run->aborted = 1;
		return 1;
	}
	step = yes ? b[1] : bc_u16(b + 2);
	if (!step) {	/* the reader checked the program: never here */
		run->aborted = 1;
		return 1;
	}
	run->pos += step;
	return run->pos >= run->len;
}

/* The bytecode's verdict; a program that cannot be run passes everything:
 * the reader filters every socket again. */
static __always_inline int bc_pass(const struct nt_rec *r, __u32 family)
{
	struct bc_run run = {};

	if (!nt_bc_len)
		return 1;
	__builtin_memcpy(run.saddr, r->laddr, 16);
	__builtin_memcpy(run.daddr, r->raddr, 16);
	run.ifindex = r->ifindex;
	run.sport = r->lport;
	run.dport = r->rport;
	run.family = family;
	run.len = nt_bc_len < NT_BC_SIZE ? nt_bc_len : NT_BC_SIZE;
	bpf_loop(NT_BC_SIZE / 4, bc_step, &run, 0);
	return run.aborted || run.pos == run.len;
}

#endif
