/* fields.c: one row per field; formatters and comparators stay tiny. */
#include "fields.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../escape.h"
#include "../tcpstate.h"
#include "fields_owner.h"
#include "keysort.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

static int clamp_len(int n, size_t len)
{
	if (n < 0)
		return 0;
	return (size_t)n >= len ? (int)len - 1 : n;
}

/* A constant name, as snprintf(buf, len, "%s") would write it (a text
 * filter formats every socket: printf's parsing is the cost there). */
static int copy_name(char *buf, size_t len, const char *name)
{
	size_t n = strlen(name);

	if (!len)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, name, n);
	buf[n] = '\0';
	return (int)n;
}

static int fmt_proto(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	static const char *const names[2][2] = { { "tcp", "tcp6" }, { "udp", "udp6" } };

	return copy_name(buf, len, names[r->proto != PROTO_TCP][r->family == 6]);
}

static int fmt_recv_q(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "%u", r->recv_q), len);
}

static int fmt_send_q(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "%u", r->send_q), len);
}

static int fmt_local(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(endpoint_format(buf, len, r->family, sock_laddr(r).b, r->lport, ENDPOINT_SCREEN), len);
}

static int fmt_remote(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(endpoint_format(buf, len, r->family, sock_raddr(r).b, r->rport, ENDPOINT_SCREEN), len);
}

static int fmt_state(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	if (r->proto == PROTO_UDP && r->state == ST_CLOSE)
		return copy_name(buf, len, "UNCONN");
	return copy_name(buf, len, tcpstate_name(r->state));
}

/* "PID/name"; "?" while a scan that could name it is due or an unreadable
 * process may hold it; a trailing '*' when the owner is the listener of a
 * socket that has no file itself. */
static int fmt_process(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const struct proc_rec *p;
	int n;

	if (r->owner == OWNER_PENDING)
		return copy_name(buf, len, "?");
	if (r->owner < 0 || (size_t)r->owner >= snap->nprocs)
		return copy_name(buf, len, "-");
	p = &snap->procs[r->owner];
	n = clamp_len(snprintf(buf, len, "%d/", p->pid), len);
	escape_text(buf + n, len - (size_t)n, p->comm, strlen(p->comm));
	n = (int)strlen(buf);
	if ((r->flags & SOCK_OWNER_VIA_LISTENER) && (size_t)n + 1 < len)
		buf[n++] = '*', buf[n] = '\0';
	return n;
}

static int fmt_uid(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	return clamp_len(snprintf(buf, len, "%u", sock_extra_of(snap, r)->uid), len);
}

static int fmt_inode(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "%u", r->inode), len);
}

static int fmt_rtt(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	if (!(r->flags & SOCK_HAS_INFO) || !r->rtt_us)
		return clamp_len(snprintf(buf, len, "-"), len);
	return clamp_len(snprintf(buf, len, "%.1f", r->rtt_us / 1000.0), len);
}

int field_format_rate(char *buf, size_t len, double v)
{
	static const char units[] = " KMGT";
	int u = 0;

	while (v >= 1000 && u < 4)
		v /= 1000, u++;
	if (u == 0)
		return clamp_len(snprintf(buf, len, "%.0f", v), len);
	return clamp_len(snprintf(buf, len, "%.1f%c", v, units[u]), len);
}

static int fmt_rx(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	if (!(r->flags & SOCK_HAS_RATE))
		return clamp_len(snprintf(buf, len, "-"), len);
	return field_format_rate(buf, len, r->rx_bps);
}

static int fmt_tx(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	if (!(r->flags & SOCK_HAS_RATE))
		return clamp_len(snprintf(buf, len, "-"), len);
	return field_format_rate(buf, len, r->tx_bps);
}

static int fmt_cookie(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "%llx", (unsigned long long)r->cookie), len);
}

/* A comparator ordering sockets by one numeric member. */
#define CMP_MEMBER(name, member)                                                        \
	static int cmp_##name(const struct snapshot *s, const struct sock_rec *a,        \
			      const struct sock_rec *b)                                   \
	{                                                                                \
		(void)s;                                                                 \
		return CMP(a->member, b->member);                                        \
	}

static int cmp_endpoint(int fa, const uint8_t *a, uint16_t pa, int fb, const uint8_t *b, uint16_t pb)
{
	int c = CMP(fa, fb);

	if (!c)
		c = memcmp(a, b, fa == 4 ? 4 : 16);
	return c ? c : CMP(pa, pb);
}

static int cmp_proto(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	(void)s;
	return a->proto != b->proto ? CMP(a->proto, b->proto) : CMP(a->family, b->family);
}

CMP_MEMBER(recv_q, recv_q)
CMP_MEMBER(send_q, send_q)
static int cmp_local(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	(void)s;
	return cmp_endpoint(a->family, sock_laddr(a).b, a->lport, b->family, sock_laddr(b).b, b->lport);
}

