/* fuzz_conntrack.c: ctnetlink buffers (flows, global and per-CPU statistics)
 * through conntrack_walk_buf(), then -M's printer and the JSON member. Seeds:
 * tests/fixtures/netlink/conntrack.bin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/netstat_more.h"
#include "sample/conntrack.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct ct_table t = { 0 };
	struct more_options o = { 0 };
	FILE *sink = fopen("/dev/null", "w");
	int ret;

	if (!buf || !sink)
		abort();
	memcpy(buf, data, size);
	ret = conntrack_walk_buf(buf, size, 0, &t);
	if (ret < -4095 || ret > 1)
		abort();
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].family != 4 && t.v[i].family != 6)
			abort();
	out_masq(sink, &t, &o);
	/* against itself: every statistic's growth 0, the alert by fill alone */
	conntrack_table_derive(&t, &t);
	out_conntrack_json(sink, &t, NULL);
	conntrack_table_free(&t);
	fclose(sink);
	free(buf);
	return 0;
}
