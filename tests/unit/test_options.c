/* test_options.c: the command line, netstat's flags first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include <stdio.h>
#include <stdlib.h>

#include "config/config.h"
#include "options.h"
#include "sample/sampler.h"

#define BOTH (1u << PROTO_TCP | 1u << PROTO_UDP)
#define MAX_ARGS 16

static char err[256];

/* Parses a NULL-terminated list of arguments (after "nettop"). */
static int parse_list(struct options *o, const char *const *args)
{
	char *argv[MAX_ARGS + 2];
	int argc = 0;

	argv[argc++] = (char *)"nettop";
	for (; *args && argc <= MAX_ARGS; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	err[0] = '\0';
	return options_parse(o, argc, argv, err, sizeof(err));
}

#define PARSE(o, ...) parse_list(o, (const char *const[]){ __VA_ARGS__, NULL })

static void ok(struct options *o, int ret)
{
	if (ret != 0)
		fail_msg("refused: %s", err);
}

/* Refused, with a message holding each of the words. */
static void bad(struct options *o, int ret, const char *word1, const char *word2)
{
	if (ret != -1)
		fail_msg("accepted");
	if (!strstr(err, word1) || (word2 && !strstr(err, word2)))
		fail_msg("message '%s' should hold '%s' and '%s'", err, word1, word2 ? word2 : "");
	options_free(o);
}

static void test_defaults(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, NULL));
	assert_int_equal(o.sections, SECTION_SOCKETS);
	assert_int_equal(o.protos, BOTH);
	assert_int_equal(o.families, SAMPLE_V4 | SAMPLE_V6);
	assert_int_equal(o.listen, LISTEN_EXCLUDE);	/* netstat's: no servers */
	assert_false(o.listen_given);
	assert_true(o.interval == 1.0);
	assert_int_equal(o.count, 0);
	assert_int_equal(o.top_remote, 20);
	assert_null(o.filter);
	assert_false(o.json || o.batch || o.numeric || o.show_procs || o.continuous);
	options_free(&o);
}

static void test_all_wins_over_listening(void **state)
{
	static const char *const orders[][4] = {
		{ "-a", "-l", NULL }, { "-l", "-a", NULL }, { "-al", NULL, NULL },
		{ "-la", NULL, NULL }, { "--listening", "--all", NULL }, { "-l", "-t", "-a" },
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
		ok(&o, parse_list(&o, orders[i]));
		assert_int_equal(o.listen, LISTEN_ALL);
		assert_true(o.listen_given);
		options_free(&o);
	}
	ok(&o, PARSE(&o, "-l"));
	assert_int_equal(o.listen, LISTEN_ONLY);
	options_free(&o);
	ok(&o, PARSE(&o, "-a"));
	assert_int_equal(o.listen, LISTEN_ALL);
	options_free(&o);
}

static void test_protocols(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, "-t"));
	assert_int_equal(o.protos, 1u << PROTO_TCP);
	options_free(&o);
	ok(&o, PARSE(&o, "-u"));
	assert_int_equal(o.protos, 1u << PROTO_UDP);
	options_free(&o);
	ok(&o, PARSE(&o, "-tu"));
	assert_int_equal(o.protos, BOTH);
	options_free(&o);
	ok(&o, PARSE(&o, "--tcp", "--udp"));
	assert_int_equal(o.protos, BOTH);
	options_free(&o);
	ok(&o, PARSE(&o, "-4"));
	assert_int_equal(o.families, SAMPLE_V4);
	options_free(&o);
	ok(&o, PARSE(&o, "-ant"));	/* the guide's favourite */
	assert_int_equal(o.protos, 1u << PROTO_TCP);
	assert_int_equal(o.listen, LISTEN_ALL);
	assert_true(o.numeric);
	options_free(&o);
}

