/* fuzz_route.c: rtnetlink RTM_NEWROUTE buffers through route_walk_buf() and
 * route_parse_msg(), then the printers. Seeds: tests/fixtures/netlink/route*.bin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/netstat_more.h"
#include "sample/route.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct route_table t = { 0 };
	struct more_options o = { .route_ext = 3 };
	FILE *sink = fopen("/dev/null", "w");
	int ret;

	if (!buf || !sink)
		abort();
	memcpy(buf, data, size);
	ret = route_walk_buf(buf, size, 0, &t);
	if (ret < -4095 || ret > 1)
		abort();
	for (size_t i = 0; i < t.n; i++)
		if ((t.v[i].family != 4 && t.v[i].family != 6) || t.v[i].dst_len > 128)
			abort();
	out_routes4(sink, &t, &o);
	o.route_ext = 2;
	out_routes4(sink, &t, &o);
	out_routes6(sink, &t, &o);
	route_walk_buf(buf, size, 0x4e54, &t);
	route_table_free(&t);
	fclose(sink);
	free(buf);
	return 0;
}
