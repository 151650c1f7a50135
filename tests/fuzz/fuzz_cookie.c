/* fuzz_cookie.c: sock_diag's answers to the BPF walk's cookie lookups
 * (src/sample/bpf/cookie_lookup.c). Seeds: a recorded dump's frames, whose
 * messages have the answers' form. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sample/bpf/cookie_lookup.h"
#include "tcpstate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_rec socks[4];
	uint8_t *buf = malloc(size ? size : 1);	/* the exact bytes, no more */

	if (!buf)
		abort();
	memcpy(buf, data, size);
	memset(socks, 0, sizeof(socks));
	for (size_t i = 0; i < 4; i++) {
		socks[i].inode = i & 1 ? 0 : (uint32_t)(1000 + i);
		socks[i].family = 4;
		socks[i].state = (uint8_t)(i == 3 ? ST_LISTEN : ST_ESTABLISHED);
	}
	/* each answer a message of at least a header; a record is answered,
	 * gone, or left as it was */
	if (cookie_answers_take(buf, size, socks, 4) > size / 16)
		abort();
	for (size_t i = 0; i < 4; i++)
		if (socks[i].family != 4 && (socks[i].family != 0 || socks[i].cookie))
			abort();
	free(buf);
	return 0;
}
