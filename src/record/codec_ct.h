/* codec_ct.h: a frame's sections after its sockets (codec_ct.c): each a
 * varint tag, a varint length and that many bytes; a reader skips a tag it
 * does not know. Tag 1: the conntrack table (doc/recording.md). */
#ifndef NETTOP_RECORD_CODEC_CT_H
#define NETTOP_RECORD_CODEC_CT_H

#include <stdbool.h>

#include "../snapshot.h"
#include "bytes.h"

/* Appends s's sections: none when s has no conntrack table and no reason
 * for its absence, so such a frame is what an older nettop wrote. */
void record_sections_encode(struct buf *b, const struct snapshot *s);
/* Reads sections up to the end of r into s; false when one is malformed. */
bool record_sections_decode(struct rd *r, struct snapshot *s);

#endif
