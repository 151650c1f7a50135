/* fuzz_cookie.c: sock_diag's answers to the BPF walk's cookie lookups
 * (src/sample/bpf/cookie_lookup.c). Seeds: a recorded dump's frames, whose
 * messages have the answers' form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/bpf/cookie_lookup.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_rec socks[4], *batch[4];
	uint8_t *buf = malloc(size ? size : 1);	/* the exact bytes, no more */

	if (!buf)
		abort();
	memcpy(buf, data, size);
	memset(socks, 0, sizeof(socks));
	for (size_t i = 0; i < 4; i++) {
		socks[i].inode = i & 1 ? 0 : (uint32_t)(1000 + i);
		batch[i] = &socks[i];
	}
	/* at most one answer per message, each message at least a header */
	if (cookie_answers_take(buf, size, batch, 4) > size / 16)
		abort();
	free(buf);
	return 0;
}
