/* test_filter.c: filter expressions: what parses, what is refused (with the
 * column), the state mask pushed into the dump, and text matching. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "build.h"
#include "view/filter.h"

/* The caller's look-ups (filter.h): stubs that count their calls, so the
 * tests read no /etc/passwd, /etc/services or interfaces. */
static int lookups;

static int stub_user(const char *name, uint32_t *uid)
{
	lookups++;
	if (strcmp(name, "alice"))
		return -1;
	*uid = 1001;
	return 0;
}

static int stub_service(const char *name, uint16_t *port)
{
	lookups++;
	if (strcmp(name, "web"))
		return -1;
	*port = 8080;
	return 0;
}

static uint32_t stub_iface(const char *name)
{
	lookups++;
	return strcmp(name, "veth7") ? 0 : 7;
}

static const struct filter_names names = { stub_user, stub_service, stub_iface };

static struct filter *parse_ok(const char *expr)
{
	char err[256] = "";
	struct filter *f = filter_parse(expr, &names, err, sizeof(err));

	if (!f)
		fail_msg("'%s' refused: %s", expr, err);
	assert_string_equal(filter_text(f), expr);
	return f;
}

/* expr is refused with a message naming column and word. */
static void parse_bad(const char *expr, int column, const char *word)
{
	char err[256] = "", want[32];
	struct filter *f = filter_parse(expr, &names, err, sizeof(err));

	if (f)
		fail_msg("'%s' accepted", expr);
	snprintf(want, sizeof(want), "column %d", column);
	if (!strstr(err, want) || (word && !strstr(err, word)))
		fail_msg("'%s': message '%s' should name %s and '%s'", expr, err, want, word ? word : "");
}

static void test_parse_errors(void **state)
{
	(void)state;
	parse_bad("state", 1, "state");
	parse_bad("  state", 3, "state");
	parse_bad("state bogus", 7, "bogus");
	parse_bad("tcp state nope", 11, "nope");
	parse_bad("state listen,nope", 14, "nope");
	parse_bad("state listen,established,synrcvd", 26, "synrcvd");
	/* the message fits a small buffer, cut but terminated */
	{
		char err[12];

		memset(err, 'x', sizeof(err));
		assert_null(filter_parse("state bogus", &names, err, sizeof(err)));
		assert_true(memchr(err, '\0', sizeof(err)) != NULL);
	}
}

static void test_state_mask(void **state)
{
	struct filter *f;

	(void)state;
	assert_int_equal(filter_state_mask(NULL), ST_MASK_ALL);
	f = parse_ok("");
	assert_int_equal(filter_state_mask(f), ST_MASK_ALL);
	filter_free(f);
	f = parse_ok("state established");
	assert_int_equal(filter_state_mask(f), ST_MASK(ST_ESTABLISHED));
	filter_free(f);
	f = parse_ok("STATE Listen,syn-recv,TIME_WAIT");
	assert_int_equal(filter_state_mask(f),
			 ST_MASK(ST_LISTEN) | ST_MASK(ST_SYN_RECV) | ST_MASK(ST_TIME_WAIT));
	filter_free(f);
	f = parse_ok("state estab 10.0.0.1");
	assert_int_equal(filter_state_mask(f), ST_MASK(ST_ESTABLISHED));
	filter_free(f);
	/* words alone do not narrow the states */
	f = parse_ok("nginx");
	assert_int_equal(filter_state_mask(f), ST_MASK_ALL);
	filter_free(f);
	filter_free(NULL);
	assert_string_equal(filter_text(NULL), "");
}

static struct snapshot *sample(void)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;

	TCP4(s, ST_LISTEN, "0.0.0.0", 8080, "0.0.0.0", 0);
	TCP4(s, ST_ESTABLISHED, "10.0.0.1", 8080, "192.0.2.7", 50001);
	r = TCP6(s, ST_TIME_WAIT, "2001:db8::1", 443, "2001:db8::beef", 40000);
	r->inode = 0;
	UDP4(s, ST_CLOSE, "127.0.0.53", 53, "0.0.0.0", 0);
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 22, "198.51.100.1", 61000);
	r->owner = snapshot_add_proc(s, 4242, 0, "SSHd");
	return s;
}

/* Which of sample()'s five sockets expr keeps, as a bit mask. */
static unsigned matches(const char *expr)
{
	struct snapshot *s = sample();
	struct filter *f = parse_ok(expr);
	unsigned m = 0;

	for (size_t i = 0; i < s->nsocks; i++)
		if (filter_match(f, s, &s->socks[i]))
			m |= 1u << i;
	filter_free(f);
	snapshot_free(s);
	return m;
}

