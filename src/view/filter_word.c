/* filter_word.c: a raw value (an interface name) as one word of the filter
 * language, and back. Names may hold any byte but NUL, '/', ':' and spaces;
 * the word spells the others as the screen shows them ("\xNN", "\\"), plus
 * the bytes that would end or split a word, so that a filter built from a
 * selection matches the raw value. */
#include <stdio.h>
#include <string.h>

#include "filter.h"
#include "filter_impl.h"

/* Bytes the tokenizer reads as the end of a word or an operator. */
static bool splits_word(unsigned char c)
{
	return c <= ' ' || c >= 0x7f || strchr("()!&|", c);
}

size_t filter_word_quote(char *out, size_t outlen, const char *raw)
{
	size_t need = 0;

	for (const unsigned char *p = (const unsigned char *)raw; *p; p++) {
		char piece[5];
		size_t n;

		if (*p == '\\')
			n = (size_t)snprintf(piece, sizeof(piece), "\\\\");
		else if (splits_word(*p))
			n = (size_t)snprintf(piece, sizeof(piece), "\\x%02x", *p);
		else
			piece[0] = (char)*p, piece[1] = '\0', n = 1;
		if (outlen && need + n < outlen)
			memcpy(out + need, piece, n);
		else if (outlen && need < outlen)
			outlen = need + 1;	/* stop writing: never cut a piece */
		need += n;
	}
	if (outlen)
		out[need < outlen ? need : outlen - 1] = '\0';
	return need;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int filter_word_unquote(const char *word, size_t len, char *out, size_t outlen)
{
	size_t n = 0;

	if (!outlen)
		return -1;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)word[i];
		int hi, lo;

		if (c == '\\' && i + 1 < len && word[i + 1] == '\\') {
			i++;
		} else if (c == '\\') {
			/* "\xNN", never NUL: a name cannot hold it */
			if (i + 3 >= len || word[i + 1] != 'x' || (hi = hex_digit(word[i + 2])) < 0 ||
			    (lo = hex_digit(word[i + 3])) < 0 || !(hi | lo))
				return -1;
			c = (unsigned char)(hi << 4 | lo);
			i += 3;
		}
		if (n + 1 >= outlen)
			return -1;
		out[n++] = (char)c;
	}
	out[n] = '\0';
	return 0;
}
