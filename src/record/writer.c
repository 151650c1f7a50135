/* writer.c: appends frames to a recording file, each with one write(). */
#include "writer.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "codec.h"

struct record_writer {
	int fd;
};

struct record_writer *record_writer_open(const char *path, char *err, size_t errlen, int *status)
{
	struct record_writer *w = calloc(1, sizeof(*w));
	unsigned char head[RECORD_HEADER_SIZE];
	uint32_t version;
	struct stat st;

	*status = -1;
	if (!w)
		goto fail;
	/* Never through a link: in a shared directory (/tmp) anyone may plant
	 * one, dangling or not, and root would create or append to its target. */
	w->fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (w->fd < 0 && errno == ELOOP && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
		snprintf(err, errlen, "--record %s: is a symbolic link; refusing to record through it "
			 "(name the file it points to)", path);
		*status = -2;
		free(w);
		return NULL;
	}
	if (w->fd < 0 || fstat(w->fd, &st) < 0)
		goto fail;
	if (st.st_size == 0) {
		record_header(head);
		if (write(w->fd, head, sizeof(head)) != (ssize_t)sizeof(head))
			goto fail;
		return w;
	}
	if (pread(w->fd, head, sizeof(head), 0) != (ssize_t)sizeof(head) ||
	    record_header_check(head, &version) == -EBADMSG) {
		snprintf(err, errlen, "--record %s: the file exists and is not a nettop recording", path);
		close(w->fd);
		free(w);
		return NULL;
	}
	return w;
fail:
	snprintf(err, errlen, "--record %s: %s", path, strerror(errno));
	if (w && w->fd >= 0)
		close(w->fd);
	free(w);
	return NULL;
}

int record_writer_write(struct record_writer *w, const struct snapshot *snap,
			const struct snapshot *prev)
{
	size_t len;
	unsigned char *frame = record_encode(snap, prev, &len);
	int err = 0;

	if (!frame)
		return -ENOMEM;
	errno = 0;
	if (write(w->fd, frame, len) != (ssize_t)len)	/* one write: all or a torn tail */
		err = errno ? -errno : -ENOSPC;
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