static void test_sections(void **state)
{
	static const struct {
		const char *args[4];
		unsigned sections;
	} cases[] = {
		{ { NULL }, SECTION_SOCKETS },
		{ { "-i" }, SECTION_IFACES },
		{ { "-s" }, SECTION_COUNTERS },
		{ { "--states" }, SECTION_STATES },
		{ { "--top-remote" }, SECTION_TOP_REMOTE },
		{ { "--states", "--top-remote=5" }, SECTION_STATES | SECTION_TOP_REMOTE },
		/* a socket flag brings the listing back */
		{ { "-i", "-t" }, SECTION_IFACES | SECTION_SOCKETS },
		{ { "-s", "-a" }, SECTION_COUNTERS | SECTION_SOCKETS },
		{ { "--states", "-l" }, SECTION_STATES | SECTION_SOCKETS },
		{ { "-is" }, SECTION_IFACES | SECTION_COUNTERS },
		/* -n and -p alone do not */
		{ { "-i", "-n", "-p" }, SECTION_IFACES },
	};
	struct options o;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ok(&o, parse_list(&o, cases[i].args));
		if (o.sections != cases[i].sections)
			fail_msg("case %zu: sections %#x, want %#x", i, o.sections, cases[i].sections);
		options_free(&o);
	}
	ok(&o, PARSE(&o, "--top-remote=7"));
	assert_int_equal(o.top_remote, 7);
	options_free(&o);
}

static void test_count_and_interval(void **state)
{
	static const char *const bad_counts[] = { "0", "-1", "x", "", "3x", "1.5",
						  "99999999999999999999" };
	static const char *const bad_intervals[] = { "0", "-1", "abc", "", "nan", "inf",
						     "1e999", "0x", "1s", "-0.5" };
	struct options o;
	char arg[64];

	(void)state;
	ok(&o, PARSE(&o, "--count", "3", "--interval", "0.25"));
	assert_int_equal(o.count, 3);
	assert_true(o.interval == 0.25);
	options_free(&o);
	ok(&o, PARSE(&o, "--count=12", "--interval=2"));
	assert_int_equal(o.count, 12);
	assert_true(o.interval == 2.0);
	options_free(&o);
	for (size_t i = 0; i < sizeof(bad_counts) / sizeof(bad_counts[0]); i++) {
		snprintf(arg, sizeof(arg), "--count=%s", bad_counts[i]);
		bad(&o, PARSE(&o, arg), "--count", bad_counts[i]);
	}
	for (size_t i = 0; i < sizeof(bad_intervals) / sizeof(bad_intervals[0]); i++) {
		snprintf(arg, sizeof(arg), "--interval=%s", bad_intervals[i]);
		bad(&o, PARSE(&o, arg), "--interval", bad_intervals[i]);
	}
	bad(&o, PARSE(&o, "--top-remote=0"), "--top-remote", "'0'");
	bad(&o, PARSE(&o, "--top-remote=many"), "--top-remote", "many");
	bad(&o, PARSE(&o, "--count"), "--count", "argument");
	bad(&o, PARSE(&o, "-t", "--interval"), "--interval", "argument");
}

/* --interval and --flood-threshold hold to the config file's bounds (one
 * table, config.h): 1e19 seconds overflowed the sleep and spun. */
static void test_bounds_of_the_config_file(void **state)
{
	static const char *const bad_intervals[] = { "1e19", "3601", "0.01", "1e308" };
	static const char *const bad_thresholds[] = { "nan", "inf", "0", "1.5", "1e10",
						      "4294967295" };
	struct options o;
	char arg[64];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_intervals) / sizeof(bad_intervals[0]); i++) {
		snprintf(arg, sizeof(arg), "--interval=%s", bad_intervals[i]);
		bad(&o, PARSE(&o, arg), "--interval", "from 0.05 to 3600");
	}
	for (size_t i = 0; i < sizeof(bad_thresholds) / sizeof(bad_thresholds[0]); i++) {
		snprintf(arg, sizeof(arg), "--flood-threshold=%s", bad_thresholds[i]);
		bad(&o, PARSE(&o, arg), "--flood-threshold", bad_thresholds[i]);
	}
	ok(&o, PARSE(&o, "--interval", "0.05", "--flood-threshold", "1000000000"));
	assert_true(o.interval == 0.05);
	assert_int_equal(o.flood_syn_recv, 1000000000);
	options_free(&o);
	ok(&o, PARSE(&o, "--interval", "3600"));
	options_free(&o);
}

