/* writer.c: appends frames to a recording file. A frame that could not be
 * written whole is cut off again: a torn frame would hide every frame
 * appended after it. */
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"

/* Header, payload, CRC. */
#define FRAME_BYTES(payload) ((off_t)(payload) + RECORD_FRAME_HEADER_SIZE + 4)

struct record_writer {
	int fd;
	off_t end;			/* where the last complete frame ends */
};

/* Where the frames of an existing recording end, walked by their headers
 * (not their CRCs: a long recording opens at once). *torn when the last
 * frame runs past the end of the file, as a killed recorder leaves it. */
static off_t recording_end(int fd, off_t size, bool *torn)
{
	off_t at = RECORD_HEADER_SIZE;
	unsigned char head[RECORD_FRAME_HEADER_SIZE];
	long len;

	*torn = false;
	while (at < size) {
		if (size - at < (off_t)sizeof(head) ||
		    pread(fd, head, sizeof(head), at) != (ssize_t)sizeof(head)) {
			*torn = true;
			break;
		}
		if ((len = record_frame_length(head)) < 0)
			break;
		if (FRAME_BYTES(len) > size - at) {
			*torn = true;
			break;
		}
		at += FRAME_BYTES(len);
	}
	return at;
}

/* An existing recording takes new frames after its last complete one: a torn
 * tail is cut off (nothing could read past it); a frame that is not one
 * refuses the file, as samples after it could never be read. 0 or -1 with
 * a message. */
static int writer_resume(struct record_writer *w, const char *path, off_t size, char *err,
			 size_t errlen)
{
	bool torn;

	w->end = recording_end(w->fd, size, &torn);
	if (w->end == size)
		return 0;
	if (!torn) {
		snprintf(err, errlen, "--record %s: the recording is damaged at byte %lld: samples "
			 "appended after it could not be read", path, (long long)w->end);
		return -1;
	}
	if (ftruncate(w->fd, w->end) < 0) {
		snprintf(err, errlen, "--record %s: cannot cut off its torn last frame: %s", path,
			 strerror(errno));
		return -1;
	}
	return 0;
}

/* A new recording's header; errno set on failure. */
static int header_write(struct record_writer *w)
{
	unsigned char head[RECORD_HEADER_SIZE];
	ssize_t n;
	int e;

	record_header(head);
	if ((n = write(w->fd, head, sizeof(head))) == (ssize_t)sizeof(head)) {
		w->end = RECORD_HEADER_SIZE;
		return 0;
	}
	e = n < 0 ? errno : ENOSPC;
	/* half a header would make the file "not a recording" */
	if (ftruncate(w->fd, 0) < 0)
		e = e ? e : errno;
	errno = e;
	return -1;
}

/* Opens path, never through a link: in a shared directory (/tmp) anyone may
 * plant one, dangling or not, and root would create or append to its target.
 * -1 with errno, or -2 (a message in err) for a link. */
static int file_open(const char *path, char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0 && errno == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "--record %s: is a symbolic link; refusing to record through it "
			 "(name the file it points to)", path);
		return -2;
	}
	return fd;
}

struct record_writer *record_writer_open(const char *path, char *err, size_t errlen, int *status)
{
	struct record_writer *w = calloc(1, sizeof(*w));
	unsigned char head[RECORD_HEADER_SIZE];
	uint32_t version;
	struct stat st;

	*status = -1;
	if (!w)
		goto fail;
	if ((w->fd = file_open(path, err, errlen)) == -2) {
		*status = -2;
		free(w);
		return NULL;
	}
	if (w->fd < 0 || fstat(w->fd, &st) < 0)
		goto fail;
	if (st.st_size == 0) {
		if (header_write(w) < 0)
			goto fail;
		return w;
	}
	if (pread(w->fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    record_header_check(head, &version) == -EBADMSG) {
		snprintf(err, errlen, "--record %s: the file exists and is not a nettop recording", path);
		goto refused;
	}
	if (writer_resume(w, path, st.st_size, err, errlen) < 0)
		goto refused;
	return w;
fail:
	snprintf(err, errlen, "--record %s: %s", path, strerror(errno));
refused:
	if (w && w->fd >= 0)
		close(w->fd);
	free(w);
	return NULL;
}

/* Writes all n bytes, or says why not: a short write is followed by
 * another, which names the error (ENOSPC, EDQUOT, EFBIG, EIO). 0 or -errno. */
static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		if (w == 0)
			return -ENOSPC;
		p += w, n -= (size_t)w;
	}
	return 0;
}

int record_writer_write(struct record_writer *w, const struct snapshot *snap,
			const struct snapshot *prev)
{
	size_t len;
	unsigned char *frame = record_encode(snap, prev, &len);
	int err;

	if (!frame)
		return -ENOMEM;
	if ((err = write_all(w->fd, frame, len)) < 0) {
		/* the file goes back to its last complete frame */
		if (ftruncate(w->fd, w->end) < 0) {
			/* the write's error is still the one to tell: a reader stops
			 * at the torn frame, as after a crash */
		}
	} else {
		w->end += (off_t)len;
	}
	free(frame);
	return err;
}

void record_writer_close(struct record_writer *w)
{
	if (w) {
		close(w->fd);
		free(w);
	}
}
