/* test_escape.c: the one escaping function every untrusted string passes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"

/* Escapes len bytes of in into a big buffer; checks the return value. */
static const char *esc(const char *in, size_t len)
{
	static char out[4096];
	size_t n = escape_text(out, sizeof(out), in, len);

	assert_int_equal(n, strlen(out));
	return out;
}

#define ESC(lit) esc(lit, sizeof(lit) - 1)

static void test_printable_kept(void **state)
{
	(void)state;
	assert_string_equal(ESC(""), "");
	assert_string_equal(ESC("nginx: worker"), "nginx: worker");
	assert_string_equal(ESC(" ~!@#$%^&*()_+{}|:\"<>?`-=[];',./"), " ~!@#$%^&*()_+{}|:\"<>?`-=[];',./");
	assert_int_equal(escape_text(NULL, 0, "abc", 3), 3);	/* a size query */
}

static void test_control_bytes(void **state)
{
	char in[1], want[8];

	(void)state;
	for (int c = 0; c < 0x20; c++) {
		in[0] = (char)c;
		snprintf(want, sizeof(want), "\\x%02x", c);
		assert_string_equal(esc(in, 1), want);
	}
	assert_string_equal(ESC("\x7f"), "\\x7f");
	assert_string_equal(ESC("\x1b[2J\x1b]0;pwned\a"), "\\x1b[2J\\x1b]0;pwned\\x07");
	/* a NUL inside the given length is a byte like any other */
	assert_string_equal(esc("a\0b", 3), "a\\x00b");
	assert_string_equal(ESC("tab\there\r\n"), "tab\\x09here\\x0d\\x0a");
}

static void test_backslash_doubled(void **state)
{
	(void)state;
	assert_string_equal(ESC("\\"), "\\\\");
	assert_string_equal(ESC("a\\x1b"), "a\\\\x1b");	/* cannot pass for an escape */
	assert_string_equal(ESC("\\\\"), "\\\\\\\\");
}

static void test_c1_controls(void **state)
{
	char in[2], want[16];

	(void)state;
	/* U+0080..U+009F in UTF-8 are C2 80..C2 9F: terminals obey them */
	for (int c = 0x80; c <= 0x9f; c++) {
		in[0] = (char)0xc2;
		in[1] = (char)c;
		snprintf(want, sizeof(want), "\\xc2\\x%02x", c);
		assert_string_equal(esc(in, 2), want);
	}
	/* and raw C1 bytes */
	assert_string_equal(ESC("\x9b" "31m"), "\\x9b31m");
	/* U+00A0 (no-break space), the first after them, is kept */
	assert_string_equal(ESC("\xc2\xa0"), "\xc2\xa0");
}

