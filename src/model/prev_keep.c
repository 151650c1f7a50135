/* prev_keep.c: what the model keeps of the sample before the newest. Its
 * rows compare the newest with it: the states pane's changes (its counts,
 * kept per view in model_cache), the SYN_RECV rate and the totals (its time
 * and flags). Whole, it is a second copy of every socket, held for a whole
 * interval while the sampler thread fills a third: at a million sockets 80
 * MB. Past prev_whole_max sockets the model keeps a summary instead: the
 * sample's number, time and flags, no socket. What that costs: a key that
 * changes the view to one not counted before (a new filter) shows no
 * changes until the next sample, since the sample before cannot be counted
 * under it. */
#include <stdlib.h>

#include "model.h"

/* A sample of s's number, times and flags, with no socket; NULL when out
 * of memory. */
static struct sample *summary_of(const struct sample *s)
{
	struct sample *sum = calloc(1, sizeof(*sum));
	struct snapshot *snap = snapshot_new(0);

	if (!sum || !snap) {
		free(sum);
		snapshot_free(snap);
		return NULL;
	}
	snap->mono = s->snap->mono;
	snap->wall = s->snap->wall;
	snap->interval = s->snap->interval;
	snap->flags = s->snap->flags;
	snap->tcp = s->snap->tcp;
	sum->snap = snap;
	sum->seq = s->seq;
	atomic_init(&sum->refs, 1);
	return sum;
}

struct sample *model_prev_keep(struct model *m, struct sample *s)
{
	struct sample *sum;

	m->next_prev_summary = false;
	if (!s || m->replay || s->snap->nsocks < m->prev_whole_max || !(sum = summary_of(s)))
		return s;
	sample_release(s);
	m->next_prev_summary = true;
	return sum;
}
