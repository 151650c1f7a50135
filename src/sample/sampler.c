/* sampler.c: one snapshot = sock_diag dumps (tcp, tcp6, udp, udp6, netstat's
 * order) or BPF iterator walks giving the same records, + a link dump +
 * /proc/net counters + optional owners. */
#include "sampler.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../tcpstate.h"
#include "allnetns.h"
#include "bpf/bpf_sampler.h"
#include "conntrack.h"
#include "cgroup_path.h"
#include "destroy.h"
#include "link.h"
#include "nldump.h"
#include "procnet.h"
#include "procs.h"
#include "sockdiag.h"
#include "synsniff.h"

/* The kernel fills at most ~32 KiB per recvmsg of a dump; libmnl's 8 KiB
 * default would take four times the system calls. */
#define RECV_BUF_SIZE (32 * 1024)

/* /proc/net is the main thread's namespace; the sampler thread may live in
 * another one (the screen's namespace picker): read its own. */
#define PROCNET_DIR "/proc/thread-self/net"

/* auto loads the BPF programs once a sample's namespace holds this many
 * sockets. Loading them (the verifier) costs ~0.1 s of CPU, as much as a
 * sock_diag dump of ~90,000 sockets; below 10,000 a dump costs ~10 ms, and
 * a one-shot `nettop -tan` on a quiet host stays as cheap as netstat. The
 * first sample (a one-shot run's only one) loads them past AUTO_BPF_FIRST
 * alone: it would pay for the loading and, as nobody has asked for the
 * sockets' cookies yet, for the kernel's iterator, which asks for each;
 * a dump, below that, costs less, and asks for them too. */
#define AUTO_BPF_SOCKETS 10000
#define AUTO_BPF_FIRST 250000

struct sampler {
	struct mnl_socket *diag;	/* NULL: sock_diag unavailable, read /proc/net */
	struct mnl_socket *rtnl;
	struct bpf_sampler *bpf;	/* NULL: sockets through sock_diag */
	unsigned backend;		/* enum sample_backend asked for */
	bool bpf_later;			/* auto: BPF not loaded yet (AUTO_BPF_SOCKETS) */
	int bpf_err;			/* why BPF is not used (auto), or 0 */
	struct procs *procs;		/* owner cache, made on the first -p sample */
	struct synsniff *sniff;		/* SYN counter, opened on first request */
	struct allnetns *all;		/* --all-netns: a socket per namespace, made on first use */
	struct cgroup_paths *cgroups;	/* the paths of the sockets' cgroup ids; NULL: none */
	int sniff_err;			/* why it could not be opened, or 0 */
	struct mnl_socket *nfnl;	/* conntrack's, opened on first request */
	void *buf;
};

int sampler_probe_bpf(const char **why)
{
	int err;

	bpf_sampler_close(bpf_sampler_open(&err));
	*why = err ? bpf_sampler_why(err) : NULL;
	return err;
}

struct sampler *sampler_open(unsigned backend, const char **note)
{
	struct sampler *s = calloc(1, sizeof(*s));

	*note = NULL;
	if (!s || !(s->buf = malloc(RECV_BUF_SIZE))) {
		free(s);
		return NULL;
	}
	s->backend = backend;
	if (backend == BACKEND_BPF)
		s->bpf = bpf_sampler_open(&s->bpf_err);
	s->bpf_later = backend == BACKEND_AUTO;
	s->diag = nldump_open(NETLINK_SOCK_DIAG);
	if (!s->diag)
		*note = "sock_diag unavailable: reading /proc/net instead";
	s->rtnl = nldump_open(NETLINK_ROUTE);
	s->cgroups = cgroup_paths_new(NULL);
	return s;
}

const char *sampler_bpf_failure(const struct sampler *s)
{
	return s->backend == BACKEND_BPF && !s->bpf ? bpf_sampler_why(s->bpf_err) : NULL;
}

void sampler_close(struct sampler *s)
{
	if (!s)
		return;
	if (s->diag)
		mnl_socket_close(s->diag);
	if (s->rtnl)
		mnl_socket_close(s->rtnl);
	bpf_sampler_close(s->bpf);
	procs_free(s->procs);
	synsniff_close(s->sniff);
	if (s->nfnl)
		mnl_socket_close(s->nfnl);
	allnetns_free(s->all);
	cgroup_paths_free(s->cgroups);
	free(s->buf);
	free(s);
}

bool sampler_dump_is_empty(const struct sockstat_counts *c, int proto, int family)
{
	int f = family == 6;

	if (!c->valid)
		return false;
	return c->inuse[proto][f] == 0 && (proto == PROTO_UDP || c->tw == 0);
}

