/* fuzz_sockdiag.c: sock_diag receive buffers through the walker and the
 * message parser. Seeds: the recorded dumps' frames (tests/fixtures/netlink). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/sockdiag.h"
#include "snapshot.h"
#include "tcpstate.h"

#define SEQ 0x4e54	/* the fixtures' sequence number */

static void check(const struct snapshot *s, size_t before, size_t len)
{
	/* each record came from a message of at least 16 + 72 bytes */
	if ((s->nsocks - before) * 88 > len)
		abort();
	for (size_t i = before; i < s->nsocks; i++) {
		const struct sock_rec *r = &s->socks[i];

		if ((r->family != 4 && r->family != 6) || r->state >= ST_COUNT)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, so that the walker sees the exact bytes and no more */
	uint8_t *buf = malloc(size ? size : 1);
	struct snapshot *s = snapshot_new(0);
	static const uint32_t seqs[] = { 0, SEQ };

	if (!buf || !s)
		abort();
	memcpy(buf, data, size);
	/* half the inputs walk with the health records (sockdiag_health.c),
	 * half with struct sock_extra */
	if (size && (data[size - 1] & 1))
		s->flags |= SNAP_HAS_HEALTH;
	if (size && (data[size - 1] & 2))
		s->flags |= SNAP_HAS_EXTRA;
	for (int proto = PROTO_TCP; proto <= PROTO_UDP; proto++) {
		for (size_t k = 0; k < sizeof(seqs) / sizeof(seqs[0]); k++) {
			struct sockdiag_walker w = { .seq = seqs[k], .proto = (uint8_t)proto };
			size_t before = s->nsocks;
			enum sockdiag_walk res = sockdiag_walk_buf(&w, buf, size, s);

			if (res == SOCKDIAG_ERROR && w.error >= 0)
				abort();
			check(s, before, size);
		}
	}
	{
		struct sock_rec r;
		struct sock_extra x;

		memset(&r, 0, sizeof(r));
		memset(&x, 0, sizeof(x));
		struct sock_health h;

		memset(&h, 0, sizeof(h));
		if (sockdiag_parse_msg(buf, size, PROTO_TCP, &r, &x, NULL) == 0 &&
		    ((r.family != 4 && r.family != 6) || r.state >= ST_COUNT))
			abort();
		if (sockdiag_parse_health(buf, size, PROTO_TCP, &h) == 0 && (h.flags & HEALTH_CONG) &&
		    strlen(h.cong) >= sizeof(h.cong))
			abort();
	}
	snapshot_free(s);
	free(buf);
	return 0;
}
