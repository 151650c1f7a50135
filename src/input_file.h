/* input_file.h: opens a file the user named (--config, --theme, --replay)
 * for reading, only when it is a regular file: a FIFO blocks the open and
 * every read, a device such as /dev/zero never ends. */
#ifndef NETTOP_INPUT_FILE_H
#define NETTOP_INPUT_FILE_H

#include <stdio.h>

/* A stream reading path, or NULL with errno set and what is wrong in *cause
 * ("a FIFO, not a regular file", or strerror's text); errno is EISDIR for a
 * directory, EINVAL for any other file that is not a regular one. The open
 * itself never waits: a FIFO is opened non-blocking, looked at, refused. */
FILE *input_file_open(const char *path, const char **cause);

#endif
