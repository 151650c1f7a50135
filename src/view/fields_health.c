/* fields_health.c: the TCP health fields (retransmits, congestion window,
 * pacing, limits) and the UDP receive queue's drops, as the registry's rows
 * (fields.h). retrans, cwnd and rttvar come with every tcp_info (struct
 * sock_rec, both backends); the rest from sock_health.h's records, in
 * samples that asked for them. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../sock_health.h"
#include "fields.h"
#include "keysort.h"

#define CMP(a, b) ((a) < (b) ? -1 : (a) > (b))

/* One accessor per field: the value (in its unit) and whether there is one. */
typedef bool (*number_fn)(const struct snapshot *snap, const struct sock_rec *r, double *out);

static bool has_info(const struct sock_rec *r)
{
	return r->proto == PROTO_TCP && (r->flags & SOCK_HAS_INFO);
}

static const struct sock_health *tcp_health(const struct snapshot *snap, const struct sock_rec *r)
{
	const struct sock_health *h = sock_health_of(snap, r);

	return h && r->proto == PROTO_TCP && (h->flags & HEALTH_INFO) ? h : NULL;
}

static const struct sock_health *rated_health(const struct snapshot *snap, const struct sock_rec *r)
{
	const struct sock_health *h = tcp_health(snap, r);

	return h && (h->flags & HEALTH_RATES) ? h : NULL;
}

#define NUM_REC(name, expr)                                                              \
	static bool num_##name(const struct snapshot *snap, const struct sock_rec *r,     \
			       double *out)                                               \
	{                                                                                 \
		(void)snap;                                                               \
		*out = has_info(r) ? (double)(expr) : 0;                                  \
		return has_info(r);                                                       \
	}
#define NUM_HEALTH(name, get, expr)                                                      \
	static bool num_##name(const struct snapshot *snap, const struct sock_rec *r,     \
			       double *out)                                               \
	{                                                                                 \
		const struct sock_health *h = get(snap, r);                               \
		*out = h ? (double)(expr) : 0;                                            \
		return h != NULL;                                                         \
	}

NUM_REC(retrans, sock_extra_of(snap, r)->total_retrans)
NUM_HEALTH(retrans_rate, rated_health, h->retrans_ps)
NUM_HEALTH(lost, tcp_health, h->lost)
NUM_REC(cwnd, sock_extra_of(snap, r)->cwnd)
NUM_HEALTH(ssthresh, tcp_health, h->ssthresh)
NUM_HEALTH(min_rtt, tcp_health, h->min_rtt_us / 1000.0)
NUM_REC(rttvar, sock_extra_of(snap, r)->rttvar_us / 1000.0)
NUM_HEALTH(delivery, tcp_health, h->delivery_rate)
/* ~0: no pacing (a listener, a socket that never sent) */
static const struct sock_health *paced_health(const struct snapshot *snap, const struct sock_rec *r)
{
	const struct sock_health *h = tcp_health(snap, r);

	return h && h->pacing_rate != UINT64_MAX ? h : NULL;
}

NUM_HEALTH(pacing, paced_health, h->pacing_rate)
NUM_HEALTH(unacked, tcp_health, h->unacked)
NUM_HEALTH(notsent, tcp_health, h->notsent)
NUM_HEALTH(busy, rated_health, h->busy_share * 100.0)
NUM_HEALTH(rwnd_limited, rated_health, h->rwnd_limited_share * 100.0)
NUM_HEALTH(sndbuf_limited, rated_health, h->sndbuf_limited_share * 100.0)

static const struct sock_health *mem_health(const struct snapshot *snap, const struct sock_rec *r)
{
	const struct sock_health *h = sock_health_of(snap, r);

	return h && (h->flags & HEALTH_MEM) ? h : NULL;
}

NUM_HEALTH(drops, mem_health, h->drops)
NUM_HEALTH(mem, mem_health, (double)h->rmem + h->wmem)

static const char *cong_of(const struct snapshot *snap, const struct sock_rec *r)
{
	const struct sock_health *h = sock_health_of(snap, r);

	return h && r->proto == PROTO_TCP && (h->flags & HEALTH_CONG) ? h->cong : NULL;
}