static int cmp_remote(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	(void)s;
	return cmp_endpoint(a->family, sock_raddr(a).b, a->rport, b->family, sock_raddr(b).b, b->rport);
}

static int cmp_state(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	(void)s;
	return strcmp(tcpstate_name(a->state), tcpstate_name(b->state));
}

static int cmp_process(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	const char *na = a->owner >= 0 ? s->procs[a->owner].comm : "";
	const char *nb = b->owner >= 0 ? s->procs[b->owner].comm : "";
	int c = strcmp(na, nb);

	if (c || a->owner < 0 || b->owner < 0)
		return c ? c : CMP(a->owner, b->owner);
	return CMP(s->procs[a->owner].pid, s->procs[b->owner].pid);
}

static int cmp_uid(const struct snapshot *s, const struct sock_rec *a, const struct sock_rec *b)
{
	return CMP(sock_extra_of(s, a)->uid, sock_extra_of(s, b)->uid);
}

CMP_MEMBER(inode, inode)
CMP_MEMBER(rtt, rtt_us)
CMP_MEMBER(rx, rx_bps)
CMP_MEMBER(tx, tx_bps)
CMP_MEMBER(cookie, cookie)
/* Sort keys: each orders as the comparator above it does. */
#define KEY_MEMBER(name, member)                                                        \
	static uint64_t key_##name(struct field_key_ctx *ctx, const struct sock_rec *r)  \
	{                                                                                \
		(void)ctx;                                                               \
		return r->member;                                                        \
	}

/* Family first (IPv4 before IPv6), then the address bytes, then the port:
 * exact for IPv4; for IPv6 only the first 63 bits of the address fit. */
static uint64_t key_endpoint(struct field_key_ctx *ctx, int family, const uint8_t *a, uint16_t port)
{
	uint64_t hi = 0;

	if (family == 4)
		return (uint64_t)a[0] << 40 | (uint64_t)a[1] << 32 | (uint64_t)a[2] << 24 |
		       (uint64_t)a[3] << 16 | port;
	for (int i = 0; i < 8; i++)
		hi = hi << 8 | a[i];
	ctx->lossy = true;
	return 1ULL << 63 | hi >> 1;
}

static uint64_t key_proto(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	(void)ctx;
	return (uint64_t)r->proto << 8 | r->family;
}

KEY_MEMBER(recv_q, recv_q)
KEY_MEMBER(send_q, send_q)
static uint64_t key_local(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return key_endpoint(ctx, r->family, sock_laddr(r).b, r->lport);
}

static uint64_t key_remote(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return key_endpoint(ctx, r->family, sock_raddr(r).b, r->rport);
}

static uint64_t key_state(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return ctx->state_rank[r->state < ST_COUNT ? r->state : ST_UNKNOWN];
}

/* No owner (-2 pending, -1 none) before any program, as "" sorts first. */
static uint64_t key_process(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	if (r->owner < 0 || (size_t)r->owner >= ctx->snap->nprocs)
		return r->owner == OWNER_PENDING ? 0 : 1;
	return 2 + (uint64_t)ctx->proc_rank[r->owner];
}

static uint64_t key_uid(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return sock_extra_of(ctx->snap, r)->uid;
}

KEY_MEMBER(inode, inode)
KEY_MEMBER(rtt, rtt_us)
KEY_MEMBER(cookie, cookie)
static uint64_t key_rx(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	(void)ctx;
	return keysort_float(r->rx_bps);
}

static uint64_t key_tx(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	(void)ctx;
	return keysort_float(r->tx_bps);
}

static bool num_recv_q(const struct snapshot *snap, const struct sock_rec *r, double *out)
{
	(void)snap;
	*out = r->recv_q;
	return true;
}

static bool num_send_q(const struct snapshot *snap, const struct sock_rec *r, double *out)
{
	(void)snap;
	*out = r->send_q;
	return true;
}

static bool num_rtt(const struct snapshot *snap, const struct sock_rec *r, double *out)
{
	(void)snap;
	*out = r->rtt_us / 1000.0;
	return (r->flags & SOCK_HAS_INFO) && r->rtt_us;
}

static bool num_rx(const struct snapshot *snap, const struct sock_rec *r, double *out)
{
	(void)snap;
	*out = r->rx_bps;
	return r->flags & SOCK_HAS_RATE;
}

static bool num_tx(const struct snapshot *snap, const struct sock_rec *r, double *out)
{
	(void)snap;
	*out = r->tx_bps;
	return r->flags & SOCK_HAS_RATE;
}

#define TEXT (FIELD_TEXT_MATCH | FIELD_DEFAULT)

