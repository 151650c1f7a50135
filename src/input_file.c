/* input_file.c: O_NONBLOCK makes the open of a FIFO without a writer return
 * at once; fstat then tells what the path is, before anything is read. */
#include "input_file.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a directory, not a regular file";
	if (S_ISFIFO(mode))
		return "a FIFO, not a regular file";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device, not a regular file";
	if (S_ISSOCK(mode))
		return "a socket, not a regular file";
	return "not a regular file";
}

FILE *input_file_open(const char *path, const char **cause)
{
	struct stat st;
	FILE *f;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), saved;

	if (fd < 0) {
		*cause = strerror(errno);
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		*cause = strerror(errno);
	} else if (!S_ISREG(st.st_mode)) {
		*cause = file_kind(st.st_mode);
		errno = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	} else if (fcntl(fd, F_SETFL, 0) < 0 || !(f = fdopen(fd, "r"))) {
		*cause = strerror(errno);
	} else {
		return f;
	}
	saved = errno;
	close(fd);
	errno = saved;
	return NULL;
}
