/* options.c: netstat's short flags keep their meaning; the rest are long. */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
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
	OPT_REPLAY_PAUSE, OPT_THEME, OPT_CONFIG, OPT_FRAME_LOG, OPT_CONNTRACK, OPT_BACKEND, OPT_EVENTS,
	OPT_HISTORY, OPT_SERIES, OPT_CSV,
	OPT_HEALTH,
	OPT_ALL_NETNS,
};

/* What an argument must be before the option is applied. */
enum check {
	CHECK_NONE,
	CHECK_TEXT,	/* not empty */
	CHECK_WHOLE,	/* a whole number within the bounds */
	CHECK_NUMBER,	/* a finite number within the bounds */
};

/* One row per option: it drives getopt, --help and the checks. Bounds come
 * from the config file's key table when the option is also a setting, so
 * the two can never disagree. */
struct option_row {
	const char *name;	/* long name, or NULL */
	int val;		/* its short flag, or OPT_* */
	int arg;		/* no_argument, required_argument, optional_argument */
	const char *argname;	/* in --help: "N", "SECS", "FILE" */
	enum check check;
	int config;		/* enum config_key: its parser and bounds (config_number()); -1 */
	double min, max;	/* the bounds otherwise */
	const char *heading;	/* --help: a title printed before this row */
	const char *help;	/* NULL: accepted, not listed */
};

#define FLAG(name, val, help) { name, val, no_argument, NULL, CHECK_NONE, -1, 0, 0, NULL, help }
#define TEXT(name, val, argname, help) \
	{ name, val, required_argument, argname, CHECK_TEXT, -1, 0, 0, NULL, help }
/* max at most 1e18: every whole number up to it converts to a long exactly
 * enough, and none past LONG_MAX slips through as a double */
#define WHOLE(name, val, arg, argname, max, help) \
	{ name, val, arg, argname, CHECK_WHOLE, -1, 1, max, NULL, help }
#define SETTING(name, val, argname, key, help) \
	{ name, val, required_argument, argname, CHECK_NUMBER, key, 0, 0, NULL, help }

