/* scratch.h: a scratch directory for the tests of files nettop writes, and
 * small file systems that refuse writes (read-only, full) mounted in a
 * private mount namespace, so that nothing outside this process sees them
 * and they vanish with it. Header-only (the Makefile links each test_*.c on
 * its own). */
#ifndef NETTOP_TEST_SCRATCH_H
#define NETTOP_TEST_SCRATCH_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

static char scratch_dir[64];
static char scratch_mounts[4][4096];	/* unmounted by scratch_remove() */

/* The scratch directory (created once per run), or NULL. */
static inline const char *scratch_make(void)
{
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/nettop-unit.XXXXXX");
	umask(022);
	return mkdtemp(scratch_dir);
}

static inline int scratch_unlink(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)flag, (void)ftw;
	return remove(path);
}

/* Removes the scratch directory and everything in it, unmounting what
 * scratch_tmpfs() mounted there first. */
static inline void scratch_remove(void)
{
	for (size_t i = 0; i < sizeof(scratch_mounts) / sizeof(scratch_mounts[0]); i++)
		if (scratch_mounts[i][0])
			umount2(scratch_mounts[i], MNT_DETACH);
	if (scratch_dir[0] && strcmp(scratch_dir, "/tmp/nettop-unit.XXXXXX"))
		nftw(scratch_dir, scratch_unlink, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

/* cmocka's group setup and teardown: the scratch directory for every test. */
static inline int scratch_setup(void **state)
{
	(void)state;
	return scratch_make() ? 0 : -1;
}

static inline int scratch_teardown(void **state)
{
	(void)state;
	scratch_remove();
	return 0;
}

/* buf = "<scratch>/name". */
static inline const char *scratch_path(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", scratch_dir, name);
	return buf;
}

/* The whole file, NUL-terminated, in a static buffer ("" if unreadable). */
static inline const char *scratch_read(const char *path)
{
	static char buf[1 << 17];
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, sizeof(buf) - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return buf;
}

static inline int scratch_put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Entries in dir besides . and .. (-1 if unreadable): a temporary file left
 * behind shows up here. */
static inline int scratch_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

/* Mounts a tmpfs of size bytes at dir (created) in a private mount
 * namespace; 0, or -1 when that cannot be (not root): the caller skips. */
static inline int scratch_tmpfs(const char *dir, const char *size)
{
	static int unshared;
	char opts[64];
	size_t i;

	if (!unshared) {
		if (geteuid() != 0 || unshare(CLONE_NEWNS) < 0 ||
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			return -1;
		unshared = 1;
	}
	snprintf(opts, sizeof(opts), "size=%s,mode=0755", size);
	for (i = 0; i < sizeof(scratch_mounts) / sizeof(scratch_mounts[0]) && scratch_mounts[i][0]; i++)
		;
	if (i == sizeof(scratch_mounts) / sizeof(scratch_mounts[0]) || strlen(dir) >= sizeof(scratch_mounts[0]) ||
	    (mkdir(dir, 0755) < 0 && errno != EEXIST) || mount("tmpfs", dir, "tmpfs", 0, opts) < 0)
		return -1;
	strcpy(scratch_mounts[i], dir);
	return 0;
}

/* Makes the tmpfs at dir read-only (what it holds stays readable). */
static inline int scratch_readonly(const char *dir)
{
	return mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY, NULL);
}

/* Fills the file system holding dir until a write fails with ENOSPC. */
static inline int scratch_fill(const char *dir)
{
	char path[4096], block[4096] = { 0 };
	int fd;

	snprintf(path, sizeof(path), "%s/filler", dir);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return -1;
	while (write(fd, block, sizeof(block)) > 0)
		;
	close(fd);
	return errno == ENOSPC ? 0 : -1;
}

#endif
