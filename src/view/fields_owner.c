/* fields_owner.c: the fields that say what owns a socket beyond its
 * process: its network namespace (--all-netns) and its cgroup. Both are
 * untrusted text (a container names itself): escaped wherever shown. */
#include "fields_owner.h"

#include <stdio.h>
#include <string.h>

#include "../escape.h"

static const char *cgroup_of(const struct snapshot *snap, const struct sock_rec *r)
{
	uint64_t id = sock_extra_of(snap, r)->cgroup_id;

	return id ? snapshot_cgroup_path(snap, id) : NULL;
}

static int text_cell(char *buf, size_t len, const char *s)
{
	if (!len)
		return 0;
	if (!s)
		s = "-";
	return (int)escape_text(buf, len, s, strlen(s));
}

int field_netns_format(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	return text_cell(buf, len, snapshot_netns_name(snap, r));
}

int field_cgroup_format(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	return text_cell(buf, len, cgroup_of(snap, r));
}

/* NULL (no namespace, no cgroup) sorts first, as "-" would. */
static int cmp_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

int field_netns_compare(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b)
{
	return cmp_text(snapshot_netns_name(snap, a), snapshot_netns_name(snap, b));
}

int field_cgroup_compare(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b)
{
	return cmp_text(cgroup_of(snap, a), cgroup_of(snap, b));
}

/* The first 7 bytes, big-endian, after a byte that puts NULL first: the
 * comparator decides between names that share them. */
static uint64_t key_text(struct field_key_ctx *ctx, const char *s)
{
	uint64_t k = s ? 1 : 0;
	size_t n = s ? strlen(s) : 0;

	for (size_t i = 0; i < 7; i++)
		k = k << 8 | (i < n ? (unsigned char)s[i] : 0);
	ctx->lossy = true;
	return k;
}

uint64_t field_netns_key(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return key_text(ctx, snapshot_netns_name(ctx->snap, r));
}

uint64_t field_cgroup_key(struct field_key_ctx *ctx, const struct sock_rec *r)
{
	return key_text(ctx, cgroup_of(ctx->snap, r));
}

/* JSON: left out of samples of one namespace, and of sockets whose cgroup
 * is not known (request and TIME_WAIT sockets have none). */
int field_netns_json(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const char *name = snapshot_netns_name(snap, r);

	return name ? (int)escape_json(buf, len, name) : 0;
}

int field_cgroup_json(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len)
{
	const char *path = cgroup_of(snap, r);

	return path ? (int)escape_json(buf, len, path) : 0;
}
