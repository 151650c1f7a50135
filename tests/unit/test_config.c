/* test_config.c: the config file's values and lines (config_load): numbers
 * within the key's bounds (NaN and infinities too), a NUL byte that must not
 * take the next line with it; every bad line named FILE:LINE. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config.h"

static char dir[64], path[96], err[512];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nettop-config-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/config", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Writes len bytes of text as the config file and loads it. */
static int load(struct config *c, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	err[0] = '\0';
	return config_load(c, path, err, sizeof(err));
}

#define LOAD(c, literal) load(c, literal, sizeof(literal) - 1)

/* The message names the file and the line, then says what. */
static void assert_at_line(int line, const char *what)
{
	char want[160];

	snprintf(want, sizeof(want), "%s:%d: ", path, line);
	if (strncmp(err, want, strlen(want)) || !strstr(err, what))
		fail_msg("message '%s' should start '%s' and hold '%s'", err, want, what);
}

static void test_numbers_within_bounds(void **state)
{
	static const char *const bad_intervals[] = {
		"nan", "NAN", "-nan", "inf", "-inf", "infinity", "1e19", "1e999", "0", "0.01", "3601",
		"-1", "2x", "",
	};
	static const char *const bad_thresholds[] = { "nan", "inf", "0", "1e10", "1.5", "-3" };
	struct config c;
	char text[128];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_intervals) / sizeof(bad_intervals[0]); i++) {
		int n = snprintf(text, sizeof(text), "interval = %s\nnumeric = yes\n", bad_intervals[i]);

		assert_int_equal(load(&c, text, (size_t)n), 1);
		assert_at_line(1, "interval");
		assert_null(config_get(&c, CONFIG_interval));
		assert_string_equal(config_get(&c, CONFIG_numeric), "yes");
		config_free(&c);
	}
	for (size_t i = 0; i < sizeof(bad_thresholds) / sizeof(bad_thresholds[0]); i++) {
		int n = snprintf(text, sizeof(text), "# a comment\nflood_threshold = %s\n",
				 bad_thresholds[i]);

		assert_int_equal(load(&c, text, (size_t)n), 1);
		assert_at_line(2, "flood_threshold");
		assert_null(config_get(&c, CONFIG_flood_threshold));
		config_free(&c);
	}
	assert_int_equal(LOAD(&c, "interval = 0.05\nflood_threshold = 1000000000\n"), 0);
	assert_string_equal(config_get(&c, CONFIG_interval), "0.05");
	assert_string_equal(config_get(&c, CONFIG_flood_threshold), "1000000000");
	config_free(&c);
	assert_int_equal(LOAD(&c, "interval = 3600\nflood_threshold = 1\n"), 0);
	config_free(&c);
}

/* The same bounds serve the command line (options.c). */
static void test_config_number(void **state)
{
	double v;

	(void)state;
	assert_int_equal(config_number(CONFIG_interval, "2.5", &v, err, sizeof(err)), 0);
	assert_true(v == 2.5);
	assert_int_equal(config_number(CONFIG_interval, "nan", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'nan' is not a number from 0.05 to 3600"));
	assert_int_equal(config_number(CONFIG_flood_threshold, "1e10", &v, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not a whole number from 1 to 1000000000"));
}

/* fgets stops its view of a line at a NUL byte: the rest of that line and,
 * taken for an overlong line's tail, the whole next line were lost. */
static void test_nul_byte(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(LOAD(&c, "interval = 2\0x\nnumeric = yes\nprocesses = yes\n"), 1);
	assert_at_line(1, "NUL");
	assert_null(config_get(&c, CONFIG_interval));
	assert_string_equal(config_get(&c, CONFIG_numeric), "yes");
	assert_string_equal(config_get(&c, CONFIG_processes), "yes");
	config_free(&c);
	/* a NUL on a later line, and a last line without its newline */
	assert_int_equal(LOAD(&c, "numeric = yes\n\0\ninterval = 4"), 1);
	assert_at_line(2, "NUL");
	assert_string_equal(config_get(&c, CONFIG_interval), "4");
	config_free(&c);
}

/* An overlong line is one bad line; the next still counts. */
static void test_long_line(void **state)
{
	struct config c;
	char text[3000];
	int n;

	(void)state;
	memset(text, 'x', 2000);
	n = 2000 + snprintf(text + 2000, sizeof(text) - 2000, "\nnumeric = yes\n");
	assert_int_equal(load(&c, text, (size_t)n), 1);
	assert_at_line(1, "line too long");
	assert_string_equal(config_get(&c, CONFIG_numeric), "yes");
	config_free(&c);
}

/* backend takes one of its words; anything else is a bad line, named. */
static void test_backend_choice(void **state)
{
	struct config c;

	(void)state;
	assert_int_equal(LOAD(&c, "backend = sockdiag\n"), 0);
	assert_string_equal(config_get(&c, CONFIG_backend), "sockdiag");
	config_free(&c);
	assert_int_equal(LOAD(&c, "numeric = yes\nbackend = ebpf\nbackend = bpf\n"), 1);
	assert_at_line(2, "backend: 'ebpf' is not one of: auto, bpf or sockdiag");
	assert_string_equal(config_get(&c, CONFIG_backend), "bpf");
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_numbers_within_bounds, setup, teardown),
		cmocka_unit_test(test_config_number),
		cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_line, setup, teardown),
		cmocka_unit_test_setup_teardown(test_backend_choice, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