int sampler_dump_inet(struct mnl_socket *diag, void *buf, size_t buflen,
		      const struct sample_request *req, const struct sockstat_counts *counts,
		      struct snapshot *snap)
{
	static const struct { uint8_t proto, family; } dumps[] = {
		{ PROTO_TCP, 4 }, { PROTO_TCP, 6 }, { PROTO_UDP, 4 }, { PROTO_UDP, 6 },
	};
	for (size_t i = 0; i < sizeof(dumps) / sizeof(dumps[0]); i++) {
		struct sockdiag_request dr = {
			.family = dumps[i].family, .proto = dumps[i].proto,
			.want_info = req->want_info, .state_mask = req->state_mask,
			.want_health = req->want_health,
			.bytecode = req->bytecode, .bytecode_len = req->bytecode_len,
		};
		int err;

		if (!(req->protos & (1u << dr.proto)) || !(req->families & (1u << dr.family)) ||
		    sampler_dump_is_empty(counts, dr.proto, dr.family))
			continue;
		err = sockdiag_dump(diag, buf, buflen, &dr, snap);
		/* a kernel without IPv6 or UDP diag refuses that one dump only */
		if (err == -ENOENT || err == -EAFNOSUPPORT || err == -EOPNOTSUPP)
			continue;
		if (err)
			return err;
	}
	return 0;
}

/* /proc/net lists every state; keep only the requested ones. */
static void keep_states(struct snapshot *snap, uint32_t mask)
{
	size_t out = 0;

	for (size_t i = 0; i < snap->nsocks; i++)
		if (mask & ST_MASK(snap->socks[i].state))
			snapshot_move_sock(snap, out++, i);
	snap->nsocks = out;
}

static int take_sockets_procfs(const struct sample_request *req, struct snapshot *snap)
{
	int err = procnet_read_sockets(PROCNET_DIR, req->protos, req->families, snap);

	keep_states(snap, req->state_mask);
	snap->flags |= SNAP_PROCFS_FALLBACK;
	snap->note = "sock_diag unavailable: sockets read from /proc/net";
	return err;
}

/* SYN counting needs CAP_NET_RAW: without it the sample says why and goes on. */
static void take_syn_packets(struct sampler *s, struct snapshot *snap)
{
	if (!s->sniff && !s->sniff_err)
		s->sniff = synsniff_open(&s->sniff_err);
	if (s->sniff)
		synsniff_drain(s->sniff, snap);
	else
		snap->note = s->sniff_err == -EPERM || s->sniff_err == -EACCES
			? "counting SYN packets needs root (CAP_NET_RAW)"
			: "counting SYN packets failed: AF_PACKET unavailable";
}

/* BPF when it loaded; a walk that fails (it should not) makes auto fall back
 * to sock_diag for good, with the reason in every later sample. Where only
 * the kernel's iterator runs (no table walk: kernels before 6.2), auto
 * leaves to sock_diag a dump the kernel narrows by itself: sock_diag passes
 * over a socket the filter's bytecode rejects in ~0.1 us, and over the
 * whole established hash for listeners only, where the iterator visits
 * (and locks) every socket for ~0.7 us. The walk passes over a socket as
 * fast as sock_diag's dump does, and over most of a narrow filter's rejects
 * on the ports alone (bench/run.sh's narrow rows). */
static bool use_bpf(const struct sampler *s, const struct sample_request *req)
{
	uint32_t listeners = ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE);

	if (!s->bpf)
		return false;
	if (s->backend == BACKEND_BPF || !s->diag)
		return true;
	return bpf_sampler_walks(s->bpf) || (!req->bytecode_len && (req->state_mask & ~listeners));
}

/* The kernel's count of TCP and UDP sockets, both families. */
static size_t sockets_counted(const struct sockstat_counts *c)
{
	return c->inuse[0][0] + c->inuse[0][1] + c->inuse[1][0] + c->inuse[1][1] + c->tw;
}

/* The sockets by BPF: of this namespace, or of every one (--all-netns),
 * entered one after the other. */
static int take_bpf(struct sampler *s, const struct sample_request *req, struct snapshot *snap)
{
	if (req->all_netns)
		return allnetns_take(s->all, s->bpf, s->buf, RECV_BUF_SIZE, req, snap);
	return bpf_sampler_take(s->bpf, req, NULL, snap);
}