/* The accessor of each numeric field (indexed from FIELD_HEALTH_FIRST). */
static const number_fn numbers[FIELD_HEALTH_LAST - FIELD_HEALTH_FIRST + 1] = {
	[FIELD_RETRANS - FIELD_HEALTH_FIRST] = num_retrans,
	[FIELD_RETRANS_RATE - FIELD_HEALTH_FIRST] = num_retrans_rate,
	[FIELD_LOST - FIELD_HEALTH_FIRST] = num_lost,
	[FIELD_CWND - FIELD_HEALTH_FIRST] = num_cwnd,
	[FIELD_SSTHRESH - FIELD_HEALTH_FIRST] = num_ssthresh,
	[FIELD_MIN_RTT - FIELD_HEALTH_FIRST] = num_min_rtt,
	[FIELD_RTTVAR - FIELD_HEALTH_FIRST] = num_rttvar,
	[FIELD_DELIVERY - FIELD_HEALTH_FIRST] = num_delivery,
	[FIELD_PACING - FIELD_HEALTH_FIRST] = num_pacing,
	[FIELD_UNACKED - FIELD_HEALTH_FIRST] = num_unacked,
	[FIELD_NOTSENT - FIELD_HEALTH_FIRST] = num_notsent,
	[FIELD_BUSY - FIELD_HEALTH_FIRST] = num_busy,
	[FIELD_RWND_LIMITED - FIELD_HEALTH_FIRST] = num_rwnd_limited,
	[FIELD_SNDBUF_LIMITED - FIELD_HEALTH_FIRST] = num_sndbuf_limited,
	[FIELD_DROPS - FIELD_HEALTH_FIRST] = num_drops,
	[FIELD_MEM - FIELD_HEALTH_FIRST] = num_mem,
};

static int clamp_len(int n, size_t len)
{
	if (n < 0)
		return 0;
	return (size_t)n >= len ? (int)len - 1 : n;
}

/* A row's cell in its field's unit: "-" where the socket has no value. */
static int format_number(enum field_id id, const struct snapshot *snap, const struct sock_rec *r,
			 char *buf, size_t len)
{
	const struct field *f = field_health_get(id);
	double v;

	if (!f->number(snap, r, &v))
		return clamp_len(snprintf(buf, len, "-"), len);
	switch (f->unit) {
	case UNIT_BYTES: return field_format_rate(buf, len, v);
	case UNIT_MS: return clamp_len(snprintf(buf, len, "%.1f", v), len);
	case UNIT_PERCENT: return clamp_len(snprintf(buf, len, "%.0f%%", v), len);
	default: break;
	}
	if (id == FIELD_RETRANS_RATE)
		return clamp_len(snprintf(buf, len, "%.1f", v), len);
	return clamp_len(snprintf(buf, len, "%.0f", v), len);
}

/* The smallest key for sockets without a value (a value's key, >= 0, has
 * its top bit set), then the value's; a float holds 24 bits of it: beyond
 * that, compare_number() decides. */
static uint64_t key_number(enum field_id id, const struct sock_rec *r, struct field_key_ctx *ctx)
{
	double v;

	if (!numbers[id - FIELD_HEALTH_FIRST](ctx->snap, r, &v))
		return 0;
	if ((double)(float)v != v)
		ctx->lossy = true;
	return keysort_float((float)v);
}

static int compare_number(enum field_id id, const struct snapshot *snap, const struct sock_rec *a,
			  const struct sock_rec *b)
{
	double x, y;
	bool hx = numbers[id - FIELD_HEALTH_FIRST](snap, a, &x);
	bool hy = numbers[id - FIELD_HEALTH_FIRST](snap, b, &y);

	if (hx != hy)
		return hx ? 1 : -1;
	return hx ? CMP(x, y) : 0;
}

/* The three functions of each numeric row, from its id. */
#define ROW_FNS(name, id)                                                                        \
	static int fmt_##name(const struct snapshot *snap, const struct sock_rec *r, char *buf,   \
			      size_t len)                                                         \
	{                                                                                         \
		return format_number(id, snap, r, buf, len);                                      \
	}                                                                                         \
	static int cmp_##name(const struct snapshot *snap, const struct sock_rec *a,              \
			      const struct sock_rec *b)                                           \
	{                                                                                         \
		return compare_number(id, snap, a, b);                                            \
	}                                                                                         \
	static uint64_t key_##name(struct field_key_ctx *ctx, const struct sock_rec *r)           \
	{                                                                                         \
		return key_number(id, r, ctx);                                              \
	}

ROW_FNS(retrans, FIELD_RETRANS)
ROW_FNS(retrans_rate, FIELD_RETRANS_RATE)
ROW_FNS(lost, FIELD_LOST)
ROW_FNS(cwnd, FIELD_CWND)
ROW_FNS(ssthresh, FIELD_SSTHRESH)
ROW_FNS(min_rtt, FIELD_MIN_RTT)
ROW_FNS(rttvar, FIELD_RTTVAR)
ROW_FNS(delivery, FIELD_DELIVERY)
ROW_FNS(pacing, FIELD_PACING)
ROW_FNS(unacked, FIELD_UNACKED)
ROW_FNS(notsent, FIELD_NOTSENT)
ROW_FNS(busy, FIELD_BUSY)
ROW_FNS(rwnd_limited, FIELD_RWND_LIMITED)
ROW_FNS(sndbuf_limited, FIELD_SNDBUF_LIMITED)
ROW_FNS(drops, FIELD_DROPS)
ROW_FNS(mem, FIELD_MEM)

