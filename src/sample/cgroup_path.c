/* cgroup_path.c: a walk of the cgroup2 tree into a table sorted by id. */
#include "cgroup_path.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../arena.h"
#include "../grow.h"
#include "../monotime.h"

/* A tree deeper than this is not walked further (a loop cannot be, but a
 * hostile hierarchy may be deep). */
#define WALK_DEPTH 32
/* Ids that stay unknown (a cgroup removed since) cost a walk at most this often. */
#define REWALK_SECONDS 5.0

struct cgroup_entry {
	uint64_t id;
	const char *path;		/* in the arena */
};

struct cgroup_paths {
	char root[256];			/* "" when no cgroup2 mount was found */
	struct arena arena;
	struct cgroup_entry *v;
	size_t n, cap;
	struct timespec walked;		/* when last walked; 0: never */
	uint64_t *ids;			/* a sample's distinct ids, scratch */
	size_t ids_cap;
};

static bool is_cgroup2(const char *path)
{
	struct statfs fs;

	return statfs(path, &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC;
}

/* Where cgroup2 is mounted: alone, or beside v1 (hybrid hosts). */
static const char *const roots[] = { "/sys/fs/cgroup", "/sys/fs/cgroup/unified" };

struct cgroup_paths *cgroup_paths_new(const char *root)
{
	struct cgroup_paths *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	arena_init(&c->arena, 16 * 1024);
	if (root) {
		snprintf(c->root, sizeof(c->root), "%s", root);
		return c;
	}
	for (size_t i = 0; i < sizeof(roots) / sizeof(roots[0]); i++)
		if (is_cgroup2(roots[i])) {
			snprintf(c->root, sizeof(c->root), "%s", roots[i]);
			break;
		}
	return c;
}

void cgroup_paths_free(struct cgroup_paths *c)
{
	if (!c)
		return;
	arena_free(&c->arena);
	free(c->v);
	free(c->ids);
	free(c);
}

static int entry_add(struct cgroup_paths *c, uint64_t id, const char *path)
{
	const char *copy;

	if (grow_array((void **)&c->v, &c->cap, c->n + 1, sizeof(*c->v), 64) < 0 ||
	    !(copy = arena_strndup(&c->arena, path, strlen(path))))
		return -ENOMEM;
	c->v[c->n++] = (struct cgroup_entry){ id, copy };
	return 0;
}

/* Every directory under dir (rel: its path from the root, "" for the root). */
static int walk(struct cgroup_paths *c, int dir, char *rel, size_t len, size_t rlen, int depth)
{
	DIR *d = fdopendir(dir);
	struct dirent *de;
	int err = 0;

	if (!d) {
		close(dir);
		return 0;
	}
	while (!err && (de = readdir(d))) {
		struct stat st;
		size_t nlen = strlen(de->d_name);
		int fd;

		if (de->d_type != DT_DIR || de->d_name[0] == '.' || rlen + 1 + nlen >= len)
			continue;
		if ((fd = openat(dirfd(d), de->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			continue;
		if (fstat(fd, &st) < 0) {
			close(fd);
			continue;
		}
		rel[rlen] = '/';
		memcpy(rel + rlen + 1, de->d_name, nlen + 1);
		err = entry_add(c, (uint64_t)st.st_ino, rel);
		if (!err && depth < WALK_DEPTH)
			err = walk(c, fd, rel, len, rlen + 1 + nlen, depth + 1);
		else
			close(fd);
		rel[rlen] = '\0';
	}
	closedir(d);
	return err;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct cgroup_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

static int rewalk(struct cgroup_paths *c)
{
	char rel[4096] = "";
	struct stat st;
	int fd, err;

	monotime_now(&c->walked);
	arena_free(&c->arena);
	arena_init(&c->arena, 16 * 1024);
	c->n = 0;
	if (!c->root[0] || (fd = open(c->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return 0;
	if (fstat(fd, &st) == 0 && (err = entry_add(c, (uint64_t)st.st_ino, "/")) < 0) {
		close(fd);
		return err;
	}
	if ((err = walk(c, fd, rel, sizeof(rel), 0, 0)) < 0)
		return err;
	qsort(c->v, c->n, sizeof(*c->v), entry_cmp);
	return 0;
}

static const struct cgroup_entry *entry_find(const struct cgroup_paths *c, uint64_t id)
{
	struct cgroup_entry key = { .id = id };

	if (!c->n)
		return NULL;	/* bsearch() wants an array, even an empty one */
	return bsearch(&key, c->v, c->n, sizeof(*c->v), entry_cmp);
}

static int id_cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The distinct ids of snap's sockets, ascending, into c->ids: sockets of
 * one cgroup come in runs, so only the runs are sorted. */
static long distinct_ids(struct cgroup_paths *c, const struct snapshot *snap)
{
	size_t n = 0, out = 0;
	uint64_t last = 0;

	for (size_t i = 0; i < snap->nsocks; i++) {
		uint64_t id = sock_extra_of(snap, &snap->socks[i])->cgroup_id;

		if (!id || id == last)
			continue;
		if (grow_array((void **)&c->ids, &c->ids_cap, n + 1, sizeof(*c->ids), 64) < 0)
			return -ENOMEM;
		c->ids[n++] = last = id;
	}
	if (!n)
		return 0;
	qsort(c->ids, n, sizeof(*c->ids), id_cmp);
	for (size_t i = 0; i < n; i++)
		if (!out || c->ids[out - 1] != c->ids[i])
			c->ids[out++] = c->ids[i];
	return (long)out;
}

int cgroup_paths_fill(struct cgroup_paths *c, struct snapshot *snap, bool wanted)
{
	long n = distinct_ids(c, snap);
	bool missing = false;
	struct timespec now, due = c->walked;

	if (n < 0)
		return (int)n;
	/* `ip netns exec` mounts a /sys of its own, without cgroup2 */
	if (n && wanted && !c->root[0] && !snap->note)
		snap->note = "cgroup paths unknown: no cgroup2 file system in view (under ip netns exec? use --netns)";
	for (long i = 0; i < n && !missing; i++)
		missing = !entry_find(c, c->ids[i]);
	monotime_now(&now);
	monotime_add(&due, REWALK_SECONDS);
	if (missing && (!c->walked.tv_sec || monotime_reached(&now, &due)) && rewalk(c) < 0)
		return -ENOMEM;
	for (long i = 0; i < n; i++) {
		const struct cgroup_entry *e = entry_find(c, c->ids[i]);

		if (e && snapshot_add_cgroup(snap, e->id, e->path) < 0)
			return -ENOMEM;
	}
	return 0;
}
