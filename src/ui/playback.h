/* playback.h: where samples come from, and a replay's keys and header
 * (playback.c). */
#ifndef NETTOP_UI_PLAYBACK_H
#define NETTOP_UI_PLAYBACK_H

#include <stddef.h>

#include "state.h"

/* The sampler thread, recording with --record, or playing --replay; NULL
 * with a message in msg and the exit status in *status. */
struct sampler_thread *playback_start(struct ui *ui, const struct sample_request *req,
				      const char **note, char *msg, size_t len, int *status);
/* After a replay sample or event: the pause the replay is in; returns enum redo. */
unsigned playback_sync(struct ui *ui, int err);
/* "recorded 2024-05-01 12:34:56": the clock of a replay. */
void playback_when(const struct ui *ui, char *buf, size_t len);
/* "replay 12/40 x2": the sample shown, of how many, and the speed. */
void playback_position(const struct ui *ui, char *buf, size_t len);
unsigned playback_toggle_pause(struct ui *ui);
/* Left/Right: one sample back (-1) or forward, paused. */
unsigned playback_step(struct ui *ui, int step);
/* [ and ]: slower (-1) or faster. */
unsigned playback_speed_step(struct ui *ui, int step);

#endif
