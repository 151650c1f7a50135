/* netns.c: setns(2) on the namespace file. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* After --netns: the namespace nettop started in, and the one it entered. */
static int original_fd = -1, entered_fd = -1;

static int namespace_path(const char *spec, char *path, size_t len)
{
	const char *p = spec;

	while (*p >= '0' && *p <= '9')
		p++;
	if (*spec && !*p)
		return snprintf(path, len, "/proc/%s/ns/net", spec) < (int)len ? 0 : -1;
	if (!*spec || strchr(spec, '/') || !strcmp(spec, ".") || !strcmp(spec, ".."))
		return -1;
	return snprintf(path, len, "/run/netns/%s", spec) < (int)len ? 0 : -1;
}

int netns_enter(const char *spec, char *err, size_t errlen)
{
	char path[300];
	int fd;

	if (namespace_path(spec, path, sizeof(path)) < 0) {
		snprintf(err, errlen, "--netns: '%s' is neither a namespace name nor a PID", spec);
		return -2;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "--netns: %s: %s", path, strerror(errno));
		return errno == ENOENT ? -2 : -1;
	}
	if (original_fd < 0)
		original_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (original_fd < 0 || setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "--netns %s: %s%s", spec, strerror(errno),
			 errno == EPERM ? " (entering a namespace needs root: CAP_SYS_ADMIN)" : "");
		close(fd);
		return -1;
	}
	if (entered_fd >= 0)
		close(entered_fd);
	entered_fd = fd;
	return 0;
}

int netns_in_original(int (*fn)(void *), void *arg)
{
	int ret;

	if (entered_fd < 0)
		return fn(arg);
	if (setns(original_fd, CLONE_NEWNET) < 0)
		return -errno;
	ret = fn(arg);
	if (setns(entered_fd, CLONE_NEWNET) < 0)
		return -errno;	/* the thread would sample the wrong namespace */
	return ret;
}
