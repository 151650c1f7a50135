/* snapshot.h: everything one sample saw, as plain data. Built by the sampler,
 * then never changed: views read it, printers print it, the UI draws it. */
#ifndef NETTOP_SNAPSHOT_H
#define NETTOP_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "arena.h"

enum sock_proto { PROTO_TCP = 0, PROTO_UDP = 1 };

enum sock_flags {
	SOCK_HAS_INFO = 1 << 0,		/* tcp_info fields below are valid */
	SOCK_HAS_RATE = 1 << 1,		/* rx_bps/tx_bps computed against the previous sample */
	SOCK_OWNER_VIA_LISTENER = 1 << 2, /* no inode: owner is its listener's */
};

/* sock_rec.owner when no process is known. */
enum { OWNER_NONE = -1, OWNER_PENDING = -2 };

/* An IPv6 socket's two addresses, kept apart from its record: in its
 * snapshot's arena (snapshot_set_addrs()), or a close event's own. */
struct addr_pair {
	uint8_t l[16], r[16];
};

/* A record's addresses: IPv4 ones inline, an IPv6 pair by reference. The
 * reference is valid while the record's snapshot is: a record copied into
 * another snapshot is given its own pair there (snapshot_adopt_addrs()). */
union sock_addrs {
	struct {
		uint8_t l[4], r[4];
	} v4;				/* family 4 */
	const struct addr_pair *v6;	/* family 6; NULL reads as :: */
};

/* One socket. Fixed size, IPv4 addresses inline: the common sample makes
 * no allocation per socket, and an IPv4 socket costs 24 bytes less than
 * with both addresses at 16 bytes. Read the addresses with sock_laddr()
 * and sock_raddr(). */
struct sock_rec {
	uint64_t cookie;
	union sock_addrs addr;
	uint16_t lport, rport;		/* host byte order */
	uint8_t family;			/* 4 or 6 */
	uint8_t proto;			/* enum sock_proto */
	uint8_t state;			/* enum tcp_state */
	uint8_t flags;			/* enum sock_flags */
	uint8_t timer;			/* idiag_timer: 0 off, 1 on, 2 keepalive, 3 timewait, 4 probe */
	uint8_t retrans;		/* idiag_retrans */
	uint16_t netns;			/* index into snapshot.netns (with --all-netns), else 0 */
	uint32_t recv_q, send_q;	/* as the kernel's sock_diag reports them */
	uint32_t inode;
	uint32_t ifindex;		/* bound device, 0 if none */
	int32_t owner;			/* index into snapshot.procs, or OWNER_NONE/PENDING */
	/* from tcp_info (the rest of what is read of it: struct sock_extra) */
	uint32_t rtt_us;
	uint64_t bytes_acked, bytes_received;
	/* derived against the previous snapshot */
	float rx_bps, tx_bps;
};
/* The screen holds two samples of these: at a million sockets each byte
 * here is 2 MB of its peak (README, "A million sockets on screen"). */
_Static_assert(sizeof(struct sock_rec) <= 80, "struct sock_rec grew past 80 bytes");

/* An address at 16 bytes, zero-padded past an IPv4 address's 4: what the
 * accessors below return, by value (a temporary whose .b lives to the end
 * of the full expression). */
struct addr16 {
	uint8_t b[16];
};

static inline struct addr16 sock_addr_of(const struct sock_rec *r, bool local)
{
	struct addr16 a;

	memset(&a, 0, sizeof(a));
	if (r->family != 6)
		memcpy(a.b, local ? r->addr.v4.l : r->addr.v4.r, 4);
	else if (r->addr.v6)
		memcpy(a.b, local ? r->addr.v6->l : r->addr.v6->r, 16);
	return a;
}
static inline struct addr16 sock_laddr(const struct sock_rec *r)
{
	return sock_addr_of(r, true);
}
static inline struct addr16 sock_raddr(const struct sock_rec *r)
{
	return sock_addr_of(r, false);
}
/* The addresses of a record that belongs to no snapshot (a close event's,
 * parsed before it has one): an IPv4 pair inline, an IPv6 one left to a
 * (NULL reads as ::) until the record is adopted (snapshot_set_addrs()). */
