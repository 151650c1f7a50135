/* batch.c: sample, print one sample whole, sleep to the next tick. */
#include "batch.h"
#include "batch_events.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
#include "export.h"
#include "monotime.h"
#include "record.h"
#include "resolve.h"
#include "print/print.h"
#include "sample/destroy.h"
#include "sample/events.h"
#include "sample/sampler.h"

static volatile sig_atomic_t stop_requested;

static void on_stop(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static struct sample_request batch_request(const struct options *o, const struct filter *filter)
{
	struct sample_request req = {
		.protos = o->protos & filter_protos(filter),
		.families = o->families & filter_families(filter),
		.state_mask = filter_state_mask(filter),
		/* tcp_info costs ~30% of the dump: only JSON and the by-process
		 * table print rtt and rates */
		.want_info = o->json || o->events || (o->sections & SECTION_BY_PROCESS),
		/* --events names each connection's process */
		.want_procs = o->show_procs || o->events || filter_needs_procs(filter),
		.want_syn_packets = o->syn_sources,
		.want_links = o->json || (o->sections & SECTION_IFACES),
		.want_counters = o->json || o->prometheus || o->listen_http ||
				 (o->sections & (SECTION_COUNTERS | SECTION_FLOOD)),
	};
	req.bytecode = filter_bytecode(filter, 4, &req.bytecode_len);
	/* with -l alone, only listeners are asked for: the kernel skips the
	 * established hash entirely */
	if (o->listen == LISTEN_ONLY && !(o->protos & (1u << PROTO_UDP)))
		req.state_mask &= ST_MASK(ST_LISTEN) | ST_MASK(ST_CLOSE);
	return req;
}

/* Prints one sample. The snapshot is complete before the first byte is
 * written, so bad input or a failed dump never leaves half a listing; the
 * text streams through stdio rather than being held whole (at a million
 * sockets it would double the memory). */
static int print_sample(const struct options *o, const struct out_options *listing,
			const struct out_options *sections, const struct snapshot *snap, bool first)
{
	if (o->json) {
		out_json(stdout, snap, sections);
	} else {
		if (!first && o->sections != SECTION_SOCKETS)
			fputc('\n', stdout);
		if (o->sections & SECTION_SOCKETS) {
			/* like netstat, names unless -n; unlike it, never a long wait */
			out_netstat_resolve(snap, listing, 1000);
			out_netstat(stdout, snap, listing);
		}
		if (o->sections & SECTION_STATES)
			out_states(stdout, snap, sections);
		if (o->sections & SECTION_TOP_REMOTE)
			out_top_remote(stdout, snap, sections);
		if (o->sections & SECTION_BY_PROCESS)
			out_by_process(stdout, snap, sections);
		if (o->sections & SECTION_FLOOD)
			out_flood(stdout, snap, sections);
		else if (o->syn_sources)
			out_syn_packets(stdout, snap, sections);
		if (o->sections & SECTION_IFACES)
			out_ifaces(stdout, snap);
		if (o->sections & SECTION_COUNTERS)
			out_counters(stdout, snap);
	}
	return fflush(stdout) || ferror(stdout) ? -EIO : 0;
}

static void sleep_until(struct timespec *next, double interval)
{
	monotime_add(next, interval);
	while (!stop_requested &&
	       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

/* --kill: closes each socket the filter matches in one sample and lists
 * those closed in netstat's layout. Every failure is reported; none is
 * silent. */
static int batch_kill(struct sampler *s, const struct sample_request *req,
		      const struct out_options *oo)
{
	int err, first_err = 0;
	size_t closed = 0, failed = 0, gone = 0;
	struct snapshot *snap = sampler_take(s, req, NULL, &err);
	struct snapshot *done;

	if (!snap) {
		fprintf(stderr, "nettop: sampling failed: %s\n", strerror(-err));
		return 1;
	}
	done = snapshot_new(0);
	for (size_t i = 0; done && i < snap->nsocks; i++) {
		struct sock_rec *r;

		if (!view_sock_visible(snap, &snap->socks[i], &oo->view))
			continue;
		err = sampler_destroy(s, &snap->socks[i]);
		if (err == -ENOENT) {
			gone++;	/* closed meanwhile, often by the reset of its peer */
		} else if (err) {
			failed++;
			first_err = first_err ? first_err : err;
			if (err == -EOPNOTSUPP || err == -EPERM)
				break;	/* every other socket would fail the same way */
		} else if ((r = snapshot_add_sock(done))) {
			*r = snap->socks[i];
			r->owner = OWNER_NONE;
			closed++;
		}
	}
	if (done) {
		printf("Closed sockets\n");
		out_netstat(stdout, done, &(struct out_options){ .view = { oo->view.protos, LISTEN_ALL, NULL } });
	}
	fprintf(stderr, "nettop: closed %zu socket%s", closed, closed == 1 ? "" : "s");
	if (gone)
		fprintf(stderr, "; %zu closed meanwhile (their peer's reset)", gone);
	if (failed)
		fprintf(stderr, "; %zu failed: %s", failed, destroy_strerror(first_err));
	fputc('\n', stderr);
	snapshot_free(done);
	snapshot_free(snap);
	return failed || !done ? 1 : 0;
}

/* --replay with --batch: prints the recorded samples as the live run did,
 * one after another without waiting. */
static int batch_replay(const struct options *o, const struct out_options *listing,
			const struct out_options *sections)
{
	char err[256];
	int status;
	struct replay *p = replay_open(o->replay, err, sizeof(err), &status);
	struct snapshot *snap;

	if (!p) {
		escape_report(err);
		return status == -2 ? 2 : 1;
	}
	status = 0;
	for (long i = 0; (!o->count || i < o->count) && (snap = replay_next(p)); i++) {
		int e = print_sample(o, listing, sections, snap, i == 0);

		snapshot_free(snap);
		if (e) {
			status = 1;
			break;
		}
	}
	/* a torn tail is how a killed recorder leaves its file: what came
	 * before it printed, a note says where it stopped; nothing read at all
	 * is bad input */
	if (!status && !replay_position(p)) {
		fprintf(stderr, "nettop: --replay %s: %s; nothing could be read\n", o->replay,
			replay_note(p) ? replay_note(p) : "the recording holds no sample");
		status = 2;
	} else if (replay_note(p)) {
		fprintf(stderr, "nettop: --replay %s: %s\n", o->replay, replay_note(p));
	}
	replay_close(p);
	return status;
}

/* What the listing and the other sections show. Only netstat's listing hides
 * servers by default; JSON and the new sections, like the screen, start with
 * every state. */
void batch_outputs(const struct options *o, const struct filter *filter,
		   struct out_options *listing, struct out_options *sections)
{
	*listing = (struct out_options){
		.view = { .protos = o->protos, .listen = o->listen, .filter = filter },
		.show_procs = o->show_procs,
		.top_remote = o->top_remote,
		.flood = flood_default_thresholds,
		.flood_by_network = o->flood_by_network,
		.syn_sources = o->syn_sources,
	};
	listing->flood.syn_recv_per_listener = o->flood_syn_recv;
	*sections = *listing;
	sections->view.listen = o->listen_given ? o->listen : LISTEN_ALL;
}

/* The outputs that follow every sample besides printing: the recording and
 * the Prometheus exports. */
struct sinks {
	struct recorder *recorder;
	struct exporter *exporter;
};

/* 0, or the exit status: 2 for a usage error (a --record FILE that is a
 * link), 1 otherwise. */
static int sinks_open(const struct options *o, struct sinks *k)
{
	char err[256];
	int status = -1;

	*k = (struct sinks){ 0 };
	if (o->record && !(k->recorder = recorder_open(o->record, err, sizeof(err), &status)))
		goto fail;
	status = -1;
	if ((o->prometheus || o->listen_http) &&
	    !(k->exporter = exporter_start(o->prometheus, o->listen_http, err, sizeof(err))))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "nettop: %s\n", err);
	recorder_close(k->recorder);
	return status == -2 ? 2 : 1;
}

/* -1 when the recording or the --prometheus file could not be written: the
 * run stops with status 1, as the man page promises, rather than leave a
 * recording with holes in it or export stale metrics. */
static int sinks_feed(const struct options *o, const struct out_options *sections, struct sinks *k,
		      const struct snapshot *snap, const struct snapshot *prev)
{
	int err;

	if (k->recorder && (err = recorder_write(k->recorder, snap, prev))) {
		fprintf(stderr, "nettop: --record %s: %s; recording stopped, the file holds the samples before\n",
			o->record, strerror(-err));
		return -1;
	}
	if (k->exporter) {
		struct out_options prom = *sections;

		prom.top_remote = o->prometheus_top;
		if ((err = exporter_publish(k->exporter, snap, &prom))) {
			fprintf(stderr, "nettop: --prometheus %s: %s\n", o->prometheus, strerror(-err));
			return -1;
		}
	}
	return 0;
}

static void sinks_close(struct sinks *k)
{
	exporter_stop(k->exporter);
	recorder_close(k->recorder);
}

/* The destroy events, with JSON, exports and --events. Unavailable (no
 * CAP_NET_ADMIN) the rest goes on, and says so; 1 when --events alone has
 * nothing else to do, else 0. */
static int events_start(const struct options *o, struct batch_events **ev, struct out_options *shown)
{
	int err;

	*ev = NULL;
	if (!o->events && !o->json && !o->prometheus && !o->listen_http)
		return 0;
	if ((*ev = batch_events_open(stdout, o->events, &shown->view, o->families, &err))) {
		shown->events_note = batch_events_note(*ev);
		return 0;
	}
	shown->events_note = events_strerror(err);
	if (!o->events)
		return 0;
	out_events_unavailable_json(stdout, shown->events_note);
	fflush(stdout);
	fprintf(stderr, "nettop: --events: %s\n", shown->events_note);
	return o->json ? 0 : 1;
}

/* Sleeps to the next tick; with the events on, takes them meanwhile. */
static int wait_tick(struct batch_events *ev, struct timespec *next, double interval)
{
	if (!ev) {
		sleep_until(next, interval);
		return 0;
	}
	monotime_add(next, interval);
	return batch_events_wait(ev, next, &stop_requested);
}

/* Waits for the sample's tick (not before the first), then takes the
 * events received meanwhile. -EIO when stdout is gone. */
static int before_sample(struct batch_events *ev, struct timespec *next, double interval, bool first)
{
	if (!first && wait_tick(ev, next, interval))
		return -EIO;
	return ev && !stop_requested ? batch_events_drain(ev) : 0;
}

/* --events --count N: the last sample opens the Nth interval; its closed
 * connections are printed too. Stopped by a signal, what was received is
 * still printed. -EIO when stdout is gone. */
static int events_finish(const struct options *o, struct batch_events *ev, struct timespec *next,
			 long count)
{
	if (!ev || !o->events)
		return 0;
	if (count && !stop_requested && wait_tick(ev, next, o->interval))
		return -EIO;
	return batch_events_drain(ev);
}

/* Samples until the count is reached or a signal stops it. */
static int batch_live(const struct options *o, struct sampler *s, const struct sample_request *req,
		      const struct out_options *listing, const struct out_options *sections)
{
	bool exporting = o->prometheus || o->listen_http;
	/* exporting and --events run until stopped, and print only what is asked for */
	long count = o->count ? o->count : (o->continuous || exporting || o->events ? 0 : 1);
	bool printing = (!exporting && !o->events) || o->json || o->continuous;
	struct snapshot *prev = NULL;
	struct timespec next;
	struct sinks sinks;
	struct out_options shown = *sections;
	struct batch_events *ev;
	int status = 0;

	if ((status = events_start(o, &ev, &shown)))
		return status;
	sections = &shown;
	if ((status = sinks_open(o, &sinks))) {
		batch_events_close(ev);
		return status;
	}
	monotime_now(&next);
	for (long i = 0; !stop_requested && (count == 0 || i < count); i++) {
		struct snapshot *snap;
		int err;

		if (before_sample(ev, &next, o->interval, i == 0)) {
			status = 1;	/* stdout is gone */
			break;
		}
		if (stop_requested)
			break;
		snap = sampler_take(s, req, prev, &err);
		if (!snap) {
			fprintf(stderr, "nettop: sampling failed: %s\n", strerror(-err));
			status = 1;
			break;
		}
		if (ev)
			batch_events_sample(ev, snap, &shown);
		if (sinks_feed(o, sections, &sinks, snap, prev) < 0) {
			snapshot_free(snap);
			status = 1;
			break;
		}
		snapshot_free(prev);
		prev = snap;
		if (printing && print_sample(o, listing, sections, snap, i == 0)) {
			status = 1;	/* stdout is gone (a closed pipe): nothing to tell */
			break;
		}
		if (ev)
			batch_events_next(ev);
	}
	if (!status && events_finish(o, ev, &next, count))
		status = 1;
	snapshot_free(prev);
	sinks_close(&sinks);
	batch_events_close(ev);
	return status;
}

int batch_run(const struct options *o, const struct filter *filter)
{
	struct out_options listing, sections;
	struct sample_request req = batch_request(o, filter);
	const char *note;
	struct sampler *s;
	int status;

	batch_outputs(o, filter, &listing, &sections);
	if (!o->numeric && !o->json && (o->sections & SECTION_SOCKETS))
		listing.names = resolver_new(4);
	signal(SIGINT, on_stop);
	signal(SIGTERM, on_stop);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (o->replay) {
		status = batch_replay(o, &listing, &sections);
	} else if (!(s = sampler_open(&note))) {
		fprintf(stderr, "nettop: out of memory\n");
		status = 1;
	} else {
		if (note)
			fprintf(stderr, "nettop: %s\n", note);
		status = o->kill ? batch_kill(s, &req, &sections) : batch_live(o, s, &req, &listing, &sections);
		sampler_close(s);
	}
	resolver_free(listing.names);
	return status;
}
