/* sections.h: what a frame holds after its sockets (sections.c): sections,
 * each a varint tag, a varint length and that many bytes, until the frame
 * ends. A frame of a sample without them is what nettop wrote before they
 * existed; a reader skips a tag it does not know (doc/recording.md). */
#ifndef NETTOP_RECORD_SECTIONS_H
#define NETTOP_RECORD_SECTIONS_H

#include <stdbool.h>

#include "../snapshot.h"
#include "bytes.h"

/* Appends s's sections: the conntrack table (tag 1), the destroy events
 * (tag 2), each only when s has it. */
void record_sections_encode(struct buf *b, const struct snapshot *s);
/* Reads sections up to the end of r into s; false when one is malformed,
 * not whole, or there twice. */
bool record_sections_decode(struct rd *r, struct snapshot *s);

#endif
