/* worker.c: the model's worker thread. One job waits at most: a newer one
 * (a new sample, a key that sorts again) replaces it, since only the newest
 * rows are worth showing; one result waits at most, likewise. The loop
 * polls an eventfd for results. The lock is held only to swap pointers. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "../export.h"
#include "../monotime.h"
#include "../thread.h"
#include "model.h"

struct job {
	struct sample *cur, *prev;	/* held */
	struct model_params params;	/* its filter owned */
	struct model_worker *worker;
};

struct model_worker {
	struct stoppable thread;	/* its stop is under lock */
	int event_fd;			/* counts results; wakes the loop's poll */
	pthread_mutex_t lock;		/* guards what follows */
	pthread_cond_t changed;		/* a job, or stop */
	struct job *job;		/* waiting; NULL: none */
	struct pane_rows *done;		/* computed, not yet taken */
	struct pane_rows *discarded;	/* the loop's old rows, to free here */
	struct helper *helper;		/* counts half of each sample beside us */
	atomic_uint latest;		/* the serial of the newest job handed over */

	/* --prometheus, --listen: set before the first job, then the thread's */
	struct exporter *exporter;
	struct out_options export_opts;
	unsigned exported_epoch;
	uint64_t exported_seq;		/* the last sample published; 0: none */
	struct sample *export_only;	/* held: a sample the paused screen skips */
	unsigned export_only_epoch;
	int export_err;			/* the last publish's, for the paused screen */
};

static void job_free(struct job *j)
{
	if (!j)
		return;
	sample_release(j->cur);
	sample_release(j->prev);
	model_params_free(&j->params);
	free(j);
}

static void rows_free(struct pane_rows *rows)
{
	if (!rows)
		return;
	model_rows_free(rows);
	free(rows);
}

static bool job_superseded(const void *arg)
{
	const struct job *j = arg;

	return atomic_load_explicit(&j->worker->latest, memory_order_relaxed) != j->params.serial;
}

/* The job's rows; NULL when out of memory (the screen keeps its rows) or
 * when a newer job replaced it midway (its rows will be shown instead). */
static struct pane_rows *job_run(struct job *j, struct model_cache *cache, struct helper *helper)
{
	struct compute_env env = { helper, job_superseded, j };
	struct pane_rows *rows = calloc(1, sizeof(*rows));
	struct timespec start, end;

	monotime_now(&start);
	if (!rows)
		return NULL;
	rows->cur = j->cur;
	rows->prev = j->prev;
	j->cur = j->prev = NULL;
	if (!model_compute(rows, &j->params, cache, &env)) {
		rows_free(rows);
		return NULL;
	}
	monotime_now(&end);
	rows->compute_ms = monotime_seconds(&start, &end) * 1e3;
	return rows;
}

static void wake_loop(struct model_worker *w)
{
	uint64_t one = 1;

	/* the counter only overflows after 2^64 - 1 unread results */
	if (write(w->event_fd, &one, sizeof(one)) < 0)
		return;
}

/* Was seq published, or a newer live sample? A paused screen's keys compute
 * its frozen sample again while the exports went on past it (a replay may
 * step back: what it plays is what it exports). */
static bool export_done(const struct model_worker *w, uint64_t seq, unsigned epoch, bool live)
{
	return epoch == w->exported_epoch && (seq == w->exported_seq || (live && seq < w->exported_seq));
}

/* Publishes the rows' sample unless it was already (rows sorted again, a
 * key's recomputation); a failure goes to the status line with the rows. */
static void export_sample(struct model_worker *w, struct pane_rows *rows)
{
	const struct model_params *p = &rows->params;
	int err;

	if (!w->exporter || p->only || export_done(w, rows->cur->seq, p->epoch, !p->opts->replay))
		return;
	w->exported_seq = rows->cur->seq;
	w->exported_epoch = p->epoch;
	if ((err = exporter_publish(w->exporter, rows->cur->snap, &w->export_opts)) && !rows->error[0])
		snprintf(rows->error, sizeof(rows->error), "--prometheus %s: %s",
			 p->opts->prometheus ? p->opts->prometheus : "", strerror(-err));
}

/* Called with the lock held: publishes the sample the paused screen did
 * not take, and releases it. */
static void export_only_run(struct model_worker *w)
{
	struct sample *s = w->export_only;
	unsigned epoch = w->export_only_epoch;
	int err = 0;

	w->export_only = NULL;
	pthread_mutex_unlock(&w->lock);
	if (!export_done(w, s->seq, epoch, true)) {
		w->exported_seq = s->seq;
		w->exported_epoch = epoch;
		err = exporter_publish(w->exporter, s->snap, &w->export_opts);
	}
	sample_release(s);
	pthread_mutex_lock(&w->lock);
	w->export_err = err;
}

