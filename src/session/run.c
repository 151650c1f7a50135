/* run.c: --batch's session: one sample after another in this thread, each
 * handed to the recording, the exporter and the printers in turn. */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../escape.h"
#include "../export.h"
#include "../monotime.h"
#include "../record/reader.h"
#include "../record/writer.h"
#include "../sample/destroy.h"
#include "../sample/sampler.h"
#include "batch_events.h"

/* What follows every live sample besides printing: the recording and the
 * Prometheus exports. */
struct sinks {
	const struct options *opts;
	const struct out_options *exported;
	struct out_options *shown;	/* *exported, its closed counts set each sample */
	struct record_writer *writer;
	struct exporter *exporter;
};

/* 0, or the exit status: 2 for a usage error (a --record FILE that is a
 * link), 1 otherwise. */
static int sinks_open(const struct options *o, struct sinks *k)
{
	char err[256];
	int status = -1;

	if (o->record && !(k->writer = record_writer_open(o->record, err, sizeof(err), &status)))
		goto fail;
	status = -1;
	if ((o->prometheus || o->listen_http) &&
	    !(k->exporter = exporter_start(o->prometheus, o->listen_http, err, sizeof(err))))
		goto fail;
	return 0;
fail:
	fprintf(stderr, "nettop: %s\n", err);
	record_writer_close(k->writer);
	k->writer = NULL;
	return status == -2 ? 2 : 1;
}

/* -1 when the recording or the --prometheus file could not be written: the
 * run stops with status 1, as the man page promises, rather than leave a
 * recording with holes in it or export stale metrics. */
static int sinks_feed(struct sinks *k, const struct snapshot *snap, const struct snapshot *prev)
{
	const struct options *o = k->opts;
	int err;

	if (k->writer && (err = record_writer_write(k->writer, snap, prev))) {
		fprintf(stderr, "nettop: --record %s: %s; recording stopped, the file holds the samples "
			"before\n", o->record, strerror(-err));
		return -1;
	}
	if (k->exporter) {
		struct out_options prom = *k->exported;

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
	record_writer_close(k->writer);
}

static void sleep_until(struct timespec *next, double interval, volatile sig_atomic_t *stop)
{
	monotime_add(next, interval);
	while (!*stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, next, NULL) == EINTR)
		;
}

/* NULL with *status: 1, or 2 when --backend bpf did not load (a usage
 * error, as main() makes it for the screen: here without loading twice). */
static struct sampler *sampler_start(unsigned backend, int *status)
{
	const char *note, *why;
	struct sampler *s = sampler_open(backend, &note);

	*status = 1;
	if (!s) {
		fprintf(stderr, "nettop: out of memory\n");
		return NULL;
	}
	if ((why = sampler_bpf_failure(s))) {
		fprintf(stderr, "nettop: --backend bpf: %s\n", why);
		sampler_close(s);
		*status = 2;
		return NULL;
	}
	if (note)
		fprintf(stderr, "nettop: %s\n", note);
	return s;
}

/* Waits for the sample's tick (not before the first); with the destroy
 * events, takes them meanwhile and up to the sample. -EIO when stdout is
 * gone. */
static int before_sample(struct batch_events *ev, struct timespec *next, double interval, bool first,
			 volatile sig_atomic_t *stop)
{
	if (!ev) {
		if (!first)
			sleep_until(next, interval, stop);
		return 0;
	}
	if (!first) {
		monotime_add(next, interval);
		if (batch_events_wait(ev, next, stop))
			return -EIO;
	}
	return *stop ? 0 : batch_events_drain(ev);
}

/* --events --count N: the last sample opens the Nth interval; its closed
 * connections are printed too. Stopped by a signal, what was received is
 * still printed. -EIO when stdout is gone. */
static int events_finish(const struct options *o, struct batch_events *ev, struct timespec *next,
			 long count, volatile sig_atomic_t *stop)
{
	if (!ev || !o->events)
		return 0;
	if (count && !*stop) {
		monotime_add(next, o->interval);
		if (batch_events_wait(ev, next, stop))
			return -EIO;
	}
	return batch_events_drain(ev);
}

/* Samples until the count is reached or a signal stops it. */
static int run_live(const struct options *o, struct sampler *s, const struct sample_request *req,
		    struct sinks *k, struct batch_events *ev, const struct session_printer *p,
		    volatile sig_atomic_t *stop)
{
	/* exporting and --events run until stopped */
	long count = o->count ? o->count
			      : (o->continuous || o->prometheus || o->listen_http || o->events ? 0 : 1);
	struct snapshot *prev = NULL;
	struct timespec next;
	int status = 0;

	monotime_now(&next);
	for (long i = 0; !*stop && (count == 0 || i < count); i++) {
		struct snapshot *snap;
		int err;

		if (before_sample(ev, &next, o->interval, i == 0, stop)) {
			status = 1;	/* stdout is gone */
			break;
		}
		if (*stop)
			break;
		if (!(snap = sampler_take(s, req, prev, &err))) {
			fprintf(stderr, "nettop: sampling failed: %s\n", strerror(-err));
			status = 1;
			break;
		}
		if (ev)
			batch_events_sample(ev, snap, k->shown);
		if (sinks_feed(k, snap, prev) < 0) {
			snapshot_free(snap);
			status = 1;
			break;
		}
		snapshot_free(prev);
		prev = snap;
		if (p->print(p->arg, snap, i == 0)) {
			status = 1;	/* stdout is gone (a closed pipe): nothing to tell */
			break;
		}
		if (ev)
			batch_events_next(ev);
	}
	if (!status && events_finish(o, ev, &next, count, stop))
		status = 1;
	snapshot_free(prev);
	return status;
}