static void test_match(void **state)
{
	struct snapshot *s = sample();

	(void)state;
	for (size_t i = 0; i < s->nsocks; i++)
		assert_true(filter_match(NULL, s, &s->socks[i]));
	snapshot_free(s);
	assert_int_equal(matches(""), 0x1f);
	assert_int_equal(matches("state established"), 0x12);
	assert_int_equal(matches("state listen,time-wait"), 0x05);
	assert_int_equal(matches("state close"), 0x08);
	assert_int_equal(matches("state unknown"), 0);
	/* text: what the row shows, any case, every word must occur */
	assert_int_equal(matches("8080"), 0x03);
	assert_int_equal(matches(":8080"), 0x03);
	assert_int_equal(matches("192.0.2.7"), 0x02);
	assert_int_equal(matches("2001:DB8::BEEF"), 0x04);
	assert_int_equal(matches("[2001:db8::1]:443"), 0x04);
	assert_int_equal(matches("tcp6"), 0x04);
	assert_int_equal(matches("LISTEN"), 0x01);
	assert_int_equal(matches("time_wait"), 0x04);
	assert_int_equal(matches("unconn"), 0x08);	/* UDP's word for CLOSE */
	assert_int_equal(matches("8080 192.0.2"), 0x02);
	assert_int_equal(matches("8080 nothing-like-it"), 0);
	assert_int_equal(matches("state established 198.51"), 0x10);
	assert_int_equal(matches("sshd"), 0x10);	/* the owner, any case */
	assert_int_equal(matches("4242/"), 0x10);
	assert_int_equal(matches("zzz"), 0);
}

/* The language's predicates (filter.h), on the same five sockets. */
/* A list of states and nothing else is known as such: the screen derives
 * its counts from the unfiltered ones. */
static void test_states_only(void **state)
{
	static const struct { const char *expr; bool only; } cases[] = {
		{ "state established", true },
		{ "state listen,time-wait", true },
		{ "state established and sport = :80", false },
		{ "not state established", false },
		{ "8080", false },
		{ "tcp", false },
	};
	char err[256];

	(void)state;
	assert_false(filter_states_only(NULL));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct filter *f = filter_parse(cases[i].expr, &names, err, sizeof(err));

		assert_non_null(f);
		if (filter_states_only(f) != cases[i].only)
			fail_msg("'%s': states only should be %d", cases[i].expr, cases[i].only);
		filter_free(f);
	}
}

static void test_predicates(void **state)
{
	(void)state;
	assert_int_equal(matches("tcp"), 0x17);
	assert_int_equal(matches("udp"), 0x08);
	assert_int_equal(matches("ipv6"), 0x04);
	assert_int_equal(matches("ipv4 and udp"), 0x08);
	assert_int_equal(matches("sport = :8080"), 0x03);
	assert_int_equal(matches("sport == 8080"), 0x03);
	assert_int_equal(matches("dport = 50001"), 0x02);
	assert_int_equal(matches("sport < 1024"), 0x1c);
	assert_int_equal(matches("sport lt 1024"), 0x1c);
	assert_int_equal(matches("sport != 8080"), 0x1c);
	assert_int_equal(matches("port 22"), 0x10);
	assert_int_equal(matches("src 10.0.0.0/8"), 0x12);
	assert_int_equal(matches("dst 192.0.2.7"), 0x02);
	assert_int_equal(matches("dst [2001:db8::beef]:40000"), 0x04);
	assert_int_equal(matches("src 10.0.0.1:22"), 0x10);
	assert_int_equal(matches("not state established"), 0x0d);
	assert_int_equal(matches("state listen or state time-wait"), 0x05);
	assert_int_equal(matches("! ( tcp && ipv4 )"), 0x0c);
	assert_int_equal(matches("(tcp)"), 0x17);
	assert_int_equal(matches("pid 4242"), 0x10);
	assert_int_equal(matches("state connected"), 0x16);
	assert_int_equal(matches("state bucket"), 0x04);
}

/* An interface name with bytes the screen escapes, as the interfaces pane's
 * Enter spells it: the filter matches the socket bound to the raw name. */
static void test_dev_odd_name(void **state)
{
	static const char raw[] = "v\x01(\\)|&!";
	struct snapshot *s = snapshot_new(0);
	struct iface_rec *i = snapshot_add_iface(s);
	struct sock_rec *bound, *other;
	char word[64], expr[80];
	struct filter *f;

	(void)state;
	i->ifindex = 7;
	i->name = arena_strndup(&s->arena, raw, strlen(raw));
	bound = UDP4(s, ST_CLOSE, "0.0.0.0", 5399, "0.0.0.0", 0);
	bound->ifindex = 7;
	other = UDP4(s, ST_CLOSE, "127.0.0.1", 5398, "0.0.0.0", 0);
	assert_int_equal(filter_word_quote(word, sizeof(word), raw), 27);
	assert_string_equal(word, "v\\x01\\x28\\\\\\x29\\x7c\\x26\\x21");
	snprintf(expr, sizeof(expr), "dev %s", word);
	f = parse_ok(expr);
	assert_true(filter_match(f, s, bound));
	assert_false(filter_match(f, s, other));
	filter_free(f);
	/* a plain name stays plain; a cut word is never cut inside an escape */
	assert_int_equal(filter_word_quote(word, sizeof(word), "eth0"), 4);
	assert_string_equal(word, "eth0");
	assert_int_equal(filter_word_quote(word, 4, "a\x01"), 5);
	assert_string_equal(word, "a");
	parse_bad("dev a\\q", 5, "a\\q");
	parse_bad("dev a\\x0", 5, "a\\x0");
	parse_bad("dev a\\x00", 5, NULL);
	parse_bad("dev abcdefghijklmnop", 5, NULL);	/* longer than a name can be */
	snapshot_free(s);
}

