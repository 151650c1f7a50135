/* options.c: netstat's short flags keep their meaning; the rest are long. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"
#include "export.h"
#include "sample/sampler.h"

enum {
	OPT_BATCH = 256, OPT_COUNT, OPT_INTERVAL, OPT_JSON, OPT_STATES, OPT_TOP_REMOTE,
	OPT_NO_COLOR, OPT_GROUP, OPT_FLOOD, OPT_FLOOD_THRESHOLD, OPT_SYN_SOURCES, OPT_KILL,
	OPT_PROMETHEUS, OPT_LISTEN, OPT_PROMETHEUS_TOP, OPT_NETNS, OPT_RECORD, OPT_REPLAY,
	OPT_REPLAY_PAUSE, OPT_THEME, OPT_CONFIG, OPT_FRAME_LOG, OPT_EVENTS,
};

static const struct option long_options[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "continuous", no_argument, NULL, 'c' },
	{ "help", no_argument, NULL, 'h' },
	{ "listening", no_argument, NULL, 'l' },
	{ "numeric", no_argument, NULL, 'n' },
	{ "tcp", no_argument, NULL, 't' },
	{ "udp", no_argument, NULL, 'u' },
	{ "programs", no_argument, NULL, 'p' },
	{ "interfaces", no_argument, NULL, 'i' },
	{ "statistics", no_argument, NULL, 's' },
	{ "filter", required_argument, NULL, 'f' },
	{ "wide", no_argument, NULL, 'W' },
	{ "version", no_argument, NULL, 'V' },
	{ "batch", no_argument, NULL, OPT_BATCH },
	{ "count", required_argument, NULL, OPT_COUNT },
	{ "interval", required_argument, NULL, OPT_INTERVAL },
	{ "json", no_argument, NULL, OPT_JSON },
	{ "states", no_argument, NULL, OPT_STATES },
	{ "top-remote", optional_argument, NULL, OPT_TOP_REMOTE },
	{ "no-color", no_argument, NULL, OPT_NO_COLOR },
	{ "group", required_argument, NULL, OPT_GROUP },
	{ "flood", optional_argument, NULL, OPT_FLOOD },
	{ "flood-threshold", required_argument, NULL, OPT_FLOOD_THRESHOLD },
	{ "syn-sources", no_argument, NULL, OPT_SYN_SOURCES },
	{ "kill", no_argument, NULL, OPT_KILL },
	{ "events", no_argument, NULL, OPT_EVENTS },
	{ "prometheus", required_argument, NULL, OPT_PROMETHEUS },
	{ "listen", required_argument, NULL, OPT_LISTEN },
	{ "prometheus-top", required_argument, NULL, OPT_PROMETHEUS_TOP },
	{ "netns", required_argument, NULL, OPT_NETNS },
	{ "record", required_argument, NULL, OPT_RECORD },
	{ "frame-log", required_argument, NULL, OPT_FRAME_LOG },
	{ "replay", required_argument, NULL, OPT_REPLAY },
	{ "replay-pause", required_argument, NULL, OPT_REPLAY_PAUSE },
	{ "theme", required_argument, NULL, OPT_THEME },
	{ "config", required_argument, NULL, OPT_CONFIG },
	{ NULL, 0, NULL, 0 },
};

void options_usage(FILE *out)
{
	fputs("Usage: nettop [options] [FILTER]\n"
	      "A live, full-screen netstat. Batch output (netstat's format) when stdout is\n"
	      "not a terminal or with --batch.\n\n"
	      "netstat's flags:\n"
	      "  -a, --all          all sockets, servers included\n"
	      "  -l, --listening    servers (listening sockets) only\n"
	      "  -t, --tcp          TCP sockets       -u, --udp   UDP sockets\n"
	      "  -4, -6             IPv4 / IPv6 only\n"
	      "  -n, --numeric      numeric addresses and ports\n"
	      "  -p, --programs     show PID/Program name\n"
	      "  -c, --continuous   print a new listing every interval\n"
	      "  -i, --interfaces   the interface table, with rx/tx rates\n"
	      "  -s, --statistics   the kernel's TCP counters\n"
	      "  -h, --help         this help\n\n"
	      "nettop's own:\n"
	      "  --batch            print instead of drawing, even on a terminal\n"
	      "  --count N          print N samples, then exit\n"
	      "  --interval SECS    time between samples, 0.05 to 3600 (default 1)\n"
	      "  --json             one JSON object per sample, one per line\n"
	      "  --states           the 12 TCP states with counts\n"
	      "  --top-remote[=N]   remote addresses with most TCP connections (default 20)\n"
	      "  --flood[=net]      SYN flood indicators: SYN_RECV per listener and per source\n"
	      "                     (by address, or by /24 and /64 with =net), syncookie rates\n"
	      "  --flood-threshold N  SYN_RECV on one listener that raises the alert\n"
	      "                     (1 to 1000000000; default 256)\n"
	      "  --syn-sources      count incoming SYN packets per source (root; AF_PACKET)\n"
	      "  --kill             close every socket the filter matches (SOCK_DESTROY, as\n"
	      "                     ss -K does) and print them; needs a filter and root\n"
	      "  --events           a JSON line per connection as it closes (the kernel's\n"
	      "                     destroy events; root): bytes, duration, process;\n"
	      "                     until --count intervals passed, or until stopped\n"
	      "  --netns NAME|PID   sample that network namespace (/run/netns/NAME or PID's)\n"
	      "  --prometheus FILE  write Prometheus metrics to FILE every sample (atomically)\n"
	      "  --listen ADDR:PORT serve Prometheus metrics at http://ADDR:PORT/metrics\n"
	      "                     (address 127.0.0.1 when only :PORT is given)\n"
	      "  --prometheus-top K remote-address series exported (default 20)\n"
	      "  --record FILE      append every sample to FILE (a nettop recording)\n"
	      "  --replay FILE      play a recording instead of sampling (with --batch: print it)\n"
	      "  --replay-pause N   start the replay paused at sample N (1 is the first)\n"
	      "  --group process    sockets grouped by owning program (implies -p)\n"
	      "  -f, --filter EXPR  keep matching sockets: 'state NAME[,NAME]' and words\n"
	      "  --no-color         draw without colors (also: NO_COLOR set)\n"
	      "  --theme NAME|PATH  the screen's colours: a theme of themes/ (T cycles them)\n"
	      "  --config FILE      settings from FILE (default: $XDG_CONFIG_HOME/nettop/config)\n"
	      "  --frame-log FILE   the screen writes each frame's cost and each key's latency\n"
	      "                     to FILE, in milliseconds (make bench reads it)\n"
	      "  -V, --version      print the version\n", out);
}

__attribute__((format(printf, 3, 4)))
static int error(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* A setting the config file has too: the same bounds, the same message. */
static int parse_setting(enum config_key k, const char *option, const char *s, double *v,
			 char *err, size_t errlen)
{
	char what[200];

	if (config_number(k, s, v, what, sizeof(what)) < 0)
		return error(err, errlen, "%s: %s", option, what);
	return 0;
}