static const struct option_row rows[] = {
	{ "all", 'a', no_argument, NULL, CHECK_NONE, -1, 0, 0, "netstat's flags:",
	  "all sockets, servers included" },
	FLAG("listening", 'l', "servers (listening sockets) only"),
	FLAG("tcp", 't', "TCP sockets"),
	FLAG("udp", 'u', "UDP sockets"),
	FLAG(NULL, '4', "IPv4 only"),
	FLAG(NULL, '6', "IPv6 only"),
	FLAG("numeric", 'n', "numeric addresses and ports"),
	FLAG("programs", 'p', "show PID/Program name"),
	FLAG("continuous", 'c', "print a new listing every interval"),
	FLAG("interfaces", 'i', "the interface table, with rx/tx rates"),
	FLAG("statistics", 's', "the kernel's TCP counters"),
	FLAG("wide", 'W', NULL),	/* netstat's --wide: nettop never truncates */
	/* issue 22: the rest of netstat's flags */
	FLAG("route", 'r', "the routing table (-6: IPv6's; -e, -ee: other columns;\n"
	     "-C: the routing cache, long gone: its header)"),
	FLAG("unix", 'x', "Unix domain sockets"),
	FLAG("raw", 'w', "raw sockets"),
	FLAG("extend", 'e', "User and Inode columns (-ie: ifconfig's form)"),
	FLAG("timers", 'o', "the socket timers"),
	FLAG("groups", 'g', "multicast group memberships"),
	FLAG("masquerade", 'M', "NATed flows from the conntrack table"),
	FLAG("cache", 'C', NULL),
	FLAG("fib", 'F', NULL),		/* netstat's default */
	FLAG("verbose", 'v', NULL),	/* accepted, as netstat takes them */
	FLAG("symbolic", 'N', NULL),
	FLAG("help", 'h', "this help"),
	{ "batch", OPT_BATCH, no_argument, NULL, CHECK_NONE, -1, 0, 0, "nettop's own:",
	  "print instead of drawing, even on a terminal" },
	WHOLE("count", OPT_COUNT, required_argument, "N", 1e18, "print N samples, then exit"),
	SETTING("interval", OPT_INTERVAL, "SECS", CONFIG_interval,
		"time between samples (fractions allowed; default 1)"),
	FLAG("json", OPT_JSON, "one JSON object per sample, one per line"),
	FLAG("conntrack", OPT_CONNTRACK, "JSON samples gain the conntrack table: count, max,\n"
	     "stats, flows; the screen opens on it (C)"),
	FLAG("health", OPT_HEALTH, "JSON sockets gain TCP health (lost, ssthresh, pacing, limits,\n"
	     "congestion algorithm) and receive-queue drops (sock_diag)"),
	FLAG("states", OPT_STATES, "the 12 TCP states with counts"),
	WHOLE("top-remote", OPT_TOP_REMOTE, optional_argument, "N", INT32_MAX,
	      "remote addresses with most TCP connections (default 20)"),
	{ "flood", OPT_FLOOD, optional_argument, "net", CHECK_NONE, -1, 0, 0, NULL,
	  "SYN flood indicators: SYN_RECV per listener and per source\n"
	  "(by address, or by /24 and /64 with =net), syncookie rates" },
	SETTING("flood-threshold", OPT_FLOOD_THRESHOLD, "N", CONFIG_flood_threshold,
		"SYN_RECV on one listener that raises the alert (default 256)"),
	FLAG("syn-sources", OPT_SYN_SOURCES, "count incoming SYN packets per source (root; AF_PACKET)"),
	FLAG("kill", OPT_KILL, "close every socket the filter matches (SOCK_DESTROY, as\n"
	     "ss -K does) and print them; needs a filter and root"),
	FLAG("events", OPT_EVENTS, "a JSON line per connection as it closes (the kernel's\n"
	     "destroy events): bytes, duration, process; until\n"
	     "--count intervals passed, or until stopped"),
	TEXT("netns", OPT_NETNS, "NAME|PID", "sample that network namespace (/run/netns/NAME or PID's)"),
	FLAG("all-netns", OPT_ALL_NETNS, "sample every network namespace of the host (root), each\n"
	     "socket tagged with its namespace's name (sock_diag)"),
	TEXT("prometheus", OPT_PROMETHEUS, "FILE", "write Prometheus metrics to FILE every sample (atomically)"),
	{ "listen", OPT_LISTEN, required_argument, "ADDR:PORT", CHECK_NONE, -1, 0, 0, NULL,
	  "serve Prometheus metrics at http://ADDR:PORT/metrics\n"
	  "(address 127.0.0.1 when only :PORT is given)" },	/* check_listen() */
	WHOLE("prometheus-top", OPT_PROMETHEUS_TOP, required_argument, "K", 100000,
	      "remote-address series exported (default 20)"),
	TEXT("record", OPT_RECORD, "FILE", "append every sample to FILE (a nettop recording)"),
	TEXT("replay", OPT_REPLAY, "FILE", "play a recording instead of sampling (with --batch: print it)"),
	WHOLE("replay-pause", OPT_REPLAY_PAUSE, required_argument, "N", 1e18,
	      "start the replay paused at sample N (1 is the first)"),
	TEXT("group", OPT_GROUP, "process|netns|cgroup", "sockets grouped by owning program (implies -p),\n"
	     "by network namespace (implies --all-netns), or by cgroup"),
	{ "filter", 'f', required_argument, "EXPR", CHECK_NONE, -1, 0, 0, NULL,
	  "keep matching sockets: 'state NAME[,NAME]' and words" },
	FLAG("no-color", OPT_NO_COLOR, "draw without colors (also: NO_COLOR set)"),
	TEXT("theme", OPT_THEME, "NAME|PATH", "the screen's colours: a theme of themes/ (T cycles them)"),
	TEXT("config", OPT_CONFIG, "FILE", "settings from FILE (default: $XDG_CONFIG_HOME/nettop/config)"),
	TEXT("frame-log", OPT_FRAME_LOG, "FILE", "the screen writes each frame's cost and each key's latency\n"
	     "to FILE, in milliseconds (make bench reads it)"),
	TEXT("backend", OPT_BACKEND, "auto|bpf|sockdiag", "where sockets come from: BPF programs (root),\n"
	     "sock_diag, or (auto, the default) BPF when it loads and\n"
	     "the namespace holds 10,000 sockets (250,000 for the\n"
	     "first sample)"),
	FLAG("version", 'V', "print the version"),
	/* issue 19: history */
	WHOLE("history", OPT_HISTORY, required_argument, "SECS", 86400,
	      "samples kept at full resolution for H's graphs (default 3600;\n"
	      "older ones are kept folded into minutes, a day of them)"),
	TEXT("series", OPT_SERIES, "NAME[,NAME]", "with --replay FILE --batch: print those series of the\n"
	     "recording, a line per sample (time series value); 'list'\n"
	     "lists their names"),
	FLAG("csv", OPT_CSV, "--series as CSV: time,series,value"),
};

