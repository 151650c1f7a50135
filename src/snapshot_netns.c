/* snapshot_netns.c: who owns the sockets: the namespaces of an --all-netns
 * sample, and the cgroups' paths. */
#include "snapshot.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

int snapshot_add_netns(struct snapshot *s, const char *name, const char *container, uint64_t ino,
		       int err)
{
	struct netns_rec *r;

	/* sock_rec.netns is 16 bits */
	if (s->nnetns >= UINT16_MAX || grow_array((void **)&s->netns, &s->netns_cap, s->nnetns + 1,
						  sizeof(*r), 16) < 0)
		return -1;
	r = &s->netns[s->nnetns];
	*r = (struct netns_rec){ .ino = ino, .err = err };
	if (!(r->name = arena_strndup(&s->arena, name, strlen(name))) ||
	    (container && !(r->container = arena_strndup(&s->arena, container, strlen(container)))))
		return -1;
	if (err)
		s->netns_unreadable++;
	return (int)s->nnetns++;
}

int snapshot_netns_copy(struct snapshot *dst, const struct snapshot *src)
{
	dst->netns_unreadable = 0;
	for (size_t i = 0; i < src->nnetns; i++) {
		const struct netns_rec *r = &src->netns[i];

		if (snapshot_add_netns(dst, r->name, r->container, r->ino, r->err) < 0)
			return -ENOMEM;
		dst->netns[i].tcp = r->tcp;
	}
	for (size_t i = 0; i < src->ncgroups; i++)
		if (snapshot_add_cgroup(dst, src->cgroups[i].id, src->cgroups[i].path) < 0)
			return -ENOMEM;
	return 0;
}

int snapshot_add_cgroup(struct snapshot *s, uint64_t id, const char *path)
{
	struct cgroup_rec *r;

	if (s->ncgroups && s->cgroups[s->ncgroups - 1].id >= id)
		return -1;	/* the lookup below bisects */
	if (grow_array((void **)&s->cgroups, &s->cgroups_cap, s->ncgroups + 1, sizeof(*r), 16) < 0)
		return -1;
	r = &s->cgroups[s->ncgroups];
	r->id = id;
	if (!(r->path = arena_strndup(&s->arena, path, strlen(path))))
		return -1;
	s->ncgroups++;
	return 0;
}

size_t snapshot_cgroup_index(const struct snapshot *s, uint64_t id)
{
	size_t lo = 0, hi = s->ncgroups;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->cgroups[mid].id == id)
			return mid;
		if (s->cgroups[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s->ncgroups;
}

const char *snapshot_cgroup_path(const struct snapshot *s, uint64_t id)
{
	size_t i = snapshot_cgroup_index(s, id);

	return i < s->ncgroups ? s->cgroups[i].path : NULL;
}
