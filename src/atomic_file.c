/* atomic_file.c: see atomic_file.h. The temporary file lives beside the
 * target because rename() replaces atomically only within one file system. */
#include "atomic_file.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define LINK_HOPS 40	/* the kernel's own limit (MAXSYMLINKS) */
#define TEMP_TRIES 100

/* Follows path through its symbolic links to the name they end at (which
 * need not exist yet), in out. 0 or -errno (-ELOOP past LINK_HOPS). */
static int link_resolve(const char *path, char *out, size_t outlen)
{
	char link[PATH_MAX];
	struct stat st;

	if ((size_t)snprintf(out, outlen, "%s", path) >= outlen)
		return -ENAMETOOLONG;
	for (int hop = 0; hop < LINK_HOPS; hop++) {
		const char *slash = strrchr(out, '/');
		size_t dirlen = 0;
		ssize_t n;

		if (lstat(out, &st) < 0)
			return errno == ENOENT ? 0 : -errno;
		if (!S_ISLNK(st.st_mode))
			return 0;
		if ((n = readlink(out, link, sizeof(link) - 1)) < 0)
			return -errno;
		link[n] = '\0';
		/* a relative link is relative to the directory holding it */
		if (link[0] != '/' && slash)
			dirlen = (size_t)(slash + 1 - out);
		if (dirlen + (size_t)n >= outlen)
			return -ENAMETOOLONG;
		memcpy(out + dirlen, link, (size_t)n + 1);
	}
	return -ELOOP;
}

/* A name nobody can guess, so nobody can plant it in advance. */
static uint32_t temp_suffix(int attempt)
{
	uint32_t r;
	struct timespec ts;

	if (getrandom(&r, sizeof(r), GRND_NONBLOCK) == (ssize_t)sizeof(r))
		return r;
	clock_gettime(CLOCK_MONOTONIC, &ts);	/* O_EXCL still keeps it safe */
	return (uint32_t)ts.tv_nsec ^ (uint32_t)getpid() << 16 ^ (uint32_t)attempt;
}

/* Creates "path.tmp.XXXXXXXX" exclusively (never through an existing name,
 * link or not); its name in tmp. The fd, or -errno. */
static int temp_create(const char *path, char *tmp, size_t tmplen)
{
	for (int i = 0; i < TEMP_TRIES; i++) {
		int fd;

		if ((size_t)snprintf(tmp, tmplen, "%s.tmp.%08x", path, temp_suffix(i)) >= tmplen)
			return -ENAMETOOLONG;
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd >= 0)
			return fd;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int atomic_file_write(const char *path, const void *data, size_t len, unsigned flags)
{
	char target[PATH_MAX], tmp[PATH_MAX + 16];
	struct stat st;
	int fd, err = 0;

	if (flags & ATOMIC_FILE_FOLLOW)
		err = link_resolve(path, target, sizeof(target));
	else if ((size_t)snprintf(target, sizeof(target), "%s", path) >= sizeof(target))
		err = -ENAMETOOLONG;
	if (err)
		return err;
	if ((fd = temp_create(target, tmp, sizeof(tmp))) < 0)
		return fd;
	/* who may read the file stays as it was (a config chmod'ed 600 stays so) */
	if (lstat(target, &st) == 0 && S_ISREG(st.st_mode) && fchmod(fd, st.st_mode & 07777) < 0)
		err = -errno;
	if (!err)
		err = write_all(fd, data, len);
	if (!err && fsync(fd) < 0)
		err = -errno;
	if (close(fd) < 0 && !err)
		err = -errno;
	if (!err && rename(tmp, target) < 0)
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}