/* A positive whole number up to max covering the whole of s. */
static bool parse_whole(const char *s, long max, long *v)
{
	char *end;

	errno = 0;
	*v = strtol(s, &end, 10);
	return *s && !*end && !errno && *v > 0 && *v <= max;
}

/* --listen is checked here, so that a bad one is a usage error. */
static int check_listen(struct options *o, const char *spec, char *err, size_t errlen)
{
	char addr[64];
	unsigned port;
	const char *cause;

	if (exporter_parse_listen(spec, addr, sizeof(addr), &port, &cause) < 0)
		return error(err, errlen, "--listen: '%s': %s (ADDR:PORT, [IPV6]:PORT or :PORT)",
			     spec, cause);
	o->listen_http = spec;
	return 0;
}

/* Joins words into one filter expression (ss takes its filter that way). */
static int append_filter(struct options *o, const char *word)
{
	size_t old = o->filter ? strlen(o->filter) : 0;
	char *f = realloc(o->filter, old + strlen(word) + 2);

	if (!f)
		return -1;
	if (old)
		f[old++] = ' ';
	strcpy(f + old, word);
	o->filter = f;
	return 0;
}

/* Each -f is one expression: "-f 'A or B' -f C" means (A or B) and C. A
 * single one stays as typed, so error columns point into it. */
