/* test_atomic_file.c: atomic_file_write(), the one way nettop replaces a
 * file (--prometheus FILE, the config): whole or not at all, never through a
 * link it was not asked to follow, no temporary file left behind, and the
 * real cause when it cannot (read-only and full file systems are tmpfs
 * mounts in a private mount namespace: as root, permissions would not stop
 * a write). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "atomic_file.h"
#include "scratch.h"

#define PUT(path, text) atomic_file_write(path, text, strlen(text), 0)

static void test_creates_the_whole_file(void **state)
{
	char dir[128], path[160];
	struct stat st;

	(void)state;
	scratch_path(dir, sizeof(dir), "new");
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/metrics.prom", dir);
	assert_int_equal(PUT(path, "a 1\nb 2\n"), 0);
	assert_string_equal(scratch_read(path), "a 1\nb 2\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);	/* 0644 less the umask (022) */
	assert_int_equal(scratch_entries(dir), 1);	/* no temporary file left */
}

static void test_replaces_keeping_the_mode(void **state)
{
	char path[128];
	struct stat before, after;

	(void)state;
	scratch_path(path, sizeof(path), "private");
	assert_int_equal(scratch_put(path, "old text, longer than the new\n", 0600), 0);
	assert_int_equal(stat(path, &before), 0);
	assert_int_equal(PUT(path, "new\n"), 0);
	assert_string_equal(scratch_read(path), "new\n");
	assert_int_equal(stat(path, &after), 0);
	assert_int_equal(after.st_mode & 07777, 0600);
	assert_int_not_equal(after.st_ino, before.st_ino);	/* renamed over, not rewritten */
}

/* Without ATOMIC_FILE_FOLLOW a link at the path is replaced and its target
 * (a file root must not write: planted in a shared directory) is untouched. */
static void test_link_replaced_not_followed(void **state)
{
	char link[128], victim[128];
	struct stat st;

	(void)state;
	scratch_path(victim, sizeof(victim), "victim");
	scratch_path(link, sizeof(link), "planted.prom");
	assert_int_equal(scratch_put(victim, "precious\n", 0644), 0);
	assert_int_equal(symlink(victim, link), 0);
	assert_int_equal(PUT(link, "metrics\n"), 0);
	assert_string_equal(scratch_read(victim), "precious\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_string_equal(scratch_read(link), "metrics\n");
}

/* With ATOMIC_FILE_FOLLOW (a config kept by a dotfile manager) the file at
 * the end of the links is replaced, relative links resolved from the
 * directory holding each, and the links stay. */
static void test_follow_writes_through(void **state)
{
	char dots[128], target[160], hop[128], link[128];
	struct stat st;

	(void)state;
	scratch_path(dots, sizeof(dots), "dots");
	assert_int_equal(mkdir(dots, 0755), 0);
	snprintf(target, sizeof(target), "%s/config", dots);
	assert_int_equal(scratch_put(target, "old\n", 0600), 0);
	scratch_path(hop, sizeof(hop), "hop");
	scratch_path(link, sizeof(link), "config");
	assert_int_equal(symlink("dots/config", hop), 0);	/* relative */
	assert_int_equal(symlink(hop, link), 0);		/* absolute, to a link */
	assert_int_equal(atomic_file_write(link, "new\n", 4, ATOMIC_FILE_FOLLOW), 0);
	assert_string_equal(scratch_read(target), "new\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(lstat(hop, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(scratch_entries(dots), 1);
}

static void test_follow_creates_a_missing_target(void **state)
{
	char link[128], target[128];
	struct stat st;

	(void)state;
	scratch_path(link, sizeof(link), "dangling");
	scratch_path(target, sizeof(target), "not-yet");
	assert_int_equal(symlink("not-yet", link), 0);
	assert_int_equal(atomic_file_write(link, "x\n", 2, ATOMIC_FILE_FOLLOW), 0);
	assert_string_equal(scratch_read(target), "x\n");
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
}

static void test_follow_a_loop(void **state)
{
	char a[128], b[128];

	(void)state;
	scratch_path(a, sizeof(a), "loop-a");
	scratch_path(b, sizeof(b), "loop-b");
	assert_int_equal(symlink(b, a), 0);
	assert_int_equal(symlink(a, b), 0);
	assert_int_equal(atomic_file_write(a, "x\n", 2, ATOMIC_FILE_FOLLOW), -ELOOP);
}

static void test_missing_directory(void **state)
{
	char path[128];

	(void)state;
	scratch_path(path, sizeof(path), "no/such/dir/m.prom");
	assert_int_equal(PUT(path, "x\n"), -ENOENT);
}

static void test_directory_in_the_way(void **state)
{
	char dir[128], path[160];

	(void)state;
	scratch_path(dir, sizeof(dir), "way");
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(mkdir(path, 0755), 0);
	assert_int_equal(PUT(path, "x\n"), -EISDIR);
	assert_int_equal(scratch_entries(dir), 1);	/* the directory, no temporary file */
	assert_int_equal(scratch_entries(path), 0);
}

static void test_read_only(void **state)
{
	char dir[128], path[160];

	(void)state;
	scratch_path(dir, sizeof(dir), "ro");
	if (scratch_tmpfs(dir, "64k") < 0)
		skip();		/* not root: no private mount namespace */
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(PUT(path, "old\n"), 0);
	assert_int_equal(scratch_readonly(dir), 0);
	assert_int_equal(PUT(path, "new\n"), -EROFS);
	assert_string_equal(scratch_read(path), "old\n");
}

static void test_full_disk(void **state)
{
	char dir[128], path[160];
	static char big[65536];

	(void)state;
	scratch_path(dir, sizeof(dir), "full");
	if (scratch_tmpfs(dir, "32k") < 0)
		skip();
	snprintf(path, sizeof(path), "%s/m.prom", dir);
	assert_int_equal(PUT(path, "old\n"), 0);
	assert_int_equal(scratch_fill(dir), 0);
	memset(big, 'x', sizeof(big));
	assert_int_equal(atomic_file_write(path, big, sizeof(big), 0), -ENOSPC);
	assert_string_equal(scratch_read(path), "old\n");
	assert_int_equal(scratch_entries(dir), 2);	/* the file and the filler: no temporary */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_creates_the_whole_file),
		cmocka_unit_test(test_replaces_keeping_the_mode),
		cmocka_unit_test(test_link_replaced_not_followed),
		cmocka_unit_test(test_follow_writes_through),
		cmocka_unit_test(test_follow_creates_a_missing_target),
		cmocka_unit_test(test_follow_a_loop),
		cmocka_unit_test(test_missing_directory),
		cmocka_unit_test(test_directory_in_the_way),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_full_disk),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