/* A bad --listen is a usage error here (exit status 2), quoting the whole
 * argument; it was found only when the server started (exit status 1). */
static void test_listen(void **state)
{
	static const char *const good[] = { "127.0.0.1:9100", ":9100", "9100", "[::1]:9100",
					    "::1:9100", "0.0.0.0:1", "[::]:65535" };
	static const char *const bad_specs[][2] = {
		{ "foo", "port" }, { ":99999", "port" }, { "[::1", "']'" }, { "[::1]", "':PORT'" },
		{ "[::1]9100", "':PORT'" }, { "127.0.0.1:0", "port" }, { "localhost:9100", "numeric" },
		{ "", "port" }, { "1.2.3.4:", "port" }, { "1.2.3.4:+80", "port" },
	};
	struct options o;
	char arg[64], quoted[64];

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		ok(&o, PARSE(&o, "--listen", good[i]));
		assert_string_equal(o.listen_http, good[i]);
		options_free(&o);
	}
	for (size_t i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		snprintf(arg, sizeof(arg), "--listen=%s", bad_specs[i][0]);
		snprintf(quoted, sizeof(quoted), "--listen: '%s'", bad_specs[i][0]);
		bad(&o, PARSE(&o, arg), quoted, bad_specs[i][1]);
	}
}

static void test_unknown_flags(void **state)
{
	struct options o;

	(void)state;
	bad(&o, PARSE(&o, "-z"), "unknown option", "-z");
	bad(&o, PARSE(&o, "--bogus"), "unknown option", "--bogus");
	bad(&o, PARSE(&o, "-t", "--json=yes"), "--json", NULL);
	/* a bad letter inside a cluster, then a fresh parse must start clean */
	bad(&o, PARSE(&o, "-tzu"), "unknown option", "-z");
	ok(&o, PARSE(&o, "-l"));
	assert_int_equal(o.protos, BOTH);
	assert_int_equal(o.listen, LISTEN_ONLY);
	options_free(&o);
}

static void test_trailing_words_are_the_filter(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, "-t", "state", "established"));
	assert_string_equal(o.filter, "state established");
	assert_int_equal(o.protos, 1u << PROTO_TCP);
	options_free(&o);
	/* flags after words still count (GNU order) */
	ok(&o, PARSE(&o, "state", "listen", "-u"));
	assert_string_equal(o.filter, "state listen");
	assert_int_equal(o.protos, 1u << PROTO_UDP);
	options_free(&o);
	/* -f, then the words */
	ok(&o, PARSE(&o, "-f", "state listen", "nginx"));
	assert_string_equal(o.filter, "state listen nginx");
	options_free(&o);
	/* each -f is one expression: together they are anded */
	ok(&o, PARSE(&o, "--filter=:443", "-f", "tcp6"));
	assert_string_equal(o.filter, "(:443) (tcp6)");
	options_free(&o);
	/* after "--" a word that looks like a flag is a word */
	ok(&o, PARSE(&o, "--", "-t"));
	assert_string_equal(o.filter, "-t");
	assert_int_equal(o.protos, BOTH);
	options_free(&o);
}

static void test_other_flags(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, "-n", "-p", "-c", "--json", "--batch", "--no-color", "-W"));
	assert_true(o.numeric && o.show_procs && o.continuous && o.json && o.no_color);
	assert_true(o.batch && o.batch_forced);
	options_free(&o);
	ok(&o, PARSE(&o, "-h"));
	assert_true(o.help);
	options_free(&o);
	ok(&o, PARSE(&o, "--version"));
	assert_true(o.version);
	options_free(&o);
	options_free(&o);	/* twice is harmless */
}

/* --theme and --config are taken as given; what the config file may set is
 * known apart from what the command line said. */
