/* frame_log.c: --frame-log FILE, what make bench reads of the screen. One
 * line per frame shown, "frame CAUSE COMPUTE INSTALL DRAW TOTAL", and one
 * per key answered, "key LATENCY WHEN NAME", all in milliseconds:
 *   COMPUTE  the worker building the rows (filter, count, group, keys);
 *   INSTALL  the loop swapping them in and finding the selections again;
 *   DRAW     drawing the visible rows (sorting the rows shown on the way);
 *   LATENCY  from the key read to the end of the first draw that shows its
 *            effect (after the worker's rows when the key asked for them).
 * CAUSE is "sample" (a new sample), "sort" (a pane sorted again) or "view"
 * (the same sample, filtered or grouped anew by a key); WHEN is "dump" for
 * a key read while the sampler thread was dumping, else "idle". */
#include <curses.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "frame_log.h"

struct frame_log {
	FILE *f;
	/* the oldest key not yet answered */
	bool key_waiting;
	bool key_in_dump;
	char key_name[16];		/* curses' name of the key */
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
	/* a line at a time: a reader follows it while the screen runs */
	setvbuf(log_state.f, NULL, _IOLBF, 0);
	fputs("# nettop --frame-log: milliseconds\n", log_state.f);
	return 0;
}

void frame_log_close(void)
{
	if (log_state.f)
		fclose(log_state.f);
	log_state = (struct frame_log){ 0 };
}

void frame_log_key(const struct ui *ui, int key, bool function_key)
{
	const char *name;

	if (!log_state.f || log_state.key_waiting)
		return;
	name = function_key ? keyname(key) : key < 128 ? unctrl((chtype)key) : NULL;
	snprintf(log_state.key_name, sizeof(log_state.key_name), "%s", name && *name != ' ' ? name : "?");
	log_state.key_waiting = true;
	log_state.key_in_dump = ui->m.session && session_dumping(ui->m.session);
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
	if (l->key_waiting && (!l->key_serial || ui->m.shown_params.serial >= l->key_serial)) {
		fprintf(l->f, "key %.2f %s %s\n", ms_since(&l->key_at), l->key_in_dump ? "dump" : "idle",
			l->key_name);
		l->key_waiting = false;
	}
}
