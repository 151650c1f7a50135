/* fuzz_link.c: rtnetlink RTM_NEWLINK buffers through link_walk_buf() and
 * link_parse_msg(). Seeds: the recorded link dump (tests/fixtures/netlink). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "sample/link.h"
#include "snapshot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct snapshot *s = snapshot_new(0);
	struct iface_rec r;
	char name[64];
	int ret;

	if (!buf || !s)
		abort();
	memcpy(buf, data, size);
	ret = link_walk_buf(buf, size, 0, s);
	if (ret < -4095 || ret > 1)
		abort();
	for (size_t i = 0; i < s->nifaces; i++) {
		/* every name is a terminated string in the arena: print it as the printers do */
		const char *n = s->ifaces[i].name;

		if (!n)
			abort();
		escape_text(name, sizeof(name), n, strlen(n));
	}
	link_walk_buf(buf, size, 0x4e54, s);
	memset(&r, 0, sizeof(r));
	if (link_parse_msg(buf, size, s, &r) == 0 && !r.name)
		abort();
	snapshot_free(s);
	free(buf);
	return 0;
}
