/* test_config_save.c: config_save(), the settings the screen writes: never
 * through a temporary name someone planted as a link, through the link a
 * dotfile manager made (the link stays a link), and the real cause when the
 * directory cannot be made (a read-only tmpfs in a private mount namespace:
 * as root, permissions would not stop it). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "config/config.h"
#include "scratch.h"

/* Loads path, sets interval to value: the config is then to be saved. */
static void config_change(struct config *c, const char *path, const char *value)
{
	char err[300];

	assert_true(config_load(c, path, err, sizeof(err)) >= 0);
	assert_int_equal(config_set(c, CONFIG_interval, value, err, sizeof(err)), 0);
}

/* The old save wrote "PATH.tmp.PID" with fopen("w"): a link planted under
 * that name had root write the settings over the link's target. */
static void test_planted_temporary_link(void **state)
{
	char dir[128], path[160], planted[200], victim[128];
	struct config c;

	(void)state;
	scratch_path(dir, sizeof(dir), "shared");
	assert_int_equal(mkdir(dir, 01777), 0);
	snprintf(path, sizeof(path), "%s/config", dir);
	scratch_path(victim, sizeof(victim), "victim");
	assert_int_equal(scratch_put(victim, "precious\n", 0644), 0);
	snprintf(planted, sizeof(planted), "%s.tmp.%d", path, (int)getpid());
	assert_int_equal(symlink(victim, planted), 0);
	config_change(&c, path, "3");
	assert_int_equal(config_save(&c), 0);
	assert_string_equal(scratch_read(victim), "precious\n");
	assert_non_null(strstr(scratch_read(path), "\ninterval = 3\n"));
	config_free(&c);
}

/* A config linked from a dotfile repository (relative, as stow makes it):
 * the repository's file gets the settings and the link stays. */
static void test_symlinked_config(void **state)
{
	char repo[128], target[160], dir[128], link[160];
	struct config c;
	struct stat st;

	(void)state;
	scratch_path(repo, sizeof(repo), "dotfiles");
	scratch_path(dir, sizeof(dir), "xdg");
	assert_int_equal(mkdir(repo, 0755), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(target, sizeof(target), "%s/nettop.conf", repo);
	snprintf(link, sizeof(link), "%s/config", dir);
	assert_int_equal(scratch_put(target, "interval = 2\n", 0600), 0);
	assert_int_equal(symlink("../dotfiles/nettop.conf", link), 0);
	config_change(&c, link, "5");
	assert_string_equal(config_get(&c, CONFIG_interval), "5");
	assert_int_equal(config_save(&c), 0);
	assert_int_equal(lstat(link, &st), 0);
	assert_true(S_ISLNK(st.st_mode));
	assert_non_null(strstr(scratch_read(target), "\ninterval = 5\n"));
	assert_int_equal(stat(target, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(scratch_entries(repo), 1);	/* no temporary file left */
	config_free(&c);
}

/* The directory cannot be made: its own cause, not the ENOENT of opening a
 * file in a directory that is not there. */
static void test_unwritable_directory(void **state)
{
	char ro[128], path[200];
	struct config c;

	(void)state;
	scratch_path(ro, sizeof(ro), "ro-home");
	if (scratch_tmpfs(ro, "64k") < 0 || scratch_readonly(ro) < 0)
		skip();		/* not root: no private mount namespace */
	snprintf(path, sizeof(path), "%s/nettop/config", ro);
	config_change(&c, path, "4");
	assert_int_equal(config_save(&c), -EROFS);
	assert_true(c.changed);		/* still to be saved */
	config_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_temporary_link),
		cmocka_unit_test(test_symlinked_config),
		cmocka_unit_test(test_unwritable_directory),
	};

	return cmocka_run_group_tests(tests, scratch_setup, scratch_teardown);
}
