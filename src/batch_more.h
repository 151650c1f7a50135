/* batch_more.h: the rest of netstat's batch modes (-r, -g, -M), and what the
 * listing gains besides TCP and UDP (raw and Unix sockets, -ie, -g). */
#ifndef NETTOP_BATCH_MORE_H
#define NETTOP_BATCH_MORE_H

#include <signal.h>
#include <stdio.h>

#include "options.h"
#include "sample/conntrack.h"
#include "sample/ifconf.h"
#include "sample/mcast.h"
#include "sample/unix.h"
#include "snapshot.h"

struct resolver;

/* -r, -g or -M: dumps and prints, once or (-c, --count) every interval
 * until *stop is set. Returns the exit status. */
int batch_more_run(const struct options *o, const volatile sig_atomic_t *stop);

/* Per sample: the raw and Unix sockets the listing shows (the conntrack
 * table comes with the sample: --conntrack asks the sampler for it). */
struct more_sample {
	struct snapshot *raw;		/* NULL unless asked for */
	struct unix_table unix_socks;
	struct snapshot *unix_owners;	/* a record per Unix socket, for -p */
	struct ifconf_table ifconf;	/* -ie */
	struct mcast_table groups;	/* -g with protocol flags */
};

/* Takes what o asks for. 0 or -errno (a failed dump of raw or Unix sockets). */
int batch_more_take(const struct options *o, struct more_sample *m);
/* Prints the Unix listing after the Internet one (text), as netstat does. */
void batch_more_print_unix(FILE *f, const struct options *o, const struct more_sample *m);
/* -g with protocol flags: the groups after the Internet listing. */
void batch_more_print_groups(FILE *f, const struct options *o, const struct more_sample *m,
			     struct resolver *names);
/* -ie: the interfaces in ifconfig's form. */
void batch_more_print_ifconfig(FILE *f, const struct options *o, const struct more_sample *m);
void batch_more_free(struct more_sample *m);

#endif
