/* fuzz_record.c: record_decode() on any payload, alone and with a previous
 * sample to resolve references against: it rejects what is malformed, and
 * what it accepts is a well-formed snapshot (families, states and owners in
 * range, its destroy events' too), so no printer can be led astray by a
 * recording. */
#include <stdint.h>
#include <stdlib.h>

#include "close_event.h"
#include "record/codec.h"
#include "sample/conntrack.h"
#include "tcpstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct snapshot *s)
{
	for (size_t i = 0; s && i < s->nsocks; i++) {
		const struct sock_rec *r = &s->socks[i];

		if ((r->family != 4 && r->family != 6) || r->state >= ST_COUNT || r->proto > PROTO_UDP ||
		    (r->owner >= 0 ? (size_t)r->owner >= s->nprocs
				   : r->owner != OWNER_NONE && r->owner != OWNER_PENDING))
			abort();
	}
	for (size_t i = 0; s && i < s->nifaces; i++)
		if (!s->ifaces[i].name)
			abort();
	/* the conntrack section: whole flows of a known family, or why absent */
	if (s && s->conntrack && (s->conntrack->n > s->conntrack->cap || s->conntrack_absent))
		abort();
	for (size_t i = 0; s && s->conntrack && i < s->conntrack->n; i++)
		if (s->conntrack->v[i].family != 4 && s->conntrack->v[i].family != 6)
			abort();
	if (s && s->conntrack_absent && !*s->conntrack_absent)
		abort();
	/* the destroy events' section (codec_events.c) */
	for (size_t i = 0; s && i < s->nclosed; i++) {
		const struct sock_rec *r = &s->closed[i].r;

		if ((r->family != 4 && r->family != 6) || r->state >= ST_COUNT || r->proto > PROTO_UDP ||
		    r->owner != OWNER_NONE)
			abort();
	}
}

/* Two different frames, the second against the first: the input split where
 * its first byte says (the seeds of issue 16: one socket then three, a
 * range copied twice). */
static void decode_pair(const uint8_t *data, size_t size)
{
	size_t cut;
	struct snapshot *first, *second;

	if (!size || (cut = 1 + (size_t)data[0]) > size)
		return;
	first = record_decode(data + 1, cut - 1, NULL);
	second = first ? record_decode(data + cut, size - cut, first) : NULL;
	check(first);
	check(second);
	if (second && second->nsocks > first->nsocks + (size - cut) / 23)
		abort();	/* more sockets than carried once plus what the bytes hold */
	snapshot_free(second);
	snapshot_free(first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot *first = record_decode(data, size, NULL);
	struct snapshot *second = record_decode(data, size, first);

	check(first);
	check(second);
	snapshot_free(second);
	snapshot_free(first);
	decode_pair(data, size);
	return 0;
}
