/* options.h: the command line, parsed into one plain struct. */
#ifndef NETTOP_OPTIONS_H
#define NETTOP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "view/view.h"

enum section {
	SECTION_SOCKETS = 1 << 0,	/* netstat's listing */
	SECTION_STATES = 1 << 1,	/* --states */
	SECTION_TOP_REMOTE = 1 << 2,	/* --top-remote */
	SECTION_IFACES = 1 << 3,	/* -i */
	SECTION_COUNTERS = 1 << 4,	/* -s */
	SECTION_BY_PROCESS = 1 << 5,	/* --group process */
	SECTION_FLOOD = 1 << 6,		/* --flood */
	SECTION_BY_NETNS = 1 << 7,	/* --group netns */
	SECTION_BY_CGROUP = 1 << 8,	/* --group cgroup */
};

enum mode_flag { MODE_R = 1, MODE_M = 2, MODE_I = 4, MODE_S = 8, MODE_G = 16 };

struct options {
	bool batch;			/* --batch, or stdout is not a terminal */
	bool batch_forced;
	bool json;
	bool numeric;			/* -n */
	bool show_procs;		/* -p */
	bool no_color;
	const char *theme;		/* --theme NAME|PATH */
	const char *config;		/* --config FILE, instead of the default path */
	/* given on the command line: they win over the config file */
	bool interval_given, flood_threshold_given;
	bool help, version;
	unsigned protos;		/* 1 << PROTO_TCP | 1 << PROTO_UDP */
	unsigned families;		/* SAMPLE_V4 | SAMPLE_V6 */
	enum listen_mode listen;	/* from -a / -l; netstat's default otherwise */
	bool listen_given;		/* -a or -l was given */
	unsigned sections;		/* enum section */
	size_t top_remote;		/* rows of --top-remote */
	bool flood_by_network;		/* --flood=net */
	bool syn_sources;		/* --syn-sources */
	bool kill;			/* --kill: close the sockets the filter matches */
	bool events;			/* --events: a JSON line per closed connection */
	const char *prometheus;		/* --prometheus FILE */
	const char *listen_http;	/* --listen ADDR:PORT */
	size_t prometheus_top;		/* --prometheus-top K */
	const char *netns;		/* --netns NAME|PID */
	bool all_netns;			/* --all-netns */
	const char *record;		/* --record FILE */
	const char *frame_log;		/* --frame-log FILE */
	const char *replay;		/* --replay FILE */
	size_t replay_pause;		/* --replay-pause N: start paused at sample N */
	unsigned flood_syn_recv;	/* --flood-threshold */
	long count;			/* samples to print; 0 = until stopped */
	bool continuous;		/* -c */
	double interval;		/* seconds */
	unsigned backend;		/* --backend: enum sample_backend */
	bool backend_given;
	char *filter;			/* -f EXPR and trailing words, or NULL */
	/* the rest of netstat's flags (issue 22) */
	enum more_mode { MORE_NONE, MORE_ROUTE, MORE_GROUPS, MORE_MASQ } more;	/* -r, -g, -M */
	int extend;			/* -e given this many times */
	bool timers;			/* -o */
	bool route_cache;		/* -C */
	bool raw, unix_socks;		/* -w, -x; or netstat's default of every family */
	bool inet_hidden;		/* -x or -w alone: no TCP or UDP rows */
	bool no_inet;			/* -x alone: no Internet listing at all */
	bool groups;			/* -g with protocol flags: the groups too */
	bool conntrack;			/* --conntrack: JSON samples gain the table */
	bool health;			/* --health: sock_health.h's fields are sampled */
	unsigned modes;			/* enum mode_flag: which tables were asked for */
	/* issue 19: history */
	size_t history;			/* --history SECS: samples kept at full resolution */
	const char *series;		/* --series NAME[,NAME] or "list" */
	bool csv;			/* --csv */
};

/* Parses argv into o. Returns 0, or -1 with a message (naming the bad
 * argument) in err; the caller prints it and exits with status 2. */
int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen);
void options_free(struct options *o);
void options_usage(FILE *out);
/* "auto", "bpf", "sockdiag" into enum sample_backend; 0 or -1. */
int options_backend(const char *s, unsigned *backend);

#endif