static const struct field fields[FIELD_COUNT] = {
	[FIELD_PROTO] = { "proto", "Proto", 5, TEXT, "tcp, tcp6, udp or udp6",
		fmt_proto, cmp_proto, key_proto, UNIT_NONE, NULL },
	[FIELD_RECV_Q] = { "recv_q", "Recv-Q", 6, FIELD_RIGHT | FIELD_DEFAULT,
		"Bytes received, not yet read by the program (listener: connections waiting for accept)",
		fmt_recv_q, cmp_recv_q, key_recv_q, UNIT_BYTES, num_recv_q },
	[FIELD_SEND_Q] = { "send_q", "Send-Q", 6, FIELD_RIGHT | FIELD_DEFAULT,
		"Bytes sent, not yet acknowledged by the peer (listener: the backlog)",
		fmt_send_q, cmp_send_q, key_send_q, UNIT_BYTES, num_send_q },
	[FIELD_LOCAL] = { "local", "Local Address", 22, TEXT, "Local address and port",
		fmt_local, cmp_local, key_local, UNIT_NONE, NULL },
	[FIELD_REMOTE] = { "remote", "Foreign Address", 22, TEXT, "Remote address and port",
		fmt_remote, cmp_remote, key_remote, UNIT_NONE, NULL },
	[FIELD_STATE] = { "state", "State", 11, TEXT, "TCP state (UDP: UNCONN or ESTABLISHED)",
		fmt_state, cmp_state, key_state, UNIT_NONE, NULL },
	[FIELD_PROCESS] = { "process", "PID/Program", 18, TEXT | FIELD_NEEDS_PROCS,
		"Owning process: PID/name ('-' none, '?' not yet known, '*' via its listener)", fmt_process, cmp_process, key_process, UNIT_NONE, NULL },
	[FIELD_UID] = { "uid", "UID", 6, FIELD_RIGHT, "Owner's user id", fmt_uid, cmp_uid, key_uid, UNIT_NONE, NULL },
	[FIELD_INODE] = { "inode", "Inode", 9, FIELD_RIGHT, "Socket inode (0: no file)",
		fmt_inode, cmp_inode, key_inode, UNIT_NONE, NULL },
	[FIELD_RTT] = { "rtt", "RTT ms", 7, FIELD_RIGHT | FIELD_NEEDS_INFO | FIELD_DEFAULT,
		"Smoothed round-trip time in milliseconds", fmt_rtt, cmp_rtt, key_rtt, UNIT_MS, num_rtt },
	[FIELD_RX_RATE] = { "rx", "RX/s", 7, FIELD_RIGHT | FIELD_NEEDS_INFO | FIELD_DEFAULT,
		"Bytes received per second", fmt_rx, cmp_rx, key_rx, UNIT_BYTES, num_rx },
	[FIELD_TX_RATE] = { "tx", "TX/s", 7, FIELD_RIGHT | FIELD_NEEDS_INFO | FIELD_DEFAULT,
		"Bytes sent (acknowledged) per second", fmt_tx, cmp_tx, key_tx, UNIT_BYTES, num_tx },
	[FIELD_COOKIE] = { "cookie", "Cookie", 16, FIELD_RIGHT, "The kernel's socket cookie",
		fmt_cookie, cmp_cookie, key_cookie, UNIT_NONE, NULL },
	[FIELD_NETNS] = { "netns", "Netns", 12, TEXT | FIELD_NEEDS_NETNS,
		"Network namespace (--all-netns): its /run/netns name, container, or pid:N",
		field_netns_format, field_netns_compare, field_netns_key, UNIT_NONE, NULL },
	[FIELD_CGROUP] = { "cgroup", "Cgroup", 24, FIELD_TEXT_MATCH,
		"The socket's cgroup (v2 path): the service or container that made it",
		field_cgroup_format, field_cgroup_compare, field_cgroup_key, UNIT_NONE, NULL },
};

/* ---- the JSON keys: the contract of --json, in the order written ---- */

static int json_quoted(char *buf, size_t len, const char *s)
{
	return clamp_len(snprintf(buf, len, "\"%s\"", s), len);
}

static int json_null(char *buf, size_t len)
{
	return copy_name(buf, len, "null");
}

static int json_proto(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_quoted(buf, len, r->proto == PROTO_TCP ? "tcp" : "udp");
}

static int json_family(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "%u", r->family), len);
}

static int json_state(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_quoted(buf, len, tcpstate_name(r->state));
}

static int json_endpoint(char *buf, size_t len, int family, const uint8_t *addr, uint16_t port)
{
	char ep[64];

	endpoint_format(ep, sizeof(ep), family, addr, port, ENDPOINT_BRACKET);
	return json_quoted(buf, len, ep);
}

static int json_local(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_endpoint(buf, len, r->family, sock_laddr(r).b, r->lport);
}

