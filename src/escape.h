/* escape.h: the one function every untrusted string passes before it is shown. */
#ifndef NETTOP_ESCAPE_H
#define NETTOP_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Copies in (len bytes) to out as printable text: valid UTF-8 outside the
 * control ranges is kept; C0, DEL, C1 and invalid bytes become "\xNN", and a
 * backslash becomes "\\". out is always NUL-terminated; a character is never
 * cut in half. Returns the length the full result would need (like snprintf). */
size_t escape_text(char *out, size_t outlen, const char *in, size_t len);
/* s as a JSON string: escaped by escape_text (its first 1023 bytes of
 * escaped text: names are short), then '"' and '\\' backslashed, then
 * quoted. ESCAPE_JSON_MAX bytes hold any result whole; a smaller out cuts
 * it (still quoted and NUL-terminated). Returns the length written. */
#define ESCAPE_JSON_MAX (2 * 1023 + 3)
size_t escape_json(char *out, size_t outlen, const char *s);
/* Prints "nettop: MSG" and a newline to stderr, MSG passed through
 * escape_text: error messages quote what the user gave (a filter, a theme's
 * line, a file name), control bytes and all. */
void escape_report(const char *msg);

#endif