static void *worker_main(void *arg)
{
	struct model_worker *w = arg;
	struct model_cache cache = { 0 };

	pthread_mutex_lock(&w->lock);
	for (;;) {
		struct pane_rows *rows, *unread;
		struct job *j;

		if (!w->job && !w->discarded && !w->export_only && !stoppable_sleep(&w->thread, NULL))
			continue;
		if (w->thread.stop)
			break;
		if (!w->job && w->export_only) {
			export_only_run(w);
			continue;
		}
		/* old rows first: they hold the sample no longer shown, a whole
		 * snapshot (80 MB at 1M sockets), which the next job (a tenth
		 * of a second there) would keep beside the sampler thread's
		 * next one: three samples' memory. Freeing costs a millisecond. */
		if (w->discarded) {
			rows = w->discarded;
			w->discarded = NULL;
			pthread_mutex_unlock(&w->lock);
			rows_free(rows);
			pthread_mutex_lock(&w->lock);
			continue;
		}
		j = w->job;
		w->job = NULL;
		pthread_mutex_unlock(&w->lock);
		rows = job_run(j, &cache, w->helper);
		if (rows)
			export_sample(w, rows);
		job_free(j);
		pthread_mutex_lock(&w->lock);
		if (!rows)
			continue;
		unread = w->done;
		w->done = rows;
		pthread_mutex_unlock(&w->lock);
		rows_free(unread);
		wake_loop(w);
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	totals_free(&cache);
	return NULL;
}

struct model_worker *worker_start(int *err)
{
	struct model_worker *w = calloc(1, sizeof(*w));

	*err = -ENOMEM;
	if (!w)
		return NULL;
	w->event_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->event_fd < 0) {
		*err = -errno;
		free(w);
		return NULL;
	}
	/* without it the worker counts every socket itself */
	w->helper = helper_start();
	if (!(*err = stoppable_start(&w->thread, &w->lock, &w->changed, worker_main, w)))
		return w;
	helper_stop(w->helper);
	close(w->event_fd);
	free(w);
	return NULL;
}

void worker_stop(struct model_worker *w)
{
	if (!w)
		return;
	stoppable_stop(&w->thread);
	helper_stop(w->helper);
	job_free(w->job);
	sample_release(w->export_only);
	rows_free(w->done);
	rows_free(w->discarded);
	close(w->event_fd);
	free(w);
}

void worker_export(struct model_worker *w, struct exporter *e, const struct out_options *o)
{
	pthread_mutex_lock(&w->lock);
	w->exporter = e;
	w->export_opts = *o;
	pthread_mutex_unlock(&w->lock);
}

int worker_export_only(struct model_worker *w, struct sample *s, unsigned epoch)
{
	struct sample *older;
	int err;

	pthread_mutex_lock(&w->lock);
	if (!w->exporter) {
		pthread_mutex_unlock(&w->lock);
		sample_release(s);
		return 0;
	}
	older = w->export_only;
	w->export_only = s;
	w->export_only_epoch = epoch;
	err = w->export_err;
	w->export_err = 0;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	sample_release(older);
	return err;
}

int worker_fd(const struct model_worker *w)
{
	return w->event_fd;
}

void worker_submit(struct model_worker *w, struct sample *cur, struct sample *prev,
		   struct model_params *p)
{
	struct job *j = calloc(1, sizeof(*j)), *old;

	if (!j) {
		sample_release(cur);
		sample_release(prev);
		model_params_free(p);
		return;
	}
	*j = (struct job){ cur, prev, *p, w };
	atomic_store_explicit(&w->latest, p->serial, memory_order_relaxed);
	pthread_mutex_lock(&w->lock);
	old = w->job;
	w->job = j;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	job_free(old);
}

void worker_discard(struct model_worker *w, struct pane_rows *rows)
{
	struct pane_rows *older;

	pthread_mutex_lock(&w->lock);
	older = w->discarded;
	w->discarded = rows;
	pthread_cond_signal(&w->changed);
	pthread_mutex_unlock(&w->lock);
	/* the worker had not got to them yet: rare, and freed here then */
	rows_free(older);
}

struct pane_rows *worker_take(struct model_worker *w)
{
	struct pane_rows *rows;
	uint64_t count;

	/* drained first: a result racing with us then wakes the poll again */
	if (read(w->event_fd, &count, sizeof(count)) < 0)
		count = 0;
	pthread_mutex_lock(&w->lock);
	rows = w->done;
	w->done = NULL;
	pthread_mutex_unlock(&w->lock);
	return rows;
}
