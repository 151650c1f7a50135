/* playback.c: where the screen's samples come from (the kernel, recorded
 * with --record FILE, or a recording with --replay FILE), and what a replay
 * adds: its keys and its place in the header. The panes never know: a
 * recorded sample draws as a live one. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../record.h"
#include "../sample/replay_thread.h"
#include "playback.h"

struct sampler_thread *playback_start(struct ui *ui, const struct sample_request *req,
				      const char **note, char *msg, size_t len, int *status)
{
	const struct options *o = ui->m.opts;
	struct recorder *recorder = NULL;
	struct sampler_thread *t;
	int err;

	*status = 1;
	if (o->replay) {
		if (!(t = sampler_thread_start_replay(o->replay, o->replay_pause, msg, len, &err))) {
			*status = err == -2 ? 2 : 1;
			return NULL;
		}
		ui->m.replay = sampler_thread_replay(t);
		ui->m.paused = o->replay_pause > 0;
		/* the recording does not say which host it is of */
		snprintf(ui->host, sizeof(ui->host), "replay");
		*note = replay_thread_note(ui->m.replay);
		return t;
	}
	if (o->record && !(recorder = recorder_open(o->record, msg, len, &err))) {
		*status = err == -2 ? 2 : 1;
		return NULL;
	}
	if (!(t = sampler_thread_start(req, ui->m.interval, recorder, note, &err)))
		snprintf(msg, len, "cannot start sampling: %s", strerror(-err));
	return t;
}

unsigned playback_sync(struct ui *ui, int err)
{
	struct replay_status st;

	replay_thread_status(ui->m.replay, &st);
	/* the thread pauses by itself only at the end */
	if (st.paused && !ui->m.paused)
		model_message(&ui->m, false, "the end of the recording: Left steps back, Space plays it again");
	ui->m.paused = st.paused;
	if (err)
		model_message(&ui->m, true, "the recording ends early: sample %zu is malformed", st.count + 1);
	return REDO_REDRAW;
}

void playback_when(const struct ui *ui, char *buf, size_t len)
{
	char when[32] = "--";
	struct tm tm;

	if (ui->m.cur) {
		time_t t = ui->m.cur->snap->wall.tv_sec;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	}
	snprintf(buf, len, "recorded %s", when);
}

void playback_position(const struct ui *ui, char *buf, size_t len)
{
	struct replay_status st;

	replay_thread_status(ui->m.replay, &st);
	snprintf(buf, len, "replay %llu/%zu x%g", ui->m.cur ? (unsigned long long)ui->m.cur->seq : 0ULL,
		 st.count, st.speed);
}

static unsigned not_replaying(struct ui *ui)
{
	model_message(&ui->m, false, "steps and speeds are for recordings: nettop --replay FILE");
	return REDO_REDRAW;
}

unsigned playback_toggle_pause(struct ui *ui)
{
	struct replay_status st;
	bool at_end;

	replay_thread_status(ui->m.replay, &st);
	at_end = ui->m.paused && ui->m.cur && ui->m.cur->seq >= st.count;
	ui->m.paused = !ui->m.paused;
	replay_thread_pause(ui->m.replay, ui->m.paused);
	model_message(&ui->m, false, ui->m.paused ? "paused: Left/Right step one sample, Space plays on"
			      : at_end ? "playing again from the start" : "playing");
	return REDO_REDRAW;
}

unsigned playback_step(struct ui *ui, int step)
{
	if (!ui->m.replay)
		return not_replaying(ui);
	ui->m.paused = true;
	if (!replay_thread_step(ui->m.replay, step))
		model_message(&ui->m, false, step < 0 ? "the first sample of the recording"
					       : "the last sample of the recording");
	return REDO_REDRAW;
}

unsigned playback_speed_step(struct ui *ui, int step)
{
	if (!ui->m.replay)
		return not_replaying(ui);
	model_message(&ui->m, false, "replay speed x%g", replay_thread_speed_step(ui->m.replay, step));
	return REDO_REDRAW;
}
