/* history.c: the series' rings, their folding into minutes, and the
 * registry of names with its caps. Every sample writes one slot of every
 * series (NAN for the ones it did not name), so that all rings share one
 * clock (base_t) and a graph reads them with one index. */
#include "history.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../view/hash.h"

/* Series per kind: 64 listeners (two each), 64 addresses, 64 interfaces
 * (four each): at most 512 series of ~32 KiB for a day, under 16 MiB. */
static const size_t class_cap[HC_COUNT] = {
	[HC_FIXED] = 64, [HC_LISTENER] = 128, [HC_REMOTE] = 64, [HC_IFACE] = 256,
};

static void floats_nan(float *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		f[i] = NAN;
}

static void folds_nan(struct history_fold *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		f[i] = (struct history_fold){ NAN, NAN, NAN };
}

int history_init(struct history *h, size_t base_points)
{
	*h = (struct history){ .base_cap = base_points, .fold_cap = HISTORY_FOLD_POINTS,
			       .acc_start = -1 };
	if (!base_points)
		return -EINVAL;
	for (int c = 0; c < HC_COUNT; c++)
		h->series_cap += class_cap[c];
	h->index_cap = 1;
	while (h->index_cap < 2 * h->series_cap)
		h->index_cap <<= 1;
	h->base_t = calloc(h->base_cap, sizeof(*h->base_t));
	h->fold_t = calloc(h->fold_cap, sizeof(*h->fold_t));
	h->series = calloc(h->series_cap, sizeof(*h->series));
	h->index = calloc(h->index_cap, sizeof(*h->index));
	if (!h->base_t || !h->fold_t || !h->series || !h->index) {
		history_free(h);
		return -ENOMEM;
	}
	return 0;
}

void history_free(struct history *h)
{
	for (size_t i = 0; i < h->nseries; i++) {
		free(h->series[i].base);
		free(h->series[i].fold);
	}
	free(h->series);
	free(h->base_t);
	free(h->fold_t);
	free(h->index);
	*h = (struct history){ 0 };
}

static uint64_t name_hash(const char *name)
{
	return hash_bytes(0, name, strlen(name));
}

long history_find(const struct history *h, const char *name)
{
	size_t mask = h->index_cap - 1;

	if (!h->index)
		return -1;
	for (size_t i = name_hash(name) & mask;; i = (i + 1) & mask) {
		uint32_t e = h->index[i];

		if (!e)
			return -1;
		if (!strcmp(h->series[e - 1].name, name))
			return (long)e - 1;
	}
}

static void index_put(struct history *h, size_t s)
{
	size_t mask = h->index_cap - 1, i = name_hash(h->series[s].name) & mask;

	while (h->index[i])
		i = (i + 1) & mask;
	h->index[i] = (uint32_t)s + 1;
}

/* After an eviction renamed a series: the index again, from scratch (a
 * few hundred names, and only when a new listener, address or interface
 * replaces an old one). */
static void index_rebuild(struct history *h)
{
	memset(h->index, 0, h->index_cap * sizeof(*h->index));
	for (size_t s = 0; s < h->nseries; s++)
		index_put(h, s);
}

static void series_reset(struct history_series *s, const char *name, enum history_class cls,
			 const struct history *h)
{
	size_t len = strlen(name);

	if (len >= sizeof(s->name))
		len = sizeof(s->name) - 1;
	memcpy(s->name, name, len);
	s->name[len] = '\0';
	s->cls = (uint8_t)cls;
	s->last_seen = h->samples;
	s->acc_n = 0;
	s->acc_sum = 0;
	floats_nan(s->base, h->base_cap);
	folds_nan(s->fold, h->fold_cap);
}

/* The least recently seen series of cls, or -1 when each was seen in the
 * sample in progress. */
static long class_victim(const struct history *h, enum history_class cls)
{
	long best = -1;

	for (size_t i = 0; i < h->nseries; i++) {
		const struct history_series *s = &h->series[i];

		if (s->cls == cls && s->last_seen < h->samples &&
		    (best < 0 || s->last_seen < h->series[best].last_seen))
			best = (long)i;
	}
	return best;
}