static inline void sock_addrs_outside(struct sock_rec *r, const struct addr_pair *a)
{
	if (r->family == 6) {
		r->addr.v6 = NULL;
		return;
	}
	memcpy(r->addr.v4.l, a->l, 4);
	memcpy(r->addr.v4.r, a->r, 4);
}
/* Both, zero-padded. */
static inline struct addr_pair sock_pair(const struct sock_rec *r)
{
	struct addr_pair p;

	memcpy(p.l, sock_laddr(r).b, 16);
	memcpy(p.r, sock_raddr(r).b, 16);
	return p;
}
/* The same two addresses (family and bytes). */
static inline bool sock_same_addrs(const struct sock_rec *a, const struct sock_rec *b)
{
	if (a->family != b->family)
		return false;
	if (a->family != 6)
		return !memcmp(&a->addr.v4, &b->addr.v4, sizeof(a->addr.v4));
	return a->addr.v6 == b->addr.v6 ||
	       (!memcmp(sock_laddr(a).b, sock_laddr(b).b, 16) &&
		!memcmp(sock_raddr(a).b, sock_raddr(b).b, 16));
}

/* What a socket has beyond struct sock_rec that few samples need, in an
 * array parallel to snapshot.socks: a sample keeps it (SNAP_HAS_EXTRA)
 * only when its request asks for one of them (sampler.h): a column, a
 * filter, health, cgroups, a printer or a recording that reads them. The
 * screen's samples, which need none of them by default, cost 80 bytes a
 * socket (136 with every field in the record). Read it with
 * sock_extra_of(). */
struct sock_extra {
	uint64_t cgroup_id;		/* INET_DIAG_CGROUP_ID: its cgroup v2 inode; 0: unknown */
	uint32_t uid;
	uint32_t expires_ms;		/* idiag_expires: when its timer fires (netstat -o) */
	/* tcp_info's, with SOCK_HAS_INFO */
	uint32_t rttvar_us;
	uint32_t cwnd;
	uint32_t total_retrans;
	uint32_t segs_in, segs_out;	/* for the health rates */
};

struct iface_rec {
	uint32_t ifindex;
	bool up;
	bool has_rate;
	const char *name;		/* in the snapshot's arena; untrusted text */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint32_t mtu;
	uint32_t if_flags;		/* IFF_* */
	double rx_bps, tx_bps, rx_pps, tx_pps;
};

/* A process that owns sockets (filled with -p). */
struct proc_rec {
	int32_t pid;
	uint32_t uid;
	const char *comm;		/* in the snapshot's arena; untrusted text */
};

/* Kernel TCP counters, as one X-macro list: JSON name, /proc section, /proc
 * key, and whether it only grows (a counter, with a rate) or is a gauge. */
#define TCP_COUNTER_LIST(X) \
	X(active_opens,              "Tcp",      "ActiveOpens",          COUNTER) \
	X(passive_opens,             "Tcp",      "PassiveOpens",         COUNTER) \
	X(attempt_fails,             "Tcp",      "AttemptFails",         COUNTER) \
	X(estab_resets,              "Tcp",      "EstabResets",          COUNTER) \
	X(curr_estab,                "Tcp",      "CurrEstab",            GAUGE) \
	X(in_segs,                   "Tcp",      "InSegs",               COUNTER) \
	X(out_segs,                  "Tcp",      "OutSegs",              COUNTER) \
	X(retrans_segs,              "Tcp",      "RetransSegs",          COUNTER) \
	X(in_errs,                   "Tcp",      "InErrs",               COUNTER) \
	X(out_rsts,                  "Tcp",      "OutRsts",              COUNTER) \
	X(syncookies_sent,           "TcpExt",   "SyncookiesSent",       COUNTER) \
	X(syncookies_recv,           "TcpExt",   "SyncookiesRecv",       COUNTER) \
	X(syncookies_failed,         "TcpExt",   "SyncookiesFailed",     COUNTER) \
	X(listen_overflows,          "TcpExt",   "ListenOverflows",      COUNTER) \
	X(listen_drops,              "TcpExt",   "ListenDrops",          COUNTER) \
	X(tcp_req_q_full_drop,       "TcpExt",   "TCPReqQFullDrop",      COUNTER) \
	X(tcp_req_q_full_do_cookies, "TcpExt",   "TCPReqQFullDoCookies", COUNTER) \
	X(tcp_timeouts,              "TcpExt",   "TCPTimeouts",          COUNTER) \
	X(tcp_abort_on_timeout,      "TcpExt",   "TCPAbortOnTimeout",    COUNTER) \
	X(tcp_orphans,               "Sockstat", "orphan",               GAUGE) \
	X(tcp_tw,                    "Sockstat", "tw",                   GAUGE) \
	X(tcp_alloc,                 "Sockstat", "alloc",                GAUGE) \
	X(tcp_mem_pages,             "Sockstat", "mem",                  GAUGE)

