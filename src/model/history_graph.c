/* history_graph.c: a graph's geometry as numbers (columns, heights, the
 * title's figures, the axis' labels), so that the drawing only picks
 * characters and the arithmetic is unit-tested. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "history.h"

static void column_max(float *out, size_t ncols, double from, double span, double t, float v)
{
	double x = (t - from) / span * (double)ncols;
	size_t col;

	/* column c holds (from + c w, from + (c + 1) w]: the window's end is in
	 * the last column, its start in none */
	if (isnan(v) || x <= 0)
		return;
	x = ceil(x) - 1;
	col = x >= (double)ncols ? ncols - 1 : (size_t)x;
	if (isnan(out[col]) || v > out[col])
		out[col] = v;
}

/* The folded buckets older than the oldest full-resolution sample. */
static void columns_folded(const struct history *h, size_t s, double from, double end,
			   double span, float *out, size_t ncols)
{
	double oldest = h->base_n ? history_time(h, 0) : end;

	for (size_t k = 0; k < h->fold_n; k++) {
		size_t slot = (h->fold_next + h->fold_cap - h->fold_n + k) % h->fold_cap;
		double t = h->fold_t[slot];

		if (t + HISTORY_FOLD_SECONDS > oldest || t + HISTORY_FOLD_SECONDS <= from || t > end)
			continue;
		column_max(out, ncols, from, span, t + HISTORY_FOLD_SECONDS / 2,
			   h->series[s].fold[slot].max);
	}
}

size_t history_columns(const struct history *h, size_t s, double end, double span, float *out,
		       size_t ncols)
{
	double from = end - span;
	size_t filled = 0;

	for (size_t c = 0; c < ncols; c++)
		out[c] = NAN;
	if (!ncols || span <= 0 || s >= h->nseries)
		return 0;
	columns_folded(h, s, from, end, span, out, ncols);
	for (size_t k = 0; k < h->base_n; k++) {
		double t = history_time(h, k);

		if (t > from && t <= end)
			column_max(out, ncols, from, span, t, history_value(h, s, k));
	}
	/* between two samples a count stays what it was: the columns no
	 * sample fell in (a window wider than the samples) take the one before */
	for (size_t c = 0, last = SIZE_MAX; c < ncols; c++) {
		if (!isnan(out[c])) {
			for (size_t g = last + 1; last != SIZE_MAX && g < c; g++)
				out[g] = out[last];
			last = c;
		}
	}
	for (size_t c = 0; c < ncols; c++)
		filled += !isnan(out[c]);
	return filled;
}

static void stats_add(struct history_stats *st, double v)
{
	if (isnan(v))
		return;
	if (!st->has || v < st->min)
		st->min = v;
	if (!st->has || v > st->max)
		st->max = v;
	st->has = true;
}

void history_stats(const struct history *h, size_t s, double end, double span,
		   struct history_stats *out)
{
	double from = end - span, oldest = h->base_n ? history_time(h, 0) : end;

	*out = (struct history_stats){ .cur = NAN };
	if (s >= h->nseries)
		return;
	for (size_t k = 0; k < h->fold_n; k++) {
		size_t slot = (h->fold_next + h->fold_cap - h->fold_n + k) % h->fold_cap;
		double t = h->fold_t[slot];

		if (t + HISTORY_FOLD_SECONDS <= oldest && t + HISTORY_FOLD_SECONDS > from && t <= end) {
			stats_add(out, h->series[s].fold[slot].min);
			stats_add(out, h->series[s].fold[slot].max);
		}
	}
	for (size_t k = 0; k < h->base_n; k++) {
		double t = history_time(h, k);
		float v = history_value(h, s, k);

		if (t <= from || t > end || isnan(v))
			continue;
		stats_add(out, v);
		out->cur = v;
	}
}

void history_heights(const float *cols, size_t n, double top, int levels, int *out)
{
	for (size_t c = 0; c < n; c++) {
		double v = cols[c];
		int steps;

		if (isnan(v) || v <= 0 || top <= 0) {
			out[c] = 0;
			continue;
		}
		steps = (int)lround(v / top * levels);
		out[c] = steps < 1 ? 1 : steps > levels ? levels : steps;
	}
}

double history_first_time(const struct history *h)
{
	if (h->fold_n)
		return h->fold_t[(h->fold_next + h->fold_cap - h->fold_n) % h->fold_cap];
	return h->base_n ? history_time(h, 0) : 0;
}

double history_zoom_span(const struct history *h, int z, double end)
{
	static const double spans[HISTORY_ZOOMS - 1] = { 60, 600, 3600 };
	double first = history_first_time(h);

	if (z >= 0 && z < HISTORY_ZOOMS - 1)
		return spans[z];
	/* everything: the first sample just inside the window's left end */
	return first && end - first > 0 ? (end - first) * 1.02 : 60;
}

void history_span_label(double span, char *buf, size_t len)
{
	long s = lround(span);

	if (s < 120)
		snprintf(buf, len, "-%lds", s);
	else if (s < 3600)
		snprintf(buf, len, "-%ldm", (s + 30) / 60);
	else if ((s + 30) % 3600 / 60)
		snprintf(buf, len, "-%ldh%02ldm", (s + 30) / 3600, (s + 30) % 3600 / 60);
	else
		snprintf(buf, len, "-%ldh", (s + 30) / 3600);
}

void history_value_format(double v, char *buf, size_t len)
{
	static const char units[] = " kMGTP";
	int u = 0;

	if (isnan(v)) {
		snprintf(buf, len, "-");
		return;
	}
	while (fabs(v) >= 1000 && u < 5) {
		v /= 1000;
		u++;
	}
	if (!u && v == floor(v))
		snprintf(buf, len, "%.0f", v);
	else if (!u)
		snprintf(buf, len, "%.1f", v);
	else
		snprintf(buf, len, "%.1f%c", v, units[u]);
}
