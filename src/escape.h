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
/* Prints "nettop: MSG" and a newline to stderr, MSG passed through
 * escape_text: error messages quote what the user gave (a filter, a theme's
 * line, a file name), control bytes and all. */
void escape_report(const char *msg);

#endif