enum tcp_counter {
#define X(c, section, key, kind) TCPC_##c,
	TCP_COUNTER_LIST(X)
#undef X
	TCPC_COUNT
};

struct tcp_counters {
	uint64_t v[TCPC_COUNT];
	uint64_t present;		/* bit per counter the kernel reported */
};

/* SYN packets counted from one source during the sample's interval. */
struct syn_source {
	uint8_t family;			/* 4 or 6 */
	uint8_t addr[16];
	uint32_t packets;
};

/* A network namespace of an --all-netns sample. */
struct netns_rec {
	const char *name;		/* in the snapshot's arena; untrusted text (a container's name) */
	const char *container;		/* the container or unit owning it, or NULL */
	uint64_t ino;			/* the namespace's nsfs inode */
	int err;			/* 0, or -errno: it could not be entered (no sockets from it) */
	struct tcp_counters tcp;	/* its own /proc/net counters, when counters were asked for */
};

/* A cgroup sockets belong to: its v2 id and its path under the cgroup root. */
struct cgroup_rec {
	uint64_t id;
	const char *path;		/* in the snapshot's arena; untrusted text */
};

enum snapshot_flags {
	SNAP_PARTIAL = 1 << 0,		/* a dump was interrupted; retried and still inconsistent */
	SNAP_PROCFS_FALLBACK = 1 << 1,	/* sockets came from /proc/net, not sock_diag */
	SNAP_HAS_INFO = 1 << 2,		/* tcp_info was requested */
	SNAP_HAS_PROCS = 1 << 3,	/* owners were looked up */
	SNAP_PROCS_PARTIAL = 1 << 4,	/* some processes could not be read */
	SNAP_HAS_SYN_PACKETS = 1 << 5,	/* syn_packets below were counted */
	SNAP_RUN_START = 1 << 6,	/* replayed: the first sample of a recorded run */
	SNAP_BPF = 1 << 7,		/* sockets came from BPF iterators, not sock_diag */
	SNAP_HAS_EVENTS = 1 << 8,	/* the destroy listener ran: closed[] below is whole */
	SNAP_HAS_HEALTH = 1 << 9,	/* health[] below is filled (sock_health.h) */
	SNAP_BPF_ITER = 1 << 10,	/* with SNAP_BPF: TCP by the kernel's iterator, not the table walk */
	SNAP_BPF_PORT = 1 << 11,	/* with SNAP_BPF: the established sockets of one port by the bind hash */
	SNAP_HAS_EXTRA = 1 << 12,	/* extra[] below is kept (struct sock_extra) */
};

struct close_event;
struct sock_health;

struct snapshot {
	struct arena arena;		/* owns names and everything else but the arrays below */
	struct timespec mono;		/* CLOCK_MONOTONIC at sampling, for rates */
	struct timespec wall;		/* CLOCK_REALTIME, for display */
	double interval;		/* seconds since the previous snapshot; 0 if none */
	unsigned flags;			/* enum snapshot_flags */
	const char *note;		/* why the sample is partial or degraded, or NULL */
	const char *backend_note;	/* why auto did not use BPF (a constant), or NULL */
	size_t bpf_walked;		/* with SNAP_BPF: records the table walk handed over */
	const char *bpf_iter_why;	/* with SNAP_BPF_ITER: why not the walk (a constant) */

