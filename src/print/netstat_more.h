/* netstat_more.h: the rest of netstat's batch text (-r, -x, -g, -M) and the
 * conntrack table in JSON, beside the listing printers of out.h. */
#ifndef NETTOP_NETSTAT_MORE_H
#define NETTOP_NETSTAT_MORE_H

#include <stdbool.h>
#include <stdio.h>

#include "../sample/conntrack.h"
#include "../sample/ifconf.h"
#include "../sample/mcast.h"
#include "../sample/route.h"
#include "../sample/unix.h"
#include "../snapshot.h"
#include "../view/view.h"

struct resolver;

struct more_options {
	struct resolver *names;		/* host names (no -n), or NULL */
	enum listen_mode listen;
	bool show_procs;		/* -p */
	int route_ext;			/* netstat's layouts: 1 Metric/Ref/Use, 2 MSS (default), 3 both */
	bool route_cache;		/* -C: the (long gone) routing cache: a header, no rows */
};

/* Asks the resolver for every address the routes, groups or flows show and
 * waits at most timeout_ms for the answers. */
void more_resolve(struct resolver *names, const struct route_table *rt, const struct mcast_table *mc,
		  const struct ct_table *ct, unsigned timeout_ms);
/* netstat -r (IPv4, the main table as /proc/net/route shows it). */
void out_routes4(FILE *f, const struct route_table *t, const struct more_options *o);
/* netstat -6 -r (every table, as /proc/net/ipv6_route shows it). */
void out_routes6(FILE *f, const struct route_table *t, const struct more_options *o);
/* netstat -x; owners (with -p) holds a socket per unix_rec, in order, whose
 * owner field was filled by procs_attribute(). */
void out_unix(FILE *f, const struct unix_table *t, const struct snapshot *owners,
	      const struct more_options *o);
/* netstat -ie: ifconfig's long form of every interface up (all: every one). */
void out_ifconfig(FILE *f, const struct ifconf_table *t, bool all);
/* netstat -g. */
void out_groups(FILE *f, const struct mcast_table *t, const struct more_options *o);
/* netstat -M's layout, from the conntrack flows that were NATed. */
void out_masq(FILE *f, const struct ct_table *t, const struct more_options *o);
/* ,"conntrack":{...} for a JSON sample; absent (with why) when t is NULL.
 * prev: the previous sample's table, for the drop alert, or NULL. */
void out_conntrack_json(FILE *f, const struct ct_table *t, const char *why);

#endif
