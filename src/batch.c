/* batch.c: --batch prints each sample whole; the session (session/run.c)
 * takes them, records and exports them. */
#include "batch.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch_more.h"
#include "resolve.h"
#include "print/print.h"
#include "sample/destroy.h"
#include "session/session.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

/* Prints one sample. The snapshot is complete before the first byte is
 * written, so bad input or a failed dump never leaves half a listing; the
 * text streams through stdio rather than being held whole (at a million
 * sockets it would double the memory). */
static int print_sample(const struct options *o, const struct out_options *listing_in,
			const struct out_options *sections_in, const struct snapshot *snap, bool first,
			const struct more_sample *m)
{
	struct out_options listing = *listing_in, sec = *sections_in;
	const struct out_options *sections = &sec;

	if (m) {
		listing.raw = m->raw;
	}
	if (o->json) {
		out_json(stdout, snap, sections);
	} else {
		if (!first && o->sections != SECTION_SOCKETS)
			fputc('\n', stdout);
		if ((o->sections & SECTION_SOCKETS) && !o->no_inet) {
			/* like netstat, names unless -n; unlike it, never a long wait */
			out_netstat_resolve(snap, &listing, 1000);
			out_netstat(stdout, snap, &listing);
		}
		if (o->groups && m)
			batch_more_print_groups(stdout, o, m, listing.names);
		if ((o->sections & SECTION_SOCKETS) && o->unix_socks && m)
			batch_more_print_unix(stdout, o, m);
		if (o->sections & SECTION_STATES)
			out_states(stdout, snap, sections);
		if (o->sections & SECTION_TOP_REMOTE)
			out_top_remote(stdout, snap, sections);
		if (o->sections & SECTION_BY_PROCESS)
			out_by_process(stdout, snap, sections);
		if (o->sections & SECTION_BY_NETNS)
			out_by_netns(stdout, snap, sections);
		if (o->sections & SECTION_BY_CGROUP)
			out_by_cgroup(stdout, snap, sections);
		if (o->sections & SECTION_FLOOD)
			out_flood(stdout, snap, sections);
		else if (o->syn_sources)
			out_syn_packets(stdout, snap, sections);
		if ((o->sections & SECTION_IFACES) && o->extend && m)
			batch_more_print_ifconfig(stdout, o, m);
		else if (o->sections & SECTION_IFACES)
			out_ifaces(stdout, snap);
		if (o->sections & SECTION_COUNTERS)
			out_counters(stdout, snap);
	}
	return fflush(stdout) || ferror(stdout) ? -EIO : 0;
}

/* --kill: closes each socket the filter matches in one sample and lists
 * those closed in netstat's layout. Every failure is reported; none is
 * silent. */
static int batch_kill(const struct sample_request *req, const struct out_options *oo)
{
	struct destroy_result r;
	struct snapshot *closed;
	size_t failed;

	if (session_close_matching(req, &oo->view, &closed, &r) < 0)
		return 1;
	failed = r.requested - r.closed - r.gone;
	if (closed) {
		printf("Closed sockets\n");
		out_netstat(stdout, closed, &(struct out_options){ .view = { oo->view.protos, LISTEN_ALL, NULL } });
	}
	fprintf(stderr, "nettop: closed %zu socket%s", r.closed, r.closed == 1 ? "" : "s");
	if (r.gone)
		fprintf(stderr, "; %zu closed meanwhile (their peer's reset)", r.gone);
	if (failed)
		fprintf(stderr, "; %zu failed: %s", failed, destroy_strerror(r.err));
	fputc('\n', stderr);
	snapshot_free(closed);
	return failed || !closed ? 1 : 0;
}

/* What --batch prints of each sample; with an exporter, only what is asked for. */
struct batch_printer {
	const struct options *opts;
	const struct out_options *listing, *sections;
	struct more_sample more;	/* raw and Unix sockets, -ie */
};

static int batch_print(void *arg, const struct snapshot *snap, bool first)
{
	struct batch_printer *b = arg;
	const struct options *o = b->opts;
	bool exporting = (o->prometheus || o->listen_http) && !o->replay;
	int err;

	/* --events prints its lines; the samples only with --json */
	if ((exporting || o->events) && !o->json && !o->continuous)
		return 0;
	/* a replayed sample holds TCP and UDP alone: nothing is dumped beside it */
	if (o->replay)
		return print_sample(o, b->listing, b->sections, snap, first, NULL);
	if ((err = batch_more_take(o, &b->more))) {
		fprintf(stderr, "nettop: sampling failed: %s\n", strerror(-err));
		return err;
	}
	return print_sample(o, b->listing, b->sections, snap, first, &b->more);
}

int batch_run(const struct options *o, const struct filter *filter)
{
	struct out_options listing, sections;
	struct batch_printer printer = { o, &listing, &sections, { 0 } };
	struct session_printer p = { batch_print, &printer };
	struct session_needs needs;
	struct sample_request req;
	int status;

	session_needs_of_options(o, filter, &needs);
	session_request(&needs, NULL, &req);
	session_print_options(o, filter, &listing, &sections);
	if (!o->numeric && !o->json && (o->sections & SECTION_SOCKETS) && !o->more)
		listing.names = resolver_new(4);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (o->more)
		status = batch_more_run(o, &stop_requested);
	else if (o->kill && !o->replay)
		status = batch_kill(&req, &sections);
	else
		status = session_run(o, &req, &sections, &p, &stop_requested);
	batch_more_free(&printer.more);
	resolver_free(listing.names);
	return status;
}
