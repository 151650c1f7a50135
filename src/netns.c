/* netns.c: setns(2) on the namespace file. */
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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
	if (setns(fd, CLONE_NEWNET) < 0) {
		snprintf(err, errlen, "--netns %s: %s%s", spec, strerror(errno),
			 errno == EPERM ? " (entering a namespace needs root: CAP_SYS_ADMIN)" : "");
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
