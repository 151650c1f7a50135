/* batch_more.c: runs the dumps of issue 22's modes and hands them to the
 * printers of out/netstat_more.c. */
#include "batch_more.h"

#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netlink.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "print/netstat_more.h"
#include "resolve.h"
#include "sample/mcast.h"
#include "sample/nldump.h"
#include "sample/procs.h"
#include "sample/raw.h"
#include "sample/route.h"
#include "sample/sampler.h"

#define MORE_BUF (64 * 1024)

static struct more_options more_opts(const struct options *o, struct resolver *names)
{
	/* netstat swaps its -e count for -r: none is the MSS layout (2), one -e
	 * the Metric layout (1), two and more both (3) */
	int ext = o->extend == 0 ? 2 : o->extend == 1 ? 1 : 3;

	return (struct more_options){
		.names = names, .listen = o->listen, .show_procs = o->show_procs,
		.route_ext = ext, .route_cache = o->route_cache,
	};
}

static int run_routes(const struct options *o, struct mnl_socket *nl, void *buf, struct resolver *names)
{
	struct route_table t = { 0 };
	/* -r alone is IPv4's table, as netstat's default address family */
	int family = (o->families & SAMPLE_V6) && !(o->families & SAMPLE_V4) ? 6 : 4;
	struct more_options mo = more_opts(o, names);
	int err = route_dump(nl, buf, MORE_BUF, family, &t);

	if (!err) {
		more_resolve(names, &t, NULL, NULL, 1000);
		if (family == 6)
			out_routes6(stdout, &t, &mo);
		else
			out_routes4(stdout, &t, &mo);
	}
	route_table_free(&t);
	return err;
}

static int run_groups(const struct options *o, struct resolver *names)
{
	struct mcast_table t = { 0 };
	struct more_options mo = more_opts(o, names);
	int err = mcast_read("/proc", o->families, &t);

	if (!err) {
		more_resolve(names, NULL, &t, NULL, 1000);
		out_groups(stdout, &t, &mo);
	}
	mcast_table_free(&t);
	return err;
}

static int run_masq(const struct options *o, void *buf, struct resolver *names)
{
	struct ct_table t = { 0 };
	struct more_options mo = more_opts(o, names);
	struct mnl_socket *nl = nldump_open(NETLINK_NETFILTER);
	int err = nl ? conntrack_dump(nl, buf, MORE_BUF, true, &t) : -errno;

	if (nl)
		mnl_socket_close(nl);
	if (!err) {
		more_resolve(names, NULL, NULL, &t, 1000);
		out_masq(stdout, &t, &mo);
	}
	conntrack_table_free(&t);
	return err;
}