static void test_dump_hints(void **state)
{
	struct filter *f;

	(void)state;
	assert_int_equal(filter_protos(NULL), 1u << PROTO_TCP | 1u << PROTO_UDP);
	assert_false(filter_needs_procs(NULL));
	f = parse_ok("udp");
	assert_int_equal(filter_protos(f), 1u << PROTO_UDP);
	filter_free(f);
	f = parse_ok("ipv6 and state listen");
	assert_int_equal(filter_families(f), 1u << 6);
	assert_int_equal(filter_state_mask(f), ST_MASK(ST_LISTEN));
	filter_free(f);
	/* an "or" cannot narrow more than its widest side */
	f = parse_ok("state listen or tcp");
	assert_int_equal(filter_state_mask(f), ST_MASK_ALL);
	filter_free(f);
	f = parse_ok("pid 1");
	assert_true(filter_needs_procs(f));
	filter_free(f);
}

static void test_language_errors(void **state)
{
	(void)state;
	parse_bad("dport", 1, "dport");
	parse_bad("tcp and dport", 9, "dport");
	parse_bad("src 300.1.1.1", 5, "300.1.1.1");
	parse_bad("src 10.0.0.0/33", 5, NULL);
	parse_bad("dport = 99999", 9, "99999");
	parse_bad("( tcp", 1, "(");
	parse_bad("tcp )", 5, ")");
	parse_bad("pid x", 5, "x");
}

/* Names go through the caller's look-ups, once, when parsed; without any,
 * numbers still work and a name is refused with its column. */
static void test_names_from_caller(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r;
	struct filter *f;
	char err[256];

	(void)state;
	s->flags |= SNAP_HAS_EXTRA;	/* the uid */
	r = TCP4(s, ST_ESTABLISHED, "10.0.0.1", 8080, "192.0.2.7", 50001);
	build_extra(s, r)->uid = 1001;
	r->ifindex = 7;
	lookups = 0;
	f = parse_ok("user alice and sport = :web and dev veth7");
	assert_int_equal(lookups, 3);
	for (int i = 0; i < 100; i++)
		assert_true(filter_match(f, s, r));
	assert_int_equal(lookups, 3);	/* matching looks nothing up */
	filter_free(f);
	parse_bad("user bob", 6, "bob");
	parse_bad("sport = :nosuch", 9, ":nosuch");
	assert_null(filter_parse("user alice", NULL, err, sizeof(err)));
	assert_non_null(strstr(err, "column 6"));
	assert_null(filter_parse("sport = :web", NULL, err, sizeof(err)));
	assert_non_null(f = filter_parse("user 1001 and sport = 8080 and dev veth7", NULL, err, sizeof(err)));
	assert_false(filter_match(f, s, r));	/* veth7 unknown: by name, not in s */
	filter_free(f);
	snapshot_free(s);
}

/* Parsed once, held by each owner: the filter outlives every hold but the
 * last (ASan sees a use after free otherwise). */
static void test_hold(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct sock_rec *r = TCP4(s, ST_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);
	struct filter *f = parse_ok("state listen and sport = 22"), *jobs[8];

	(void)state;
	assert_null(filter_hold(NULL));
	for (int i = 0; i < 8; i++)
		assert_ptr_equal(jobs[i] = filter_hold(f), f);
	filter_free(f);	/* the screen took another filter meanwhile */
	for (int i = 0; i < 8; i++) {
		assert_true(filter_match(jobs[i], s, r));
		assert_string_equal(filter_text(jobs[i]), "state listen and sport = 22");
		assert_non_null(filter_bytecode(jobs[i], 4, &(size_t){ 0 }));
		filter_free(jobs[i]);
	}
	filter_free(NULL);
	snapshot_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_state_mask),
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_predicates),
		cmocka_unit_test(test_states_only),
		cmocka_unit_test(test_dev_odd_name),
		cmocka_unit_test(test_dump_hints),
		cmocka_unit_test(test_language_errors),
		cmocka_unit_test(test_names_from_caller),
		cmocka_unit_test(test_hold),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