static void test_valid_multibyte_kept(void **state)
{
	(void)state;
	assert_string_equal(ESC("caf\xc3\xa9"), "caf\xc3\xa9");			/* é */
	assert_string_equal(ESC("\xe2\x82\xac"), "\xe2\x82\xac");		/* € */
	assert_string_equal(ESC("\xe6\x97\xa5\xe6\x9c\xac"), "\xe6\x97\xa5\xe6\x9c\xac");
	assert_string_equal(ESC("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");	/* U+1F600 */
	assert_string_equal(ESC("\xed\x9f\xbf"), "\xed\x9f\xbf");		/* U+D7FF */
	assert_string_equal(ESC("\xee\x80\x80"), "\xee\x80\x80");		/* U+E000 */
	assert_string_equal(ESC("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");	/* U+10FFFF */
	assert_string_equal(ESC("\xdf\xbf"), "\xdf\xbf");			/* U+07FF */
	assert_string_equal(ESC("\xe0\xa0\x80"), "\xe0\xa0\x80");		/* U+0800 */
	assert_string_equal(ESC("\xf0\x90\x80\x80"), "\xf0\x90\x80\x80");	/* U+10000 */
}

static void test_invalid_utf8(void **state)
{
	(void)state;
	/* lone continuation bytes, bytes never valid */
	assert_string_equal(ESC("\x80"), "\\x80");
	assert_string_equal(ESC("\xbf"), "\\xbf");
	assert_string_equal(ESC("\xfe\xff"), "\\xfe\\xff");
	assert_string_equal(ESC("\xf5\x80\x80\x80"), "\\xf5\\x80\\x80\\x80");
	/* a sequence cut short, at the end and in the middle */
	assert_string_equal(ESC("ab\xe2\x82"), "ab\\xe2\\x82");
	assert_string_equal(ESC("\xe2\x82z"), "\\xe2\\x82z");
	assert_string_equal(ESC("\xf0\x9f\x98"), "\\xf0\\x9f\\x98");
	assert_string_equal(ESC("\xc3"), "\\xc3");
	/* a bad byte inside: the rest restarts cleanly */
	assert_string_equal(ESC("\xe2(\xa1"), "\\xe2(\\xa1");
	assert_string_equal(ESC("\xc3\xc3\xa9"), "\\xc3\xc3\xa9");
}

static void test_overlong(void **state)
{
	(void)state;
	assert_string_equal(ESC("\xc0\xaf"), "\\xc0\\xaf");		/* '/' in 2 bytes */
	assert_string_equal(ESC("\xc1\xbf"), "\\xc1\\xbf");
	assert_string_equal(ESC("\xc0\x80"), "\\xc0\\x80");		/* NUL, Java style */
	assert_string_equal(ESC("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	assert_string_equal(ESC("\xe0\x9f\xbf"), "\\xe0\\x9f\\xbf");	/* U+07FF in 3 */
	assert_string_equal(ESC("\xf0\x80\x80\xaf"), "\\xf0\\x80\\x80\\xaf");
	assert_string_equal(ESC("\xf0\x8f\xbf\xbf"), "\\xf0\\x8f\\xbf\\xbf");	/* U+FFFF in 4 */
	/* an overlong ESC must not become one */
	assert_string_equal(ESC("\xc0\x9b"), "\\xc0\\x9b");
	assert_string_equal(ESC("\xe0\x80\x9b"), "\\xe0\\x80\\x9b");
}

static void test_surrogates_and_beyond(void **state)
{
	(void)state;
	assert_string_equal(ESC("\xed\xa0\x80"), "\\xed\\xa0\\x80");	/* U+D800 */
	assert_string_equal(ESC("\xed\xbf\xbf"), "\\xed\\xbf\\xbf");	/* U+DFFF */
	assert_string_equal(ESC("\xed\xa0\xbd\xed\xb8\x80"), "\\xed\\xa0\\xbd\\xed\\xb8\\x80");
	assert_string_equal(ESC("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");	/* U+110000 */
}

static void test_bidi_controls(void **state)
{
	(void)state;
	/* U+202E RIGHT-TO-LEFT OVERRIDE would reorder what follows on screen */
	assert_string_equal(ESC("a\xe2\x80\xae" "b"), "a\\xe2\\x80\\xaeb");
	assert_string_equal(ESC("\xe2\x80\xaa"), "\\xe2\\x80\\xaa");	/* U+202A */
	assert_string_equal(ESC("\xe2\x81\xa6"), "\\xe2\\x81\\xa6");	/* U+2066 */
	assert_string_equal(ESC("\xe2\x81\xa9"), "\\xe2\\x81\\xa9");	/* U+2069 */
	assert_string_equal(ESC("\xe2\x80\xa9"), "\xe2\x80\xa9");	/* U+2029 is kept */
}

/* For every output size: NUL-terminated, never a piece cut in half (the
 * result is the longest escape of a prefix of the input that fits), and the
 * return value is the full length. */
static void check_truncation(const char *in, size_t len)
{
	char full[1024], out[1024], pre[1024];
	size_t n = escape_text(full, sizeof(full), in, len);
	size_t bounds[256], nb = 0;

	assert_true(n < sizeof(full));
	/* the lengths at which a whole piece ends */
	for (size_t i = 0; i <= len; i++) {
		size_t p = escape_text(pre, sizeof(pre), in, i);

		if (!memcmp(pre, full, p) && (nb == 0 || bounds[nb - 1] != p))
			bounds[nb++] = p;
	}
	for (size_t outlen = 1; outlen <= n + 2; outlen++) {
		size_t want = 0;

		memset(out, 'Z', sizeof(out));
		assert_int_equal(escape_text(out, outlen, in, len), n);
		for (size_t b = 0; b < nb; b++)
			if (bounds[b] < outlen)
				want = bounds[b];
		assert_int_equal(strlen(out), want);
		assert_memory_equal(out, full, want);
		assert_int_equal(out[outlen], 'Z');	/* nothing written past outlen */
	}
	/* outlen 0 writes nothing */
	memset(out, 'Z', sizeof(out));
	assert_int_equal(escape_text(out, 0, in, len), n);
	assert_int_equal(out[0], 'Z');
}

#define TRUNC(lit) check_truncation(lit, sizeof(lit) - 1)

static void test_truncation(void **state)
{
	(void)state;
	TRUNC("");
	TRUNC("abc");
	TRUNC("\x1b[2J");
	TRUNC("a\\b\\c");
	TRUNC("caf\xc3\xa9 \xe2\x82\xac\xf0\x9f\x98\x80!");
	TRUNC("\xc2\x85\xed\xa0\x80\xff\x7f\xe2\x80\xae");
	TRUNC("\xe6\x97\xa5\x01\xe6\x9c\xac\\\xf0\x9f\x98");
}

/* Every byte value in a row (no two of them form valid UTF-8): what comes
 * out is printable ASCII only. */
static void test_output_is_safe(void **state)
{
	unsigned char in[256];
	char out[2048];

	(void)state;
	for (int i = 0; i < 256; i++)
		in[i] = (unsigned char)i;
	escape_text(out, sizeof(out), (const char *)in, sizeof(in));
	for (const unsigned char *p = (const unsigned char *)out; *p; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);	/* every byte alone is invalid UTF-8 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printable_kept),
		cmocka_unit_test(test_control_bytes),
		cmocka_unit_test(test_backslash_doubled),
		cmocka_unit_test(test_c1_controls),
		cmocka_unit_test(test_valid_multibyte_kept),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_overlong),
		cmocka_unit_test(test_surrogates_and_beyond),
		cmocka_unit_test(test_bidi_controls),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_output_is_safe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
