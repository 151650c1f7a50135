/* fields_owner.h: the netns and cgroup fields of the registry (fields.c). */
#ifndef NETTOP_FIELDS_OWNER_H
#define NETTOP_FIELDS_OWNER_H

#include "fields.h"

int field_netns_format(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);
int field_cgroup_format(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);
int field_netns_compare(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b);
int field_cgroup_compare(const struct snapshot *snap, const struct sock_rec *a, const struct sock_rec *b);
uint64_t field_netns_key(struct field_key_ctx *ctx, const struct sock_rec *r);
uint64_t field_cgroup_key(struct field_key_ctx *ctx, const struct sock_rec *r);
int field_netns_json(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);
int field_cgroup_json(const struct snapshot *snap, const struct sock_rec *r, char *buf, size_t len);

#endif
