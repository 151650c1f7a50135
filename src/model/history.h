/* history.h: every sample's aggregates over time (the H view, the flood
 * band's sparklines, --series), kept apart from the screen. A series is a named
 * number ("state.SYN_RECV", "listener.127.0.0.1:80.syn_recv"); each keeps a
 * fixed ring of its last base_points samples and, folded into buckets of
 * HISTORY_FOLD_SECONDS (min, max and mean), a day. Memory is bounded by the
 * number of series, never by the number of sockets: the series of listeners,
 * remote addresses and interfaces are capped per kind, the least recently
 * seen evicted first. */
#ifndef NETTOP_MODEL_HISTORY_H
#define NETTOP_MODEL_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HISTORY_NAME_MAX 72
#define HISTORY_FOLD_SECONDS 60.0
#define HISTORY_FOLD_POINTS 1440	/* a day of minutes */
#define HISTORY_DEFAULT_POINTS 3600	/* --history's default: an hour at 1 s */

/* The kinds of series, each with its own cap (history.c). */
enum history_class {
	HC_FIXED,		/* states, totals, the kernel's rates: always there */
	HC_LISTENER,		/* two per listener: syn_recv, accept_queue */
	HC_REMOTE,		/* one per remote address: conns */
	HC_IFACE,		/* four per interface: rx_bps, tx_bps, rx_pps, tx_pps */
	HC_COUNT
};

struct history_fold {
	float min, max, mean;		/* NAN: no value in the bucket */
};

struct history_series {
	char name[HISTORY_NAME_MAX];
	uint8_t cls;			/* enum history_class */
	uint64_t last_seen;		/* the sample (history.samples) it last had a value in */
	float *base;			/* base_cap values, NAN where none */
	struct history_fold *fold;	/* fold_cap buckets */
	/* the bucket being filled */
	float acc_min, acc_max;
	double acc_sum;
	uint32_t acc_n;
};

struct history {
	size_t base_cap, base_n, base_next;	/* base_next: the slot of the sample in progress */
	double *base_t;				/* each slot's time (seconds, wall clock) */
	size_t fold_cap, fold_n, fold_next;
	double *fold_t;				/* each bucket's start */
	double acc_start;			/* the open bucket's start; <0: none */
	struct history_series *series;
	size_t nseries, series_cap;
	size_t class_n[HC_COUNT];
	uint32_t *index;			/* open addressing, series + 1; 0: free */
	size_t index_cap;
	uint64_t samples;			/* begun so far */
	uint64_t evicted, refused;		/* series replaced, values with no room */
	bool open;				/* between begin and end */
};

/* An empty history keeping base_points samples at full resolution. 0 or
 * -ENOMEM / -EINVAL (base_points 0). */
int history_init(struct history *h, size_t base_points);
void history_free(struct history *h);
/* Starts a sample taken at t (seconds); its values follow, then end. */
void history_begin(struct history *h, double t);
/* name's value in the sample begun. 0; -ENOSPC when every series of its
 * kind was seen in this very sample (counted in refused); -ENOMEM. */
int history_set(struct history *h, const char *name, enum history_class cls, double v);
void history_end(struct history *h);
/* The series named name, or -1. */
long history_find(const struct history *h, const char *name);
/* Bytes held (the rings and the registry). */
size_t history_memory(const struct history *h);
/* The k-th sample kept at full resolution (0: the oldest; k < base_n). */
double history_time(const struct history *h, size_t k);
float history_value(const struct history *h, size_t series, size_t k);

/* history_graph.c: what a graph of a series shows, as numbers: the drawing
 * (src/ui/view_history.c) maps them to characters. */
/* The largest value of series s in each of ncols columns splitting the
 * window (end - span, end]; NAN where no sample fell. Folded buckets fill
 * the part older than the full-resolution ring. Returns the columns with a
 * value. */
size_t history_columns(const struct history *h, size_t s, double end, double span, float *out,
		       size_t ncols);
struct history_stats {
	bool has;			/* any value in the window */
	double cur, min, max;		/* cur: the newest at or before end */
};
void history_stats(const struct history *h, size_t s, double end, double span,
		   struct history_stats *out);
/* Each column's height in steps (0 … levels) against top; a value above 0
 * shows at least one step, NAN shows none. */
void history_heights(const float *cols, size_t n, double top, int levels, int *out);
/* The time of the oldest sample kept (folded or not); 0 when none. */
double history_first_time(const struct history *h);
/* The zoom levels: 1 min, 10 min, 1 h, everything kept. */
enum { HISTORY_ZOOMS = 4 };
/* The span of zoom z ending at end (the last: since the first sample). */
double history_zoom_span(const struct history *h, int z, double end);
/* "-60s", "-10m", "-1h", "-3h20m": the left end of the axis for span. */
void history_span_label(double span, char *buf, size_t len);
/* "1.2k", "340", "12M": a value that fits in a graph's title. */
void history_value_format(double v, char *buf, size_t len);


/* history_point.c: one sample's values, gathered (in the worker, from what
 * the panes computed anyway) and then added to the history (in the loop). */
struct snapshot;
struct flood_report;
struct remote_row;
struct history_entry {
	char name[HISTORY_NAME_MAX];
	uint8_t cls;			/* enum history_class */
	double v;
};
struct history_point {
	double t;			/* the sample's wall clock, seconds */
	uint64_t seq;			/* the sample's number */
	struct history_entry *e;
	size_t n, cap;
};
struct history_sources {
	const struct snapshot *snap;
	const struct flood_report *flood;	/* of snap, every TCP socket */
	const struct remote_row *remotes;	/* most connections first */
	size_t nremotes;
};
/* At most this many listeners, remote addresses and interfaces a sample. */
#define HISTORY_PER_KIND 64
/* Fills pt (emptied first) with the sample's values. 0 or -ENOMEM. */
int history_point_collect(struct history_point *pt, const struct history_sources *src);
void history_point_free(struct history_point *pt);
/* Adds pt as one sample. */
void history_point_add(struct history *h, const struct history_point *pt);
/* An interface's name as its series name it: escaped, a comma as \x2c. */
void history_iface_name(char *out, size_t len, const char *name);
/* A snapshot's values, its flood report and remote addresses made here
 * (--series, a replay's history): 0 or -ENOMEM. */
int history_add_snapshot(struct history *h, const struct snapshot *snap);

#endif
