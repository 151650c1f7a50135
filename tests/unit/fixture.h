/* fixture.h: loads the recorded fixtures under tests/fixtures/ for the unit
 * tests. Header-only (the Makefile links each test_*.c on its own).
 *
 * The fixtures are found through $NETTOP_FIXTURES, else relative to the test
 * binary (build/tests/test_x -> ../../tests/fixtures), else the working
 * directory's tests/fixtures. */
#ifndef NETTOP_TEST_FIXTURE_H
#define NETTOP_TEST_FIXTURE_H

#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The sequence number tests/tools/nlrecord.c puts in every request. */
#define FIXTURE_SEQ 0x4e54
#define FIXTURE_MAX_FRAMES 16

/* A recorded dump: each frame is one recvmsg buffer. */
struct frames {
	unsigned char *data;
	size_t len;
	size_t n;
	struct {
		const unsigned char *p;
		size_t len;
	} f[FIXTURE_MAX_FRAMES];
};

static inline unsigned char *fixture_read_path(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf = NULL;
	long size;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
	    (buf = malloc((size_t)size + 1)) && fread(buf, 1, (size_t)size, f) == (size_t)size) {
		buf[size] = '\0';
		*len = (size_t)size;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

/* Reads tests/fixtures/REL, NUL-terminated; exits the test on failure. */
static inline unsigned char *fixture_read(const char *rel, size_t *len)
{
	char path[PATH_MAX], exe[PATH_MAX];
	const char *env = getenv("NETTOP_FIXTURES");
	unsigned char *buf;
	ssize_t n;

	if (env) {
		snprintf(path, sizeof(path), "%s/%s", env, rel);
		if ((buf = fixture_read_path(path, len)))
			return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(path, sizeof(path), "%s/../../tests/fixtures/%s", dirname(exe), rel);
		if ((buf = fixture_read_path(path, len)))
			return buf;
	}
	snprintf(path, sizeof(path), "tests/fixtures/%s", rel);
	if ((buf = fixture_read_path(path, len)))
		return buf;
	fprintf(stderr, "fixture %s not found (set NETTOP_FIXTURES)\n", rel);
	exit(1);
}

/* Splits a recorded dump into its frames (4-byte little-endian length + bytes). */
static inline void frames_load(struct frames *fr, const char *rel)
{
	size_t off = 0;

	memset(fr, 0, sizeof(*fr));
	fr->data = fixture_read(rel, &fr->len);
	while (off + 4 <= fr->len) {
		const unsigned char *h = fr->data + off;
		size_t flen = (size_t)h[0] | (size_t)h[1] << 8 | (size_t)h[2] << 16 | (size_t)h[3] << 24;

		if (fr->n == FIXTURE_MAX_FRAMES || flen > fr->len - off - 4) {
			fprintf(stderr, "fixture %s: bad frame at %zu\n", rel, off);
			exit(1);
		}
		fr->f[fr->n].p = h + 4;
		fr->f[fr->n].len = flen;
		fr->n++;
		off += 4 + flen;
	}
}

static inline void frames_free(struct frames *fr)
{
	free(fr->data);
	fr->data = NULL;
}

/* A malloc'd copy of exactly len bytes (at least 1 allocated), so that
 * AddressSanitizer catches a read one byte past the end. */
static inline void *copy_exact(const void *p, size_t len)
{
	void *c = malloc(len);

	if (!c && !len)
		c = malloc(1);
	if (!c)
		abort();
	if (len)
		memcpy(c, p, len);
	return c;
}

/* Finds the netlink messages in buf (by their aligned nlmsg_len, as a walker
 * steps). Fills off[] with their offsets; returns how many. */
static inline size_t nl_offsets(const unsigned char *buf, size_t len, size_t *off, size_t max)
{
	size_t n = 0, pos = 0;

	while (n < max && pos + 16 <= len) {
		uint32_t mlen;

		memcpy(&mlen, buf + pos, 4);
		if (mlen < 16 || mlen > len - pos)
			break;
		off[n++] = pos;
		pos += (mlen + 3) & ~3u;
	}
	return n;
}

static inline uint32_t nl_len_at(const unsigned char *buf, size_t off)
{
	uint32_t v;

	memcpy(&v, buf + off, 4);
	return v;
}

/* Where each attribute of the message at m starts and ends (unpadded); the
 * attributes follow `fixed` bytes of headers. Returns how many. */
static inline size_t nl_attr_bounds(const unsigned char *m, size_t fixed, size_t *start,
				    size_t *end, size_t max)
{
	size_t mlen = nl_len_at(m, 0), pos = fixed, n = 0;

	while (n < max && pos + 4 <= mlen) {
		uint16_t alen;

		memcpy(&alen, m + pos, 2);
		if (alen < 4)
			break;
		start[n] = pos;
		end[n++] = pos + alen;
		pos += (alen + 3u) & ~3u;
	}
	return n;
}

#endif