static void test_theme_and_config(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, NULL));
	assert_null(o.theme);
	assert_null(o.config);
	assert_false(o.interval_given);
	assert_false(o.flood_threshold_given);
	options_free(&o);
	ok(&o, PARSE(&o, "--theme", "nord", "--config", "/tmp/x.conf", "--interval", "2",
		     "--flood-threshold", "9"));
	assert_string_equal(o.theme, "nord");
	assert_string_equal(o.config, "/tmp/x.conf");
	assert_true(o.interval_given);
	assert_true(o.flood_threshold_given);
	options_free(&o);
	ok(&o, PARSE(&o, "--theme=./my.theme"));
	assert_string_equal(o.theme, "./my.theme");
	options_free(&o);
	bad(&o, PARSE(&o, "--theme"), "--theme", "argument");
	bad(&o, PARSE(&o, "--theme", ""), "--theme", "empty");
	bad(&o, PARSE(&o, "--config="), "--config", "empty");
}

/* --frame-log is the screen's: with --batch it is a usage error. */
static void test_frame_log(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, "--frame-log", "/tmp/frames"));
	assert_string_equal(o.frame_log, "/tmp/frames");
	options_free(&o);
	bad(&o, PARSE(&o, "--batch", "--frame-log", "/tmp/frames"), "--frame-log", "--batch");
	bad(&o, PARSE(&o, "--frame-log"), "--frame-log", "argument");
}

/* Issue 22: the rest of netstat's flags, as netstat combines them. */
static void test_netstat_more_flags(void **state)
{
	struct options o;

	(void)state;
	ok(&o, PARSE(&o, "-rn6"));
	assert_int_equal(o.more, MORE_ROUTE);
	assert_int_equal(o.families, SAMPLE_V6);
	assert_true(o.numeric);
	options_free(&o);
	ok(&o, PARSE(&o, "-rCee"));
	assert_true(o.route_cache);
	assert_int_equal(o.extend, 2);
	options_free(&o);
	ok(&o, PARSE(&o, "-Mn"));
	assert_int_equal(o.more, MORE_MASQ);
	options_free(&o);
	ok(&o, PARSE(&o, "-g"));
	assert_int_equal(o.more, MORE_GROUPS);
	options_free(&o);
	ok(&o, PARSE(&o, "-tg"));	/* the groups after the TCP listing */
	assert_int_equal(o.more, MORE_NONE);
	assert_true(o.groups);
	options_free(&o);
	ok(&o, PARSE(&o, "-ig"));	/* -i comes first in netstat */
	assert_int_equal(o.more, MORE_NONE);
	options_free(&o);
	bad(&o, PARSE(&o, "-r", "-M"), "-r", "-M");
	bad(&o, PARSE(&o, "-r", "-i"), "-r", "-i");
	bad(&o, PARSE(&o, "-Ms"), "-M", "-s");
	bad(&o, PARSE(&o, "-g", "--json"), "-g", "--json");
	/* no protocol flag: every family, Unix sockets too */
	ok(&o, PARSE(&o, "-e"));
	assert_true(o.raw && o.unix_socks);
	assert_false(o.inet_hidden);
	assert_int_equal(o.extend, 1);
	options_free(&o);
	ok(&o, PARSE(&o, "-o", "-4"));
	assert_true(o.raw && o.timers);
	assert_false(o.unix_socks);
	options_free(&o);
	ok(&o, PARSE(&o, "-xp"));
	assert_true(o.unix_socks && o.no_inet && o.show_procs);
	options_free(&o);
	ok(&o, PARSE(&o, "-w"));
	assert_true(o.raw && o.inet_hidden);
	assert_false(o.no_inet || o.unix_socks);
	options_free(&o);
	ok(&o, PARSE(&o, "-tw"));
	assert_true(o.raw);
	assert_false(o.inet_hidden || o.unix_socks);
	options_free(&o);
	ok(&o, PARSE(&o, "-t"));
	assert_false(o.raw || o.unix_socks);
	options_free(&o);
	ok(&o, PARSE(&o, "-v", "-N", "-F", "--json", "--conntrack"));
	assert_true(o.conntrack);
	options_free(&o);
	/* the screen opens on the table; --batch prints it only in JSON */
	ok(&o, PARSE(&o, "--conntrack"));
	assert_true(o.conntrack);
	options_free(&o);
	bad(&o, PARSE(&o, "--batch", "--conntrack"), "--conntrack", "--json");
}

