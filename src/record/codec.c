/* codec.c: the recording format (doc/recording.md): varints everywhere,
 * sockets as runs of references to the previous sample or as full records. */
#include "codec.h"

#include "../tcpstate.h"
#include "bytes.h"
#include "codec_sock.h"
#include "sections.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MAGIC 0x4c504d53u		/* "SMPL" */
#define FRAME_RUN_START 1u		/* the first sample of a run: no previous one */

enum { OP_COPY = 0, OP_NEW = 1 };
enum { REC_V6 = 1, REC_UDP = 2, REC_INFO = 4, REC_VIA_LISTENER = 8 };
/* The fewest bytes each item of a payload takes (one byte per varint and
 * string length, IPv4 addresses): what a frame claims is bounded by them. */
#define SOCK_NEW_MIN_BYTES 23	/* op, bits, state, timer, retransmits, 2 x 4, 10 varints */
#define IFACE_MIN_BYTES 13	/* 4 varints and up, a name, 8 counters */
#define PROC_MIN_BYTES 3	/* pid, uid, a name */
#define SYN_MIN_BYTES 18	/* family, 16 address bytes, packets */

static uint32_t le32(const unsigned char *b)
{
	return b[0] | b[1] << 8 | b[2] << 16 | (uint32_t)b[3] << 24;
}

