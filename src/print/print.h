/* print.h: printers. Each writes one sample to a FILE (a memory stream in
 * practice, so a sample is written whole or not at all). */
#ifndef NETTOP_PRINT_H
#define NETTOP_PRINT_H

#include <stdbool.h>
#include <stdio.h>

#include "../snapshot.h"
#include "../view/flood.h"
#include "../view/view.h"

struct resolver;
struct ct_table;
struct closed_tally;

struct out_options {
	struct resolver *names;		/* host and service names (no -n), or NULL */
	struct view_options view;	/* what the listing shows */
	bool show_procs;		/* -p: the PID/Program name column */
	size_t top_remote;		/* rows of the top-remote section */
	struct flood_thresholds flood;	/* when the flood alert rises */
	bool flood_by_network;		/* SYN_RECV sources by /24 and /64 */
	bool syn_sources;		/* --syn-sources: SYN packets were asked for */
	int extend;			/* -e: User and Inode columns (from 1) */
	bool timers;			/* -o: the Timer column */
	bool inet_hidden;		/* -w alone: raw rows only */
	const struct snapshot *raw;	/* raw sockets (-w, netstat's default), or NULL */
	bool want_conntrack;		/* --conntrack: JSON gains the sample's table */
	/* closed connections (destroy events), live runs only: the sample's
	 * JSON gains "closed" and "events_lost", Prometheus their counters */
	const struct closed_tally *closed;	/* NULL: not listened to */
	uint64_t events_lost;
	const char *events_note;	/* why they are not listened to, or NULL */
	bool group_process;		/* --group process: JSON gains "processes" */
};

/* Asks names for every address the listing shows and waits for them at
 * most timeout_ms: unresolved ones print as numbers. */
void out_netstat_resolve(const struct snapshot *snap, const struct out_options *o, unsigned timeout_ms);
/* netstat's listing: its two header lines, its columns, its address forms. */
void out_netstat(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* The 12 TCP states with counts (and change since prev when given). */
void out_states(FILE *f, const struct snapshot *snap, const struct out_options *o);
void out_top_remote(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* Sockets grouped by program (--group process). */
void out_by_process(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* prom.c's pieces for prom_netns.c: a HELP and TYPE pair; a label value,
 * escaped for the screen and then as the format wants. */
void prom_header(FILE *f, const char *name, const char *type, const char *help);
void prom_label(FILE *f, const char *value);
/* --all-netns: sockets and the kernel's counters per namespace, the top
 * --prometheus-top namespaces by sockets on their own, the rest as _other. */
void prom_netns_series(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* Sockets grouped by network namespace (--group netns), and those not entered. */
void out_by_netns(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* Sockets grouped by cgroup path (--group cgroup; '-': not known). */
void out_by_cgroup(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* SYN flood indicators: alert, per-listener and per-source SYN_RECV. */
void out_flood(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* SYN packets per source (--syn-sources), or a line saying why they were
 * not counted. */
void out_syn_packets(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* netstat -i's table with rx/tx byte rates added at the end. */
void out_ifaces(FILE *f, const struct snapshot *snap);
/* The kernel's TCP counters, netstat -s style, with rates. */
void out_counters(FILE *f, const struct snapshot *snap);
/* One JSON object on one line. */
void out_json(FILE *f, const struct snapshot *snap, const struct out_options *o);

/* The Prometheus text exposition format (metric names: see README). */
void out_prometheus(FILE *f, const struct snapshot *snap, const struct out_options *o);

/* Closed connections (events_json.c, closed_prom.c). */
struct closed_conn;
/* One closed connection as one JSON line (--events). */
void out_event_json(FILE *f, const struct closed_conn *c);
/* {"lost":N,"lost_total":M}: events the kernel dropped since the last such line. */
void out_events_lost_json(FILE *f, uint64_t lost, uint64_t total);
/* {"events":null,"note":WHY}: the listener could not start. */
void out_events_unavailable_json(FILE *f, const char *why);
/* The sample's "closed", "closed_remotes", "closed_listeners" and
 * "events_lost" keys, when o says so; nothing otherwise. */
void out_json_closed(FILE *f, const struct out_options *o);
/* Counters of closed connections per state and listener, and of events lost. */
void out_prometheus_closed(FILE *f, const struct out_options *o);

/* Bytes per second per group in JSON (rates_json.c). */
struct listener_rate;
struct flood_rates {
	struct listener_rate *listeners;	/* view_listener_rates() */
	size_t nlisteners;
	struct remote_row *sources;		/* the flood report's sources, with rates */
	size_t nsources;
};
/* ,"rx_bps":X,"tx_bps":Y of a top remote row, closed sockets' bytes added. */
void out_json_remote_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
			   const struct remote_row *r);
/* The sample's "listeners" and (--group process) "processes" keys. */
void out_json_listeners(FILE *f, const struct snapshot *snap, const struct out_options *o);
void out_json_processes(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* The sample's "udp_remote" key: connected UDP sockets per remote address. */
void out_json_udp_remotes(FILE *f, const struct snapshot *snap, const struct out_options *o);
/* The rates of a flood report's listeners and sources: init (-1: out of
 * memory, and the rates print as null), one call per row, free. */
int out_json_flood_rates_init(struct flood_rates *fr, const struct snapshot *snap,
			      const struct out_options *o, const struct flood_report *r);
void out_json_flood_listener_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
				   const struct flood_rates *fr, uint32_t sock);
void out_json_flood_source_rates(FILE *f, const struct snapshot *snap, const struct out_options *o,
				 const struct flood_rates *fr, size_t i, unsigned prefix);
void out_json_flood_rates_free(struct flood_rates *fr);
/* Bytes and retransmits per TCP listener, as Prometheus counters
 * (prom_listeners.c): its open connections' and, with the destroy events,
 * its closed ones'. */
void out_prometheus_listener_bytes(FILE *f, const struct snapshot *snap, const struct out_options *o);

#endif
