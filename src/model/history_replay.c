/* history_replay.c: a replay's history, read from its recording whole, in a
 * thread of its own: the screen draws the first sample meanwhile, and H
 * (which needs it) waits for the rest. Once read, a step back or a jump
 * shows the graphs up to the sample shown without reading again. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../record/reader.h"
#include "../thread.h"
#include "history.h"
#include "model.h"

struct history_loader {
	struct stoppable thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;		/* the stoppable's */
	pthread_cond_t finished;
	char *path;
	struct history h;		/* being read; the taker's once done */
	bool done;			/* under lock */
	int err;
};

static bool loader_stopped(struct history_loader *l)
{
	bool stop;

	pthread_mutex_lock(&l->lock);
	stop = l->thread.stop;
	pthread_mutex_unlock(&l->lock);
	return stop;
}

static void *loader_main(void *arg)
{
	struct history_loader *l = arg;
	char msg[256];
	int status = 0, err = 0;
	struct record_reader *r = record_reader_open(l->path, msg, sizeof(msg), &status);
	struct snapshot *snap;

	if (!r)
		err = -EINVAL;
	while (r && !err && !loader_stopped(l) && (snap = record_reader_next(r))) {
		err = history_add_snapshot(&l->h, snap);
		snapshot_free(snap);
	}
	record_reader_close(r);
	pthread_mutex_lock(&l->lock);
	l->err = err;
	l->done = true;
	pthread_cond_broadcast(&l->finished);
	pthread_mutex_unlock(&l->lock);
	return NULL;
}

struct history_loader *history_loader_start(const char *path, size_t points, int *err)
{
	struct history_loader *l = calloc(1, sizeof(*l));

	if (!l || !(l->path = strdup(path)) || (*err = history_init(&l->h, points)) < 0 ||
	    pthread_cond_init(&l->finished, NULL)) {
		if (l)
			free(l->path);
		free(l);
		*err = -ENOMEM;
		return NULL;
	}
	if ((*err = stoppable_start(&l->thread, &l->lock, &l->wake, loader_main, l)) < 0) {
		pthread_cond_destroy(&l->finished);
		history_free(&l->h);
		free(l->path);
		free(l);
		return NULL;
	}
	return l;
}

/* Stops (joins) the thread and frees what it used; l itself stays. */
static void loader_free(struct history_loader *l)
{
	stoppable_stop(&l->thread);
	pthread_cond_destroy(&l->finished);
	free(l->path);
	l->path = NULL;
}

bool history_loader_take(struct history_loader **lp, struct history *out, bool wait, int *err)
{
	struct history_loader *l = *lp;
	bool done;

	pthread_mutex_lock(&l->lock);
	while (wait && !l->done)
		pthread_cond_wait(&l->finished, &l->lock);
	done = l->done;
	pthread_mutex_unlock(&l->lock);
	if (!done)
		return false;
	loader_free(l);
	*out = l->h;
	*err = l->err;
	free(l);
	*lp = NULL;
	return true;
}

void history_loader_stop(struct history_loader *l)
{
	struct history h;

	if (!l)
		return;
	loader_free(l);		/* the thread is gone: h is no longer written */
	h = l->h;
	free(l);
	history_free(&h);
}
