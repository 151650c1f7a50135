/* cgroup_owner.h: who owns a process, from its /proc/PID/cgroup text: the
 * container (docker, containerd, CRI-O, podman, LXC; a Kubernetes pod) or
 * the systemd unit its cgroup path names. Pure: tests and fuzzers feed it. */
#ifndef NETTOP_CGROUP_OWNER_H
#define NETTOP_CGROUP_OWNER_H

#include <stddef.h>

/* The owner named by the cgroup file text (len bytes, not terminated) into
 * out: "docker:0123456789ab", "containerd:…", "crio:…", "podman:…",
 * "lxc:NAME", "pod:1a2b3c4d" (a pod's uid, first 8), or a unit
 * ("nginx.service"). Its length, 0 when the process is in no container or
 * unit (the root cgroup), or -EINVAL when the text holds no cgroup line.
 * The result is the file's raw bytes: escape it to show it. */
int cgroup_owner_parse(const char *text, size_t len, char *out, size_t outlen);

#endif
