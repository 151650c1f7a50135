/* session.h: one sampling session, for the screen and for --batch. A source
 * (the sampler, or a recording with --replay FILE) hands each sample, never
 * changed once taken, to its sinks: the recording (--record FILE), and
 * whoever shows it (the screen's model; --batch's printers and exporter).
 * The screen and the printers only say what they show (request.h); how
 * samples are taken, paced, recorded and replayed is decided here. */
#ifndef NETTOP_SESSION_SESSION_H
#define NETTOP_SESSION_SESSION_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "../options.h"
#include "../print/print.h"
#include "../sample/sampler_thread.h"
#include "replay.h"
#include "request.h"

/* ---- the screen: the source in a thread, read when its fd is readable ---- */

struct session;

struct session_setup {
	const struct options *opts;	/* --replay, --replay-pause, --record */
	const struct sample_request *req;	/* for a live source */
	double interval;
	int netns_fd;			/* the namespace to sample (-1: ours) */
	bool record;			/* --record applies (a second namespace is not recorded) */
};

/* Starts the source the options ask for: the replay of --replay, or the
 * sampler, recorded with --record. *note as for sampler_open(), or the
 * replay's (a truncated recording). NULL with a message in msg, *err
 * (-errno) and *usage otherwise (true: a usage error, as --replay of a file
 * that is not a recording, or --record through a symbolic link). */
struct session *session_start(const struct session_setup *setup, const char **note, char *msg,
			      size_t len, int *err, bool *usage);
/* Stops the source (waiting for a dump in progress) and closes the
 * recording. */
void session_stop(struct session *s);
/* The replay's controls, or NULL when live. */
struct replay *session_replay(const struct session *s);
/* Readable when a sample or an error is waiting. */
int session_fd(const struct session *s);
/* The newest sample not yet handed out (the caller owns the reference), or
 * NULL. *before (held, or NULL): a replayed sample's predecessor in its
 * recording (live: NULL, the previous sample acquired is). *err: the last
 * sampling error since the previous call (a replay: -EBADMSG), or 0. */
struct sample *session_acquire(struct session *s, struct sample **before, int *err);
/* The error that stopped the recording (-errno), once; 0 otherwise. */
int session_record_error(struct session *s);
/* As for the sampler thread; a replay keeps what was recorded and its pace. */
void session_set_request(struct session *s, const struct sample_request *req, bool now);
void session_set_interval(struct session *s, double interval);
void session_pause(struct session *s, bool paused);
bool session_dumping(const struct session *s);
/* SOCK_DESTROY, as sampler_thread_destroy(); a replay closes nothing
 * (-EOPNOTSUPP). */
int session_destroy(struct session *s, struct sock_rec *socks, size_t n);
bool session_destroy_result(struct session *s, struct destroy_result *out);

/* ---- --batch: one sample after another, in this thread ---- */

/* The printers of --batch: print() gets every sample (first: the first of
 * the run) and returns 0, or -1 to stop (stdout is gone). */
struct session_printer {
	int (*print)(void *arg, const struct snapshot *snap, bool first);
	void *arg;
};

/* Takes samples with req at o->interval (or reads --replay's as fast as
 * they decode) until o->count, a sampling failure or *stop, and hands each
 * to --record and the exporter (exported: what it shows; live only), then
 * to p. Live, with JSON, exports or --events, it listens to the kernel's
 * destroy events meanwhile (session/batch_events.c): --events prints them as
 * they come, and each sample's closed counts are set in *exported (the
 * printers show the same options) before it is handed on; --record keeps
 * them in the frames, and --replay --json counts them again. Returns the
 * process exit status; what failed is said on stderr. */
int session_run(const struct options *o, const struct sample_request *req,
		struct out_options *exported, const struct session_printer *p,
		volatile sig_atomic_t *stop);
/* --kill: takes one sample with req and closes each socket v lets through;
 * *closed (malloc'd, NULL when out of memory) lists those closed. 0, or
 * -errno when no sample could be taken (said on stderr). */
int session_close_matching(const struct sample_request *req, const struct view_options *v,
			   struct snapshot **closed, struct destroy_result *r);

/* series.c: --replay FILE --series NAME[,NAME]|list [--csv]: the
 * recording's history printed; the exit status (2: an unknown name, or
 * nothing readable). */
int session_series(const struct options *o);

struct record_reader;
/* After a replay's last sample: says where a torn recording stopped, and
 * makes one of which nothing could be read exit 2. Closes r; returns the
 * status to exit with. */
int session_replay_end(struct record_reader *r, const char *path, int status);

#endif
