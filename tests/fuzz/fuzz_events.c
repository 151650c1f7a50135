/* fuzz_events.c: destroy-event receive buffers through the walker and the
 * message parser. Seeds: the recorded events (tests/fixtures/netlink/
 * destroy.bin), one per frame. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/events.h"
#include "tcpstate.h"

struct count {
	size_t n;
};

static void check(void *arg, const struct close_event *ev)
{
	struct count *c = arg;

	if ((ev->r.family != 4 && ev->r.family != 6) || ev->r.state >= ST_COUNT ||
	    ev->r.proto > PROTO_UDP || ev->r.owner != OWNER_NONE)
		abort();
	c->n++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a private copy, so that the walker sees the exact bytes and no more */
	uint8_t *buf = malloc(size ? size : 1);
	struct timespec t = { 1, 0 };
	struct count c = { 0 };
	struct close_event ev;

	if (!buf)
		abort();
	memcpy(buf, data, size);
	events_walk_buf(buf, size, &t, &t, check, &c);
	/* each event came from a message of at least 16 + 72 + 5 bytes: the
	 * protocol attribute's padding may be cut by the message's end (the
	 * seed corpus's events-protocol-unpadded, found by fuzzing) */
	if (c.n * 93 > size)
		abort();
	if (events_parse_msg(buf, size, &ev) == 0)
		check(&c, &ev);
	free(buf);
	return 0;
}
