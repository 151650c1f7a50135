/* series.c: --replay FILE --series NAME[,NAME…]: the recording's history,
 * built as the screen builds it, printed a line per sample and series for
 * gnuplot or a spreadsheet ("time series value", or CSV with --csv). */
#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../escape.h"
#include "../model/history.h"
#include "../record/reader.h"

/* Every complete sample of the recording into h, kept whole (its ring as
 * long as the recording). 0, or the exit status. */
static int series_load(const struct options *o, struct history *h)
{
	char err[256];
	int status = -1, e;
	struct record_reader *r = record_reader_open(o->replay, err, sizeof(err), &status);
	struct record_frame *frames = NULL;
	struct snapshot *snap;
	size_t count = 0;

	if (!r) {
		escape_report(err);
		return status == -2 ? 2 : 1;
	}
	if ((e = record_reader_index(r, &frames, &count)) < 0 || history_init(h, count ? count : 1)) {
		fprintf(stderr, "nettop: --replay %s: %s\n", o->replay, strerror(e < 0 ? -e : ENOMEM));
		free(frames);
		record_reader_close(r);
		return 1;
	}
	free(frames);
	status = 0;
	while (!status && (snap = record_reader_next(r))) {
		if (history_add_snapshot(h, snap) < 0) {
			fprintf(stderr, "nettop: --series: out of memory\n");
			status = 1;
		}
		snapshot_free(snap);
	}
	/* a torn tail: the series end at the last whole sample */
	return session_replay_end(r, o->replay, status);
}

static void names_print(FILE *f, const struct history *h, const char *sep)
{
	for (size_t i = 0; i < h->nseries; i++)
		fprintf(f, "%s%s", i ? sep : "", h->series[i].name);
}

/* The series named in list (comma-separated) into *out; 0, or 2 with the
 * valid names said. */
static int series_pick(const struct history *h, const char *list, long **out, size_t *n)
{
	size_t cap = 1;
	const char *p = list;

	for (const char *c = list; *c; c++)
		cap += *c == ',';
	if (!(*out = calloc(cap, sizeof(**out))))
		return 1;
	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char name[HISTORY_NAME_MAX], shown[4 * HISTORY_NAME_MAX];
		long s = -1;

		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			s = history_find(h, name);
		}
		if (s < 0) {
			escape_text(shown, sizeof(shown), p, len < 64 ? len : 64);
			fprintf(stderr, "nettop: --series: no series '%s' in the recording; its series: ",
				shown);
			names_print(stderr, h, ", ");
			fputc('\n', stderr);
			return 2;
		}
		(*out)[(*n)++] = s;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* A name as a CSV field: quoted, its quotes doubled, when it holds one (an
 * interface's name may; commas are escaped already, history_iface_name()). */
static void csv_name(const char *name)
{
	if (!strchr(name, '"')) {
		fputs(name, stdout);
		return;
	}
	putchar('"');
	for (; *name; name++)
		fputs(*name == '"' ? "\"\"" : (char[]){ *name, '\0' }, stdout);
	putchar('"');
}

/* The time as the JSON samples print it: milliseconds, cut (not rounded). */
static void value_print(const struct options *o, double t, const char *name, float v)
{
	long long ms = (long long)floor(t * 1000 + 1e-4);

	if (!o->csv) {
		printf("%lld.%03lld %s %.7g\n", ms / 1000, ms % 1000, name, (double)v);
		return;
	}
	printf("%lld.%03lld,", ms / 1000, ms % 1000);
	csv_name(name);
	printf(",%.7g\n", (double)v);
}

int session_series(const struct options *o)
{
	struct history h;
	long *pick = NULL;
	size_t n = 0;
	int status = series_load(o, &h);

	if (status)
		return status;
	if (!strcmp(o->series, "list")) {
		names_print(stdout, &h, "\n");
		fputs(h.nseries ? "\n" : "", stdout);
	} else if (!(status = series_pick(&h, o->series, &pick, &n))) {
		if (o->csv)
			puts("time,series,value");
		/* a sample a series has no value in (a rate before its second
		 * sample, a listener gone) prints no line */
		for (size_t k = 0; k < h.base_n; k++)
			for (size_t i = 0; i < n; i++)
				if (!isnan(history_value(&h, (size_t)pick[i], k)))
					value_print(o, history_time(&h, k), h.series[pick[i]].name,
						    history_value(&h, (size_t)pick[i], k));
	}
	free(pick);
	history_free(&h);
	if (!status && (fflush(stdout) || ferror(stdout)))
		status = 1;
	return status;
}
