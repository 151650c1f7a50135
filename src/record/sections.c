/* sections.c: a frame's sections, each written into a buffer of its own
 * so that its length can lead it, and read from exactly its own bytes. */
#include "sections.h"

#include <stdlib.h>

#include "codec_ct.h"
#include "codec_events.h"

enum { SECTION_CONNTRACK = 1, SECTION_EVENTS = 2 };

static void section_put(struct buf *b, uint64_t tag, const struct snapshot *s,
			void (*put)(struct buf *, const struct snapshot *))
{
	struct buf sec = { 0 };

	put(&sec, s);
	if (sec.oom)
		b->oom = true;
	put_varint(b, tag);
	put_varint(b, sec.len);
	put_bytes(b, sec.p, sec.len);
	free(sec.p);
}

void record_sections_encode(struct buf *b, const struct snapshot *s)
{
	if (s->conntrack || s->conntrack_absent)
		section_put(b, SECTION_CONNTRACK, s, record_ct_encode);
	if (record_events_present(s))
		section_put(b, SECTION_EVENTS, s, record_events_encode);
}

/* One section: all of its bytes read, or it is malformed. */
static bool section_get(const unsigned char *p, size_t len, struct snapshot *s,
			bool (*get)(struct rd *, struct snapshot *))
{
	struct rd r = { p, len, 0, false };

	return get(&r, s) && !r.bad && r.pos == r.len;
}

bool record_sections_decode(struct rd *r, struct snapshot *s)
{
	bool events = false;

	while (r->pos < r->len && !r->bad) {
		uint64_t tag = get_varint(r);
		size_t len = get_count(r, 1);
		const unsigned char *p = get_bytes(r, len);

		if (!p)
			return false;
		if (tag == SECTION_CONNTRACK && !section_get(p, len, s, record_ct_decode))
			return false;
		if (tag == SECTION_EVENTS && (events || !section_get(p, len, s, record_events_decode)))
			return false;
		events |= tag == SECTION_EVENTS;
		/* any other tag is a later nettop's: skipped */
	}
	return !r->bad;
}
