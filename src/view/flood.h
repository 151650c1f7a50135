/* flood.h: SYN flood indicators, computed from a snapshot (pure). */
#ifndef NETTOP_FLOOD_H
#define NETTOP_FLOOD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../snapshot.h"
#include "group.h"
#include "view.h"

/* When the alert rises; a zero threshold disables that test. */
struct flood_thresholds {
	uint32_t syn_recv_per_listener;	/* default 256 */
	double syncookies_per_sec;	/* any cookie sent: > 0 */
	double listen_drops_per_sec;	/* any drop: > 0 */
};

extern const struct flood_thresholds flood_default_thresholds;

struct flood_listener {
	uint32_t sock;			/* index of the listener in snap->socks */
	uint32_t syn_recv;		/* request sockets on its address and port */
};

struct flood_source {
	uint8_t family;			/* 4 or 6 */
	uint8_t prefix;			/* 32/128 for single addresses, 24/64 for networks */
	uint16_t port;			/* 0 (used inside flood.c to key listeners) */
	uint8_t addr[16];		/* masked to prefix */
	uint32_t syn_recv;
	uint16_t netns;			/* its namespace (sock_rec.netns), or FLOOD_NETNS_SEVERAL */
};
/* A source whose half-open connections are in more than one namespace. */
#define FLOOD_NETNS_SEVERAL UINT16_MAX

enum flood_cause {
	FLOOD_SYN_RECV = 1 << 0,	/* a listener holds too many half-open connections */
	FLOOD_SYNCOOKIES = 1 << 1,	/* the kernel answers with syncookies */
	FLOOD_LISTEN_DROPS = 1 << 2,	/* SYNs or connections dropped at a listener */
};

struct flood_report {
	unsigned alert;			/* enum flood_cause bits; 0: quiet */
	uint32_t syn_recv;		/* all SYN_RECV sockets */
	struct flood_listener *listeners; /* with at least one SYN_RECV, most first */
	size_t nlisteners;
	struct flood_source *sources;	/* SYN_RECV sources, most first */
	size_t nsources;
};

/* Builds the report: per-listener and per-source SYN_RECV counts (sources
 * grouped by address, or by /24 and /64 when by_network), at most limit rows
 * each (0: all), and the alert from the thresholds and the kernel's counter
 * rates. 0 or -ENOMEM; free with flood_report_free(). */
int view_flood(const struct snapshot *snap, const struct view_options *opts,
	       const struct flood_thresholds *th, bool by_network, size_t limit,
	       struct flood_report *out);
/* view_flood() in steps, for a pass that gathers more (view_census()):
 * init (room for cap request sockets), add each TCP listener and request
 * socket of snap in the snapshot's order (or append gatherings of its
 * consecutive parts), then make the report. -ENOMEM or 0. */
struct flood_run {
	const struct sock_rec *first;	/* of requests for one local address and port */
	uint32_t count;
};
struct flood_gather {
	const struct snapshot *snap;
	bool by_network;
	uint32_t *listeners;		/* indexes into snap->socks */
	size_t nlisteners, listeners_cap;
	struct flood_run *runs;		/* the requests, by local address and port */
	size_t nruns, runs_cap;
	uint32_t nrequests;
	struct addr_groups sources;	/* the requests' sources */
};
int flood_gather_init(struct flood_gather *fg, const struct snapshot *snap, size_t cap,
		      bool by_network);
int flood_gather_add(struct flood_gather *fg, const struct sock_rec *r);
int flood_gather_append(struct flood_gather *fg, const struct flood_gather *part);
int view_flood_gathered(struct flood_gather *fg, const struct flood_thresholds *th, size_t limit,
			struct flood_report *out);
void flood_gather_free(struct flood_gather *fg);

/* The report of a snapshot known to hold no SYN_RECV socket (view_census()
 * counted none): the kernel's counters alone, without a pass. */
void view_flood_quiet(const struct snapshot *snap, const struct flood_thresholds *th,
		      struct flood_report *out);
void flood_report_free(struct flood_report *r);
/* "SYN_RECV", "syncookies", "listen drops" joined by ", ", for banners. */
void flood_cause_text(unsigned alert, char *buf, size_t len);

#endif
