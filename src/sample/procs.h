/* procs.h: which process owns each socket, from /proc/PID/fd. */
#ifndef NETTOP_PROCS_H
#define NETTOP_PROCS_H

#include "../snapshot.h"

/* Sets owner on every socket of snap whose inode an open descriptor of some
 * readable process names. Returns the number of processes that could not be
 * read (other users' processes without privilege). */
int procs_attribute(const char *proc_root, struct snapshot *snap);

#endif
