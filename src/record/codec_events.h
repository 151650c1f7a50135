/* codec_events.h: a frame's destroy events (snapshot.closed), the closed
 * connections since the sample before: the payload of a frame's events
 * section (sections.h), so that recordings made before it still replay
 * and say nothing of closed connections. */
#ifndef NETTOP_RECORD_CODEC_EVENTS_H
#define NETTOP_RECORD_CODEC_EVENTS_H

#include <stdbool.h>

#include "../snapshot.h"
#include "bytes.h"

/* True when s has a section to write (its listener ran, or it says why not). */
bool record_events_present(const struct snapshot *s);
void record_events_encode(struct buf *b, const struct snapshot *s);
/* False when the section is malformed. */
bool record_events_decode(struct rd *r, struct snapshot *s);

#endif