static int fmt_cong(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const char *c = cong_of(snap, r);

	return clamp_len(snprintf(buf, len, "%s", c ? c : "-"), len);
}

static int cmp_cong(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b)
{
	const char *x = cong_of(snap, a), *y = cong_of(snap, b);

	return strcmp(x ? x : "", y ? y : "");
}

/* The name's first 8 bytes, big-endian: exact for names that short. */
static uint64_t key_cong(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	const char *c = cong_of(ctx->snap, r);
	uint64_t k = 0;
	size_t n = c ? strlen(c) : 0;

	for (size_t i = 0; i < 8; i++)
		k = k << 8 | (i < n ? (uint8_t)c[i] : 0);
	if (n > 8)
		ctx->lossy = true;
	return k;
}

#define INFO (FIELD_RIGHT | FIELD_NEEDS_INFO)
#define HEALTH (FIELD_RIGHT | FIELD_NEEDS_INFO | FIELD_NEEDS_HEALTH)
#define ROW(id, name, title, width, flags, help, unit) \
	[id - FIELD_HEALTH_FIRST] = { #name, title, width, flags, help, fmt_##name, cmp_##name, \
				      key_##name, unit, num_##name }

static const struct field rows[FIELD_HEALTH_LAST - FIELD_HEALTH_FIRST + 1] = {
	ROW(FIELD_RETRANS, retrans, "Retr", 5, INFO,
	    "TCP segments retransmitted since the connection began", UNIT_COUNT),
	ROW(FIELD_RETRANS_RATE, retrans_rate, "Retr/s", 6, HEALTH,
	    "TCP segments retransmitted per second", UNIT_COUNT),
	ROW(FIELD_LOST, lost, "Lost", 5, HEALTH, "Segments TCP thinks lost, not yet retransmitted",
	    UNIT_COUNT),
	ROW(FIELD_CWND, cwnd, "Cwnd", 5, INFO, "Congestion window, in segments", UNIT_COUNT),
	ROW(FIELD_SSTHRESH, ssthresh, "Ssthr", 6, HEALTH, "Slow start threshold, in segments",
	    UNIT_COUNT),
	ROW(FIELD_MIN_RTT, min_rtt, "MinRTT", 6, HEALTH, "Lowest round-trip time seen, in milliseconds",
	    UNIT_MS),
	ROW(FIELD_RTTVAR, rttvar, "RTTvar", 6, INFO, "Round-trip time variance, in milliseconds",
	    UNIT_MS),
	ROW(FIELD_DELIVERY, delivery, "Deliv/s", 7, HEALTH,
	    "Delivery rate the kernel measured, bytes per second", UNIT_BYTES),
	ROW(FIELD_PACING, pacing, "Pace/s", 7, HEALTH, "Pacing rate, bytes per second", UNIT_BYTES),
	ROW(FIELD_UNACKED, unacked, "Unack", 6, HEALTH, "Segments sent, not yet acknowledged",
	    UNIT_COUNT),
	ROW(FIELD_NOTSENT, notsent, "NotSent", 7, HEALTH, "Bytes written, not yet sent", UNIT_BYTES),
	ROW(FIELD_BUSY, busy, "Busy", 5, HEALTH, "Share of the interval spent sending data",
	    UNIT_PERCENT),
	ROW(FIELD_RWND_LIMITED, rwnd_limited, "RwndL", 5, HEALTH,
	    "Share of the interval limited by the peer's receive window", UNIT_PERCENT),
	ROW(FIELD_SNDBUF_LIMITED, sndbuf_limited, "SbufL", 5, HEALTH,
	    "Share of the interval limited by the send buffer", UNIT_PERCENT),
	[FIELD_CONG - FIELD_HEALTH_FIRST] = { "cong", "Cong", 7, FIELD_NEEDS_INFO | FIELD_NEEDS_HEALTH,
		"Congestion control algorithm", fmt_cong, cmp_cong, key_cong, UNIT_NONE, NULL },
	ROW(FIELD_DROPS, drops, "Drops", 6, HEALTH,
	    "Packets the receive queue dropped (SK_MEMINFO; UDP's only per-socket count)", UNIT_COUNT),
	ROW(FIELD_MEM, mem, "Mem", 6, HEALTH, "Bytes queued in the socket's buffers (receive + send)",
	    UNIT_BYTES),
};

const struct field *field_health_get(enum field_id id)
{
	return &rows[id - FIELD_HEALTH_FIRST];
}

bool field_needs_health(enum field_id id)
{
	return id >= FIELD_HEALTH_FIRST && id <= FIELD_HEALTH_LAST &&
	       (rows[id - FIELD_HEALTH_FIRST].flags & FIELD_NEEDS_HEALTH);
}

bool field_needs_extra(enum field_id id)
{
	return id == FIELD_RTTVAR || id == FIELD_RETRANS || id == FIELD_CWND || id == FIELD_UID;
}

/* ---- JSON: numbers in their unit; null where the socket has none ---- */

static int json_number(enum field_id id, const struct snapshot *snap, const struct sock_rec *r,
		       char *buf, size_t len, bool needs_health)
{
	double v;

	if (needs_health && !(snap->flags & SNAP_HAS_HEALTH))
		return 0;
	if (!numbers[id - FIELD_HEALTH_FIRST](snap, r, &v))
		return clamp_len(snprintf(buf, len, "null"), len);
	if (field_health_get(id)->unit == UNIT_MS || id == FIELD_RETRANS_RATE ||
	    field_health_get(id)->unit == UNIT_PERCENT)
		return clamp_len(snprintf(buf, len, "%.3f", v), len);
	return clamp_len(snprintf(buf, len, "%.0f", v), len);
}

#define JSON_FN(name, id)                                                                     \
	static int json_##name(const struct snapshot *snap, const struct sock_rec *r, char *buf, \
			       size_t len)                                                       \
	{                                                                                        \
		return json_number(id, snap, r, buf, len, field_needs_health(id));               \
	}

