/* test_cgroup_path.c: cgroup ids to paths, by a walk of a directory tree
 * standing in for /sys/fs/cgroup (an id is its directory's inode). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sample/cgroup_path.h"

static char root[64];

static uint64_t ino_of(const char *rel)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(stat(path, &st), 0);
	return (uint64_t)st.st_ino;
}

static void make(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	assert_int_equal(mkdir(path, 0700), 0);
}

static void rm(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s%s", root, rel);
	rmdir(path);
}

/* A socket of cgroup id in s, which keeps struct sock_extra. */
static void add_sock(struct snapshot *s, uint64_t id)
{
	s->flags |= SNAP_HAS_EXTRA;
	assert_non_null(snapshot_add_sock(s));
	assert_non_null(snapshot_extra_slot(s, s->nsocks - 1));
	snapshot_extra_slot(s, s->nsocks - 1)->cgroup_id = id;
}

static void test_paths(void **state)
{
	struct cgroup_paths *c;
	struct snapshot *s = snapshot_new(0);
	uint64_t unknown;

	(void)state;
	snprintf(root, sizeof(root), "/tmp/nettop-cgpath.XXXXXX");
	assert_non_null(mkdtemp(root));
	make("/system.slice");
	make("/system.slice/nginx.service");
	make("/evil\x1b[2J");
	assert_non_null(c = cgroup_paths_new(root));
	add_sock(s, ino_of("/system.slice/nginx.service"));
	add_sock(s, ino_of("/system.slice/nginx.service"));
	add_sock(s, ino_of("/evil\x1b[2J"));
	add_sock(s, ino_of(""));
	add_sock(s, 0);	/* a request socket: none */
	add_sock(s, unknown = ino_of("/system.slice") + 1000000);
	assert_int_equal(cgroup_paths_fill(c, s, true), 0);
	assert_int_equal(s->ncgroups, 3);
	assert_string_equal(snapshot_cgroup_path(s, ino_of("/system.slice/nginx.service")),
			    "/system.slice/nginx.service");
	assert_string_equal(snapshot_cgroup_path(s, ino_of("/evil\x1b[2J")), "/evil\x1b[2J");	/* raw */
	assert_string_equal(snapshot_cgroup_path(s, ino_of("")), "/");
	assert_null(snapshot_cgroup_path(s, unknown));
	assert_null(s->note);
	/* a cgroup made after the walk: found by the next walk (not before 5 s) */
	snapshot_free(s);
	cgroup_paths_free(c);
	rm("/system.slice/nginx.service");
	rm("/system.slice");
	rm("/evil\x1b[2J");
	rmdir(root);
}

static void test_no_cgroup2(void **state)
{
	struct snapshot *s = snapshot_new(0);
	struct cgroup_paths *c = cgroup_paths_new("");

	(void)state;
	assert_non_null(c);
	add_sock(s, 42);
	assert_int_equal(cgroup_paths_fill(c, s, false), 0);
	assert_null(s->note);	/* not asked for: nothing to say */
	assert_int_equal(cgroup_paths_fill(c, s, true), 0);
	assert_int_equal(s->ncgroups, 0);
	assert_non_null(s->note);
	assert_non_null(strstr(s->note, "cgroup paths unknown"));
	snapshot_free(s);
	cgroup_paths_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),
		cmocka_unit_test(test_no_cgroup2),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
