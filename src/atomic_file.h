/* atomic_file.h: a file replaced whole or not at all. The text goes to a new
 * temporary file beside the target, created exclusively under a random name
 * (O_CREAT|O_EXCL|O_NOFOLLOW: never through a link planted in a shared
 * directory), is synced, then renamed over the target. A reader sees the old
 * file or the new one, never half of either. */
#ifndef NETTOP_ATOMIC_FILE_H
#define NETTOP_ATOMIC_FILE_H

#include <stddef.h>

enum atomic_file_flags {
	/* A symbolic link at path is followed to the file it names (created if
	 * missing), and that file is replaced; the link stays. Without it the
	 * link itself is replaced and its target never touched. */
	ATOMIC_FILE_FOLLOW = 1 << 0,
};

/* Replaces path with len bytes of data. A new file gets 0644 less the umask;
 * a replaced one keeps its permissions. 0 or -errno; on failure path is as
 * it was and no temporary file is left behind. */
int atomic_file_write(const char *path, const void *data, size_t len, unsigned flags);

#endif
