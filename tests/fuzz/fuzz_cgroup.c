/* fuzz_cgroup.c: cgroup_owner_parse() on any bytes and any room: it returns
 * -EINVAL or the length it wrote, never writes past out, and terminates. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cgroup_owner.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t outlen = size ? data[0] % 96 + 1 : 1;
	char *text = malloc(size ? size : 1), *out = malloc(outlen);
	int n;

	if (!text || !out)
		abort();
	memcpy(text, data, size);	/* exactly size bytes: ASan sees a read past them */
	n = cgroup_owner_parse(text, size, out, outlen);
	if (n != -EINVAL && (n < 0 || (size_t)n >= outlen || strlen(out) != (size_t)n))
		abort();
	free(text);
	free(out);
	return 0;
}