static void sleep_for(double seconds, const volatile sig_atomic_t *stop)
{
	struct timespec ts = { (time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9) };

	while (!*stop && nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int batch_more_run(const struct options *o, const volatile sig_atomic_t *stop)
{
	struct resolver *names = o->numeric ? NULL : resolver_new(4);
	struct mnl_socket *nl = nldump_open(NETLINK_ROUTE);
	void *buf = malloc(MORE_BUF);
	int err = !nl ? -errno : !buf ? -ENOMEM : 0;
	/* -c repeats the table every interval, as netstat -rc does */
	long count = o->count ? o->count : o->continuous ? 0 : 1;

	for (long i = 0; !err && !*stop && (count == 0 || i < count); i++) {
		if (i)
			sleep_for(o->interval, stop);
		if (*stop)
			break;
		if (o->more == MORE_ROUTE)
			err = run_routes(o, nl, buf, names);
		else if (o->more == MORE_GROUPS)
			err = run_groups(o, names);
		else if (o->more == MORE_MASQ)
			err = run_masq(o, buf, names);
		if (fflush(stdout) || ferror(stdout))
			break;	/* stdout is gone (a closed pipe) */
	}
	if (err)
		fprintf(stderr, "nettop: %s: %s\n", o->more == MORE_MASQ ? "conntrack table" :
			o->more == MORE_GROUPS ? "multicast groups" : "routing table", strerror(-err));
	if (nl)
		mnl_socket_close(nl);
	free(buf);
	resolver_free(names);
	if (fflush(stdout) || ferror(stdout))
		return 1;
	return err ? 1 : 0;
}

/* A socket record per Unix socket, so that procs_attribute() names owners. */
static int unix_owners(struct more_sample *m)
{
	struct procs *p;

	m->unix_owners = snapshot_new(m->unix_socks.n);
	if (!m->unix_owners)
		return -ENOMEM;
	for (size_t i = 0; i < m->unix_socks.n; i++) {
		struct sock_rec *r = snapshot_add_sock(m->unix_owners);

		if (!r)
			return -ENOMEM;
		r->inode = m->unix_socks.v[i].inode;
		r->rport = 1;	/* not a listener: no owner borrowed from one */
	}
	p = procs_new("/proc");
	if (!p)
		return -ENOMEM;
	procs_attribute(p, m->unix_owners, 0);
	procs_free(p);
	return 0;
}

static int take_raw(const struct options *o, struct mnl_socket *diag, void *buf, struct more_sample *m)
{
	int err = 0;
	struct procs *p;

	m->raw = snapshot_new(16);
	if (!m->raw)
		return -ENOMEM;
	if (o->families & SAMPLE_V4)
		err = raw_dump(diag, buf, MORE_BUF, 4, m->raw);
	if (!err && (o->families & SAMPLE_V6))
		err = raw_dump(diag, buf, MORE_BUF, 6, m->raw);
	if (!err && o->show_procs && (p = procs_new("/proc"))) {
		procs_attribute(p, m->raw, 0);
		procs_free(p);
	}
	return err;
}

static int take_ifconf(void *buf, struct more_sample *m)
{
	struct mnl_socket *nl = nldump_open(NETLINK_ROUTE);
	int err = nl ? ifconf_dump(nl, buf, MORE_BUF, &m->ifconf) : -errno;

	if (nl)
		mnl_socket_close(nl);
	return err;
}

int batch_more_take(const struct options *o, struct more_sample *m)
{
	bool text = !o->json;
	struct mnl_socket *diag = NULL;
	void *buf = malloc(MORE_BUF);
	int err = buf ? 0 : -ENOMEM;

	snapshot_free(m->raw);
	snapshot_free(m->unix_owners);
	m->raw = m->unix_owners = NULL;
	unix_table_free(&m->unix_socks);
	ifconf_table_free(&m->ifconf);
	mcast_table_free(&m->groups);
	if (!err && text && o->groups)
		err = mcast_read("/proc", o->families, &m->groups);
	if (!err && text && (o->sections & SECTION_IFACES) && o->extend)
		err = take_ifconf(buf, m);
	if (!err && text && (o->raw || o->unix_socks) && !(diag = nldump_open(NETLINK_SOCK_DIAG)))
		err = -errno;
	if (!err && text && o->raw)
		err = take_raw(o, diag, buf, m);
	if (!err && text && o->unix_socks)
		err = unix_dump(diag, buf, MORE_BUF, &m->unix_socks);
	if (!err && text && o->unix_socks && o->show_procs)
		err = unix_owners(m);
	if (diag)
		mnl_socket_close(diag);
	free(buf);
	return err;
}

void batch_more_print_unix(FILE *f, const struct options *o, const struct more_sample *m)
{
	struct more_options mo = more_opts(o, NULL);

	out_unix(f, &m->unix_socks, m->unix_owners, &mo);
}

void batch_more_print_groups(FILE *f, const struct options *o, const struct more_sample *m,
			     struct resolver *names)
{
	struct more_options mo = more_opts(o, names);

	more_resolve(names, NULL, &m->groups, NULL, 1000);
	out_groups(f, &m->groups, &mo);
}

void batch_more_print_ifconfig(FILE *f, const struct options *o, const struct more_sample *m)
{
	out_ifconfig(f, &m->ifconf, o->listen == LISTEN_ALL);
}

void batch_more_free(struct more_sample *m)
{
	ifconf_table_free(&m->ifconf);
	mcast_table_free(&m->groups);
	snapshot_free(m->raw);
	snapshot_free(m->unix_owners);
	unix_table_free(&m->unix_socks);
	*m = (struct more_sample){ 0 };
}
