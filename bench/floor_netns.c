/* floor_netns.c: the sum of the per-namespace floors: in each namespace
 * named on the command line (/run/netns/NAME), the cheapest full dump of
 * every TCP socket (v4 and v6), as floor.c does it in one, from one
 * process (setns, a sock_diag socket made inside, floor_dump.h's dump).
 * No tool can sample those namespaces faster.
 *
 * Usage: floor_netns [-s] NAME...   (prints the sockets counted in all;
 * -s: a family's dump only when the namespace's sockstat counts a socket
 * of it, as nettop skips a dump that would find nothing)
 *        floor_netns [-s] --all     every namespace of the host, as
 * nettop --all-netns finds them: /run/netns/ and every /proc/PID/ns/net,
 * each once (by inode) */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <dirent.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

#include "floor_dump.h"

/* True when the line of /proc/net/FILE that starts with key counts a TCP
 * socket of its family in use, or TIME_WAIT sockets of either (sockstat's
 * tw counts both): as nettop's sampler decides. */
static int in_use(const char *file, const char *key)
{
	char path[128], line[256];
	long inuse = 1, tw = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/thread-self/net/%s", file);
	if (!(f = fopen(path, "r")))
		return 1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)))
			sscanf(line + strlen(key), " inuse %ld", &inuse);
	fclose(f);
	snprintf(path, sizeof(path), "/proc/thread-self/net/sockstat");
	if ((f = fopen(path, "r"))) {
		while (fgets(line, sizeof(line), f)) {
			char *p = strstr(line, " tw ");

			if (!strncmp(line, "TCP:", 4) && p)
				tw = strtol(p + 4, NULL, 10);
		}
		fclose(f);
	}
	return inuse > 0 || tw > 0;
}

#define MAX_NS 4096
static char *paths[MAX_NS];
static ino_t inodes[MAX_NS];
static int npaths;

/* path, unless its namespace is listed already. */
static void add_path(const char *path)
{
	struct stat st;

	if (npaths == MAX_NS || stat(path, &st) < 0)
		return;
	for (int i = 0; i < npaths; i++)
		if (inodes[i] == st.st_ino)
			return;
	inodes[npaths] = st.st_ino;
	paths[npaths++] = strdup(path);
}

static void add_all(void)
{
	char path[300];
	struct dirent *de;
	DIR *d;

	if ((d = opendir("/run/netns"))) {
		while ((de = readdir(d)))
			if (de->d_name[0] != '.' && snprintf(path, sizeof(path), "/run/netns/%s", de->d_name) < (int)sizeof(path))
				add_path(path);
		closedir(d);
	}
	if ((d = opendir("/proc"))) {
		while ((de = readdir(d)))
			if (isdigit((unsigned char)de->d_name[0]) &&
			    snprintf(path, sizeof(path), "/proc/%s/ns/net", de->d_name) < (int)sizeof(path))
				add_path(path);
		closedir(d);
	}
}

int main(int argc, char **argv)
{
	static char buf[32768];
	long total = 0;
	int skip = argc > 1 && !strcmp(argv[1], "-s");

	if (argc > 1 + skip && !strcmp(argv[1 + skip], "--all")) {
		add_all();
	} else {
		for (int i = 1 + skip; i < argc; i++) {
			char path[300];

			snprintf(path, sizeof(path), "/run/netns/%s", argv[i]);
			add_path(path);
		}
	}
	for (int i = 0; i < npaths; i++) {
		const char *path = paths[i];
		struct mnl_socket *nl;
		long v4, v6;
		int fd;

		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWNET) < 0) {
			perror(path);
			return 1;
		}
		close(fd);
		nl = mnl_socket_open(NETLINK_SOCK_DIAG);
		if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
			perror("sock_diag");
			return 1;
		}
		v4 = skip && !in_use("sockstat", "TCP:") ? 0 : dump(nl, AF_INET, buf, sizeof(buf));
		v6 = skip && !in_use("sockstat6", "TCP6:") ? 0 : dump(nl, AF_INET6, buf, sizeof(buf));
		mnl_socket_close(nl);
		if (v4 < 0 || v6 < 0)
			return 1;
		total += v4 + v6;
	}
	printf("%ld\n", total);
	return 0;
}
