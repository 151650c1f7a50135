/* escape.c: keeps a terminal safe from names that carry escape sequences. */
#include "escape.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Length of the valid, printable UTF-8 sequence at s, or 0. */
static size_t utf8_printable(const unsigned char *s, size_t len)
{
	uint32_t cp;
	size_t n;

	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond Unicode, and C1 controls */
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	/* bidi overrides and isolates can reorder what follows on screen */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	return n;
}

size_t escape_text(char *out, size_t outlen, const char *in, size_t len)
{
	const unsigned char *s = (const unsigned char *)in;
	size_t need = 0, i = 0;

	while (i < len) {
		size_t n = s[i] == '\\' ? 0 : utf8_printable(s + i, len - i);
		char tmp[5];
		const char *piece;
		size_t plen;

		if (n) {
			piece = (const char *)s + i, plen = n;
		} else if (s[i] == '\\') {
			piece = "\\\\", plen = 2, n = 1;
		} else {
			snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
			piece = tmp, plen = 4, n = 1;
		}
		if (outlen && need + plen < outlen)
			memcpy(out + need, piece, plen);
		else if (outlen && need < outlen)
			outlen = need + 1;	/* stop writing: never cut a piece */
		need += plen;
		i += n;
	}
	if (outlen)
		out[need < outlen ? need : outlen - 1] = '\0';
	return need;
}

size_t escape_json(char *out, size_t outlen, const char *s)
{
	char buf[1024];
	size_t n = 0;

	if (outlen < 3) {
		if (outlen)
			out[0] = '\0';
		return 0;
	}
	escape_text(buf, sizeof(buf), s, strlen(s));
	out[n++] = '"';
	for (const char *p = buf; *p && n + 3 < outlen; p++) {
		if (*p == '"' || *p == '\\')
			out[n++] = '\\';
		out[n++] = *p;
	}
	out[n++] = '"';
	out[n] = '\0';
	return n;
}

void escape_report(const char *msg)
{
	char shown[1024];

	escape_text(shown, sizeof(shown), msg, strlen(msg));
	fprintf(stderr, "nettop: %s\n", shown);
}
