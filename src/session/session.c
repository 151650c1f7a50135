/* session.c: the screen's source, live or replayed, behind one handle: the
 * screen never asks which it is but for the replay's own keys. */
#include "session.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../record/writer.h"

struct session {
	struct sampler_thread *live;	/* NULL when replaying */
	struct replay *replay;
	struct record_writer *writer;	/* --record; written by the sampler's thread */
};

/* The sampler thread's sink: the recording. */
static int record_sink(void *arg, const struct snapshot *snap, const struct snapshot *prev)
{
	return record_writer_write(arg, snap, prev);
}

static int start_replay(struct session *s, const struct options *o, const char **note,
			char *msg, size_t len, bool *usage)
{
	int status;

	if (!(s->replay = replay_start(o->replay, o->replay_pause, msg, len, &status))) {
		*usage = status == -2;
		return -EIO;
	}
	*note = replay_note(s->replay);
	return 0;
}

static int start_live(struct session *s, const struct session_setup *setup, const char **note,
		      char *msg, size_t len, bool *usage)
{
	const struct options *o = setup->opts;
	struct sample_sink sink = { record_sink, NULL };
	int err, status;

	if (setup->record && o->record) {
		if (!(s->writer = record_writer_open(o->record, msg, len, &status))) {
			*usage = status == -2;
			return -EIO;
		}
		sink.arg = s->writer;
	}
	s->live = sampler_thread_start(setup->netns_fd, setup->req, setup->interval,
				       s->writer ? &sink : NULL, note, &err);
	if (!s->live) {
		snprintf(msg, len, "cannot start sampling: %s", strerror(-err));
		record_writer_close(s->writer);
		return err;
	}
	return 0;
}

struct session *session_start(const struct session_setup *setup, const char **note, char *msg,
			      size_t len, int *err, bool *usage)
{
	struct session *s = calloc(1, sizeof(*s));

	*note = NULL;
	*usage = false;
	*err = -ENOMEM;
	if (!s) {
		snprintf(msg, len, "%s", strerror(ENOMEM));
		return NULL;
	}
	*err = setup->opts->replay ? start_replay(s, setup->opts, note, msg, len, usage)
				   : start_live(s, setup, note, msg, len, usage);
	if (!*err)
		return s;
	free(s);
	return NULL;
}

void session_stop(struct session *s)
{
	if (!s)
		return;
	/* the thread first: it writes the recording */
	sampler_thread_stop(s->live);
	record_writer_close(s->writer);
	replay_stop(s->replay);
	free(s);
}

struct replay *session_replay(const struct session *s)
{
	return s->replay;
}

int session_fd(const struct session *s)
{
	return s->replay ? replay_fd(s->replay) : sampler_thread_fd(s->live);
}

struct sample *session_acquire(struct session *s, struct sample **before, int *err)
{
	if (s->replay)
		return replay_acquire(s->replay, before, err);
	*before = NULL;
	return sampler_thread_acquire(s->live, err);
}

int session_record_error(struct session *s)
{
	return s->live ? sampler_thread_sink_error(s->live) : 0;
}

void session_set_request(struct session *s, const struct sample_request *req, bool now)
{
	/* a replay's samples are what was recorded; the views still filter */
	if (s->live)
		sampler_thread_set_request(s->live, req, now);
}

void session_set_interval(struct session *s, double interval)
{
	if (s->live)
		sampler_thread_set_interval(s->live, interval);
}

void session_pause(struct session *s, bool paused)
{
	if (s->replay)
		replay_pause(s->replay, paused);
	else
		sampler_thread_pause(s->live, paused);
}

bool session_dumping(const struct session *s)
{
	return s->live && sampler_thread_dumping(s->live);
}

int session_destroy(struct session *s, struct sock_rec *socks, size_t n)
{
	if (!s->live) {
		free(socks);
		return -EOPNOTSUPP;
	}
	return sampler_thread_destroy(s->live, socks, n);
}

bool session_destroy_result(struct session *s, struct destroy_result *out)
{
	return s->live && sampler_thread_destroy_result(s->live, out);
}
