/* fuzz_escape.c: escape_text()'s promises on any bytes and any output size:
 * the return value is the full length, the output is NUL-terminated, a
 * truncated output is a prefix of the full one, and what comes out holds no
 * control character (C0, DEL, C1) and no byte that is not valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Length of the valid UTF-8 sequence at s (within len), or 0. */
static size_t utf8_len(const unsigned char *s, size_t len)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xc2 && s[0] <= 0xdf ? 2 :
		   s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;

	if (!n || n > len)
		return 0;
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t need = escape_text(NULL, 0, (const char *)data, size);
	char *full = malloc(need + 1), *cut;
	size_t outlen, n;

	if (!full || need < size || need > 4 * size)
		abort();
	if (escape_text(full, need + 1, (const char *)data, size) != need || full[need] ||
	    strlen(full) != need)
		abort();
	for (size_t i = 0; i < need;) {
		const unsigned char *p = (const unsigned char *)full + i;
		size_t l = utf8_len(p, need - i);

		if (!l || *p < 0x20 || *p == 0x7f || (l == 2 && p[0] == 0xc2 && p[1] < 0xa0))
			abort();	/* C0, DEL, C1, or a byte that is not UTF-8 */
		i += l;
	}
	/* a smaller output: a prefix, terminated, never past outlen */
	outlen = size ? data[0] % (need + 1) + 1 : 1;
	cut = malloc(outlen);
	if (!cut)
		abort();
	if (escape_text(cut, outlen, (const char *)data, size) != need)
		abort();
	n = strlen(cut);
	if (n >= outlen || memcmp(cut, full, n))
		abort();
	free(cut);
	free(full);
	return 0;
}
