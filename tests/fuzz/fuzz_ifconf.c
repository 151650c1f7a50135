/* fuzz_ifconf.c: RTM_NEWLINK and RTM_NEWADDR buffers through
 * ifconf_walk_buf(), then netstat -ie's printer. Seeds: the recorded link
 * dump and hand-made address messages (tests/tools/fuzz-seeds.py). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/netstat_more.h"
#include "sample/ifconf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct ifconf_table t = { 0 };
	FILE *sink = fopen("/dev/null", "w");
	int ret;

	if (!buf || !sink)
		abort();
	memcpy(buf, data, size);
	/* twice: the addresses of the second pass find the links of the first */
	ret = ifconf_walk_buf(buf, size, 0, &t);
	if (ret < -4095 || ret > 1)
		abort();
	ifconf_walk_buf(buf, size, 0, &t);
	for (size_t i = 0; i < t.n; i++)
		if (!t.v[i].name[0] || t.v[i].name[sizeof(t.v[i].name) - 1] || t.v[i].hwlen > sizeof(t.v[i].hw))
			abort();
	out_ifconfig(sink, &t, true);
	ifconf_table_free(&t);
	fclose(sink);
	free(buf);
	return 0;
}