static int take_any(struct sampler *s, const struct sample_request *req,
		    const struct sockstat_counts *counts, struct snapshot *snap)
{
	if (!req->all_netns) {
		allnetns_free(s->all);	/* the screen's picker went back to one namespace */
		s->all = NULL;
	} else if (!s->all && !(s->all = allnetns_new())) {
		return -ENOMEM;
	}
	/* whichever backend takes the sample fills the health records */
	unsigned health = req->want_health ? SNAP_HAS_HEALTH : 0;

	if (use_bpf(s, req)) {
		int err;

		snap->flags |= SNAP_BPF | health;
		if (!(err = take_bpf(s, req, snap)) || s->backend == BACKEND_BPF)
			return err;
		bpf_sampler_close(s->bpf);
		s->bpf = NULL;
		s->bpf_err = err;
		snapshot_forget_sockets(snap);	/* and SNAP_BPF, SNAP_HAS_HEALTH */
	}
	if (s->bpf_err && s->backend == BACKEND_AUTO)
		snap->backend_note = bpf_sampler_why(s->bpf_err);
	else if (s->bpf_later)
		snap->backend_note = counts->valid && sockets_counted(counts) < AUTO_BPF_SOCKETS
			? "fewer than 10,000 sockets: sock_diag costs less than loading BPF"
			: "a first sample of fewer than 250,000 sockets: sock_diag costs less than loading BPF";
	if (req->all_netns || s->diag)	/* /proc/net has no health */
		snap->flags |= health;
	if (req->all_netns)
		return allnetns_take(s->all, NULL, s->buf, RECV_BUF_SIZE, req, snap);
	return s->diag ? sampler_dump_inet(s->diag, s->buf, RECV_BUF_SIZE, req, counts, snap)
		       : take_sockets_procfs(req, snap);
}

/* Whether auto loads BPF for this sample (the counts leave out request
 * sockets, a SYN flood's: the sample before has them). */
static bool auto_loads_bpf(const struct sockstat_counts *counts, const struct snapshot *prev)
{
	size_t n = counts->valid ? sockets_counted(counts) : SIZE_MAX;

	if (prev && prev->nsocks > n)
		n = prev->nsocks;
	return n >= (prev ? AUTO_BPF_SOCKETS : AUTO_BPF_FIRST);
}

struct snapshot *sampler_take(struct sampler *s, const struct sample_request *req,
			      const struct snapshot *prev, int *err)
{
	/* the array is sized so that it rarely grows: growth costs copies and
	 * page faults at scale */
	struct sockstat_counts counts;
	size_t expect;
	struct snapshot *snap;

	procnet_read_sockstat_counts(PROCNET_DIR, &counts);
	/* sized from the previous sample (a filtered one is smaller than the
	 * kernel's count), else from that count */
	expect = prev ? prev->nsocks : sockets_counted(&counts);
	snap = snapshot_new(expect + expect / 16 + 64);

	*err = 0;
	if (!snap) {
		*err = -ENOMEM;
		return NULL;
	}
	clock_gettime(CLOCK_MONOTONIC, &snap->mono);
	clock_gettime(CLOCK_REALTIME, &snap->wall);
	if (req->want_info || req->want_health)
		snap->flags |= SNAP_HAS_INFO;
	if (req->want_extra || req->want_health || req->want_cgroups || req->want_cgroup_ids)
		snap->flags |= SNAP_HAS_EXTRA;
	if (s->bpf_later && auto_loads_bpf(&counts, prev)) {
		s->bpf_later = false;
		s->bpf = bpf_sampler_open(&s->bpf_err);
	}
	*err = take_any(s, req, &counts, snap);
	if (!*err && s->cgroups)
		*err = cgroup_paths_fill(s->cgroups, snap, req->want_cgroups);
	if (!*err && req->want_links && s->rtnl)
		*err = link_dump(s->rtnl, s->buf, RECV_BUF_SIZE, snap);
	if (!*err && req->want_counters)
		procnet_read_counters(PROCNET_DIR, snap);	/* absent counters stay absent */
	if (!*err && req->want_procs && (s->procs || (s->procs = procs_new("/proc"))))
		procs_attribute(s->procs, snap, req->procs_budget_ms);
	if (!*err && req->want_syn_packets)
		take_syn_packets(s, snap);
	if (!*err && req->want_conntrack)
		*err = conntrack_sample(&s->nfnl, s->buf, RECV_BUF_SIZE, snap);
	if (*err) {
		snapshot_free(snap);
		return NULL;
	}
	snapshot_derive(snap, prev);
	return snap;
}

int sampler_destroy(struct sampler *s, const struct sock_rec *r)
{
	struct mnl_socket *diag = s->all ? allnetns_diag_of(s->all, r) : s->diag;

	if (!diag)
		return -EOPNOTSUPP;
	return sockdiag_destroy(diag, s->buf, RECV_BUF_SIZE, r);
}
