/* replay_control.c: what the replay keys do to a replay and what the screen
 * says of it, and the replay's place in the header. The panes never know:
 * a recorded sample draws as a live one. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "replay.h"

static const char not_replaying[] = "steps and speeds are for recordings: nettop --replay FILE";

const char *replay_sync(struct replay *r, int err, bool *paused, bool *error, char *buf,
			size_t len)
{
	struct replay_status st;
	const char *say = NULL;

	replay_status(r, &st);
	*error = false;
	/* the thread pauses by itself only at the end */
	if (st.paused && !*paused)
		say = "the end of the recording: Left steps back, Space plays it again";
	*paused = st.paused;
	if (err) {
		snprintf(buf, len, "the recording ends early: sample %zu is malformed", st.count + 1);
		*error = true;
		say = buf;
	}
	return say;
}

void replay_when(const struct sample *cur, char *buf, size_t len)
{
	char when[32] = "--";
	struct tm tm;

	if (cur) {
		time_t t = cur->snap->wall.tv_sec;

		localtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	}
	snprintf(buf, len, "recorded %s", when);
}

void replay_position(struct replay *r, const struct sample *cur, char *buf, size_t len)
{
	struct replay_status st;

	replay_status(r, &st);
	snprintf(buf, len, "replay %llu/%zu x%g", cur ? (unsigned long long)cur->seq : 0ULL,
		 st.count, st.speed);
}

const char *replay_key_pause(struct replay *r, uint64_t shown, bool *paused)
{
	struct replay_status st;
	bool at_end;

	replay_status(r, &st);
	at_end = *paused && shown && shown >= st.count;
	*paused = !*paused;
	replay_pause(r, *paused);
	return *paused ? "paused: Left/Right step one sample, Space plays on"
	       : at_end ? "playing again from the start" : "playing";
}

const char *replay_key_step(struct replay *r, int step, bool *paused)
{
	if (!r)
		return not_replaying;
	*paused = true;
	if (!replay_step(r, step))
		return step < 0 ? "the first sample of the recording" : "the last sample of the recording";
	return NULL;
}

const char *replay_key_speed(struct replay *r, int step, char *buf, size_t len)
{
	if (!r)
		return not_replaying;
	snprintf(buf, len, "replay speed x%g", replay_speed_step(r, step));
	return buf;
}