static int add_filter_option(struct options *o, const char *expr)
{
	char *joined;

	if (!o->filter)
		return append_filter(o, expr);
	if (asprintf(&joined, "(%s) (%s)", o->filter, expr) < 0)
		return -1;
	free(o->filter);
	o->filter = joined;
	return 0;
}

static int parse_flag(struct options *o, int c, char *err, size_t errlen)
{
	double v;
	long n;

	switch (c) {
	/* as in netstat, -a wins over -l whatever their order */
	case 'a': o->listen = LISTEN_ALL; o->listen_given = true; return 0;
	case 'l':
		if (o->listen != LISTEN_ALL)
			o->listen = LISTEN_ONLY;
		o->listen_given = true;
		return 0;
	case 'c': o->continuous = true; return 0;
	case 'h': o->help = true; return 0;
	case 'n': o->numeric = true; return 0;
	case 't': o->protos |= 1u << PROTO_TCP; return 0;
	case 'u': o->protos |= 1u << PROTO_UDP; return 0;
	case '4': o->families |= SAMPLE_V4; return 0;
	case '6': o->families |= SAMPLE_V6; return 0;
	case 'p': o->show_procs = true; return 0;
	case 'i': o->sections |= SECTION_IFACES; return 0;
	case 's': o->sections |= SECTION_COUNTERS; return 0;
	case 'W': return 0;	/* netstat's --wide: nettop never truncates */
	case 'V': o->version = true; return 0;
	case 'f':
		return add_filter_option(o, optarg) ? error(err, errlen, "%s", "out of memory") : 0;
	case OPT_BATCH: o->batch = o->batch_forced = true; return 0;
	case OPT_JSON: o->json = true; return 0;
	case OPT_STATES: o->sections |= SECTION_STATES; return 0;
	case OPT_NO_COLOR: o->no_color = true; return 0;
	case OPT_THEME:
		if (!*optarg)
			return error(err, errlen, "%s", "--theme: an empty name");
		o->theme = optarg;
		return 0;
	case OPT_CONFIG:
		if (!*optarg)
			return error(err, errlen, "%s", "--config: an empty file name");
		o->config = optarg;
		return 0;
	case OPT_COUNT:
		if (!parse_whole(optarg, LONG_MAX, &n))
			return error(err, errlen, "--count: '%s' is not a positive whole number", optarg);
		o->count = n;
		return 0;
	case OPT_TOP_REMOTE:
		o->sections |= SECTION_TOP_REMOTE;
		if (optarg && !parse_whole(optarg, INT32_MAX, &n))
			return error(err, errlen, "--top-remote: '%s' is not a positive whole number", optarg);
		if (optarg)
			o->top_remote = (size_t)n;
		return 0;
	case OPT_FLOOD:
		if (optarg && strcmp(optarg, "net") && strcmp(optarg, "addr"))
			return error(err, errlen, "--flood: '%s' is not a grouping (addr or net)", optarg);
		o->sections |= SECTION_FLOOD;
		o->flood_by_network = optarg && !strcmp(optarg, "net");
		return 0;
	case OPT_SYN_SOURCES: o->syn_sources = true; return 0;
	case OPT_PROMETHEUS: o->prometheus = optarg; return 0;
	case OPT_LISTEN:
		return check_listen(o, optarg, err, errlen);
	case OPT_NETNS: o->netns = optarg; return 0;
	case OPT_RECORD: o->record = optarg; return 0;
	case OPT_FRAME_LOG: o->frame_log = optarg; return 0;
	case OPT_REPLAY: o->replay = optarg; return 0;
	case OPT_REPLAY_PAUSE:
		if (!parse_whole(optarg, LONG_MAX, &n))
			return error(err, errlen, "--replay-pause: '%s' is not a positive whole number", optarg);
		o->replay_pause = (size_t)n;
		return 0;
	case OPT_PROMETHEUS_TOP:
		if (!parse_whole(optarg, 100000, &n))
			return error(err, errlen, "--prometheus-top: '%s' is not a positive whole number", optarg);
		o->prometheus_top = (size_t)n;
		return 0;
	case OPT_KILL: o->kill = o->batch = o->batch_forced = true; return 0;
	case OPT_EVENTS: o->events = o->batch = o->batch_forced = true; return 0;
	case OPT_FLOOD_THRESHOLD:
		if (parse_setting(CONFIG_flood_threshold, "--flood-threshold", optarg, &v, err, errlen) < 0)
			return -1;
		o->flood_syn_recv = (unsigned)v;
		o->flood_threshold_given = true;
		return 0;
	case OPT_GROUP:
		if (strcmp(optarg, "process"))
			return error(err, errlen, "--group: '%s' is not a grouping (try 'process')", optarg);
		o->sections |= SECTION_BY_PROCESS;
		o->show_procs = true;
		return 0;
	case OPT_INTERVAL:
		if (parse_setting(CONFIG_interval, "--interval", optarg, &v, err, errlen) < 0)
			return -1;
		o->interval = v;
		o->interval_given = true;
		return 0;
	}
	return -1;
}