#define NROWS (sizeof(rows) / sizeof(rows[0]))
#define HELP_COLUMN 21

static void row_bounds(const struct option_row *r, double *min, double *max)
{
	if (r->config >= 0) {
		config_key_bounds((enum config_key)r->config, min, max);
	} else {
		*min = r->min;
		*max = r->max;
	}
}

/* "  -a, --all", "  --top-remote[=N]", "  --count N" */
static int usage_left(char *buf, size_t len, const struct option_row *r)
{
	int n = 0;

	if (r->val < 256)
		n = snprintf(buf, len, "  -%c%s", r->val, r->name ? ", " : "");
	else
		n = snprintf(buf, len, "  ");
	if (r->name)
		n += snprintf(buf + n, len - (size_t)n, "--%s", r->name);
	if (r->arg == optional_argument)
		n += snprintf(buf + n, len - (size_t)n, "[=%s]", r->argname);
	else if (r->arg == required_argument)
		n += snprintf(buf + n, len - (size_t)n, " %s", r->argname);
	return n;
}

void options_usage(FILE *out)
{
	fputs("Usage: nettop [options] [FILTER]\n"
	      "A live, full-screen netstat. Batch output (netstat's format) when stdout is\n"
	      "not a terminal or with --batch.\n", out);
	for (size_t i = 0; i < NROWS; i++) {
		const struct option_row *r = &rows[i];
		char left[64];
		int n;
		double min, max;

		if (r->heading)
			fprintf(out, "\n%s\n", r->heading);
		if (!r->help)
			continue;
		n = usage_left(left, sizeof(left), r);
		fprintf(out, "%s%*s", left, n < HELP_COLUMN - 2 ? HELP_COLUMN - n : 2, "");
		for (const char *h = r->help; *h; h++)
			if (*h == '\n')
				fprintf(out, "\n%*s", HELP_COLUMN, "");
			else
				fputc(*h, out);
		row_bounds(r, &min, &max);
		if (r->config >= 0)
			fprintf(out, "\n%*s(%.10g to %.10g, as in the config file)", HELP_COLUMN, "", min, max);
		fputc('\n', out);
	}
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

/* A number covering the whole of s, finite, within [min, max]; whole: only
 * digits (no sign, point, exponent or hex). */
static bool parse_number(const char *s, bool whole, double min, double max, double *v)
{
	char *end;

	errno = 0;
	if (whole && !isdigit((unsigned char)*s))
		return false;
	*v = whole ? (double)strtoull(s, &end, 10) : strtod(s, &end);
	return *s && !*end && !errno && isfinite(*v) && *v >= min && *v <= max;
}

/* Checks the argument of row r as its row says; v gets a number's value. */
static int check_argument(const struct option_row *r, const char *arg, double *v, char *err, size_t errlen)
{
	double min, max;
	char what[200];

	if (r->config >= 0) {
		/* a setting the config file has too: its parser, bounds and words */
		if (config_number((enum config_key)r->config, arg, v, what, sizeof(what)) == 0)
			return 0;
		return error(err, errlen, "--%s: %s", r->name, what);
	}
	row_bounds(r, &min, &max);
	switch (r->check) {
	case CHECK_NONE:
		return 0;
	case CHECK_TEXT:
		return *arg ? 0 : error(err, errlen, "--%s: an empty argument", r->name);
	case CHECK_WHOLE:
		if (parse_number(arg, true, min, max, v))
			return 0;
		if (max >= (double)INT32_MAX)
			return error(err, errlen, "--%s: '%s' is not a positive whole number", r->name, arg);
		return error(err, errlen, "--%s: '%s' is not a whole number from %.10g to %.10g", r->name, arg, min, max);
	case CHECK_NUMBER:
		if (parse_number(arg, false, min, max, v))
			return 0;
		return error(err, errlen, "--%s: '%s' is not a number from %.10g to %.10g", r->name, arg, min, max);
	}
	return 0;
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

/* The options that take no argument. */
static void apply_flag(struct options *o, int c)
{
	switch (c) {
	/* as in netstat, -a wins over -l whatever their order */
	case 'a': o->listen = LISTEN_ALL; o->listen_given = true; break;
	case 'l':
		if (o->listen != LISTEN_ALL)
			o->listen = LISTEN_ONLY;
		o->listen_given = true;
		break;
	case 'c': o->continuous = true; break;
	case 'h': o->help = true; break;
	case 'n': o->numeric = true; break;
	case 't': o->protos |= 1u << PROTO_TCP; break;
	case 'u': o->protos |= 1u << PROTO_UDP; break;
	case '4': o->families |= SAMPLE_V4; break;
	case '6': o->families |= SAMPLE_V6; break;
	case 'p': o->show_procs = true; break;
	case 'i': o->sections |= SECTION_IFACES; o->modes |= MODE_I; break;
	case 's': o->sections |= SECTION_COUNTERS; o->modes |= MODE_S; break;
	case 'r': o->modes |= MODE_R; break;
	case 'g': o->modes |= MODE_G; break;
	case 'M': o->modes |= MODE_M; break;
	case 'C': o->route_cache = true; break;
	case 'e': o->extend++; break;
	case 'o': o->timers = true; break;
	case 'w': o->raw = true; break;
	case 'x': o->unix_socks = true; break;
	case OPT_CONNTRACK: o->conntrack = true; break;
	case OPT_HEALTH: o->health = true; break;
	case 'V': o->version = true; break;
	case OPT_BATCH: o->batch = o->batch_forced = true; break;
	case OPT_JSON: o->json = true; break;
	case OPT_CSV: o->csv = true; break;
	case OPT_STATES: o->sections |= SECTION_STATES; break;
	case OPT_NO_COLOR: o->no_color = true; break;
	case OPT_SYN_SOURCES: o->syn_sources = true; break;
	case OPT_KILL: o->kill = o->batch = o->batch_forced = true; break;
	case OPT_EVENTS: o->events = o->batch = o->batch_forced = true; break;
	case OPT_ALL_NETNS: o->all_netns = true; break;
	}
}

/* The options that take one; arg is checked already (v: its number). */
static int apply_value(struct options *o, int c, char *arg, double v, char *err, size_t errlen)
{
	switch (c) {
	case 'f':
		return add_filter_option(o, arg) ? error(err, errlen, "%s", "out of memory") : 0;
	case OPT_THEME: o->theme = arg; break;
	case OPT_CONFIG: o->config = arg; break;
	case OPT_COUNT: o->count = (long)v; break;
	case OPT_TOP_REMOTE:
		o->sections |= SECTION_TOP_REMOTE;
		if (arg)
			o->top_remote = (size_t)v;
		break;
	case OPT_FLOOD:
		if (arg && strcmp(arg, "net") && strcmp(arg, "addr"))
			return error(err, errlen, "--flood: '%s' is not a grouping (addr or net)", arg);
		o->sections |= SECTION_FLOOD;
		o->flood_by_network = arg && !strcmp(arg, "net");
		break;
	case OPT_PROMETHEUS: o->prometheus = arg; break;
	case OPT_LISTEN: return check_listen(o, arg, err, errlen);
	case OPT_NETNS: o->netns = arg; break;
	case OPT_RECORD: o->record = arg; break;
	case OPT_FRAME_LOG: o->frame_log = arg; break;
	case OPT_BACKEND:
		if (options_backend(arg, &o->backend) < 0)
			return error(err, errlen, "--backend: '%s' is not auto, bpf or sockdiag", arg);
		o->backend_given = true;
		break;
	case OPT_REPLAY: o->replay = arg; break;
	case OPT_REPLAY_PAUSE: o->replay_pause = (size_t)v; break;
	case OPT_PROMETHEUS_TOP: o->prometheus_top = (size_t)v; break;
	case OPT_HISTORY: o->history = (size_t)v; break;
	case OPT_SERIES: o->series = arg; break;
	case OPT_FLOOD_THRESHOLD:
		o->flood_syn_recv = (unsigned)v;
		o->flood_threshold_given = true;
		break;
	case OPT_GROUP:
		if (!strcmp(arg, "netns")) {
			/* grouped by namespace: every namespace, or there is one group */
			o->sections |= SECTION_BY_NETNS;
			o->all_netns = true;
			break;
		}
		if (!strcmp(arg, "cgroup")) {
			o->sections |= SECTION_BY_CGROUP;
			break;
		}
		if (strcmp(arg, "process"))
			return error(err, errlen, "--group: '%s' is not a grouping (process, netns or cgroup)", arg);
		o->sections |= SECTION_BY_PROCESS;
		o->show_procs = true;
		break;
	case OPT_INTERVAL:
		o->interval = v;
		o->interval_given = true;
		break;
	}
	return 0;
}

/* As netstat: -r or -M is the whole output, and -g too unless -i or -s
 * (which come first) or a protocol flag are given. -1 when -r or -M meets
 * another table. */
static int more_mode(struct options *o)
{
	unsigned tables = o->modes & (MODE_R | MODE_M | MODE_I | MODE_S);

	if ((o->modes & (MODE_R | MODE_M)) && (tables & (tables - 1)))
		return -1;
	o->more = o->modes & MODE_R ? MORE_ROUTE : o->modes & MODE_M ? MORE_MASQ :
		  (o->modes & MODE_G) && !tables ? MORE_GROUPS : MORE_NONE;
	/* -g with a protocol flag: the groups between the Internet and the
	 * Unix listings */
	if (o->more == MORE_GROUPS && (o->protos || o->raw || o->unix_socks)) {
		o->more = MORE_NONE;
		o->groups = true;
	}
	return 0;
}

/* netstat: no protocol flag lists every family (-4/-6: the Internet ones);
 * -x or -w alone, no TCP or UDP. */
static void netstat_families(struct options *o)
{
	if (!o->protos && !o->raw && !o->unix_socks && !o->more && !o->sections) {
		o->raw = true;
		o->unix_socks = !o->families;
	} else if (!o->protos && (o->raw || o->unix_socks)) {
		o->inet_hidden = true;
		o->no_inet = !o->raw;
	}
}

int options_backend(const char *s, unsigned *backend)
{
	static const char *const names[] = {
		[BACKEND_AUTO] = "auto", [BACKEND_BPF] = "bpf", [BACKEND_SOCKDIAG] = "sockdiag",
	};

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(s, names[i])) {
			*backend = i;
			return 0;
		}
	return -1;
}

static const struct option_row *row_of(int c)
{
	for (size_t i = 0; i < NROWS; i++)
		if (rows[i].val == c)
			return &rows[i];
	return NULL;
}

static int parse_flag(struct options *o, int c, char *err, size_t errlen)
{
	const struct option_row *r = row_of(c);
	double v = 0;

	if (!r)
		return -1;
	if (r->arg == no_argument) {
		apply_flag(o, c);
		return 0;
	}
	if (optarg && check_argument(r, optarg, &v, err, errlen) < 0)
		return -1;
	return apply_value(o, c, optarg, v, err, errlen);
}

/* getopt's tables, built from rows[]: ":" first (a missing argument is
 * told apart), then each short flag with ':' when it takes an argument. */
static void getopt_tables(char *shorts, size_t len, struct option *longs)
{
	size_t n = 0, k = 0;

	shorts[n++] = ':';
	for (size_t i = 0; i < NROWS; i++) {
		if (rows[i].val < 256 && n + 2 < len) {
			shorts[n++] = (char)rows[i].val;
			if (rows[i].arg == required_argument)
				shorts[n++] = ':';
		}
		if (rows[i].name)
			longs[k++] = (struct option){ rows[i].name, rows[i].arg, NULL, rows[i].val };
	}
	shorts[n] = '\0';
	longs[k] = (struct option){ NULL, 0, NULL, 0 };
}

/* getopt's '?': an unknown short or long option, or a long one given an
 * argument it does not take (optopt is then the option's value). */
static int bad_option(const char *arg, const char *shorts, char *err, size_t errlen)
{
	if (optopt >= 256 || (optopt > 0 && optopt != ':' && strchr(shorts, optopt)))
		return error(err, errlen, "option '%.*s' takes no argument", (int)strcspn(arg, "="), arg);
	if (optopt > 0)
		return error(err, errlen, "unknown option '-%c'", optopt);	/* main() escapes it */
	return error(err, errlen, "unknown option '%s'", arg);
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	char shorts[2 * NROWS + 2];
	struct option longs[NROWS + 1];
	int c;

	getopt_tables(shorts, sizeof(shorts), longs);
	memset(o, 0, sizeof(*o));
	o->interval = 1.0;
	o->top_remote = 20;
	o->flood_syn_recv = 256;
	o->prometheus_top = 20;
	o->history = 3600;
	o->listen = LISTEN_EXCLUDE;
	opterr = 0;
	optind = 0;	/* glibc: 0 resets all of getopt's state, 1 keeps a half-read "-xyz" */
	while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (c == '?')
			return bad_option(argv[optind - 1], shorts, err, errlen);
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
	if (more_mode(o) < 0)
		return error(err, errlen, "%s", "-r and -M print a table of their own: not with -r, -M, -i or -s");
	if (o->more && o->json)
		return error(err, errlen, "%s", "-r, -g and -M print netstat's text: not with --json");
	if (o->conntrack && o->batch_forced && !o->json)
		return error(err, errlen, "%s", "--conntrack adds the table to --json's samples (or to the screen): "
			     "--batch needs --json with it");
	if (o->events && (o->replay || o->kill))
		return error(err, errlen, "--events listens to a live run: not with %s",
			     o->replay ? "--replay" : "--kill");
	if (o->series && !o->replay)
		return error(err, errlen, "%s", "--series reads a recording: it needs --replay FILE");
	if (o->csv && !o->series)
		return error(err, errlen, "%s", "--csv is the form of --series NAME: it needs --series");
	if (o->all_netns && (o->netns || o->record))
		return error(err, errlen, "--all-netns samples every namespace: not with %s",
			     o->netns ? "--netns" : "--record (a recording is of one namespace)");
	if (o->kill && !o->filter)
		return error(err, errlen, "%s", "--kill needs a filter (-f EXPR) naming the sockets to close");
	netstat_families(o);
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