/* A series for name: a new one, or the least recently seen of its kind
 * renamed. -ENOSPC / -ENOMEM. */
static long series_add(struct history *h, const char *name, enum history_class cls)
{
	struct history_series *s;
	long victim;

	if (h->class_n[cls] >= class_cap[cls]) {
		if ((victim = class_victim(h, cls)) < 0)
			return -ENOSPC;
		series_reset(&h->series[victim], name, cls, h);
		h->evicted++;
		index_rebuild(h);
		return victim;
	}
	s = &h->series[h->nseries];
	s->base = malloc(h->base_cap * sizeof(*s->base));
	s->fold = malloc(h->fold_cap * sizeof(*s->fold));
	if (!s->base || !s->fold) {
		free(s->base);
		free(s->fold);
		s->base = NULL;
		s->fold = NULL;
		return -ENOMEM;
	}
	series_reset(s, name, cls, h);
	h->class_n[cls]++;
	index_put(h, h->nseries);
	return (long)h->nseries++;
}

/* Closes the bucket being filled into the fold ring. */
static void fold_close(struct history *h)
{
	size_t slot = h->fold_next;

	h->fold_t[slot] = h->acc_start;
	for (size_t i = 0; i < h->nseries; i++) {
		struct history_series *s = &h->series[i];

		s->fold[slot] = s->acc_n ? (struct history_fold){ s->acc_min, s->acc_max,
								   (float)(s->acc_sum / s->acc_n) }
					 : (struct history_fold){ NAN, NAN, NAN };
		s->acc_n = 0;
		s->acc_sum = 0;
	}
	h->fold_next = (slot + 1) % h->fold_cap;
	if (h->fold_n < h->fold_cap)
		h->fold_n++;
}

void history_begin(struct history *h, double t)
{
	double bucket = floor(t / HISTORY_FOLD_SECONDS) * HISTORY_FOLD_SECONDS;

	if (h->open)
		history_end(h);
	if (h->acc_start >= 0 && bucket != h->acc_start)
		fold_close(h);
	h->acc_start = bucket;
	h->base_t[h->base_next] = t;
	for (size_t i = 0; i < h->nseries; i++)
		h->series[i].base[h->base_next] = NAN;
	h->samples++;
	h->open = true;
}

int history_set(struct history *h, const char *name, enum history_class cls, double v)
{
	long i = history_find(h, name);
	struct history_series *s;
	float f = (float)v;

	if (!h->open || cls >= HC_COUNT)
		return -EINVAL;
	if (i < 0 && (i = series_add(h, name, cls)) < 0) {
		h->refused += i == -ENOSPC;
		return (int)i;
	}
	s = &h->series[i];
	s->last_seen = h->samples;
	s->base[h->base_next] = f;
	if (isnan(f))
		return 0;
	if (!s->acc_n || f < s->acc_min)
		s->acc_min = f;
	if (!s->acc_n || f > s->acc_max)
		s->acc_max = f;
	s->acc_sum += f;
	s->acc_n++;
	return 0;
}

void history_end(struct history *h)
{
	if (!h->open)
		return;
	h->open = false;
	h->base_next = (h->base_next + 1) % h->base_cap;
	if (h->base_n < h->base_cap)
		h->base_n++;
}

size_t history_memory(const struct history *h)
{
	size_t per = h->base_cap * sizeof(float) + h->fold_cap * sizeof(struct history_fold);

	return sizeof(*h) + h->base_cap * sizeof(double) + h->fold_cap * sizeof(double) +
	       h->series_cap * sizeof(*h->series) + h->index_cap * sizeof(*h->index) +
	       h->nseries * per;
}

static size_t slot_of(const struct history *h, size_t k)
{
	return (h->base_next + h->base_cap - h->base_n + k) % h->base_cap;
}

double history_time(const struct history *h, size_t k)
{
	return h->base_t[slot_of(h, k)];
}

float history_value(const struct history *h, size_t series, size_t k)
{
	return h->series[series].base[slot_of(h, k)];
}