	struct sock_rec *socks;
	size_t nsocks, socks_cap;
	struct iface_rec *ifaces;
	size_t nifaces, ifaces_cap;
	struct proc_rec *procs;
	size_t nprocs, procs_cap;
	struct syn_source *syn_packets;	/* most first; with SNAP_HAS_SYN_PACKETS */
	size_t nsyn_packets;
	uint64_t syn_packets_total;
	uint64_t syn_packets_dropped;	/* by the ring, since the previous sample */
	struct tcp_counters tcp;
	double tcp_rate[TCPC_COUNT];	/* per second; valid when interval > 0 and has_rate */
	/* the conntrack table (sample/conntrack.h), owned: NULL when the
	 * request did not ask for it, or when it is absent; conntrack_absent
	 * then says why (a constant, or in the arena), or is NULL (not asked) */
	struct ct_table *conntrack;
	const char *conntrack_absent;
	/* the sockets the kernel freed since the previous sample (close_event.h),
	 * oldest first, with SNAP_HAS_EVENTS; events_lost: since the listener
	 * started; events_note: why it does not run, or why it may lose some
	 * (a constant, or in the arena), or NULL */
	struct close_event *closed;
	size_t nclosed;
	uint64_t events_lost;
	const char *events_note;
	struct sock_health *health;	/* parallel to socks, with SNAP_HAS_HEALTH */
	size_t health_cap;
	struct sock_extra *extra;	/* parallel to socks, with SNAP_HAS_EXTRA */
	size_t extra_cap;
	/* --all-netns: every namespace sampled (sock_rec.netns indexes it); else empty */
	struct netns_rec *netns;
	size_t nnetns, netns_cap;
	unsigned netns_unreadable;	/* namespaces that could not be entered */
	struct cgroup_rec *cgroups;	/* the sockets' cgroups whose path is known, by id */
	size_t ncgroups, cgroups_cap;
};

const char *tcp_counter_key(enum tcp_counter c);	/* "SyncookiesSent" */
const char *tcp_counter_json(enum tcp_counter c);	/* "syncookies_sent" */
const char *tcp_counter_section(enum tcp_counter c);	/* "TcpExt" */
/* True for counters that only grow and so have a rate; false for gauges. */
bool tcp_counter_has_rate(enum tcp_counter c);

/* Orders sockets by namespace (--all-netns), local address (family first),
 * then local port: 0 for two sockets of one listening address. */
int sock_local_cmp(const struct sock_rec *x, const struct sock_rec *y);

struct snapshot *snapshot_new(size_t sock_hint);
void snapshot_free(struct snapshot *s);
/* A deep copy (its own arena and arrays), or NULL when out of memory. */
struct snapshot *snapshot_clone(const struct snapshot *s);
/* Appends a zeroed record; NULL when out of memory. */
struct sock_rec *snapshot_add_sock(struct snapshot *s);
/* Forgets the sockets and namespaces taken so far, and what the backend
 * said of them (SNAP_BPF, SNAP_BPF_ITER, SNAP_HAS_HEALTH), to take them
 * again another way (a backend that failed). SNAP_HAS_EXTRA stays. */
void snapshot_forget_sockets(struct snapshot *s);
/* The extra record of socket i of s, to fill (snapshot_add_sock() zeroed
 * it); NULL when s keeps none: no SNAP_HAS_EXTRA, or no memory for it. */
struct sock_extra *snapshot_extra_slot(struct snapshot *s, size_t i);
/* The extra record of r (a record of snap->socks): all zero when snap
 * keeps none, or r is a copy from elsewhere (a close event's). */
static inline const struct sock_extra *sock_extra_of(const struct snapshot *snap,
						     const struct sock_rec *r)
{
	static const struct sock_extra none;
	uintptr_t p = (uintptr_t)r, base = (uintptr_t)snap->socks;

	if (!snap->extra || !(snap->flags & SNAP_HAS_EXTRA) || p < base ||
	    p >= base + snap->nsocks * sizeof(*r))
		return &none;
	return &snap->extra[(p - base) / sizeof(*r)];
}
/* Sets r's addresses (its family set first): l and rem are 4 bytes for
 * IPv4, 16 for IPv6, whose pair is copied into s's arena. 0, or -ENOMEM
 * (r's addresses then read as ::). */
