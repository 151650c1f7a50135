/* fuzz_record.c: record_decode() on any payload, alone and with a previous
 * sample to resolve references against: it rejects what is malformed, and
 * what it accepts is a well-formed snapshot (families, states and owners in
 * range), so no printer can be led astray by a recording. */
#include <stdint.h>
#include <stdlib.h>

#include "record/codec.h"
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
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot *first = record_decode(data, size, NULL);
	struct snapshot *second = record_decode(data, size, first);

	check(first);
	check(second);
	snapshot_free(second);
	snapshot_free(first);
	return 0;
}
