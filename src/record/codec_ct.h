/* codec_ct.h: the conntrack table in a recording (codec_ct.c), the
 * payload of a frame's conntrack section (sections.h, doc/recording.md). */
#ifndef NETTOP_RECORD_CODEC_CT_H
#define NETTOP_RECORD_CODEC_CT_H

#include <stdbool.h>

#include "../snapshot.h"
#include "bytes.h"

/* The table of s, or why it was absent; s has one or the other. */
void record_ct_encode(struct buf *b, const struct snapshot *s);
/* Reads what record_ct_encode wrote into s; false when it is malformed or
 * s has a table already. */
bool record_ct_decode(struct rd *r, struct snapshot *s);

#endif