/* --replay: the recorded samples as the live run took them, one after
 * another without waiting. */
static int run_replay(const struct options *o, struct out_options *exported,
		      const struct session_printer *p)
{
	char err[256];
	int status;
	struct record_reader *r = record_reader_open(o->replay, err, sizeof(err), &status);
	struct batch_events *ev;
	struct snapshot *snap;

	if (!r) {
		escape_report(err);
		return status == -2 ? 2 : 1;
	}
	status = 0;
	/* the recording's closed connections, counted as the live run did */
	ev = batch_events_replayed(o, exported);
	for (long i = 0; (!o->count || i < o->count) && (snap = record_reader_next(r)); i++) {
		int e;

		if (ev)
			batch_events_recorded(ev, snap, exported);
		e = p->print(p->arg, snap, i == 0);
		if (ev)
			batch_events_next(ev);
		snapshot_free(snap);
		if (e) {
			status = 1;
			break;
		}
	}
	status = session_replay_end(r, o->replay, status);
	batch_events_close(ev);
	return status;
}

/* A torn tail is how a killed recorder leaves its file: what came before it
 * was used, a note says where it stopped; nothing read at all is bad input
 * (2). Closes r; returns the status to exit with. */
int session_replay_end(struct record_reader *r, const char *path, int status)
{
	if (!status && !record_reader_position(r)) {
		fprintf(stderr, "nettop: --replay %s: %s; nothing could be read\n", path,
			record_reader_note(r) ? record_reader_note(r) : "the recording holds no sample");
		status = 2;
	} else if (record_reader_note(r)) {
		fprintf(stderr, "nettop: --replay %s: %s\n", path, record_reader_note(r));
	}
	record_reader_close(r);
	return status;
}

int session_run(const struct options *o, const struct sample_request *req,
		struct out_options *exported, const struct session_printer *p,
		volatile sig_atomic_t *stop)
{
	struct sinks k = { .opts = o, .exported = exported, .shown = exported };
	struct batch_events *ev = NULL;
	struct sampler *s;
	int status;

	if (o->replay)
		return run_replay(o, exported, p);
	if (!(s = sampler_start(req->backend, &status)))
		return status;
	if (!(status = sinks_open(o, &k)) && !(status = batch_events_start(o, &ev, exported)))
		status = run_live(o, s, req, &k, ev, p, stop);
	batch_events_close(ev);
	sinks_close(&k);
	sampler_close(s);
	return status;
}

/* Closes what v lets through, into closed; the first failure that every
 * other socket would meet too ends it. */
static void close_each(struct sampler *s, const struct snapshot *snap, const struct view_options *v,
		       struct snapshot *closed, struct destroy_result *r)
{
	for (size_t i = 0; closed && i < snap->nsocks; i++) {
		struct sock_rec *rec;
		int err;

		if (!view_sock_visible(snap, &snap->socks[i], v))
			continue;
		r->requested++;
		err = sampler_destroy(s, &snap->socks[i]);
		if (err == -ENOENT) {
			r->gone++;	/* closed meanwhile, often by the reset of its peer */
		} else if (err) {
			r->err = r->err ? r->err : err;
			if (err == -EOPNOTSUPP || err == -EPERM)
				break;
		} else if ((rec = snapshot_add_sock(closed))) {
			*rec = snap->socks[i];
			rec->owner = OWNER_NONE;
			if (snapshot_adopt_addrs(closed, rec) < 0) {
				/* closed, but out of memory to list it: said */
				closed->nsocks--;
				r->err = r->err ? r->err : -ENOMEM;
			}
			r->closed++;
		}
	}
}

int session_close_matching(const struct sample_request *req, const struct view_options *v,
			   struct snapshot **closed, struct destroy_result *r)
{
	struct snapshot *snap;
	int err, status;
	struct sampler *s = sampler_start(req->backend, &status);

	*closed = NULL;
	*r = (struct destroy_result){ 0 };
	if (!s)		/* said already: out of memory, or BPF refused */
		return status == 2 ? -EPERM : -ENOMEM;
	if (!(snap = sampler_take(s, req, NULL, &err))) {
		fprintf(stderr, "nettop: sampling failed: %s\n", strerror(-err));
		sampler_close(s);
		return err;
	}
	*closed = snapshot_new(0);
	close_each(s, snap, v, *closed, r);
	snapshot_free(snap);
	sampler_close(s);
	return 0;
}
