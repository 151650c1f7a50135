/* cgroup_owner.c: the cgroup v2 line ("0::PATH") first, else systemd's v1
 * hierarchy ("N:name=systemd:PATH"); then the path's components from the
 * leaf up, the first that names a container or a unit wins, with a pod's
 * uid above a container (a pod's containers share its namespace). */
#include "cgroup_owner.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define PATH_MAX_LEN 4096
#define ID_SHOWN 12		/* as docker ps shows an id */

struct span {
	const char *p;
	size_t n;
};

static bool has_prefix(struct span s, const char *prefix)
{
	size_t n = strlen(prefix);

	return s.n >= n && !memcmp(s.p, prefix, n);
}

static bool has_suffix(struct span s, const char *suffix)
{
	size_t n = strlen(suffix);

	return s.n >= n && !memcmp(s.p + s.n - n, suffix, n);
}

/* The path of the line that starts with key ("0::"), else of the one whose
 * controllers field is name (for v1's "name=systemd"). */
static bool find_path(const char *text, size_t len, struct span *path)
{
	struct span v1 = { NULL, 0 };
	const char *end = text + len;

	for (const char *line = text; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *stop = nl ? nl : end;
		const char *c1 = memchr(line, ':', (size_t)(stop - line));
		const char *c2 = c1 ? memchr(c1 + 1, ':', (size_t)(stop - c1 - 1)) : NULL;

		if (c2 && c1 - line == 1 && line[0] == '0' && c2 == c1 + 1) {
			*path = (struct span){ c2 + 1, (size_t)(stop - c2 - 1) };
			return true;
		}
		if (c2 && (size_t)(c2 - c1 - 1) == strlen("name=systemd") &&
		    !memcmp(c1 + 1, "name=systemd", strlen("name=systemd")))
			v1 = (struct span){ c2 + 1, (size_t)(stop - c2 - 1) };
		line = stop + 1;
	}
	*path = v1;
	return v1.p != NULL;
}

/* A container id: at least 12 hex digits. */
static bool is_id(struct span s)
{
	if (s.n < ID_SHOWN)
		return false;
	for (size_t i = 0; i < s.n; i++)
		if (!((s.p[i] >= '0' && s.p[i] <= '9') || (s.p[i] >= 'a' && s.p[i] <= 'f')))
			return false;
	return true;
}

static int put(char *out, size_t outlen, const char *kind, struct span s, size_t max)
{
	int n = snprintf(out, outlen, "%s%.*s", kind, (int)(s.n < max ? s.n : max), s.p);

	return n < 0 ? 0 : (size_t)n >= outlen ? (int)outlen - 1 : n;
}

/* A runtime's leaf: "docker-ID.scope", "cri-containerd-ID.scope",
 * "crio-ID.scope", "libpod-ID.scope", or a bare ID under /docker/. */
static int container_of(struct span c, struct span parent, char *out, size_t outlen)
{
	static const struct { const char *prefix, *kind; } scopes[] = {
		{ "docker-", "docker:" }, { "cri-containerd-", "containerd:" },
		{ "crio-", "crio:" }, { "libpod-", "podman:" },
	};
	struct span id;

	if (has_suffix(c, ".scope"))
		for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
			size_t k = strlen(scopes[i].prefix);

			id = (struct span){ c.p + k, c.n >= k + 6 ? c.n - k - 6 : 0 };
			if (has_prefix(c, scopes[i].prefix) && is_id(id))
				return put(out, outlen, scopes[i].kind, id, ID_SHOWN);
		}
	if (is_id(c) && parent.n == strlen("docker") && !memcmp(parent.p, "docker", parent.n))
		return put(out, outlen, "docker:", c, ID_SHOWN);
	if (is_id(c) && parent.p && (has_prefix(parent, "pod") || has_prefix(parent, "kubepods")))
		return put(out, outlen, "containerd:", c, ID_SHOWN);
	return 0;
}

/* "kubepods-burstable-pod<uid>.slice" (systemd driver) or "pod<uid>"
 * (cgroupfs driver); "kubepods" itself holds "pod" too. */
static int pod_of(struct span c, char *out, size_t outlen)
{
	const char *p = has_prefix(c, "pod") ? c.p + 3 : NULL;
	const char *dash = c.n >= 4 ? memmem(c.p, c.n, "-pod", 4) : NULL;
	struct span uid;

	if (!p && dash)
		p = dash + 4;
	if (!p)
		return 0;
	uid = (struct span){ p, (size_t)(c.p + c.n - p) };
	if (has_suffix(uid, ".slice"))
		uid.n -= 6;
	if (uid.n < 8)
		return 0;
	return put(out, outlen, "pod:", uid, 8);
}

static int unit_of(struct span c, char *out, size_t outlen)
{
	if (has_suffix(c, ".service") || (has_suffix(c, ".scope") && c.n > 6))
		return put(out, outlen, "", c, 255);
	return 0;
}

/* The components of path, leaf first: comps[0] is the leaf. */
static size_t split(struct span path, struct span *comps, size_t max)
{
	size_t n = 0;
	const char *end = path.p + path.n;

	while (end > path.p && n < max) {
		const char *start = end;

		while (start > path.p && start[-1] != '/')
			start--;
		if (end > start)
			comps[n++] = (struct span){ start, (size_t)(end - start) };
		end = start > path.p ? start - 1 : path.p;
	}
	return n;
}

int cgroup_owner_parse(const char *text, size_t len, char *out, size_t outlen)
{
	struct span path, comps[64];
	bool kube = false;
	size_t n;
	int r;

	if (!outlen)
		return -EINVAL;
	out[0] = '\0';
	if (!find_path(text, len, &path))
		return -EINVAL;
	if (path.n > PATH_MAX_LEN)
		path.n = PATH_MAX_LEN;
	n = split(path, comps, sizeof(comps) / sizeof(comps[0]));
	/* under kubepods, the pod wins: its containers share one namespace */
	for (size_t i = 0; i < n; i++)
		kube |= has_prefix(comps[i], "kubepods");
	for (size_t i = 0; kube && i < n; i++)
		if ((r = pod_of(comps[i], out, outlen)) > 0)
			return r;
	for (size_t i = 0; i < n; i++) {
		struct span parent = i + 1 < n ? comps[i + 1] : (struct span){ NULL, 0 };

		if ((r = container_of(comps[i], parent, out, outlen)) > 0)
			return r;
		if (has_prefix(comps[i], "lxc.payload.") && comps[i].n > 12)
			return put(out, outlen, "lxc:", (struct span){ comps[i].p + 12, comps[i].n - 12 }, 64);
		if (parent.p && parent.n == 3 && !memcmp(parent.p, "lxc", 3))
			return put(out, outlen, "lxc:", comps[i], 64);
	}
	for (size_t i = 0; i < n; i++)
		if ((r = unit_of(comps[i], out, outlen)) > 0)
			return r;
	return 0;
}