int snapshot_set_addrs(struct snapshot *s, struct sock_rec *r, const uint8_t *l, const uint8_t *rem);
/* r, copied from another snapshot (or a close event), given its own copy of
 * its IPv6 pair in s: 0, or -ENOMEM. */
int snapshot_adopt_addrs(struct snapshot *s, struct sock_rec *r);
/* Moves socket from's records (and its health and extra) to place to. */
void snapshot_move_sock(struct snapshot *s, size_t to, size_t from);
struct iface_rec *snapshot_add_iface(struct snapshot *s);
/* Returns the index of a new process record, or -1. */
int snapshot_add_proc(struct snapshot *s, int32_t pid, uint32_t uid, const char *comm);
/* Fills interval and every rate in cur from prev (which may be NULL). A counter
 * that went backwards is a reset: that item gets no rate for this sample. */
void snapshot_derive(struct snapshot *cur, const struct snapshot *prev);
/* snapshot_ct.c: the conntrack table's part of free, clone and derive. */
void snapshot_conntrack_free(struct snapshot *s);
/* 0, or -ENOMEM (c then has no table). */
int snapshot_conntrack_clone(struct snapshot *c, const struct snapshot *s);
void snapshot_conntrack_derive(struct snapshot *cur, const struct snapshot *prev);
/* Appends a namespace (name and container copied into the arena); its
 * index, or -1 when out of memory or past 65535 namespaces. */
int snapshot_add_netns(struct snapshot *s, const char *name, const char *container, uint64_t ino,
		       int err);
/* Adds a cgroup's path (copied), ids in ascending order: 0, or -1. */
int snapshot_add_cgroup(struct snapshot *s, uint64_t id, const char *path);
/* The index of cgroup id in s->cgroups (ascending ids), or s->ncgroups
 * when unknown. */
size_t snapshot_cgroup_index(const struct snapshot *s, uint64_t id);
/* The path of cgroup id, or NULL when unknown. */
const char *snapshot_cgroup_path(const struct snapshot *s, uint64_t id);
/* The name of r's namespace in an --all-netns sample, else NULL. */
/* Copies src's namespaces and cgroups into dst (empty): 0 or -ENOMEM. */
int snapshot_netns_copy(struct snapshot *dst, const struct snapshot *src);
static inline const char *snapshot_netns_name(const struct snapshot *s, const struct sock_rec *r)
{
	return r->netns < s->nnetns ? s->netns[r->netns].name : NULL;
}
/* Where the sockets came from: "bpf", "sockdiag" or "procfs". */
const char *snapshot_backend(const struct snapshot *s);

/* IPv4-mapped IPv6 (::ffff:a.b.c.d) is IPv4 for display and grouping. */
bool addr_is_v4mapped(const uint8_t addr[16]);
/* A wildcard address (0.0.0.0, ::); inline and by words, not memcmp():
 * the views ask it of every socket. */
static inline bool addr_is_any(int family, const uint8_t addr[16])
{
	uint64_t w[2];
	uint32_t v4;

	if (family == 4) {
		memcpy(&v4, addr, sizeof(v4));
		return !v4;
	}
	memcpy(w, addr, sizeof(w));
	return !(w[0] | w[1]);
}
/* Formats addr in numeric form, as netstat does. Returns the length. */
int addr_format(char *buf, size_t len, int family, const uint8_t addr[16]);


enum endpoint_style {
	ENDPOINT_NETSTAT,	/* "::1:80", "0.0.0.0:*": netstat -n's form */
	ENDPOINT_BRACKET,	/* "[::1]:80", "0.0.0.0:0": JSON's form */
	ENDPOINT_SCREEN,	/* "[::1]:80", "0.0.0.0:*" */
};

/* Formats address and port; returns the length (truncated if len is short). */
int endpoint_format(char *buf, size_t len, int family, const uint8_t addr[16], uint16_t port,
		    enum endpoint_style style);

/* netstat's rule: a socket with no remote port is a server ("listening"). */
static inline bool sock_is_listening(const struct sock_rec *r)
{
	return r->rport == 0;
}

#endif