/* The command line and the config file take a setting within the same
 * bounds (the config key table's): what one refuses, the other refuses. */
static void test_bounds_are_the_config_files(void **state)
{
	static const struct {
		const char *flag;
		enum config_key key;
		const char *value;
	} cases[] = {
		{ "--interval", CONFIG_interval, "0.001" },
		{ "--interval", CONFIG_interval, "0.049" },
		{ "--interval", CONFIG_interval, "0.05" },
		{ "--interval", CONFIG_interval, "3600" },
		{ "--interval", CONFIG_interval, "3600.5" },
		{ "--interval", CONFIG_interval, "1e6" },
		{ "--flood-threshold", CONFIG_flood_threshold, "1" },
		{ "--flood-threshold", CONFIG_flood_threshold, "1000000000" },
		{ "--flood-threshold", CONFIG_flood_threshold, "1000000001" },
		{ "--flood-threshold", CONFIG_flood_threshold, "4294967295" },
	};
	struct options o;
	struct config c = { 0 };
	char cerr[256];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int by_config = config_set(&c, cases[i].key, cases[i].value, cerr, sizeof(cerr));
		int by_flag = PARSE(&o, cases[i].flag, cases[i].value);

		if (by_config != by_flag)
			fail_msg("%s %s: the config file says %d, the command line %d (%s)", cases[i].flag,
				 cases[i].value, by_config, by_flag, err);
		if (by_flag < 0 && !strstr(err, cases[i].flag))
			fail_msg("message '%s' should name %s", err, cases[i].flag);
		options_free(&o);
	}
	config_free(&c);
	bad(&o, PARSE(&o, "--interval", "0.001"), "--interval", "0.05 to 3600");
}

/* --help is the option table: every option it accepts is listed, with the
 * bounds it will check. */
static void test_help_lists_every_option(void **state)
{
	static const char *const names[] = {
		"--all", "--listening", "--tcp", "--udp", "--numeric", "--programs", "--continuous",
		"--interfaces", "--statistics", "--help", "--batch", "--count N", "--interval SECS",
		"--json", "--states", "--top-remote[=N]", "--flood[=net]", "--flood-threshold N",
		"--syn-sources", "--kill", "--netns NAME|PID", "--prometheus FILE", "--listen ADDR:PORT",
		"--prometheus-top K", "--record FILE", "--replay FILE", "--replay-pause N",
		"--group process", "-f, --filter EXPR", "--no-color", "--theme NAME|PATH",
		"--config FILE", "--frame-log FILE", "-V, --version", "  -4 ", "  -6 ",
		"-r, --route", "-x, --unix", "-w, --raw", "-e, --extend", "-o, --timers", "-g, --groups",
		"-M, --masquerade", "--conntrack",
		"(0.05 to 3600, as in the config file)", "(1 to 1000000000, as in the config file)",
	};
	char *text;
	size_t len;
	FILE *f;

	(void)state;
	assert_non_null(f = open_memstream(&text, &len));
	options_usage(f);
	fclose(f);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strstr(text, names[i]))
			fail_msg("--help lacks '%s'", names[i]);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_wins_over_listening),
		cmocka_unit_test(test_protocols),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_count_and_interval),
		cmocka_unit_test(test_bounds_of_the_config_file),
		cmocka_unit_test(test_listen),
		cmocka_unit_test(test_unknown_flags),
		cmocka_unit_test(test_trailing_words_are_the_filter),
		cmocka_unit_test(test_other_flags),
		cmocka_unit_test(test_theme_and_config),
		cmocka_unit_test(test_frame_log),
		cmocka_unit_test(test_netstat_more_flags),
		cmocka_unit_test(test_bounds_are_the_config_files),
		cmocka_unit_test(test_help_lists_every_option),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
