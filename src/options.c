/* options.c: netstat's short flags keep their meaning; the rest are long. */
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sample/sampler.h"

enum {
	OPT_BATCH = 256, OPT_COUNT, OPT_INTERVAL, OPT_JSON, OPT_STATES, OPT_TOP_REMOTE,
	OPT_NO_COLOR, OPT_GROUP,
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
	      "  --interval SECS    time between samples (fractions allowed; default 1)\n"
	      "  --json             one JSON object per sample, one per line\n"
	      "  --states           the 12 TCP states with counts\n"
	      "  --top-remote[=N]   remote addresses with most TCP connections (default 20)\n"
	      "  --group process    sockets grouped by owning program (implies -p)\n"
	      "  -f, --filter EXPR  keep matching sockets: 'state NAME[,NAME]' and words\n"
	      "  --no-color         draw without colors (also: NO_COLOR set)\n"
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

/* A positive number covering the whole of s. */
static bool parse_positive(const char *s, double *v)
{
	char *end;

	errno = 0;
	*v = strtod(s, &end);
	return *s && !*end && !errno && isfinite(*v) && *v > 0;
}

static int parse_count(struct options *o, const char *arg, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v <= 0)
		return error(err, errlen, "--count: '%s' is not a positive whole number", arg);
	o->count = v;
	return 0;
}

static int parse_top(struct options *o, const char *arg, char *err, size_t errlen)
{
	char *end;
	long v;

	o->sections |= SECTION_TOP_REMOTE;
	if (!arg)
		return 0;
	errno = 0;
	v = strtol(arg, &end, 10);
	if (!*arg || *end || errno || v <= 0)
		return error(err, errlen, "--top-remote: '%s' is not a positive whole number", arg);
	o->top_remote = (size_t)v;
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

static int parse_flag(struct options *o, int c, char *err, size_t errlen)
{
	double v;

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
	case 'f': return append_filter(o, optarg) ? error(err, errlen, "%s", "out of memory") : 0;
	case OPT_BATCH: o->batch = o->batch_forced = true; return 0;
	case OPT_JSON: o->json = true; return 0;
	case OPT_STATES: o->sections |= SECTION_STATES; return 0;
	case OPT_NO_COLOR: o->no_color = true; return 0;
	case OPT_COUNT: return parse_count(o, optarg, err, errlen);
	case OPT_TOP_REMOTE: return parse_top(o, optarg, err, errlen);
	case OPT_GROUP:
		if (strcmp(optarg, "process"))
			return error(err, errlen, "--group: '%s' is not a grouping (try 'process')", optarg);
		o->sections |= SECTION_BY_PROCESS;
		o->show_procs = true;
		return 0;
	case OPT_INTERVAL:
		if (!parse_positive(optarg, &v))
			return error(err, errlen, "--interval: '%s' is not a positive number of seconds", optarg);
		o->interval = v;
		return 0;
	}
	return -1;
}

int options_parse(struct options *o, int argc, char **argv, char *err, size_t errlen)
{
	int c;

	memset(o, 0, sizeof(*o));
	o->interval = 1.0;
	o->top_remote = 20;
	o->listen = LISTEN_EXCLUDE;
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, ":acf:hlnptu46isWV", long_options, NULL)) != -1) {
		if (c == '?')
			return optopt ? error(err, errlen, "unknown option '-%c'", optopt)
				      : error(err, errlen, "unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return error(err, errlen, "option '%s' needs an argument", argv[optind - 1]);
		if (parse_flag(o, c, err, errlen) < 0)
			return -1;
	}
	for (; optind < argc; optind++)
		if (append_filter(o, argv[optind]))
			return error(err, errlen, "%s", "out of memory");
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
