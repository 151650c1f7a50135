/* frame_log.c: --frame-log FILE, what make bench reads of the screen. One
 * line per frame shown, "frame CAUSE COMPUTE INSTALL DRAW TOTAL", and one
 * per key answered, "key LATENCY", all in milliseconds:
 *   COMPUTE  the worker building the rows (filter, count, group, keys);
 *   INSTALL  the loop swapping them in and finding the selections again;
 *   DRAW     drawing the visible rows (sorting the rows shown on the way);
 *   LATENCY  from the key read to the end of the first draw that shows its
 *            effect (after the worker's rows when the key asked for them).
 * CAUSE is "sample" (a new sample), "sort" (a pane sorted again) or "view"
 * (the same sample, filtered or grouped anew by a key). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "screen.h"

struct frame_log {
	FILE *f;
	/* the oldest key not yet answered */
	bool key_waiting;
	struct timespec key_at;
	unsigned key_serial;		/* the first job after it; 0: none asked for */
	/* rows installed, not yet drawn */
	bool installed;
	const char *cause;
	double compute_ms, install_ms;
};

static struct frame_log log_state;

double frame_log_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static double ms_since(const struct timespec *t0)
{
	return frame_log_now_ms() - ((double)t0->tv_sec * 1e3 + (double)t0->tv_nsec / 1e6);
}

int frame_log_open(const char *path, char *msg, size_t len)
{
	if (!path)
		return 0;
	if (!(log_state.f = fopen(path, "w"))) {
		snprintf(msg, len, "--frame-log %s: %s", path, strerror(errno));
		return -1;
	}
	fputs("# nettop --frame-log: milliseconds\n", log_state.f);
	return 0;
}

void frame_log_close(void)
{
	if (log_state.f)
		fclose(log_state.f);
	log_state = (struct frame_log){ 0 };
}

void frame_log_key(void)
{
	if (!log_state.f || log_state.key_waiting)
		return;
	log_state.key_waiting = true;
	log_state.key_serial = 0;
	clock_gettime(CLOCK_MONOTONIC, &log_state.key_at);
}

void frame_log_submitted(unsigned serial)
{
	if (log_state.key_waiting && !log_state.key_serial)
		log_state.key_serial = serial;
}

void frame_log_installed(bool sorted_only, bool same_sample, double compute_ms, double install_ms)
{
	if (!log_state.f)
		return;
	log_state.installed = true;
	log_state.cause = sorted_only ? "sort" : same_sample ? "view" : "sample";
	log_state.compute_ms = compute_ms;
	log_state.install_ms = install_ms;
}

void frame_log_drawn(const struct ui *ui, double draw_ms)
{
	struct frame_log *l = &log_state;

	if (!l->f)
		return;
	if (l->installed) {
		fprintf(l->f, "frame %s %.2f %.2f %.2f %.2f\n", l->cause, l->compute_ms,
			l->install_ms, draw_ms, l->compute_ms + l->install_ms + draw_ms);
		l->installed = false;
	}
	/* answered once the rows of a job handed over after it are shown */
	if (l->key_waiting && (!l->key_serial || ui->shown_params.serial >= l->key_serial)) {
		fprintf(l->f, "key %.2f\n", ms_since(&l->key_at));
		l->key_waiting = false;
	}
}