static int json_remote(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_endpoint(buf, len, r->family, sock_raddr(r).b, r->rport);
}

static int json_cookie(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return clamp_len(snprintf(buf, len, "\"%" PRIx64 "\"", r->cookie), len);
}

static int json_rate(char *buf, size_t len, bool valid, double v)
{
	return valid ? clamp_len(snprintf(buf, len, "%.1f", v), len) : json_null(buf, len);
}

static int json_rtt(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_rate(buf, len, (r->flags & SOCK_HAS_INFO) && r->rtt_us, r->rtt_us / 1000.0);
}

static int json_rx(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_rate(buf, len, r->flags & SOCK_HAS_RATE, r->rx_bps);
}

static int json_tx(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	(void)snap;
	return json_rate(buf, len, r->flags & SOCK_HAS_RATE, r->tx_bps);
}

/* The owner's record, or NULL (none, or not known yet). */
static const struct proc_rec *owner_of(const struct snapshot *snap, const struct sock_rec *r)
{
	return r->owner >= 0 && (size_t)r->owner < snap->nprocs ? &snap->procs[r->owner] : NULL;
}

static int json_pid(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const struct proc_rec *p = owner_of(snap, r);

	return p ? clamp_len(snprintf(buf, len, "%d", p->pid), len) : json_null(buf, len);
}

static int json_user(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const struct proc_rec *p = owner_of(snap, r);

	return p ? clamp_len(snprintf(buf, len, "%u", p->uid), len) : 0;
}

/* The program's name, untrusted: escaped; "?" while a scan is due. */
static int json_process(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const struct proc_rec *p = owner_of(snap, r);

	if (p)
		return clamp_len((int)escape_json(buf, len, p->comm), len);
	return r->owner == OWNER_PENDING ? json_quoted(buf, len, "?") : json_null(buf, len);
}

static int json_owner_via(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	if (!owner_of(snap, r) || !(r->flags & SOCK_OWNER_VIA_LISTENER))
		return 0;
	return json_quoted(buf, len, "listener");
}

static const struct field_json json_keys[] = {
	{ "proto", FIELD_PROTO, false, json_proto },
	{ "family", FIELD_COUNT, false, json_family },
	{ "state", FIELD_STATE, false, json_state },
	{ "local", FIELD_LOCAL, false, json_local },
	{ "remote", FIELD_REMOTE, false, json_remote },
	{ "recv_q", FIELD_RECV_Q, false, fmt_recv_q },
	{ "send_q", FIELD_SEND_Q, false, fmt_send_q },
	{ "uid", FIELD_UID, false, fmt_uid },
	{ "inode", FIELD_INODE, false, fmt_inode },
	{ "cookie", FIELD_COOKIE, false, json_cookie },
	{ "rtt_ms", FIELD_RTT, false, json_rtt },
	{ "rx_bps", FIELD_RX_RATE, false, json_rx },
	{ "tx_bps", FIELD_TX_RATE, false, json_tx },
	{ "pid", FIELD_PROCESS, true, json_pid },
	{ "user", FIELD_PROCESS, true, json_user },
	{ "process", FIELD_PROCESS, true, json_process },
	{ "owner_via", FIELD_PROCESS, true, json_owner_via },
	{ "netns", FIELD_NETNS, false, field_netns_json },
	{ "cgroup", FIELD_CGROUP, false, field_cgroup_json },
};

const struct field_json *field_json_keys(size_t *n)
{
	*n = sizeof(json_keys) / sizeof(json_keys[0]);
	return json_keys;
}

/* netstat's own header and widths ("%-5s %6s %6s %-23s %-23s %-11s %-20s"). */
static const struct field_column netstat_columns[] = {
	{ FIELD_PROTO, NULL, 5 },
	{ FIELD_RECV_Q, NULL, 6 },
	{ FIELD_SEND_Q, NULL, 6 },
	{ FIELD_LOCAL, NULL, 23 },
	{ FIELD_REMOTE, NULL, 23 },
	{ FIELD_STATE, NULL, 11 },
	{ FIELD_PROCESS, "PID/Program name", 20 },
};

const struct field_column *field_netstat_columns(size_t *n)
{
	*n = sizeof(netstat_columns) / sizeof(netstat_columns[0]);
	return netstat_columns;
}

const struct field *field_get(enum field_id id)
{
	if (id >= FIELD_HEALTH_FIRST && id <= FIELD_HEALTH_LAST)
		return field_health_get(id);
	return &fields[(unsigned)id < FIELD_COUNT ? id : 0];
}

int field_by_name(const char *name)
{
	for (int i = 0; i < FIELD_COUNT; i++)
		if (!strcasecmp(name, field_get(i)->name))
			return i;
	return -1;
}