JSON_FN(retrans, FIELD_RETRANS)
JSON_FN(retrans_rate, FIELD_RETRANS_RATE)
JSON_FN(lost, FIELD_LOST)
JSON_FN(cwnd, FIELD_CWND)
JSON_FN(ssthresh, FIELD_SSTHRESH)
JSON_FN(min_rtt, FIELD_MIN_RTT)
JSON_FN(rttvar, FIELD_RTTVAR)
JSON_FN(delivery, FIELD_DELIVERY)
JSON_FN(pacing, FIELD_PACING)
JSON_FN(unacked, FIELD_UNACKED)
JSON_FN(notsent, FIELD_NOTSENT)
JSON_FN(busy, FIELD_BUSY)
JSON_FN(rwnd_limited, FIELD_RWND_LIMITED)
JSON_FN(sndbuf_limited, FIELD_SNDBUF_LIMITED)
JSON_FN(drops, FIELD_DROPS)
JSON_FN(mem, FIELD_MEM)

static int json_cong(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const char *c = cong_of(snap, r);

	if (!(snap->flags & SNAP_HAS_HEALTH))
		return 0;
	/* printable ASCII without quotes or backslashes (sockdiag_health.c) */
	return clamp_len(c && !strpbrk(c, "\"\\") ? snprintf(buf, len, "\"%s\"", c)
						  : snprintf(buf, len, "null"), len);
}

static const struct field_json json_keys[] = {
	{ "retrans", FIELD_RETRANS, false, json_retrans },
	{ "cwnd", FIELD_CWND, false, json_cwnd },
	{ "rttvar_ms", FIELD_RTTVAR, false, json_rttvar },
	/* with --health (or a health column shown while exporting) */
	{ "retrans_per_s", FIELD_RETRANS_RATE, false, json_retrans_rate },
	{ "lost", FIELD_LOST, false, json_lost },
	{ "ssthresh", FIELD_SSTHRESH, false, json_ssthresh },
	{ "min_rtt_ms", FIELD_MIN_RTT, false, json_min_rtt },
	{ "delivery_bps", FIELD_DELIVERY, false, json_delivery },
	{ "pacing_bps", FIELD_PACING, false, json_pacing },
	{ "unacked", FIELD_UNACKED, false, json_unacked },
	{ "notsent_bytes", FIELD_NOTSENT, false, json_notsent },
	{ "busy_pct", FIELD_BUSY, false, json_busy },
	{ "rwnd_limited_pct", FIELD_RWND_LIMITED, false, json_rwnd_limited },
	{ "sndbuf_limited_pct", FIELD_SNDBUF_LIMITED, false, json_sndbuf_limited },
	{ "cong", FIELD_CONG, false, json_cong },
	{ "drops", FIELD_DROPS, false, json_drops },
	{ "mem_bytes", FIELD_MEM, false, json_mem },
};

const struct field_json *field_health_json_keys(size_t *n)
{
	*n = sizeof(json_keys) / sizeof(json_keys[0]);
	return json_keys;
}
