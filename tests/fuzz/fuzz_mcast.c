/* fuzz_mcast.c: /proc/net/igmp and igmp6 text through mcast_parse(), then
 * netstat -g's printer. Seeds: tests/tools/fuzz-seeds.py. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/netstat_more.h"
#include "sample/mcast.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1);
	struct mcast_table t = { 0 };
	struct more_options o = { 0 };
	FILE *sink = fopen("/dev/null", "w");

	if (!text || !sink)
		abort();
	memcpy(text, data, size);
	if (mcast_parse(text, size, 4, &t) < 0 || mcast_parse(text, size, 6, &t) < 0)
		abort();
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].dev[sizeof(t.v[i].dev) - 1])
			abort();
	out_groups(sink, &t, &o);
	mcast_table_free(&t);
	fclose(sink);
	free(text);
	return 0;
}
