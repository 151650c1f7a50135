/* frame_log.h: --frame-log FILE, a no-op without it (frame_log.c). */
#ifndef NETTOP_UI_FRAME_LOG_H
#define NETTOP_UI_FRAME_LOG_H

#include <stdbool.h>
#include <stddef.h>

#include "state.h"

int frame_log_open(const char *path, char *msg, size_t len);
void frame_log_close(void);
double frame_log_now_ms(void);
void frame_log_key(const struct ui *ui, int key, bool function_key);	/* a key was read */
void frame_log_submitted(unsigned serial);	/* a job was handed to the worker */
void frame_log_installed(bool sorted_only, bool same_sample, double compute_ms, double install_ms);
void frame_log_drawn(const struct ui *ui, double draw_ms);	/* after each loop turn */

#endif