static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	static uint32_t table[256];
	uint32_t c = ~0u;

	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;

			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	while (n--)
		c = table[(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

/* ---- one sample ---- */

/* The owner as it is recorded: a pid, -1 none, -2 pending. */
static int64_t owner_key(const struct snapshot *s, const struct sock_rec *r)
{
	if (r->owner >= 0 && (size_t)r->owner < s->nprocs)
		return s->procs[r->owner].pid;
	return r->owner == OWNER_PENDING ? -2 : -1;
}

/* The recorded fields of struct sock_extra (not the cgroup). */
static bool same_extra(const struct sock_extra *x, const struct sock_extra *y)
{
	return x->uid == y->uid && x->expires_ms == y->expires_ms && x->rttvar_us == y->rttvar_us &&
	       x->cwnd == y->cwnd && x->total_retrans == y->total_retrans &&
	       x->segs_in == y->segs_in && x->segs_out == y->segs_out;
}

static bool same_record(const struct snapshot *a, const struct sock_rec *x,
			const struct snapshot *b, const struct sock_rec *y)
{
	const unsigned keep = SOCK_HAS_INFO | SOCK_OWNER_VIA_LISTENER;

	return x->cookie == y->cookie && sock_same_addrs(x, y) && x->lport == y->lport &&
	       x->rport == y->rport && x->proto == y->proto && x->state == y->state &&
	       (x->flags & keep) == (y->flags & keep) && x->timer == y->timer &&
	       x->retrans == y->retrans && x->recv_q == y->recv_q && x->send_q == y->send_q &&
	       x->inode == y->inode && x->ifindex == y->ifindex && x->rtt_us == y->rtt_us &&
	       x->bytes_acked == y->bytes_acked && x->bytes_received == y->bytes_received &&
	       owner_key(a, x) == owner_key(b, y) && same_extra(sock_extra_of(a, x), sock_extra_of(b, y));
}

static void encode_sock(struct buf *b, const struct snapshot *s, const struct sock_rec *r)
{
	size_t alen = r->family == 4 ? 4 : 16;
	struct addr_pair a = sock_pair(r);
	const struct sock_extra *x = sock_extra_of(s, r);
	uint8_t bits = (r->family == 6 ? REC_V6 : 0) | (r->proto == PROTO_UDP ? REC_UDP : 0) |
		       (r->flags & SOCK_HAS_INFO ? REC_INFO : 0) |
		       (r->flags & SOCK_OWNER_VIA_LISTENER ? REC_VIA_LISTENER : 0);

	put_u8(b, OP_NEW);
	put_u8(b, bits);
	put_u8(b, r->state);
	put_u8(b, r->timer);
	put_u8(b, r->retrans);
	record_put_ends(b, r, &a, alen);
	put_varint(b, x->expires_ms);
	put_varint(b, r->recv_q);
	put_varint(b, r->send_q);
	put_varint(b, x->uid);
	put_varint(b, r->inode);
	put_varint(b, r->ifindex);
	put_svarint(b, owner_key(s, r));
	if (!(r->flags & SOCK_HAS_INFO))
		return;
	record_put_info(b, r, x);
}

/* Sockets as runs: COPY (index in prev, length) where a stretch of them
 * equals a stretch of prev's, NEW with a full record otherwise. */
static void encode_socks(struct buf *b, const struct snapshot *s, const struct snapshot *prev)
{
	size_t i = 0, j = 0;

	put_varint(b, s->nsocks);
	while (i < s->nsocks) {
		size_t run = 0;

		/* the dump order is stable: look where the last run ended first */
		if (prev && j < prev->nsocks && !same_record(s, &s->socks[i], prev, &prev->socks[j]))
			j = prev->nsocks;
		if (prev && j == prev->nsocks && i < prev->nsocks &&
		    same_record(s, &s->socks[i], prev, &prev->socks[i]))
			j = i;
		while (prev && j + run < prev->nsocks && i + run < s->nsocks &&
		       same_record(s, &s->socks[i + run], prev, &prev->socks[j + run]))
			run++;
		if (run) {
			put_u8(b, OP_COPY);
			put_varint(b, j);
			put_varint(b, run);
			i += run, j += run;
		} else {
			encode_sock(b, s, &s->socks[i++]);
		}
	}
}

static void encode_ifaces(struct buf *b, const struct snapshot *s)
{
	put_varint(b, s->nifaces);
	for (size_t i = 0; i < s->nifaces; i++) {
		const struct iface_rec *r = &s->ifaces[i];
		const uint64_t v[8] = { r->rx_bytes, r->tx_bytes, r->rx_packets, r->tx_packets,
					r->rx_errors, r->tx_errors, r->rx_dropped, r->tx_dropped };

		put_varint(b, r->ifindex);
		put_varint(b, r->if_flags);
		put_u8(b, r->up);
		put_varint(b, r->mtu);
		put_str(b, r->name);
		for (int k = 0; k < 8; k++)
			put_varint(b, v[k]);
	}
}

static void encode_rest(struct buf *b, const struct snapshot *s)
{
	put_varint(b, s->tcp.present);
	for (int c = 0; c < TCPC_COUNT; c++)
		if (s->tcp.present & (1ULL << c))
			put_varint(b, s->tcp.v[c]);
	put_varint(b, s->nprocs);
	for (size_t i = 0; i < s->nprocs; i++) {
		put_svarint(b, s->procs[i].pid);
		put_varint(b, s->procs[i].uid);
		put_str(b, s->procs[i].comm);
	}
	put_varint(b, s->nsyn_packets);
	for (size_t i = 0; i < s->nsyn_packets; i++) {
		put_u8(b, s->syn_packets[i].family);
		put_bytes(b, s->syn_packets[i].addr, 16);
		put_varint(b, s->syn_packets[i].packets);
	}
	put_varint(b, s->syn_packets_total);
	put_varint(b, s->syn_packets_dropped);
}

static void encode(struct buf *b, const struct snapshot *s, const struct snapshot *prev)
{
	put_varint(b, prev ? 0 : FRAME_RUN_START);
	put_svarint(b, s->wall.tv_sec);
	put_varint(b, (uint64_t)s->wall.tv_nsec);
	put_svarint(b, s->mono.tv_sec);
	put_varint(b, (uint64_t)s->mono.tv_nsec);
	/* health records are not recorded (sock_health.h): a replay has none */
	put_varint(b, s->flags & ~(unsigned)(SNAP_RUN_START | SNAP_HAS_HEALTH | SNAP_HAS_EXTRA));
	put_str(b, s->note);
	encode_rest(b, s);
	encode_ifaces(b, s);
	encode_socks(b, s, prev);
	record_sections_encode(b, s);
}

/* ---- decoding ---- */

static int owner_index(const struct snapshot *s, int64_t key)
{
	if (key == -2)
		return OWNER_PENDING;
	for (size_t i = 0; key >= 0 && i < s->nprocs; i++)
		if (s->procs[i].pid == key)
			return (int)i;
	return OWNER_NONE;
}

static bool decode_sock(struct rd *r, struct snapshot *s, struct sock_rec *x)
{
	uint8_t bits = get_u8(r);
	size_t alen = bits & REC_V6 ? 16 : 4;
	struct addr_pair a;
	struct sock_extra none, *e;

	x->family = bits & REC_V6 ? 6 : 4;
	x->proto = bits & REC_UDP ? PROTO_UDP : PROTO_TCP;
	x->flags = (bits & REC_INFO ? SOCK_HAS_INFO : 0) | (bits & REC_VIA_LISTENER ? SOCK_OWNER_VIA_LISTENER : 0);
	x->state = get_u8(r);
	x->timer = get_u8(r);
	x->retrans = get_u8(r);
	if (!record_get_ends(r, x, &a, alen) || snapshot_set_addrs(s, x, a.l, a.r) < 0)
		return false;
	/* a replay keeps struct sock_extra (record_decode()) */
	if (!(e = snapshot_extra_slot(s, (size_t)(x - s->socks))))
		e = &none;
	e->expires_ms = (uint32_t)get_varint(r);
	x->recv_q = (uint32_t)get_varint(r);
	x->send_q = (uint32_t)get_varint(r);
	e->uid = (uint32_t)get_varint(r);
	x->inode = (uint32_t)get_varint(r);
	x->ifindex = (uint32_t)get_varint(r);
	x->owner = owner_index(s, get_svarint(r));
	if (bits & REC_INFO)
		record_get_info(r, x, e);
	return !r->bad && x->state < ST_COUNT;
}

/* COPY: a run of prev's sockets, unchanged. Each of them is carried at most
 * once (carried marks them): a frame copying one range twice would double
 * the sockets every sample, gigabytes from a kilobyte. */
static bool decode_copy(struct rd *r, struct snapshot *s, const struct snapshot *prev,
			unsigned char *carried, size_t n)
{
	uint64_t from = get_varint(r), run = get_varint(r);

	if (r->bad || !prev || !run || from > prev->nsocks || run > prev->nsocks - from ||
	    run > n - s->nsocks)
		return false;
	for (uint64_t k = from; k < from + run; k++) {
		const struct sock_rec *old = &prev->socks[k];
		struct sock_rec *x;
		struct sock_extra *e;

		if (carried[k / 8] & (1u << (k % 8)) || !(x = snapshot_add_sock(s)))
			return false;
		carried[k / 8] |= (unsigned char)(1u << (k % 8));
		*x = *old;
		if (snapshot_adopt_addrs(s, x) < 0)
			return false;
		if ((e = snapshot_extra_slot(s, s->nsocks - 1)))
			*e = *sock_extra_of(prev, old);
		x->flags &= SOCK_HAS_INFO | SOCK_OWNER_VIA_LISTENER;
		x->rx_bps = x->tx_bps = 0;
		x->owner = owner_index(s, owner_key(prev, old));
	}
	return true;
}

static bool decode_socks(struct rd *r, struct snapshot *s, const struct snapshot *prev)
{
	size_t nprev = prev ? prev->nsocks : 0;
	uint64_t n = get_varint(r);
	unsigned char *carried;
	bool ok = true;

	/* at most every previous socket once, and as many new ones as the
	 * bytes left can hold */
	if (r->bad || n > (size_t)64 << 20 || n > nprev + (r->len - r->pos) / SOCK_NEW_MIN_BYTES)
		return false;
	if (!(carried = calloc(nprev / 8 + 1, 1)))
		return false;
	while (ok && s->nsocks < n && !r->bad) {
		uint8_t op = get_u8(r);
		struct sock_rec *x;

		if (op == OP_COPY)
			ok = decode_copy(r, s, prev, carried, (size_t)n);
		else if (op == OP_NEW)
			ok = (x = snapshot_add_sock(s)) && decode_sock(r, s, x);
		else
			ok = false;
	}
	free(carried);
	return ok && !r->bad;
}

static bool decode_ifaces(struct rd *r, struct snapshot *s)
{
	size_t n = get_count(r, IFACE_MIN_BYTES);

	for (size_t i = 0; i < n && !r->bad; i++) {
		struct iface_rec *x = snapshot_add_iface(s);
		uint64_t v[8];

		if (!x)
			return false;
		x->ifindex = (uint32_t)get_varint(r);
		x->if_flags = (uint32_t)get_varint(r);
		x->up = get_u8(r);
		x->mtu = (uint32_t)get_varint(r);
		x->name = get_str(r, &s->arena);
		for (int k = 0; k < 8; k++)
			v[k] = get_varint(r);
		x->rx_bytes = v[0], x->tx_bytes = v[1], x->rx_packets = v[2], x->tx_packets = v[3];
		x->rx_errors = v[4], x->tx_errors = v[5], x->rx_dropped = v[6], x->tx_dropped = v[7];
		if (!x->name)
			return false;
	}
	return !r->bad;
}

static bool decode_rest(struct rd *r, struct snapshot *s)
{
	size_t n;

	s->tcp.present = get_varint(r) & ((1ULL << TCPC_COUNT) - 1);
	for (int c = 0; c < TCPC_COUNT; c++)
		if (s->tcp.present & (1ULL << c))
			s->tcp.v[c] = get_varint(r);
	n = get_count(r, PROC_MIN_BYTES);
	for (size_t i = 0; i < n && !r->bad; i++) {
		int32_t pid = (int32_t)get_svarint(r);
		uint32_t uid = (uint32_t)get_varint(r);
		const char *comm = get_str(r, &s->arena);

		if (!comm || snapshot_add_proc(s, pid, uid, comm) < 0)
			return false;
	}
	n = get_count(r, SYN_MIN_BYTES);
	if (n && !(s->syn_packets = calloc(n, sizeof(*s->syn_packets))))
		return false;
	for (size_t i = 0; i < n && !r->bad; i++) {
		const unsigned char *a;

		s->syn_packets[i].family = get_u8(r);
		if ((a = get_bytes(r, 16)))
			memcpy(s->syn_packets[i].addr, a, 16);
		s->syn_packets[i].packets = (uint32_t)get_varint(r);
		s->nsyn_packets++;
	}
	s->syn_packets_total = get_varint(r);
	s->syn_packets_dropped = get_varint(r);
	return !r->bad;
}

struct snapshot *record_decode(const unsigned char *p, size_t len, const struct snapshot *prev)
{
	struct rd r = { p, len, 0, false };
	struct snapshot *s = snapshot_new(prev ? prev->nsocks : 0);
	uint64_t frame_flags;

	if (!s)
		return NULL;
	frame_flags = get_varint(&r);
	s->wall.tv_sec = (time_t)get_svarint(&r);
	s->wall.tv_nsec = (long)(get_varint(&r) % 1000000000u);
	s->mono.tv_sec = (time_t)get_svarint(&r);
	s->mono.tv_nsec = (long)(get_varint(&r) % 1000000000u);
	s->flags = (unsigned)get_varint(&r);
	s->note = get_str(&r, &s->arena);
	if (s->note && !*s->note)
		s->note = NULL;
	s->flags &= ~(unsigned)SNAP_RUN_START;
	s->flags |= SNAP_HAS_EXTRA;	/* what was recorded of struct sock_extra */
	if (frame_flags & FRAME_RUN_START) {
		prev = NULL;
		s->flags |= SNAP_RUN_START;
	}
	if (r.bad || !decode_rest(&r, s) || !decode_ifaces(&r, s) || !decode_socks(&r, s, prev) ||
	    !record_sections_decode(&r, s) || r.pos != r.len) {
		snapshot_free(s);
		return NULL;
	}
	return s;
}

/* ---- frames ---- */

void record_header(unsigned char out[RECORD_HEADER_SIZE])
{
	memset(out, 0, RECORD_HEADER_SIZE);
	memcpy(out, RECORD_FILE_MAGIC, 8);
	out[8] = RECORD_FILE_VERSION;
}

int record_header_check(const unsigned char head[RECORD_HEADER_SIZE], uint32_t *version)
{
	*version = le32(head + 8);
	if (memcmp(head, RECORD_FILE_MAGIC, 8))
		return -EBADMSG;
	return *version == RECORD_FILE_VERSION ? 0 : -EPROTO;
}

unsigned char *record_encode(const struct snapshot *snap, const struct snapshot *prev, size_t *len)
{
	struct buf payload = { 0 }, frame = { 0 };

	encode(&payload, snap, prev);
	put_u32le(&frame, FRAME_MAGIC);
	put_u32le(&frame, (uint32_t)payload.len);
	put_bytes(&frame, payload.p, payload.len);
	put_u32le(&frame, crc32_of(payload.p, payload.len));
	free(payload.p);
	if (payload.oom || frame.oom || payload.len >= RECORD_FRAME_MAX) {
		free(frame.p);
		return NULL;
	}
	*len = frame.len;
	return frame.p;
}

long record_frame_length(const unsigned char head[RECORD_FRAME_HEADER_SIZE])
{
	if (le32(head) != FRAME_MAGIC)
		return -1;
	return le32(head + 4) < RECORD_FRAME_MAX ? (long)le32(head + 4) : -2;
}

bool record_frame_intact(const unsigned char *payload, size_t len, const unsigned char crc[4])
{
	return le32(crc) == crc32_of(payload, len);
}

void record_peek(const unsigned char *payload, size_t len, bool *run_start, struct timespec *wall)
{
	struct rd r = { payload, len, 0, false };

	*run_start = get_varint(&r) & FRAME_RUN_START;
	wall->tv_sec = (time_t)get_svarint(&r);
	wall->tv_nsec = (long)(get_varint(&r) % 1000000000u);
}