#define SHORT_OPTIONS ":acf:hlnptu46isWV"

/* getopt's '?': an unknown short or long option, or a long one given an
 * argument it does not take (optopt is then the option's value). */
static int bad_option(const char *arg, char *err, size_t errlen)
{
	if (optopt >= 256 || (optopt > 0 && optopt != ':' && strchr(SHORT_OPTIONS, optopt)))
		return error(err, errlen, "option '%.*s' takes no argument", (int)strcspn(arg, "="), arg);
	if (optopt > 0)
		return error(err, errlen, "unknown option '-%c'", optopt);	/* main() escapes it */
	return error(err, errlen, "unknown option '%s'", arg);
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->interval = 1.0;
	o->top_remote = 20;
	o->flood_syn_recv = 256;
	o->prometheus_top = 20;
	o->listen = LISTEN_EXCLUDE;
	opterr = 0;
	optind = 0;	/* glibc: 0 resets all of getopt's state, 1 keeps a half-read "-xyz" */
	while ((c = getopt_long(argc, argv, SHORT_OPTIONS, long_options, NULL)) != -1) {
		if (c == '?')
			return bad_option(argv[optind - 1], err, errlen);
		if (c == ':')
			return error(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
		if (parse_flag(o, c, err, errlen) < 0)
			return -1;
	}
	for (; optind < argc; optind++)
		if (append_filter(o, argv[optind]))
			return error(err, errlen, "%s", "out of memory");
	if (o->record && o->replay)
		return error(err, errlen, "%s", "--record and --replay cannot be combined");
	if (o->frame_log && o->batch_forced)
		return error(err, errlen, "%s", "--frame-log is for the screen, not --batch");
	if (o->replay_pause && !o->replay)
		return error(err, errlen, "%s", "--replay-pause needs --replay FILE");
	if (o->events && (o->replay || o->kill))
		return error(err, errlen, "--events listens to a live run: not with %s",
			     o->replay ? "--replay" : "--kill");
	if (o->kill && !o->filter)
		return error(err, errlen, "%s", "--kill needs a filter (-f EXPR) naming the sockets to close");
	/* -i, -s and the new sections replace the listing unless a socket flag asks for it */
	if (!o->sections || o->listen_given || o->protos)
		o->sections |= SECTION_SOCKETS;
	if (!o->protos)
		o->protos = 1u << PROTO_TCP | 1u << PROTO_UDP;
	if (!o->families)
		o->families = SAMPLE_V4 | SAMPLE_V6;
	return 0;
}

void options_free(struct options *o)
{
	free(o->filter);
	o->filter = NULL;
}
