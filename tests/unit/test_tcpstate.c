/* test_tcpstate.c: state names in every spelling, the kernel's numbering. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <string.h>

#include "tcpstate.h"

static const char *const netstat_names[ST_COUNT] = {
	"UNKNOWN", "ESTABLISHED", "SYN_SENT", "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE", "CLOSE_WAIT", "LAST_ACK", "LISTEN", "CLOSING",
};

static const char *const ss_names[ST_COUNT] = {
	"unknown", "estab", "syn-sent", "syn-recv", "fin-wait-1", "fin-wait-2",
	"time-wait", "close", "close-wait", "last-ack", "listen", "closing",
};

static void case_variants(const char *name, char lower[32], char upper[32], char mixed[32])
{
	size_t i;

	for (i = 0; name[i]; i++) {
		lower[i] = (char)tolower((unsigned char)name[i]);
		upper[i] = (char)toupper((unsigned char)name[i]);
		mixed[i] = (char)(i % 2 ? toupper((unsigned char)name[i]) : tolower((unsigned char)name[i]));
	}
	lower[i] = upper[i] = mixed[i] = '\0';
}

static void test_names(void **state)
{
	(void)state;
	for (int s = 0; s < ST_COUNT; s++) {
		assert_string_equal(tcpstate_name(s), netstat_names[s]);
		assert_string_equal(tcpstate_ss_name(s), ss_names[s]);
		assert_true(strlen(tcpstate_help(s)) > 10);
	}
	/* out of range reads as UNKNOWN, never past the table */
	assert_string_equal(tcpstate_name(ST_COUNT), "UNKNOWN");
	assert_string_equal(tcpstate_name((enum tcp_state)255), "UNKNOWN");
	assert_string_equal(tcpstate_ss_name((enum tcp_state)-1), "unknown");
	assert_true(tcpstate_help((enum tcp_state)99) != NULL);
}

static void test_parse_every_spelling(void **state)
{
	char lower[32], upper[32], mixed[32];

	(void)state;
	for (int s = 0; s < ST_COUNT; s++) {
		const char *names[2] = { netstat_names[s], ss_names[s] };

		for (int k = 0; k < 2; k++) {
			case_variants(names[k], lower, upper, mixed);
			assert_int_equal(tcpstate_parse(names[k]), s);
			assert_int_equal(tcpstate_parse(lower), s);
			assert_int_equal(tcpstate_parse(upper), s);
			assert_int_equal(tcpstate_parse(mixed), s);
		}
	}
	/* '-' and '_' alike, and either may be left out */
	assert_int_equal(tcpstate_parse("fin_wait_1"), ST_FIN_WAIT1);
	assert_int_equal(tcpstate_parse("FIN-WAIT1"), ST_FIN_WAIT1);
	assert_int_equal(tcpstate_parse("Fin-Wait-2"), ST_FIN_WAIT2);
	assert_int_equal(tcpstate_parse("syn_recv"), ST_SYN_RECV);
	assert_int_equal(tcpstate_parse("TIME-WAIT"), ST_TIME_WAIT);
	assert_int_equal(tcpstate_parse("closewait"), ST_CLOSE_WAIT);
	/* the aliases ss and netstat users type */
	assert_int_equal(tcpstate_parse("established"), ST_ESTABLISHED);
	assert_int_equal(tcpstate_parse("Established"), ST_ESTABLISHED);
	assert_int_equal(tcpstate_parse("unconn"), ST_CLOSE);
	assert_int_equal(tcpstate_parse("UNCONN"), ST_CLOSE);
	assert_int_equal(tcpstate_parse("closed"), ST_CLOSE);
	assert_int_equal(tcpstate_parse("listening"), ST_LISTEN);
}

static void test_parse_unknown(void **state)
{
	static const char *const bad[] = {
		"", "-", "_", "x", "syn", "estab1", "established2", "fin-wait-3", "fin-wait",
		"listenx", "LISTEN ", " LISTEN", "time wait", "close-wai", "new-syn-recv",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (tcpstate_parse(bad[i]) != -1)
			fail_msg("'%s' parsed as %d", bad[i], tcpstate_parse(bad[i]));
}

static void test_from_kernel(void **state)
{
	(void)state;
	for (unsigned k = 1; k <= 11; k++)
		assert_int_equal(tcpstate_from_kernel(k), k);
	assert_int_equal(tcpstate_from_kernel(12), ST_SYN_RECV);	/* TCP_NEW_SYN_RECV */
	assert_int_equal(tcpstate_from_kernel(0), ST_UNKNOWN);
	assert_int_equal(tcpstate_from_kernel(13), ST_UNKNOWN);	/* TCP_BOUND_INACTIVE */
	assert_int_equal(tcpstate_from_kernel(255), ST_UNKNOWN);
	assert_int_equal(tcpstate_from_kernel(~0u), ST_UNKNOWN);
}

static void test_kernel_mask(void **state)
{
	uint32_t all = tcpstate_kernel_mask(ST_MASK_ALL);

	(void)state;
	/* a single state asks for that state only */
	for (int s = 1; s < ST_COUNT; s++) {
		uint32_t k = tcpstate_kernel_mask(ST_MASK(s));

		if (s == ST_SYN_RECV)	/* and request sockets, which the kernel numbers 12 */
			assert_int_equal(k, 1u << 3 | 1u << 12);
		else
			assert_int_equal(k, 1u << s);
	}
	/* LISTEN alone is the mask that spares the kernel its walk */
	assert_int_equal(tcpstate_kernel_mask(ST_MASK(ST_LISTEN)), 1u << 10);
	/* everything: 1..12, and every number above 13 that nettop calls UNKNOWN;
	 * 13 (TCP_BOUND_INACTIVE) never: netstat and ss list no bound-only
	 * sockets, and asking for them makes the kernel walk its bind hash */
	for (int b = 1; b < 32; b++)
		assert_true(b == 13 ? !(all & (1u << b)) : (all & (1u << b)));
	assert_int_equal(tcpstate_kernel_mask(ST_MASK(ST_UNKNOWN)) & 0x3fff, 0);
	assert_int_equal(tcpstate_kernel_mask(ST_MASK(ST_UNKNOWN)), ~0u << 14);
	assert_int_equal(tcpstate_kernel_mask(0), 0);
	assert_int_equal(tcpstate_kernel_mask(ST_MASK(ST_ESTABLISHED) | ST_MASK(ST_TIME_WAIT)),
			 1u << 1 | 1u << 6);
}

static void test_display_order(void **state)
{
	unsigned seen = 0;

	(void)state;
	for (int i = 0; i < ST_COUNT; i++) {
		assert_true(tcpstate_display_order[i] < ST_COUNT);
		seen |= ST_MASK(tcpstate_display_order[i]);
	}
	assert_int_equal(seen, ST_MASK_ALL);	/* every state once */
	assert_int_equal(tcpstate_display_order[0], ST_ESTABLISHED);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_parse_every_spelling),
		cmocka_unit_test(test_parse_unknown),
		cmocka_unit_test(test_from_kernel),
		cmocka_unit_test(test_kernel_mask),
		cmocka_unit_test(test_display_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
