/* test_input_file.c: the files the user names for reading (--config,
 * --theme, --replay) are opened only when they are regular files: a FIFO
 * blocked the open for ever, /dev/zero was read for ever. An alarm turns
 * such a hang into a failure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"
#include "input_file.h"
#include "record/reader.h"

#define HANG_SECONDS 10

static char dir[64], fifo[96], regular[96];

static int setup(void **state)
{
	FILE *f;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/nettop-input-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(fifo, sizeof(fifo), "%s/fifo", dir);
	snprintf(regular, sizeof(regular), "%s/file", dir);
	if (mkfifo(fifo, 0600) < 0 || !(f = fopen(regular, "w")))
		return -1;
	fputs("numeric = yes\n", f);
	fclose(f);
	alarm(HANG_SECONDS);	/* SIGALRM ends the run: a hang is a failure */
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	alarm(0);
	unlink(fifo);
	unlink(regular);
	rmdir(dir);
	return 0;
}

static void test_helper(void **state)
{
	const char *cause = NULL;
	FILE *f;
	char line[64];

	(void)state;
	assert_null(input_file_open(fifo, &cause));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(cause, "a FIFO, not a regular file");
	assert_null(input_file_open("/dev/zero", &cause));
	assert_string_equal(cause, "a device, not a regular file");
	assert_null(input_file_open(dir, &cause));
	assert_int_equal(errno, EISDIR);
	assert_null(input_file_open("/nonexistent/x", &cause));
	assert_int_equal(errno, ENOENT);
	/* a regular file reads as usual, blocking mode restored */
	assert_non_null(f = input_file_open(regular, &cause));
	assert_non_null(fgets(line, sizeof(line), f));
	assert_string_equal(line, "numeric = yes\n");
	fclose(f);
}

static void test_config(void **state)
{
	struct config c;
	char err[256] = "";

	(void)state;
	assert_int_equal(config_load(&c, fifo, err, sizeof(err)), -1);
	assert_non_null(strstr(err, fifo));
	assert_non_null(strstr(err, "a FIFO, not a regular file"));
	config_free(&c);
	assert_int_equal(config_load(&c, "/dev/zero", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "/dev/zero: cannot read it: a device"));
	config_free(&c);
	assert_int_equal(config_load(&c, regular, err, sizeof(err)), 0);
	assert_string_equal(config_get(&c, CONFIG_numeric), "yes");
	config_free(&c);
}

/* Not a file to replay: a usage error (status -2, exit status 2). */
static void test_replay(void **state)
{
	char err[256] = "";
	int status = 0;

	(void)state;
	assert_null(record_reader_open(fifo, err, sizeof(err), &status));
	assert_int_equal(status, -2);
	assert_non_null(strstr(err, "a FIFO, not a regular file"));
	assert_null(record_reader_open("/dev/zero", err, sizeof(err), &status));
	assert_int_equal(status, -2);
	assert_null(record_reader_open("/nonexistent/x", err, sizeof(err), &status));
	assert_int_equal(status, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_helper, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config, setup, teardown),
		cmocka_unit_test_setup_teardown(test_replay, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
