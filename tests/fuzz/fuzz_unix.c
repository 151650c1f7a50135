/* fuzz_unix.c: unix_diag buffers through unix_walk_buf(), then netstat -x's
 * printer. Seeds: tests/fixtures/netlink/unix.bin. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "print/netstat_more.h"
#include "sample/unix.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);
	struct unix_table t = { 0 };
	struct more_options o = { .listen = LISTEN_ALL };
	FILE *sink = fopen("/dev/null", "w");
	int ret;

	if (!buf || !sink)
		abort();
	memcpy(buf, data, size);
	ret = unix_walk_buf(buf, size, 0, &t);
	if (ret < -4095 || ret > 1)
		abort();
	for (size_t i = 0; i < t.n; i++)
		if (t.v[i].name_len > UNIX_NAME_MAX)
			abort();
	out_unix(sink, &t, NULL, &o);
	unix_table_free(&t);
	fclose(sink);
	free(buf);
	return 0;
}
