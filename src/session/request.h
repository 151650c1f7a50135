/* request.h: what the kernel is asked to dump, built in one place from what
 * the screen or the printers show. */
#ifndef NETTOP_SESSION_REQUEST_H
#define NETTOP_SESSION_REQUEST_H

#include <stdbool.h>

#include "../options.h"
#include "../print/print.h"
#include "../sample/sampler.h"

/* What one consumer of the samples shows. */
struct session_needs {
	unsigned protos;		/* 1 << PROTO_TCP | 1 << PROTO_UDP */
	unsigned families;		/* SAMPLE_V4 | SAMPLE_V6 */
	enum listen_mode listen;
	const struct filter *filter;	/* may be NULL */
	bool info;			/* rtt and rates */
	bool health;			/* sock_health.h's fields (a column, a sort, --health) */
	bool extra;			/* struct sock_extra's (the RTTvar column, JSON) */
	bool procs;			/* owners (a filter on them asks by itself) */
	unsigned procs_budget_ms;	/* as in struct sample_request */
	bool syn_packets, links, counters;
	bool every_tcp;			/* counts every TCP socket, whatever the filter */
	unsigned backend;		/* --backend: enum sample_backend */
	bool conntrack;			/* the conntrack table (the C pane, --conntrack) */
	bool events;			/* the screen: destroy events with each sample */
	bool all_netns;			/* --all-netns, or the screen's picker */
	bool cgroups;			/* the cgroup column is shown (or --group cgroup) */
	bool cgroup_ids;		/* cgroups go along if known (JSON): no note when not */
};

/* The request for what shown shows and, when exported is not NULL, what
 * the exporter exports besides: the kernel then dumps what either filter
 * lets through, and the views filter the rest. req->bytecode belongs to a
 * filter of the needs: it is valid while they are. */
void session_request(const struct session_needs *shown, const struct session_needs *exported,
		     struct sample_request *req);
/* What --batch prints (and what is exported) with the command line's options. */
void session_needs_of_options(const struct options *o, const struct filter *filter,
			      struct session_needs *n);
/* What the listing and the other sections (JSON, Prometheus) show, from the
 * command line: the screen's exporter uses the same. */
void session_print_options(const struct options *o, const struct filter *filter,
			   struct out_options *listing, struct out_options *sections);

#endif
