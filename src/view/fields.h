/* fields.h: the one registry of connection fields. The screen's columns, the
 * JSON keys, sorting and text matching all read it. */
#ifndef NETTOP_FIELDS_H
#define NETTOP_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "../snapshot.h"

enum field_id {
	FIELD_PROTO,
	FIELD_RECV_Q,
	FIELD_SEND_Q,
	FIELD_LOCAL,
	FIELD_REMOTE,
	FIELD_STATE,
	FIELD_PROCESS,
	FIELD_UID,
	FIELD_INODE,
	FIELD_RTT,
	FIELD_RX_RATE,
	FIELD_TX_RATE,
	FIELD_COOKIE,
	/* TCP health (fields_health.c): hidden by default */
	FIELD_RETRANS,
	FIELD_RETRANS_RATE,
	FIELD_LOST,
	FIELD_CWND,
	FIELD_SSTHRESH,
	FIELD_MIN_RTT,
	FIELD_RTTVAR,
	FIELD_DELIVERY,
	FIELD_PACING,
	FIELD_UNACKED,
	FIELD_NOTSENT,
	FIELD_BUSY,
	FIELD_RWND_LIMITED,
	FIELD_SNDBUF_LIMITED,
	FIELD_CONG,
	FIELD_DROPS,
	FIELD_MEM,
	FIELD_NETNS,
	FIELD_CGROUP,
	FIELD_COUNT
};
#define FIELD_HEALTH_FIRST FIELD_RETRANS
#define FIELD_HEALTH_LAST FIELD_MEM

enum field_flags {
	FIELD_RIGHT = 1 << 0,		/* right-aligned (numbers) */
	FIELD_NEEDS_INFO = 1 << 1,	/* shown only when tcp_info was sampled */
	FIELD_NEEDS_PROCS = 1 << 2,	/* shown only when owners were looked up */
	FIELD_TEXT_MATCH = 1 << 3,	/* part of the row a text filter searches */
	FIELD_DEFAULT = 1 << 4,		/* a default screen column */
	FIELD_NEEDS_HEALTH = 1 << 5,	/* read from sock_health.h's records */
	FIELD_NEEDS_NETNS = 1 << 6,	/* shown only in samples of every namespace */
};

/* What a numeric field's value is, for the filter's comparisons and their
 * units ("rtt > 100ms", "rx > 1M"). */
enum field_unit {
	UNIT_NONE,			/* not a number: no comparison */
	UNIT_COUNT,			/* a count: 10, 1.5K */
	UNIT_BYTES,			/* bytes or bytes per second: 1500, 1M (10^6) */
	UNIT_MS,			/* milliseconds: 100ms, 1.5s, 200us (bare: ms) */
	UNIT_PERCENT,			/* a share of time: 50% (bare: percent) */
};

/* What a field's sort key may need beyond the socket (conn_order_init() fills it). */
struct field_key_ctx {
	const struct snapshot *snap;
	const uint32_t *proc_rank;	/* per snap->procs: its place by name, then pid */
	uint8_t state_rank[16];		/* per state: its place by name */
	bool lossy;			/* set when some key stands for several values */
};

struct field {
	const char *name;		/* for config and filters: "recv_q" */
	const char *title;		/* column header: "Recv-Q" */
	int width;			/* default column width */
	unsigned flags;
	const char *help;
	/* Writes the screen form (untrusted text already escaped); returns its
	 * length, at most len - 1. */
	int (*format)(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);
	/* Orders two sockets by this field, ascending. */
	int (*compare)(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b);
	/* A key that orders as compare() does; where it cannot tell two values
	 * apart (an IPv6 address), it sets ctx->lossy and compare() decides. */
	uint64_t (*sort_key)(struct field_key_ctx *ctx, const struct sock_rec *r);
	/* Numeric fields: the unit and the value in it (ms, bytes, percent);
	 * false when the socket has none (a UDP socket's rtt). */
	enum field_unit unit;
	bool (*number)(const struct snapshot *snap, const struct sock_rec *r, double *out);
};

/* One key of a socket's JSON object (--json: a documented contract). Most
 * report one field in their own form (the state as the kernel names it,
 * addresses bracketed); "family" is no column (FIELD_COUNT), and the owner
 * is four keys. */
struct field_json {
	const char *key;
	enum field_id field;		/* the field it reports, or FIELD_COUNT */
	bool needs_procs;		/* only in samples where owners were looked up */
	/* Writes the value as JSON (a number, null, true or a quoted string)
	 * and returns its length, at most len - 1; 0 leaves the key out. */
	int (*value)(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);
};

/* One column of netstat's listing (--batch): the fields it shows, in order,
 * with the titles and widths net-tools prints (the cells are netstat's
 * forms: out of view/, as they name hosts). */
struct field_column {
	enum field_id field;
	const char *title;		/* NULL: the field's own */
	int width;
};

const struct field *field_get(enum field_id id);
/* The JSON keys of a socket, in the order written; n gets their number. */
const struct field_json *field_json_keys(size_t *n);
/* netstat's columns, in order; n gets their number. */
const struct field_column *field_netstat_columns(size_t *n);
/* Looks a field up by name (any case); -1 if none. */
int field_by_name(const char *name);
/* Formats a byte rate for humans: "0", "12.3K", "4.0M". */
int field_format_rate(char *buf, size_t len, double bytes_per_sec);

/* fields_health.c: the health fields' rows (FIELD_HEALTH_FIRST on), and
 * their JSON keys (n gets their number): each writes 0 bytes (the key left
 * out) in samples taken without health, null where a socket has none. */
const struct field *field_health_get(enum field_id id);
const struct field_json *field_health_json_keys(size_t *n);
/* True when a field reads the health records (sock_health.h). */
bool field_needs_health(enum field_id id);
/* True when a field reads struct sock_extra (a sample keeps it only when
 * asked: sampler.h's want_extra). */
bool field_needs_extra(enum field_id id);

#endif
